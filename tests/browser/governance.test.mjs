// Browser tests for governance: a member reads a proposal and votes (and
// changes the vote) and keeps the receipt; a member of another class votes
// with the keyboard alone on a 320 px phone; a member votes with JavaScript
// switched off (the plain form with its CSRF field); a login that is not a
// member is refused; after the admin closes the vote the results page shows
// the outcome, the chart, the per-class breakdown and finds the receipt.
// axe-core on every page. Real Chromium, the real server, its demo co-op.
//
// Run: CARECOOP_BIN=build/dev/carecoop node --test tests/browser/governance.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  account, apiLogin, eventually, loginThroughForm, pageReady, pageWidths,
  seriousAxeViolations, startStack, withPage,
} from './lib.mjs';

let stack;
let proposalId;
let graceReceipt;

const TITLE = 'Adopt the 2027 rota principles';
const ELECTION = 'Elect three members to the board';

before(async () => {
  stack = await startStack();
  const admin = await apiLogin(stack.baseURL, stack.byRole.admin);
  const list = await admin.get('/api/proposals');
  proposalId = list.body.proposals.find((p) => p.title === TITLE).id;
});

after(async () => {
  await stack?.cleanup();
});

const page$ = (options, fn) => withPage(stack, options, fn);
// bypassCSP lets axe-core be injected; the pages' own scripts are the same.
// The tests without axe keep the CSP on, so a refusal there would fail them.
const AXE = { bypassCSP: true };

async function assertNoSeriousAxe(page, where) {
  const violations = await seriousAxeViolations(page);
  assert.deepEqual(violations, [], `axe on ${where}: ${JSON.stringify(violations, null, 1)}`);
}

test('a member finds the proposal, votes, changes the vote and sees the receipt', async () => {
  await page$(AXE, async (page) => {
    await loginThroughForm(page, account(stack, 'grace'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Proposals' }).click();
    await page.waitForURL('**/proposals.html');
    await pageReady(page);
    await assertNoSeriousAxe(page, 'proposals.html');
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(`**/proposals/${proposalId}`);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await pageReady(page);
    await assertNoSeriousAxe(page, 'the proposal page');

    await page.getByLabel('For', { exact: true }).check();
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    const receipt = page.locator('#receipt');
    await eventually(async () => /Your vote was recorded/.test(await receipt.innerText()), 'the receipt is shown');
    const first = (await receipt.locator('.receipt').innerText()).trim();
    assert.match(first, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'receipt', 'focus moves to the receipt');

    await page.getByLabel('Against', { exact: true }).check();
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await eventually(async () => /Your vote was changed/.test(await receipt.innerText()), 'the change is confirmed');
    graceReceipt = (await receipt.locator('.receipt').innerText()).trim();
    assert.notEqual(graceReceipt, first, 'a changed vote gets a new receipt');

    const me = await page.request.get(`/api/proposals/${proposalId}`);
    const mine = (await me.json()).proposal.me;
    assert.equal(mine.voted, true);
    assert.equal(mine.changes, 1);
  });
});

test('a member of another class votes with the keyboard on a 320 px phone', async () => {
  await page$({ ...AXE, viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true }, async (page) => {
    await loginThroughForm(page, account(stack, 'margaret'));
    await page.goto(`/proposals/${proposalId}`);
    await pageReady(page);
    const widths = await pageWidths(page);
    assert.ok(widths.scrollWidth <= widths.clientWidth + 1, `no sideways scrolling at 320 px: ${JSON.stringify(widths)}`);

    // Keyboard only: focus the first choice, move with the arrows, submit with Enter.
    await page.getByLabel('For', { exact: true }).focus();
    await page.keyboard.press('Space');
    assert.equal(await page.getByLabel('For', { exact: true }).isChecked(), true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.getByLabel('For', { exact: true }).isChecked(), true);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cast my vote');
    await page.keyboard.press('Enter');
    const receipt = page.locator('#receipt');
    await eventually(async () => /Your vote was recorded/.test(await receipt.innerText()), 'the receipt is shown');
    const mine = (await (await page.request.get(`/api/proposals/${proposalId}`)).json()).proposal.me;
    assert.equal(mine.class, 'recipient');
    assert.equal(mine.voted, true);
    await assertNoSeriousAxe(page, 'the proposal page at 320 px');
  });
});

test('a member votes with JavaScript switched off', async () => {
  // Sign in over the API (the sign-in page needs JavaScript), then hand the
  // session cookie to a browser that runs no script.
  const res = await fetch(`${stack.baseURL}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: account(stack, 'arthur').email, password: account(stack, 'arthur').password }),
  });
  assert.equal(res.status, 200);
  const token = res.headers.getSetCookie().map((c) => c.split(';')[0])
    .find((c) => c.startsWith('carecoop_session=')).split('=')[1];
  await page$({ javaScriptEnabled: false }, async (page) => {
    await page.context().addCookies([{ name: 'carecoop_session', value: token, url: stack.baseURL }]);
    await page.goto('/proposals');
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(`**/proposals/${proposalId}`);
    await page.getByLabel('Abstain', { exact: true }).check();
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.waitForURL(/\?receipt=/);
    const box = page.getByRole('status');
    assert.match(await box.innerText(), /Your vote was recorded\. Your receipt is [0-9A-Z-]{19}/);
    assert.match(await page.locator('main').innerText(), /You have voted/);

    // The board election: rank two candidates with the plain selects.
    await page.goto('/proposals');
    await page.getByRole('link', { name: ELECTION }).click();
    await page.getByLabel('Choice 1').selectOption({ label: 'Susan Ellis' });
    await page.getByLabel('Choice 2').selectOption({ label: 'Helen Ward' });
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.waitForURL(/\?receipt=/);
    assert.match(await page.getByRole('status').innerText(), /Your vote was recorded/);
  });
});

test('a login that is not a member of the co-op is refused', async () => {
  const admin = await apiLogin(stack.baseURL, stack.byRole.admin);
  const made = await admin.post('/api/users', {
    email: 'visitor@example.org', name: 'Visiting Auditor', password: 'Visitor-Password-1', roles: ['member'],
  });
  assert.equal(made.status, 201);
  const visitor = { email: 'visitor@example.org', password: 'Visitor-Password-1' };
  await page$({}, async (page) => {
    await loginThroughForm(page, visitor);
    await page.goto(`/proposals/${proposalId}`);
    await pageReady(page);
    assert.match(await page.locator('main').innerText(), /Only members in good standing when this proposal opened can vote on it/);
    assert.equal(await page.getByRole('button', { name: 'Cast my vote' }).count(), 0);
  });
  const api = await apiLogin(stack.baseURL, visitor);
  const refused = await api.post(`/api/proposals/${proposalId}/ballot`, { choice: 'for' });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.field, 'voter');
  assert.match(refused.body.error, /not linked to a member/);
});

test('after closing, the results page shows the outcome, the chart and the receipt', async () => {
  const admin = await apiLogin(stack.baseURL, stack.byRole.admin);
  const closed = await admin.post(`/api/proposals/${proposalId}/close`, {});
  assert.equal(closed.status, 200);
  assert.equal(closed.body.proposal.status, 'decided');
  const outcome = closed.body.proposal.outcome;
  await page$(AXE, async (page) => {
    await loginThroughForm(page, account(stack, 'grace'));
    await page.goto(`/proposals/${proposalId}`);
    await pageReady(page);
    assert.equal(await page.getByRole('button', { name: 'Cast my vote' }).count(), 0, 'no vote after close');
    await page.getByRole('link', { name: 'Full results with chart' }).click();
    await page.waitForURL(`**/results.html?id=${proposalId}`);
    await pageReady(page);
    const text = await page.locator('#outcome').innerText();
    assert.match(text, outcome === 'carried' ? /^Carried/ : /^Lost/);
    assert.equal(await page.locator('.gov-bars rect.gov-bars__bar').count() >= 2, true, 'a bar chart');
    const rows = await page.locator('#classes tbody tr').count();
    assert.ok(rows >= 2, 'a row per member class');
    await page.getByLabel('Find my receipt').fill(graceReceipt);
    await page.getByRole('button', { name: 'Find' }).click();
    await eventually(async () => /was counted: against, in the supporter class/.test(await page.locator('#receipt-result').innerText()),
      'the receipt is found among the counted ballots');
    await assertNoSeriousAxe(page, 'results.html');
  });
});

test('a closed board election shows who was elected and exports BLT', async () => {
  const admin = await apiLogin(stack.baseURL, stack.byRole.admin);
  const list = await admin.get('/api/proposals');
  const election = list.body.proposals.find((p) => p.title === ELECTION);
  const closed = await admin.post(`/api/proposals/${election.id}/close`, {});
  assert.equal(closed.status, 200);
  assert.equal(closed.body.proposal.outcome, 'elected');
  await page$(AXE, async (page) => {
    await loginThroughForm(page, account(stack, 'arthur'));
    await page.goto(`/results.html?id=${election.id}`);
    await pageReady(page);
    assert.match(await page.locator('#outcome').innerText(), /^Elected: .+, .+, .+\.$/);
    assert.equal(await page.locator('.gov-bars rect.gov-bars__bar').count(), 5, 'a bar per candidate');
    const blt = await page.request.get(`/api/proposals/${election.id}/ballots.blt`);
    assert.equal(blt.status(), 200);
    assert.match(await blt.text(), /^5 3\n/);
    await assertNoSeriousAxe(page, 'results.html for an election');
  });
});

test('an admin drafts a proposal and saves a new rulebook version', async () => {
  await page$(AXE, async (page) => {
    await loginThroughForm(page, stack.byRole.admin);
    await page.goto('/proposals.html');
    await pageReady(page);
    await assertNoSeriousAxe(page, 'proposals.html as an admin');

    await page.getByLabel('Title').fill('Open a second office in Dartington');
    await page.getByLabel('Text').fill('A room above the village hall, two days a week.');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    const drafts = page.locator('#list-drafts');
    await eventually(async () => /Open a second office/.test(await drafts.innerText()), 'the draft is listed');

    const before = (await (await page.request.get('/api/rulebook')).json()).rulebook.version;
    await page.getByLabel('Proxies one member may hold').fill('3');
    await page.getByLabel('Why this change').fill('Three proxies each, as agreed at the AGM');
    await page.getByRole('button', { name: 'Save a new version' }).click();
    await eventually(async () => new RegExp(`Saved as version ${before + 1}`).test(await page.locator('#rules-status').innerText()),
      'the new version is confirmed');
    const rb = (await (await page.request.get('/api/rulebook')).json()).rulebook;
    assert.equal(rb.proxy_limit, 3);
    assert.equal(rb.weighting, 'shares', 'the rest is kept from the version before');

    // A share table that does not add up is refused with the reason.
    await page.getByLabel('Carer-worker members').fill('60');
    await page.getByRole('button', { name: 'Save a new version' }).click();
    await eventually(async () => /sum/i.test(await page.locator('#rules-status').innerText()), 'the shares are refused');
  });
});
