// Browser tests for the surplus: the treasurer opens the demo's draft run,
// previews it (chart and table), changes a percentage and compares, then
// approves it linked to the members' carried proposal; a member then reads
// their own statement. axe-core on both pages; a 320 px phone is usable.
//
// Run: CARECOOP_BIN=build/dev/carecoop node --test tests/browser/surplus.test.mjs
// (ctest does this: see CMakeLists.txt beside this file).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  account, apiGet, eventually, loginThroughForm, pageReady, pageWidths,
  seriousAxeViolations, startStack, withPage,
} from './lib.mjs';

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.cleanup();
});

const page$ = (options, fn) => withPage(stack, options, fn);

/** The cells of the split table's row for a part, as text. */
async function splitRow(page, part) {
  return page.locator('#split-table tbody tr', { hasText: part }).first().innerText();
}

function pence(text) {
  const m = /£([\d,]+\.\d\d)/.exec(text);
  return m ? Math.round(Number(m[1].replace(/,/g, '')) * 100) : Number.NaN;
}

test('the treasurer previews, compares a what-if and approves with the carried proposal', async () => {
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.treasurer);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Surplus', exact: true }).click();
    await page.waitForURL('**/surplus.html');
    await pageReady(page);
    await page.getByRole('heading', { level: 1, name: 'Surplus' }).waitFor();
    assert.match(await page.locator('#rules-version').innerText(), /Version 1/);

    // The demo's draft run is open; preview it.
    await page.getByRole('heading', { name: /^Run for / }).waitFor();
    await page.getByRole('button', { name: 'Preview' }).click();
    const reserveRow = await splitRow(page, 'General reserve');
    assert.match(reserveRow, /£3,686\.51/); // 20 % of £18,432.57
    assert.equal(await page.locator('#split-chart rect').count() >= 4, true);
    const lines = page.locator('#lines-table tbody tr');
    assert.ok(await lines.count() > 20, 'every member has a line');
    assert.match(await page.locator('#lines-table tbody tr', { hasText: 'Amira Khalil' }).innerText(),
      /min worked/);

    // What if the reserve were 25 %?
    await page.getByLabel('Reserve (%)', { exact: true }).fill('25');
    await page.getByRole('button', { name: 'Compare' }).click();
    await eventually(async () => /Compared/.test(await page.locator('#whatif-status').innerText()),
      'the comparison is shown');
    const compared = await splitRow(page, 'General reserve');
    assert.match(compared, /£4,608\.14/); // 25 % of £18,432.57 = 4608.1425
    assert.match(compared, /\+£921\.63/);
    assert.equal(await page.getByRole('columnheader', { name: 'What-if total' }).isVisible(), true);

    // Every line and part adds up to the surplus (the rules column).
    const total = await splitRow(page, 'Surplus');
    assert.equal(pence(total), 1843257);

    // Approve, linked to the carried proposal.
    const select = page.getByLabel('Carried proposal');
    const options = await select.locator('option').allInnerTexts();
    const carried = options.find((t) => /surplus/i.test(t));
    assert.ok(carried, `a carried proposal about the surplus is offered: ${options.join(' | ')}`);
    await select.selectOption({ label: carried });
    await page.getByRole('button', { name: 'Approve the distribution' }).click();
    await eventually(async () => /Approved\./.test(await page.locator('#run-status').innerText()),
      'the approval is confirmed');
    assert.match(await page.locator('#run-summary').innerText(), /approved by “/);
    assert.equal(await page.getByRole('link', { name: 'Download payments (CSV)' }).isVisible(), true);
    assert.equal(await page.getByRole('button', { name: 'Approve the distribution' }).isVisible(), false);
    assert.match(await page.locator('#runs-table tbody').innerText(), /Approved/);
    assert.equal(await page.getByRole('button', { name: 'Preview' }).isVisible(), false);
  });
});

test('a member reads their own statement; the treasurer page is not theirs', async () => {
  await page$({}, async (page) => {
    await loginThroughForm(page, account(stack, 'grace'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My surplus share' }).click();
    await page.waitForURL('**/statement.html');
    await pageReady(page);
    const card = page.locator('.statement').first();
    await card.waitFor();
    assert.match(await card.innerText(), /Your share: £/);
    assert.match(await card.innerText(), /How it was worked out/);
    assert.match(await card.innerText(), /Supporter members share/);
    const mine = await apiGet(page, '/api/surplus/runs');
    assert.equal(mine.status, 403);
  });
});

test('axe finds no serious or critical problems on the surplus and statement pages', async () => {
  // axe is injected as an inline script, which the server's CSP blocks:
  // these contexts bypass CSP (the flows above run with it).
  await page$({ bypassCSP: true }, async (page) => {
    await loginThroughForm(page, stack.byRole.treasurer);
    await page.goto('/surplus.html');
    await pageReady(page);
    await page.getByRole('heading', { name: /^Run for / }).waitFor();
    await page.locator('#split-table tbody tr').first().waitFor(); // the approved run's lines
    assert.deepEqual(await seriousAxeViolations(page), [], 'axe on the surplus page');
  });
  await page$({ bypassCSP: true }, async (page) => {
    await loginThroughForm(page, account(stack, 'grace'));
    await page.goto('/statement.html');
    await pageReady(page);
    assert.deepEqual(await seriousAxeViolations(page), [], 'axe on the statement page');
  });
});

test('the surplus page works on a 320 px phone', async () => {
  await page$({ viewport: { width: 320, height: 640 } }, async (page) => {
    await loginThroughForm(page, stack.byRole.treasurer);
    await page.goto('/surplus.html');
    await pageReady(page);
    await page.getByRole('heading', { name: /^Run for / }).waitFor();
    await page.locator('#split-table tbody tr').first().waitFor(); // the approved run's lines
    const w = await pageWidths(page);
    assert.ok(w.scrollWidth <= w.clientWidth, `no sideways scrolling at 320 px: ${w.scrollWidth} > ${w.clientWidth}`);
    assert.equal(await page.locator('#lines-table').isVisible(), true);
  });
});
