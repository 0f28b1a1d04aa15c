// Browser tests for "People and care": the People area, a carer's page, a
// recipient's page (care team, care plan), a carer's availability on a
// phone, what carers and family members may see, CSV import, and axe on
// every new page. Real Chromium, the real server and its demo co-op; only
// what a person would see or do (labels, buttons, text, the keyboard).
//
// Run: CARECOOP_BIN=build/dev/carecoop node --test tests/browser/people.test.mjs
// (ctest does this: see CMakeLists.txt beside this file).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  account, apiGet, eventually, loginThroughForm, navLinks, pageReady, pageWidths,
  seriousAxeViolations, startStack, withPage,
} from './lib.mjs';

let stack;
let ids; // demo ids by name, read from the API once

before(async () => {
  stack = await startStack();
  // Look the demo's ids up as the coordinator (never hard-coded).
  await withPage(stack, {}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    const carers = (await apiGet(page, '/api/carers')).body.carers;
    const recipients = (await apiGet(page, '/api/recipients')).body.recipients;
    const byKnown = (list) => Object.fromEntries(list.map((p) => [p.known_as, p.id]));
    ids = { carers: byKnown(carers), recipients: byKnown(recipients) };
  });
});

after(async () => {
  await stack?.cleanup();
});

const page$ = (options, fn) => withPage(stack, options, fn);

/** The team on a recipient's page, in order (names as shown). */
async function teamNames(page) {
  const names = await page.locator('.team-list .team-list__name').allInnerTexts();
  return names.map((n) => n.replace(/^\d+\.\s*/, '')); // without the visible "1."

}

test('a coordinator searches carers, opens one and changes the contract hours', async () => {
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.waitForURL('**/people.html*');
    await pageReady(page);
    assert.equal(await page.getByRole('tab', { name: 'Carers' }).getAttribute('aria-selected'), 'true');

    await page.getByLabel('Search carers').fill('Ben');
    const rows = page.locator('#carers-body tr');
    await eventually(async () => (await rows.count()) === 1, 'the search narrows the list to Ben');
    assert.match(await page.locator('#carers-status').innerText(), /1 carer match “Ben”/);
    await page.getByRole('link', { name: 'Ben Carter' }).click();
    await page.waitForURL('**/carer.html?id=*');
    await pageReady(page);
    await page.getByRole('heading', { level: 1, name: 'Ben Carter' }).waitFor();

    const hours = page.getByLabel('Contract hours a week');
    assert.equal(await hours.inputValue(), '30', '1800 minutes shown as 30 hours');
    await hours.fill('31.5');
    await page.getByRole('button', { name: 'Save details' }).click();
    await eventually(async () => /Saved/.test(await page.locator('#details-message').innerText()),
      'the save is confirmed');

    await page.reload();
    await pageReady(page);
    assert.equal(await page.getByLabel('Contract hours a week').inputValue(), '31.5', 'kept after a reload');
    const api = await apiGet(page, `/api/carers/${ids.carers.Ben}`);
    assert.equal(api.body.carer.contract_minutes, 1890);

    // A wrong value is explained next to the field, by the API
    await page.getByLabel('Contract hours a week').fill('200');
    await page.getByRole('button', { name: 'Save details' }).click();
    const err = page.locator('#contract-hours-error');
    await eventually(async () => /contract_minutes/i.test(await err.innerText()), 'the API error is next to the field');
    assert.equal(await page.getByLabel('Contract hours a week').getAttribute('aria-invalid'), 'true');
  });
});

test('a coordinator reorders Margaret\'s care team with the keyboard and saves it', async () => {
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.goto('/people.html#recipients');
    await pageReady(page);
    await page.getByLabel('Search people receiving care').fill('Margaret');
    await page.getByRole('link', { name: 'Margaret Ellis' }).click();
    await page.waitForURL('**/recipient.html?id=*');
    await pageReady(page);

    const before = await teamNames(page);
    assert.equal(before.length, 3, `Margaret has a team of three: ${before}`);
    assert.match(before.join('|'), /Amira.*\|Ben.*\|Jack/);

    // Move Ben up with a click; then Jack up twice with the keyboard alone.
    await page.getByRole('button', { name: 'Move up: Ben Carter' }).click();
    assert.match((await teamNames(page)).join('|'), /^Ben.*\|Amira.*\|Jack/);
    assert.match(await page.locator('#team-live').innerText(), /Ben Carter is now number 1 of 3/);

    await page.getByRole('button', { name: 'Move up: Jack Reynolds' }).focus();
    await page.keyboard.press('Enter');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(await focused(), 'Move up: Jack Reynolds', 'focus stays on the moved carer');
    await page.keyboard.press('Enter');
    assert.match((await teamNames(page)).join('|'), /^Jack.*\|Ben.*\|Amira/);
    assert.equal(await focused(), 'Move down: Jack Reynolds', 'at the top, focus moves to Move down');

    await page.getByRole('button', { name: 'Save care team' }).click();
    await eventually(async () => /Care team saved/.test(await page.locator('#team-message').innerText()),
      'the save is confirmed');

    await page.reload();
    await pageReady(page);
    assert.match((await teamNames(page)).join('|'), /^Jack.*\|Ben.*\|Amira/, 'the order is kept after a reload');
    const api = await apiGet(page, `/api/recipients/${ids.recipients.Margaret}`);
    assert.deepEqual(api.body.recipient.team.map((t) => t.known_as), ['Jack', 'Ben', 'Amira']);

    // A carer cannot be both in the team and excluded: the API says so
    await page.getByLabel('Add a carer not to be sent').selectOption({ label: 'Femi Adeyemi' });
    await page.getByRole('button', { name: 'Add to “not to be sent”' }).click();
    assert.deepEqual(await page.locator('.excluded-list .team-list__name').allInnerTexts(), ['Femi Adeyemi']);
    assert.equal(await page.getByLabel('Add a carer to the team').locator('option', { hasText: 'Femi' }).count(), 0,
      'an excluded carer is not offered for the team');
  });
});

test('a coordinator adds a care plan line with two carers and a skill', async () => {
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.goto(`/recipient.html?id=${ids.recipients.Margaret}`);
    await pageReady(page);
    await page.getByText('Add a visit to the care plan').click();
    const form = page.locator('#plan-add-form');

    // Nothing chosen: our own check, next to the days
    await form.getByRole('button', { name: 'Add visit' }).click();
    await eventually(async () => /at least one day/.test(await form.locator('fieldset.checks--days .field-error').innerText()),
      'a missing day is explained next to the days');

    await form.getByLabel('Tuesday').check();
    await form.getByLabel('Thursday').check();
    await form.getByLabel('Start time').fill('14:00');
    await form.getByLabel('Length in minutes').fill('60');
    await form.getByLabel('Two carers').check();
    await form.getByLabel('Hoist and moving').check();
    await form.getByLabel('Tasks').fill('Hoist transfer and bath');
    await form.getByLabel('Valid from').fill('2026-12-01');
    await form.getByRole('button', { name: 'Add visit' }).click();
    await eventually(async () => /Visit at 14:00 added/.test(await page.locator('#plan-add-message').innerText()),
      'the new line is confirmed');

    const row = page.locator('.plan-table tbody tr', { hasText: 'Hoist transfer and bath' });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /14:00–15:00/);
    assert.match(text, /Tue, Thu/);
    assert.match(text, /2 carers/);
    assert.match(text, /Hoist and moving/);

    const api = await apiGet(page, `/api/recipients/${ids.recipients.Margaret}`);
    const line = api.body.recipient.plan.find((l) => l.tasks === 'Hoist transfer and bath');
    assert.ok(line, 'the API has the new line');
    assert.deepEqual([line.days, line.start, line.minutes, line.carers, line.skills],
      [[2, 4], '14:00', 60, 2, ['hoist']]);

    // End it from a date, through the dialog
    await row.getByRole('button', { name: /^End/ }).click();
    const dialog = page.getByRole('dialog', { name: 'End a visit' });
    await dialog.getByLabel('Last day').fill('2026-11-01');
    await dialog.getByRole('button', { name: 'End visit' }).click();
    await eventually(async () => /before the line starts/.test(await dialog.locator('.field-error').innerText()),
      'a last day before the start is refused next to the field');
    await dialog.getByLabel('Last day').fill('2027-03-31');
    await dialog.getByRole('button', { name: 'End visit' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(async () => /31 Mar 2027/.test(await page.locator('.plan-table tbody tr', { hasText: 'Hoist transfer and bath' }).innerText()),
      'the end date is shown');
  });
});

test('a carer sets her availability and requests leave on a phone', async () => {
  const amira = account(stack, 'amira');
  await page$({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }, async (page) => {
    await loginThroughForm(page, amira);
    const links = await navLinks(page);
    assert.ok(links.includes('Availability') && links.includes('My people'), `carer nav: ${links}`);
    await page.getByRole('link', { name: 'Availability' }).click();
    await page.waitForURL('**/availability.html');
    await pageReady(page);
    await page.getByRole('heading', { level: 1, name: 'My availability' }).waitFor();

    const saturday = page.getByRole('group', { name: 'Saturday' });
    assert.match(await saturday.innerText(), /Not available/);
    await saturday.getByRole('button', { name: 'Add a time on Saturday' }).click();
    await saturday.getByLabel('From').nth(0).fill('09:00');
    await saturday.getByLabel('Until').nth(0).fill('12:00');
    await saturday.getByRole('button', { name: 'Add a time on Saturday' }).click();
    await saturday.getByLabel('From').nth(1).fill('11:00');
    await saturday.getByLabel('Until').nth(1).fill('14:00');
    await page.getByRole('button', { name: 'Save availability' }).click();

    // The API refuses the overlap and its message sits next to the second span
    const second = saturday.locator('.span-row').nth(1);
    await eventually(async () => /overlaps another span/i.test(await second.locator('.field-error').innerText()),
      'the overlap is explained next to the span');
    assert.equal(await second.getByLabel('From').getAttribute('aria-invalid'), 'true');
    assert.equal(await saturday.locator('.span-row').nth(0).locator('.field-error').innerText(), '');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('.span-row') !== null), true,
      'focus is on the span at fault');

    await second.getByLabel('From').fill('12:00');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await eventually(async () => /availability has been saved/.test(await page.locator('.weekly-form .alert').innerText()),
      'the save is confirmed');
    const me = await apiGet(page, `/api/carers/${ids.carers.Amira}`);
    assert.deepEqual(me.body.carer.weekly.filter((s) => s.weekday === 6),
      [{ weekday: 6, start: '09:00', end: '12:00' }, { weekday: 6, start: '12:00', end: '14:00' }]);

    // Leave
    const request = page.locator('.request-form');
    await request.getByLabel('Kind').selectOption('leave');
    await request.getByLabel('Starts').fill('2027-02-15T09:00');
    await request.getByLabel('Ends').fill('2027-02-19T17:00');
    await request.getByLabel('Note (optional)').fill('Half term');
    await request.getByRole('button', { name: 'Send request' }).click();
    await eventually(async () => /status is requested/.test(await request.locator('.alert').innerText()),
      'the request is confirmed');
    const row = page.locator('table.exceptions tbody tr', { hasText: 'Half term' });
    await row.waitFor();
    assert.match(await row.innerText(), /Requested/);

    const w = await pageWidths(page);
    assert.ok(w.scrollWidth <= w.clientWidth, `no sideways scrolling at 375 px: ${w.scrollWidth} > ${w.clientWidth}`);
  });
});

test('a carer sees only the people in her teams; another person is not found', async () => {
  const amira = account(stack, 'amira');
  await page$({}, async (page) => {
    await loginThroughForm(page, amira);
    await page.getByRole('link', { name: 'My people' }).click();
    await page.waitForURL('**/care.html');
    await pageReady(page);
    const api = await apiGet(page, '/api/recipients');
    const shown = await page.locator('.person-card__name').allInnerTexts();
    assert.deepEqual(shown, api.body.recipients.map((r) => r.full_name));
    assert.ok(shown.includes('Margaret Ellis'), `Amira is in Margaret's team: ${shown}`);
    assert.ok(!shown.includes('Dorothy Hughes'), 'but not in Dorothy\'s');

    // Her own person's page shows the private notes (she is in the team)
    await page.getByRole('link', { name: 'Margaret Ellis' }).click();
    await pageReady(page);
    await page.getByRole('heading', { name: /Private: health notes/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Save/ }).count(), 0, 'a carer edits nothing here');

    // Someone else's page: the API answers 404 and the page says so
    await page.goto(`/recipient.html?id=${ids.recipients.Dorothy}`);
    await pageReady(page);
    assert.equal((await apiGet(page, `/api/recipients/${ids.recipients.Dorothy}`)).status, 404);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    assert.match(await page.locator('#not-found').innerText(), /not found/i);
    assert.equal(await page.locator('#content').isVisible(), false);
  });
});

test('a family member sees her mother\'s page without the private notes', async () => {
  const susan = account(stack, 'susan');
  await page$({}, async (page) => {
    await loginThroughForm(page, susan);
    const links = await navLinks(page);
    assert.ok(links.includes('My people'), `a family member has My people: ${links}`);
    assert.ok(!links.includes('People') && !links.includes('Availability'), `but no staff areas: ${links}`);
    await page.getByRole('link', { name: 'My people' }).click();
    await pageReady(page);
    await page.getByRole('link', { name: 'Margaret Ellis' }).click();
    await page.waitForURL('**/recipient.html?id=*');
    await pageReady(page);
    await page.getByRole('heading', { level: 1, name: 'Margaret Ellis' }).waitFor();

    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /Private: health notes|Key safe|4821|diabetes|insulin at breakfast/i);
    assert.equal(await page.locator('#private-section').isVisible(), false);
    // the plan times and the team's first names are there
    assert.match(text, /08:00–08:45/);
    assert.deepEqual(await page.locator('.team-read li').allInnerTexts(), ['Jack', 'Ben', 'Amira']);
    assert.equal(await page.getByRole('button', { name: /Save|Move|Add|End|Change/ }).count(), 0, 'nothing to edit');
  });
});

test('a CSV import check lists the bad rows and imports nothing', async () => {
  const csv = [
    'full_name,known_as,email,phone,address,area,lat,lon,contract_minutes,max_week_minutes,skills',
    'Nia Thomas,Nia,nia@example.org,,,Totnes town,,,1200,2880,meds;hoist',
    'Owen Price,,owen@example.org,,,Dartington,,,lots,2880,meds',
    'Pat Quill,Pat,pat@example.org,,,Staverton,,,600,2880,juggling',
  ].join('\n');
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.goto('/people.html');
    await pageReady(page);
    await page.getByRole('link', { name: 'Import from a CSV file' }).click();
    await page.waitForURL('**/import.html');
    await pageReady(page);

    // Import with no file: said next to the file field
    await page.getByRole('button', { name: 'Check' }).click();
    await eventually(async () => /Choose a CSV file/.test(await page.locator('#import-file-error').innerText()),
      'a missing file is explained');

    await page.getByLabel('Carers', { exact: true }).check();
    await page.getByLabel('CSV file').setInputFiles({ name: 'carers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check' }).click();
    const table = page.getByRole('table', { name: 'Rows to fix' });
    await table.waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
    assert.ok(rows.some(([line, field, why]) => line === '3' && field === 'known_as' && /required/.test(why)), JSON.stringify(rows));
    assert.ok(rows.some(([line, field]) => line === '3' && field === 'contract_minutes'), JSON.stringify(rows));
    assert.ok(rows.some(([line, field, why]) => line === '4' && field === 'skills' && /juggling/.test(why)), JSON.stringify(rows));
    assert.match(await page.locator('#result-summary').innerText(), /Nothing has been imported/);

    // The real import is refused as a whole, and says why
    await page.getByRole('button', { name: 'Import' }).click();
    await eventually(async () => /Nothing was imported/.test(await page.locator('#result-summary').innerText()),
      'the refused import is explained');
    for (const who of ['Nia', 'Owen', 'Pat']) {
      const found = await apiGet(page, `/api/carers?q=${who}`);
      assert.equal(found.body.carers.filter((c) => c.known_as === who || c.full_name.startsWith(who)).length, 0,
        `${who} was not imported`);
    }
  });
});

test('a coordinator approves a leave request on the carer\'s page', async () => {
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.goto(`/carer.html?id=${ids.carers.Ben}`);
    await pageReady(page);
    const row = page.locator('table.exceptions tbody tr', { hasText: 'Family wedding' });
    assert.match(await row.innerText(), /Requested/);
    await row.getByRole('button', { name: /^Approve/ }).click();
    await eventually(async () => /Approved/.test(await page.locator('table.exceptions tbody tr', { hasText: 'Family wedding' }).innerText()),
      'the request shows as approved');
    const api = await apiGet(page, `/api/carers/${ids.carers.Ben}/exceptions`);
    assert.equal(api.body.exceptions.find((x) => /wedding/.test(x.note)).status, 'approved');
  });
});

test('an administrator adds a membership and ends it', async () => {
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await page.waitForURL('**/members.html');
    await pageReady(page);
    assert.ok(await page.getByRole('link', { name: 'Download the register (CSV)' }).isVisible());

    // Grace is a current member already: the API says so next to the person
    const people = (await apiGet(page, '/api/people?q=Grace')).body.people;
    const grace = people.find((p) => p.full_name === 'Grace Pennington');
    assert.equal(await page.getByLabel('Person', { exact: true }).locator(`option[value="${grace.id}"]`).count(), 0,
      'current members are not offered');

    // Everyone in the demo is a member: put a new person on the register first
    const { csrf_token: csrf } = (await apiGet(page, '/api/me')).body;
    const made = await page.request.post('/api/people', {
      headers: { 'X-CSRF-Token': csrf },
      data: { full_name: 'Rosa Penhale', known_as: 'Rosa', area: 'Totnes town' },
    });
    assert.equal(made.status(), 201, await made.text());
    await page.reload();
    await pageReady(page);
    const name = 'Rosa Penhale';
    await page.getByLabel('Person', { exact: true }).selectOption({ label: name });
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Supporter members' });
    await page.getByLabel('Joined on').fill('2026-01-05');
    await page.getByLabel('Share paid (£)').fill('5');
    await page.getByRole('button', { name: 'Add membership' }).click();
    await eventually(async () => /is now a member/.test(await page.locator('#add-member-message').innerText()),
      'the new membership is confirmed');
    const row = page.locator('#members-body tr', { hasText: name });
    assert.match(await row.innerText(), /Supporter members[\s\S]*£5\.00/);

    await row.getByRole('button', { name: `End the membership of ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'End a membership' });
    await dialog.getByLabel('Left on').fill('2025-12-31');
    await dialog.getByRole('button', { name: 'End membership' }).click();
    await eventually(async () => /before joined_on/.test(await dialog.locator('#end-left-on-error').innerText()),
      'a date before joining is refused next to the field');
    await dialog.getByLabel('Left on').fill('2026-06-30');
    await dialog.getByRole('button', { name: 'End membership' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByLabel('Show', { exact: true }).selectOption('former');
    await eventually(async () => /30 Jun 2026/.test(await page.locator('#members-body tr', { hasText: name }).innerText().catch(() => '')),
      'the ended membership is listed with former members');
  });
});

test('axe finds no serious or critical problems on the people and care pages', async () => {
  // axe is injected as an inline script, which the server's CSP blocks: this
  // one context bypasses CSP (every other test runs under it).
  const check = async (page, what) => {
    assert.deepEqual(await seriousAxeViolations(page), [], what);
  };
  await page$({ bypassCSP: true }, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.goto('/people.html');
    await pageReady(page);
    await page.locator('#carers-body tr').first().waitFor();
    await check(page, 'people: carers');
    await page.getByRole('tab', { name: 'People receiving care' }).click();
    await page.locator('#recipients-body tr').first().waitFor();
    await page.getByText('Add a person receiving care').click();
    await check(page, 'people: recipients, add form open');

    await page.goto(`/carer.html?id=${ids.carers.Ben}`);
    await pageReady(page);
    await page.locator('table.exceptions tbody tr').first().waitFor();
    await check(page, 'carer page (coordinator)');

    await page.goto(`/recipient.html?id=${ids.recipients.Margaret}`);
    await pageReady(page);
    await page.getByText('Add a visit to the care plan').click();
    await check(page, 'recipient page (coordinator)');
    await page.locator('.plan-table tbody tr').first().getByRole('button', { name: /^Change from a date/ }).click();
    await page.getByRole('dialog').waitFor();
    await check(page, 'recipient page, change dialog open');
    await page.keyboard.press('Escape');

    await page.goto('/import.html');
    await pageReady(page);
    await check(page, 'import page');
  });

  await page$({ bypassCSP: true }, async (page) => {
    await loginThroughForm(page, stack.byRole.admin);
    await page.goto('/members.html');
    await pageReady(page);
    await page.locator('#members-body tr').first().waitFor();
    await check(page, 'members page (admin)');
    await page.goto('/audit.html');
    await pageReady(page);
    await page.locator('#audit-body tr').first().waitFor();
    await check(page, 'audit log');
  });

  await page$({ bypassCSP: true, viewport: { width: 375, height: 812 } }, async (page) => {
    await loginThroughForm(page, account(stack, 'amira'));
    await page.goto('/availability.html');
    await pageReady(page);
    await check(page, 'availability page (carer, phone)');
    await page.goto('/care.html');
    await pageReady(page);
    await check(page, 'my people (carer)');
    await page.goto(`/recipient.html?id=${ids.recipients.Dorothy}`);
    await pageReady(page);
    await check(page, 'recipient page, not found');
  });

  await page$({ bypassCSP: true }, async (page) => {
    await loginThroughForm(page, account(stack, 'susan'));
    await page.goto(`/recipient.html?id=${ids.recipients.Margaret}`);
    await pageReady(page);
    await check(page, 'recipient page (family)');
  });
});

test('the new pages fit a 320 px wide screen', async () => {
  const pages = [
    [stack.byRole.coordinator, ['/people.html', `/carer.html?id=${ids.carers.Amira}`, `/recipient.html?id=${ids.recipients.Margaret}`, '/import.html']],
    [stack.byRole.admin, ['/members.html', '/audit.html']],
    [account(stack, 'amira'), ['/availability.html', '/care.html']],
  ];
  for (const [who, paths] of pages) {
    await page$({ viewport: { width: 320, height: 640 } }, async (page) => {
      await loginThroughForm(page, who);
      for (const path of paths) {
        await page.goto(path);
        await pageReady(page);
        const w = await pageWidths(page);
        assert.ok(w.scrollWidth <= w.clientWidth, `${path} (${who.email}): ${w.scrollWidth} > ${w.clientWidth}`);
      }
    });
  }
});
