// Browser tests for the rota: a coordinator creates next week's draft,
// solves it and reads the board both ways; reassigns visits from a list
// (a refused choice shows why, a good one is saved pinned); publishes and
// sees later changes; covers a carer off sick; a carer reads her week on a
// phone; and axe on both pages. Real Chromium, the real server and its demo
// co-op; only what a person would see or do (labels, buttons, text, the
// keyboard). The tests run in order and build on each other.
//
// Run: CARECOOP_BIN=build/dev/carecoop node --test tests/browser/rota.test.mjs
// (ctest does this: see CMakeLists.txt beside this file).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  account, apiGet, eventually, loginThroughForm, navLinks, pageReady, pageWidths,
  seriousAxeViolations, startStack, withPage,
} from './lib.mjs';

let stack;
let target; // the first week from next week on without a rota (the demo publishes this week and next)
let weekId = null; // its rota, once created

/** The co-op's local date (Europe/London), "YYYY-MM-DD". */
function londonToday() {
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Europe/London',
  }).formatToParts(new Date());
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function mondayOf(date) {
  const wd = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
  return addDays(date, -wd);
}

const thisMonday = mondayOf(londonToday());
const nextMonday = addDays(thisMonday, 7);

/** Whole weeks from one Monday to another. */
function weeksBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / (7 * 86400000));
}

/** A text as a regular expression that matches it literally. */
function esc(text) {
  return String(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "07:30" + 45 -> "08:15" */
function endOf(localStart, minutes) {
  const [h, m] = localStart.slice(11, 16).split(':').map(Number);
  const t = (h * 60 + m + minutes) % 1440;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

/** The visit's button text starts with its times: "07:30–08:15". */
function timesOf(v) {
  return `${v.local_start.slice(11, 16)}–${endOf(v.local_start, v.minutes)}`;
}

/** Day column (0 = Monday) of a visit in the week. */
function dayIndex(v, monday = target) {
  return Math.round((Date.parse(`${v.local_start.slice(0, 10)}T00:00:00Z`) - Date.parse(`${monday}T00:00:00Z`)) / 86400000);
}

/** POST with the page's session and CSRF token (to ask the API what it would say). */
async function apiPost(page, path, body) {
  const me = await apiGet(page, '/api/me');
  const res = await page.request.post(path, {
    data: body, headers: { 'X-CSRF-Token': me.body.csrf_token },
  });
  return { status: res.status(), body: await res.json().catch(() => null) };
}

async function board(page) {
  const reply = await apiGet(page, `/api/rota/weeks/${weekId}`);
  assert.equal(reply.status, 200);
  return reply.body;
}

/**
 * A visit with one carer needed and a carer on it, plus one carer the API
 * refuses because they are not available and one it accepts.
 */
async function findReassignment(page, b, skip = new Set()) {
  const carerIds = b.carers.map((c) => c.id);
  for (const v of b.visits) {
    if (v.carers_needed !== 1 || v.carers.length !== 1 || v.carers[0].pinned || skip.has(v.id)) continue;
    let unavailable = null;
    let good = null;
    for (const id of carerIds) {
      if (id === v.carers[0].id) continue;
      const r = (await apiPost(page, `/api/visits/${v.id}/check`, { carers: [id] })).body;
      if (r.ok && !good) good = id;
      if (!r.ok && !unavailable && r.reasons.some((x) => /not available/.test(x.reason))) unavailable = { id, reasons: r.reasons };
      if (good && unavailable) return { visit: v, good, unavailable };
    }
  }
  throw new Error('no visit with both a refused and an accepted other carer');
}

function knownAs(b, id) {
  return b.carers.find((c) => c.id === id).known_as;
}

/** The button for a visit in a carer's row of the "By carer" table. */
function chipInCarerRow(page, carer, v) {
  const row = page.locator('#board-carers-body tr')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${carer}\\b`) }) });
  return row.locator('td').nth(dayIndex(v)).getByRole('button', { name: new RegExp(`^${timesOf(v)} ${v.recipient.known_as}`) });
}

before(async () => {
  stack = await startStack();
  await withPage(stack, {}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    for (target = nextMonday; ; target = addDays(target, 7)) {
      const r = await apiGet(page, `/api/rota/weeks?start=${target}`);
      assert.equal(r.status, 200);
      if (r.body.weeks.length === 0) break;
    }
  });
});

after(async () => {
  await stack?.cleanup();
});

const page$ = (options, fn) => withPage(stack, options, fn);

test('a coordinator creates a new week\'s draft, solves it and reads the board both ways', { timeout: 120_000 }, async () => {
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rota' }).click();
    await page.waitForURL('**/rota.html*');
    await pageReady(page);

    // next Monday by default; "Next week" up to the first week without a rota
    const weekInput = page.getByLabel(/Week starting/);
    const status = page.locator('#week-status');
    assert.equal(await weekInput.inputValue(), nextMonday);
    for (let k = 0; k < weeksBetween(nextMonday, target); k += 1) {
      await page.getByRole('button', { name: 'Next week' }).click();
    }
    await eventually(async () => (await weekInput.inputValue()) === target, `the week of ${target}`);
    await eventually(async () => /no rota yet/.test(await status.innerText()), 'that week has no rota yet');
    await page.getByRole('button', { name: 'Create draft rota' }).click();
    await eventually(async () => /draft, not yet published/.test(await status.innerText()), 'the draft is shown');
    const weeks = await apiGet(page, `/api/rota/weeks?start=${target}`);
    assert.equal(weeks.body.weeks.length, 1);
    weekId = weeks.body.weeks[0].id;
    let b = await board(page);
    assert.ok(b.visits.length > 50, `the demo plans give many visits (${b.visits.length})`);
    assert.equal(await page.locator('#fig-visits').innerText(), String(b.visits.length));
    assert.match(await page.locator('#uncovered-heading').innerText(), /Needs a carer: \d+ visits/,
      'before solving, every visit needs a carer');

    // the week after has no rota either; "Previous week" comes back
    await page.getByRole('button', { name: 'Next week' }).click();
    await eventually(async () => (await weekInput.inputValue()) === addDays(target, 7), 'a week on');
    await eventually(async () => /no rota yet/.test(await status.innerText()), 'the week after has no rota');
    assert.ok(await page.getByRole('button', { name: 'Create draft rota' }).isVisible());
    await page.getByRole('button', { name: 'Previous week' }).click();
    await eventually(async () => /draft/.test(await status.innerText()), 'back to the draft');
    assert.ok(page.url().includes(`week=${target}`), 'the week is in the address');

    // Solve: a progress bar while it runs, then the solved board
    await page.getByRole('button', { name: 'Solve' }).click();
    const progress = page.getByRole('progressbar');
    await progress.waitFor({ state: 'visible' });
    await eventually(async () => /^Solved/.test(await page.locator('#solve-status').innerText()),
      'the solve finishes', 60_000);
    assert.ok(await progress.isHidden(), 'the progress bar is gone');
    b = await board(page);
    assert.equal(b.week.solve.status, 'done');

    // Figures as the API gives them
    assert.equal(await page.locator('#fig-uncovered').innerText(), String(b.figures.uncovered_places));
    assert.equal(await page.locator('#fig-max').innerText(), String(b.figures.max_distinct_carers));
    assert.match(await page.locator('#fig-team').innerText(), new RegExp(`^${Math.round(b.figures.team_share * 100)} %$`));

    // By carer: a row for every carer, each carer's visits in their row
    await page.getByRole('tab', { name: 'By carer' }).click();
    const carerRows = page.locator('#board-carers-body tr');
    const open = b.visits.filter((v) => v.status !== 'cancelled' && v.uncovered > 0);
    assert.equal(await carerRows.count(), b.carers.length + (open.length ? 1 : 0));
    const busiest = [...b.carers].sort((x, y) => y.visits - x.visits)[0];
    const row = carerRows.filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${busiest.known_as}\\b`) }) });
    assert.equal(await row.locator('.chip').count(), busiest.visits, `${busiest.known_as}'s visits in her row`);
    const assigned = b.visits.reduce((n, v) => n + v.carers.length, 0);
    assert.equal(await page.locator('#board-carers-body tr:not(.board__row--need) .chip').count(), assigned);

    // Uncovered visits: listed at the top and marked in words, not by colour alone
    if (open.length) {
      assert.match(await page.locator('#uncovered-heading').innerText(), new RegExp(`${open.length} visit`));
      assert.equal(await page.locator('#uncovered-list li').count(), open.length);
      assert.match(await page.locator('#uncovered-list li').first().innerText(), /Needs a carer/);
    } else {
      assert.ok(await page.getByText('Every visit has all the carers it needs.').isVisible());
    }

    // By person: a row for every person receiving care, with the carers' names
    await page.getByRole('tab', { name: 'By person' }).click();
    const people = new Set(b.visits.map((v) => v.recipient.id));
    const personRows = page.locator('#board-people-body tr');
    assert.equal(await personRows.count(), people.size);
    assert.equal(await page.locator('#board-people-body .chip').count(), b.visits.length);
    const v = b.visits.find((x) => x.carers.length === 1);
    const cell = personRows.filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${v.recipient.known_as}\\b`) }) })
      .locator('td').nth(dayIndex(v));
    assert.match(await cell.innerText(), new RegExp(`${timesOf(v)}\\s+${v.carers[0].known_as}`));
    assert.ok(page.url().endsWith('#by-person'), 'the chosen view is kept in the address');
  });
});

test('a coordinator reassigns a visit: a refused carer shows why, a good one is saved and pinned', async () => {
  assert.ok(weekId, 'needs the solved week');
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.goto(`/rota.html?week=${target}#by-carer`);
    await pageReady(page);
    const b = await board(page);
    const { visit: v, good, unavailable } = await findReassignment(page, b);
    const current = v.carers[0];

    // open it from the current carer's row, with the keyboard
    const chip = chipInCarerRow(page, current.known_as, v);
    await chip.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.getByRole('heading', { level: 2 }).innerText(),
      new RegExp(`^${v.recipient.known_as}, .*${timesOf(v)}$`));
    // why this carer: the API's reason is on the visit's panel
    assert.ok(current.reason, 'the solver gives a reason');
    assert.match(await dialog.locator('#visit-carers').innerText(),
      new RegExp(`${current.known_as}: ${esc(current.reason)}`));

    // an unavailable carer: the reasons show as soon as she is chosen ...
    const pick = dialog.getByLabel('Carer', { exact: true });
    await pick.selectOption({ label: knownAs(b, unavailable.id) });
    const check = dialog.locator('#visit-check');
    await eventually(async () => /not available/.test(await check.innerText()), 'the live check says why');
    for (const r of unavailable.reasons) assert.match(await check.innerText(), new RegExp(esc(r.reason)));
    // ... and Save is refused, with the reasons
    await dialog.getByRole('button', { name: 'Save and pin' }).click();
    const alert = dialog.locator('#visit-message');
    await eventually(async () => /Not saved/.test(await alert.innerText()), 'the refusal is shown');
    assert.match(await alert.innerText(), /not available/);
    assert.ok(await dialog.isVisible(), 'the dialog stays open');
    let after = (await board(page)).visits.find((x) => x.id === v.id);
    assert.deepEqual(after.carers.map((c) => c.id), [current.id], 'nothing changed');

    // a carer who can: the check says so and Save pins her
    await pick.selectOption({ label: knownAs(b, good) });
    await eventually(async () => /can do this visit/.test(await check.innerText()), 'the live check agrees');
    await dialog.getByRole('button', { name: 'Save and pin' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(async () => /^Saved:/.test(await page.locator('#solve-status').innerText()), 'the save is confirmed');
    after = (await board(page)).visits.find((x) => x.id === v.id);
    assert.deepEqual(after.carers.map((c) => [c.id, c.pinned]), [[good, true]]);

    const moved = chipInCarerRow(page, knownAs(b, good), v);
    await moved.waitFor();
    assert.match(await moved.innerText(), /Pinned/, 'the pin marker shows');
    assert.equal(await chipInCarerRow(page, current.known_as, v).count(), 0, 'gone from the old carer');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.visit), String(v.id),
      'focus is back on the visit');
  });
});

test('a coordinator publishes, and a later change is listed under "Changes since publishing"', async () => {
  assert.ok(weekId, 'needs the solved week');
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.goto(`/rota.html?week=${target}`);
    await pageReady(page);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await eventually(async () => /Published: version 1/.test(await page.locator('#publish-state').innerText()),
      'version 1 shows');
    assert.match(await page.locator('#week-status').innerText(), /published, version 1/);
    assert.equal((await board(page)).week.version, 1);
    const changes = page.getByRole('region', { name: 'Changes since publishing' });
    await changes.waitFor();
    assert.match(await changes.innerText(), /Nothing has changed/);

    const b = await board(page);
    const pinned = new Set(b.visits.filter((v) => v.carers.some((c) => c.pinned)).map((v) => v.id));
    const { visit: v, good } = await findReassignment(page, b, pinned);
    await chipInCarerRow(page, v.carers[0].known_as, v).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Carer', { exact: true }).selectOption({ label: knownAs(b, good) });
    await eventually(async () => /can do this visit/.test(await dialog.locator('#visit-check').innerText()), 'checked');
    await dialog.getByRole('button', { name: 'Save and pin' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const rows = changes.locator('tbody tr');
    await eventually(async () => (await rows.count()) === 1, 'one change is listed');
    const text = await rows.first().innerText();
    assert.match(text, new RegExp(`${timesOf(v)}, ${v.recipient.known_as}`));
    assert.match(text, new RegExp(knownAs(b, good)));
    assert.match(text, /coordinator@carecoop\.example/);
    const api = await apiGet(page, `/api/rota/weeks/${weekId}/changes`);
    assert.equal(api.body.changes.length, 1);
    assert.equal(api.body.changes[0].visit_id, v.id);

    // the hours export and the printable view
    const hours = await page.getByRole('link', { name: 'Hours for this week (CSV)' }).getAttribute('href');
    const csv = await page.request.get(hours);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^carer_id,name,week_start,visits,visit_minutes,travel_minutes,contract_minutes/);
    await page.getByRole('link', { name: 'Print view' }).click();
    await page.waitForURL('**print=1*');
    await pageReady(page);
    await page.getByRole('heading', { level: 2, name: /Rota by carer \(published, version 1\)/ }).waitFor();
    assert.equal(await page.locator('.print-carer h3').count(), b.carers.length + (b.visits.some((x) => x.uncovered > 0) ? 1 : 0));
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.getByRole('navigation', { name: 'Main' }).isHidden(), 'no navigation on paper');
    assert.ok(await page.getByRole('button', { name: 'Print' }).isHidden(), 'no buttons on paper');
    assert.ok(await page.locator('.print-table').first().isVisible());
  });
});

test('a coordinator covers a carer off sick and sees every change', async () => {
  assert.ok(weekId, 'needs the published week');
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.goto(`/rota.html?week=${target}`);
    await pageReady(page);
    const b = await board(page);
    // a carer with unpinned visits on the Wednesday
    const wednesday = addDays(target, 2);
    const carer = b.carers.find((c) => b.visits.some((v) => v.local_start.startsWith(wednesday)
      && v.carers.some((a) => a.id === c.id && !a.pinned)));
    const theirs = b.visits.filter((v) => v.local_start.startsWith(wednesday) && v.carers.some((a) => a.id === carer.id));

    const form = page.getByRole('region', { name: 'Carer off sick' });
    await form.getByLabel('Carer').selectOption({ label: carer.known_as });
    await form.getByLabel('From').fill(`${wednesday}T00:00`);
    await form.getByLabel('Until').fill(`${addDays(wednesday, 1)}T00:00`);
    await form.getByRole('button', { name: 'Find cover' }).click();
    const rows = form.locator('#cover-body tr');
    await eventually(async () => (await rows.count()) === theirs.length, `one row per visit of ${carer.known_as} that day`);
    const text = await form.locator('#cover-body').innerText();
    for (const v of theirs) assert.match(text, new RegExp(v.recipient.known_as));
    assert.match(await form.locator('#cover-summary').innerText(), /changed/);
    // more than 24 hours ahead: nothing waits for a confirmation
    assert.ok(await form.getByRole('button', { name: 'Confirm these' }).isHidden());
    const after = await board(page);
    for (const v of theirs) {
      const now = after.visits.find((x) => x.id === v.id);
      assert.ok(!now.carers.some((a) => a.id === carer.id), `${carer.known_as} is off the ${timesOf(v)} visit`);
    }
  });
});

test('a carer reads her published week on a phone, with addresses and tasks', async () => {
  assert.ok(weekId, 'needs the published week');
  // the carer with the most visits in the published rota
  let who;
  await page$({}, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    const b = await board(page);
    who = [...b.carers].sort((x, y) => y.visits - x.visits)[0];
  });
  const carer = account(stack, who.known_as.toLowerCase());
  await page$({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }, async (page) => {
    await loginThroughForm(page, carer);
    assert.ok((await navLinks(page)).includes('My calendar'));
    await page.getByRole('link', { name: 'My calendar' }).click();
    await page.waitForURL('**/calendar.html');
    await pageReady(page);
    await page.getByRole('heading', { level: 1, name: 'My calendar' }).waitFor();
    // this week first, as the API has it (the demo publishes this week)
    assert.match(await page.locator('#week-heading').innerText(), /^This week/);
    const now = (await apiGet(page, `/api/me/visits?week=${thisMonday}`)).body;
    if (now.published) {
      await eventually(async () => (await page.locator('.visit-card').count()) === now.visits.length,
        'this week\'s visits');
    } else {
      await eventually(async () => /not been published yet/.test(await page.locator('#week-note').innerText()),
        'an unpublished week says so');
    }

    // on to the week the coordinator has just published
    for (let k = 0; k < weeksBetween(thisMonday, target); k += 1) {
      await page.getByRole('button', { name: 'Next week' }).click();
    }
    await eventually(async () => page.url().includes(`week=${target}`), 'the published week');
    const mine = (await apiGet(page, `/api/me/visits?week=${target}`)).body;
    assert.ok(mine.published !== false, 'the API calls it published');
    assert.ok(mine.visits.length > 0, `${who.known_as} has visits`);
    const cards = page.locator('.visit-card');
    await eventually(async () => (await cards.count()) === mine.visits.length, 'one card per visit');
    assert.ok(await page.locator('#week-note').isHidden(), 'no "not published" note');
    if (weeksBetween(thisMonday, target) === 1) {
      assert.match(await page.locator('#week-heading').innerText(), /^Next week/);
    }

    const first = [...mine.visits].sort((x, y) => x.local_start.localeCompare(y.local_start))[0];
    const card = cards.first();
    const text = await card.innerText();
    assert.match(text, new RegExp(timesOf(first)));
    assert.match(text, new RegExp(first.recipient.known_as));
    assert.match(text, new RegExp(esc(first.recipient.address.split(',')[0])));
    assert.match(text, new RegExp(esc(first.tasks.split(',')[0])));
    const dayHeading = page.getByRole('heading', { level: 3 }).first();
    assert.match(await dayHeading.innerText(), /^Monday/);

    // a double-up names who else comes
    const double = mine.visits.find((v) => v.with.length > 0);
    if (double) {
      const other = page.locator('.my-day').nth(dayIndex(double))
        .locator('.visit-card').filter({ hasText: timesOf(double) }).filter({ hasText: double.recipient.known_as });
      assert.match(await other.innerText(), new RegExp(`With\\s+${double.with[0]}`));
    }
    // totals
    const totals = await page.getByRole('list', { name: 'Totals for the week' }).innerText();
    assert.match(totals, new RegExp(`${mine.visits.length} visits`));
    assert.match(totals, /Travel/);
    assert.match(totals, /Contract/);

    const w = await pageWidths(page);
    assert.ok(w.scrollWidth <= w.clientWidth, `no sideways scrolling: ${w.scrollWidth} > ${w.clientWidth}`);

    // the week after has no published rota: said plainly
    await page.getByRole('button', { name: 'Next week' }).click();
    await eventually(async () => /not been published yet/.test(await page.locator('#week-note').innerText()),
      'an unpublished week says so');
    assert.equal(await cards.count(), 0);
    await page.getByRole('button', { name: 'Previous week' }).click();
    await eventually(async () => (await cards.count()) === mine.visits.length, 'back to the published week');
  });
});

test('axe finds no serious or critical problems on the rota board and a carer\'s week', async () => {
  assert.ok(weekId, 'needs the published week');
  await page$({ bypassCSP: true }, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await page.goto(`/rota.html?week=${target}#by-carer`);
    await pageReady(page);
    await page.locator('#board-carers-body tr').first().waitFor();
    assert.deepEqual(await seriousAxeViolations(page), [], 'rota board, by carer');
    await page.getByRole('tab', { name: 'By person' }).click();
    assert.deepEqual(await seriousAxeViolations(page), [], 'rota board, by person');
    await page.locator('#board-people-body .chip').first().click();
    await page.getByRole('dialog').waitFor();
    assert.deepEqual(await seriousAxeViolations(page), [], 'a visit open');
    await page.getByRole('button', { name: 'Close' }).click();

    await page.goto(`/rota.html?week=${addDays(target, 7)}`);
    await pageReady(page);
    await page.getByRole('button', { name: 'Create draft rota' }).waitFor();
    assert.deepEqual(await seriousAxeViolations(page), [], 'a week without a rota');
  });
  await page$({ bypassCSP: true, viewport: { width: 375, height: 812 } }, async (page) => {
    await loginThroughForm(page, account(stack, 'amira'));
    await page.goto(`/calendar.html?week=${target}`);
    await pageReady(page);
    assert.deepEqual(await seriousAxeViolations(page), [], 'a carer\'s week');
    await page.goto(`/calendar.html?week=${addDays(target, 7)}`);
    await pageReady(page);
    await page.locator('#week-note').waitFor();
    assert.deepEqual(await seriousAxeViolations(page), [], 'an unpublished week');
  });
});
