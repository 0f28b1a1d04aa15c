// Calendar feeds (issue 5), end to end and without a browser: the real
// server on a fresh demo co-op; every feed that `carecoop feeds` lists is
// fetched over HTTP, parsed with an independent parser (ical.js) and compared
// event by event with what the API says about the published rota (the board
// of every published week, the care plans for the UIDs). Also the raw text
// (RFC 5545: CRLF, folding at 75 octets on UTF-8 character boundaries, TEXT
// escaping, the calendar properties, a VTIMEZONE for every TZID), the HTTP
// side (content type, ETag, Last-Modified, 304s, 404s for wrong, revoked and
// regenerated tokens), privacy by default, and what a cancellation, a
// reassignment, a change of address and the co-op's feed settings do.
//
// The scenario: a person receiving care whose names hold commas, semicolons,
// a backslash and non-ASCII letters, with a visit across midnight every day,
// a visit at 01:30 on Sundays (in the weeks of 2027-03-22 and 2027-10-25:
// 01:30 does not exist in Europe/London on 2027-03-28 and happens twice on
// 2027-10-31), weekday visits and a double-up; two demo carers are made
// available round the clock and assigned by hand (Amira the nights, Kasia
// the rest, including the Sunday nights that end in the next week; the
// October double-up keeps its second place open); both weeks are
// published. The weeks are in the future so that the test does not rot.
//
// Instants: ical.js reads a local time that happens twice as its second
// occurrence; RFC 5545 says the first. rfcInstant() resolves every DTSTART
// and DTEND the RFC's way, with the zone ical.js built from the feed's own
// VTIMEZONE; the expected instants come from the API's starts_at, which is
// itself checked against Node's time zone data and against hard-coded
// truths for the DST Sundays.
//
// The tests run in order and build on each other.
//
// Run: CARECOOP_BIN=build/dev/carecoop node --test tests/browser/feeds.test.mjs
// (ctest runs it as feeds_ical: see CMakeLists.txt beside this file).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import ICAL from 'ical.js';
import {
  apiLogin, carecoopBin, makeTempDir, randomPassword, removeTempDir, runDemo, startServer,
} from './lib.mjs';

const execFileP = promisify(execFile);
const ZONE = 'Europe/London';
const DAY = 86400;
const HISTORY_S = 35 * DAY; // past visits a feed keeps (src/core/feed.h)
const MARCH = '2027-03-22';
const OCTOBER = '2027-10-25';

// The person receiving care of the scenario, and their plan.
const Z = {
  full_name: "Zoë O'Brien-Ångström; Smith, Jr",
  known_as: 'Zoë; Jo, Ann',
  area: 'Sharpham; Ashprington, Båthouse',
  address: 'Flat 1; Old Mill, 5 Quay Road\\Rear, Totnes',
  lat: 50.4101,
  lon: -3.6702,
};
const NEW_AREA = 'Tuckenhay, Bow Creek; Cornworthy';
const PLAN = {
  night: { days: [1, 2, 3, 4, 5, 6, 7], start: '23:30', minutes: 60, carers: 1, skills: [],
    tasks: 'Night check; turn, fluids', valid_from: '2027-01-04' },
  early: { days: [7], start: '01:30', minutes: 60, carers: 1, skills: [],
    tasks: 'Early check, pad change', valid_from: '2027-01-04' },
  morning: { days: [1, 2, 3, 4, 5], start: '09:00', minutes: 45, carers: 1, skills: [],
    tasks: 'Insulin, 10 units; check feet\nBlood sugar log \\ diary', valid_from: '2027-01-04' },
  double: { days: [3], start: '14:00', minutes: 60, carers: 2, skills: [],
    // Long and mostly non-ASCII (2-, 3- and 4-byte UTF-8): its DESCRIPTION
    // line must be folded, and never inside a character.
    tasks: 'Hoist; bath — żurek, pierogi “z Łodzi” 🙂 ąęłńóśźż ĄĘŁŃÓŚŹŻ ąęłńóśźż ĄĘŁŃÓŚŹŻ ąęłńóśźż',
    valid_from: '2027-01-04' },
};

let dir;
let db;
let password;
let accounts;
let server;
let coord; // coordinator's API client
const s = {}; // what the tests learn and build on

// ---- small helpers -------------------------------------------------------------

const base = () => server.url;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The API call must answer with one of the statuses; its body otherwise. */
async function must(client, method, p, data, ok = [200, 201]) {
  const r = await client.call(method, p, data);
  if (!ok.includes(r.status)) {
    throw new Error(`${method} ${p} as ${client.email}: expected HTTP ${ok.join(' or ')}, got ${r.status}: ${r.text}`);
  }
  return r.body;
}

/** A signed-in API client of the demo account, for the server now running. */
const clients = new Map();
async function clientOf(email) {
  const key = `${base()} ${email}`;
  if (!clients.has(key)) clients.set(key, await apiLogin(base(), accountByEmail(email)));
  return clients.get(key);
}

function accountByEmail(email) {
  const a = accounts.find((x) => x.email === email);
  if (!a) throw new Error(`no demo account ${email}`);
  return a;
}

/** Fails listing every problem found, not only the first. */
function noProblems(problems, what) {
  if (problems.length) {
    const shown = problems.slice(0, 40).join('\n  ');
    assert.fail(`${what}: ${problems.length} problem(s):\n  ${shown}${problems.length > 40 ? '\n  …' : ''}`);
  }
}

/** RFC 5545 section 3.3.11 escaping of a TEXT value. */
function escapeText(t) {
  return t.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

const wallFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** The wall-clock time in London of UTC seconds t, as "YYYYMMDDTHHMMSS" (Node's ICU data). */
function londonWall(t) {
  const p = Object.fromEntries(wallFmt.formatToParts(new Date(t * 1000)).map((x) => [x.type, x.value]));
  return `${p.year}${p.month}${p.day}T${p.hour}${p.minute}${p.second}`;
}

/**
 * Is t the second instant with its London wall-clock time (the repeated
 * hour when the clocks go back)? RFC 5545 reads such a local time as its
 * first occurrence, so a feed must write t in UTC instead.
 */
function inRepeatedHour(t) {
  return londonWall(t - 3600) === londonWall(t);
}

/** "YYYYMMDDTHHMMSS" read as if it were UTC: seconds. */
function basicAsUtc(b) {
  return Date.UTC(+b.slice(0, 4), +b.slice(4, 6) - 1, +b.slice(6, 8), +b.slice(9, 11),
    +b.slice(11, 13), +b.slice(13, 15)) / 1000;
}

/**
 * A local London time "YYYY-MM-DDTHH:MM" as UTC seconds the way RFC 5545
 * section 3.3.5 reads it: a time that happens twice means its first
 * occurrence; a time in the spring gap is moved forward by the gap.
 */
function londonLocalToUtc(local) {
  const b = `${local.slice(0, 4)}${local.slice(5, 7)}${local.slice(8, 10)}T${local.slice(11, 13)}${local.slice(14, 16)}00`;
  const asUtc = basicAsUtc(b);
  const valid = [3600, 0].map((o) => asUtc - o).filter((t) => londonWall(t) === b);
  if (valid.length) return Math.min(...valid);
  const before = asUtc - 12 * 3600;
  return asUtc - (basicAsUtc(londonWall(before)) - before);
}

/**
 * The instant (UTC seconds) of an ical.js time, resolved with the time zone
 * ical.js built from the feed's own VTIMEZONE, by RFC 5545 section 3.3.5.
 * ical.js itself reads a local time that happens twice as the second
 * occurrence (standard time), the RFC says the first; a time in the spring
 * gap moves forward by the gap. UTC conversions in ical.js are unambiguous,
 * so each candidate instant is checked by converting it back.
 */
function rfcInstant(time) {
  if (time.zone === ICAL.Timezone.utcTimezone) return time.toUnixTime();
  const local = time.toString(); // "YYYY-MM-DDTHH:MM:SS"
  const asUtc = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second) / 1000;
  const wallOf = (t) => {
    const u = ICAL.Time.fromJSDate(new Date(t * 1000), true);
    return u.convertToZone(time.zone).toString();
  };
  const offsetAt = (t) => {
    const w = ICAL.Time.fromDateTimeString(wallOf(t));
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000 - t;
  };
  const offsets = new Set([offsetAt(asUtc - DAY), offsetAt(asUtc + DAY), offsetAt(asUtc)]);
  const valid = [...offsets].map((o) => asUtc - o).filter((t) => wallOf(t) === local);
  if (valid.length) return Math.min(...valid);
  return asUtc - offsetAt(asUtc - DAY); // in a gap: the offset before it
}

function isoZ(t) {
  return new Date(t * 1000).toISOString().replace('.000', '');
}

/** Compare names as SQLite does (bytes of UTF-8), then ids. */
function byName(a, b) {
  return Buffer.compare(Buffer.from(a.known_as), Buffer.from(b.known_as)) || a.id - b.id;
}

// ---- fetching and reading feeds ------------------------------------------------

async function fetchFeed(p, headers = {}, method = 'GET') {
  const res = await fetch(`${base()}${p}`, { method, headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8') };
}

async function getFeed(feed) {
  const r = await fetchFeed(feed.path);
  if (r.status !== 200) {
    throw new Error(`GET ${feed.label}: expected 200, got ${r.status}: ${r.text.slice(0, 300)}`);
  }
  let cal;
  try {
    cal = new ICAL.Component(ICAL.parse(r.text));
  } catch (err) {
    throw new Error(`${feed.label}: ical.js could not parse the feed: ${err.message}`);
  }
  const raw = readRaw(r.bytes, feed.label);
  return { ...r, cal, raw, events: cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c)) };
}

/** Splits one unfolded content line into name, parameters and value. */
function contentLine(line) {
  let i = 0;
  while (i < line.length && line[i] !== ';' && line[i] !== ':') i++;
  const name = line.slice(0, i).toUpperCase();
  const params = {};
  while (line[i] === ';') {
    let j = ++i;
    while (line[j] !== '=') j++;
    const key = line.slice(i, j).toUpperCase();
    let k = j + 1;
    let quoted = false;
    while (k < line.length && (quoted || (line[k] !== ';' && line[k] !== ':'))) {
      if (line[k] === '"') quoted = !quoted;
      k++;
    }
    params[key] = line.slice(j + 1, k);
    i = k;
  }
  return { name, params, value: line.slice(i + 1) };
}

/**
 * The raw text, checked against RFC 5545 sections 3.1 (CRLF, lines of at
 * most 75 octets, folding that never splits a UTF-8 character) and read
 * into components of raw (still escaped) content lines.
 */
function readRaw(bytes, label) {
  const problems = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && (i === 0 || bytes[i - 1] !== 0x0d)) { problems.push(`bare LF at byte ${i}`); break; }
    if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) { problems.push(`bare CR at byte ${i}`); break; }
  }
  if (bytes.length < 2 || bytes[bytes.length - 2] !== 0x0d || bytes[bytes.length - 1] !== 0x0a) {
    problems.push('the feed does not end with CRLF');
  }
  const physical = [];
  let start = 0;
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      physical.push(bytes.subarray(start, i));
      start = i + 2;
      i++;
    }
  }
  const strict = new TextDecoder('utf-8', { fatal: true });
  const lines = [];
  physical.forEach((b, n) => {
    if (b.length > 75) problems.push(`line ${n + 1} is ${b.length} octets long (at most 75): ${b.toString('utf8')}`);
    if (b.length === 0) problems.push(`line ${n + 1} is empty`);
    const continuation = b[0] === 0x20 || b[0] === 0x09;
    if (continuation && b.length > 1 && (b[1] & 0xc0) === 0x80) {
      problems.push(`line ${n + 1} continues inside a UTF-8 character (byte 0x${b[1].toString(16)} after the space)`);
    }
    try {
      strict.decode(b);
    } catch {
      problems.push(`line ${n + 1} is not whole UTF-8 on its own (a fold split a character?): ` +
        `${JSON.stringify(b.toString('utf8'))} ends ${b.subarray(-4).toString('hex')}` +
        `${n + 1 < physical.length ? `, next line starts ${physical[n + 1].subarray(0, 4).toString('hex')}` : ''}`);
    }
    const text = b.toString('utf8');
    if (continuation) {
      if (!lines.length) problems.push('the first line is a continuation');
      else lines[lines.length - 1] += text.slice(1);
    } else {
      lines.push(text);
    }
  });
  // Components of content lines.
  const root = { name: 'ROOT', props: [], children: [] };
  const stack = [root];
  for (const l of lines) {
    const c = contentLine(l);
    if (c.name === 'BEGIN') {
      const comp = { name: c.value.toUpperCase(), props: [], children: [] };
      stack[stack.length - 1].children.push(comp);
      stack.push(comp);
    } else if (c.name === 'END') {
      const top = stack.pop();
      if (!top || top.name !== c.value.toUpperCase()) problems.push(`END:${c.value} does not close ${top?.name}`);
    } else {
      stack[stack.length - 1].props.push(c);
    }
  }
  if (stack.length !== 1) problems.push('unclosed components');
  if (root.props.length || root.children.length !== 1 || root.children[0].name !== 'VCALENDAR') {
    problems.push('the feed is not exactly one VCALENDAR');
  }
  if (lines[0] !== 'BEGIN:VCALENDAR') problems.push(`the first line is ${lines[0]}`);
  noProblems(problems, `${label}: raw text`);
  const vcal = root.children[0];
  const events = vcal.children.filter((c) => c.name === 'VEVENT');
  const byUid = new Map();
  for (const e of events) {
    const uid = e.props.find((p) => p.name === 'UID')?.value;
    byUid.set(uid, e);
  }
  return { lines, vcal, events, byUid };
}

const rawProp = (comp, name) => comp.props.filter((p) => p.name === name);

// ---- what the API says ---------------------------------------------------------

/** Every visit of every published week, with its UID worked out from the care plan. */
async function publishedVisits() {
  const { weeks } = await must(coord, 'GET', '/api/rota/weeks');
  const visits = [];
  for (const w of weeks.filter((x) => x.status === 'published')) {
    const b = await must(coord, 'GET', `/api/rota/weeks/${w.id}`);
    visits.push(...b.visits);
  }
  const recipients = new Map();
  for (const id of new Set(visits.map((v) => v.recipient.id))) {
    recipients.set(id, (await must(coord, 'GET', `/api/recipients/${id}`)).recipient);
  }
  for (const v of visits) {
    const r = recipients.get(v.recipient.id);
    const date = v.local_start.slice(0, 10);
    const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    // A plan time in the spring gap comes back moved (01:30 -> 02:30): match
    // the plan line by the instant its time means on that day.
    const lines = r.plan.filter((l) => londonLocalToUtc(`${date}T${l.start}`) === v.starts_at && l.minutes === v.minutes &&
      l.days.includes(weekday) && l.valid_from <= date && (l.valid_to === null || date <= l.valid_to));
    if (lines.length !== 1) {
      throw new Error(`visit ${v.id} (${v.local_start}, ${v.recipient.known_as}) matches ${lines.length} plan lines, cannot work out its UID`);
    }
    v.uid = `visit-${lines[0].id}-${date}@carecoop`;
    v.address = r.address ?? '';
  }
  return visits;
}

/** The visits a feed should show, by the rules of schema 007 and src/core/feed.c. */
function visitsOf(feed, visits) {
  const since = Math.floor(Date.now() / 1000 / DAY) * DAY - HISTORY_S;
  return visits.filter((v) => v.starts_at >= since && (
    feed.kind === 'coordinator' ||
    (feed.kind === 'carer' && v.carers.some((c) => c.id === feed.personId)) ||
    (feed.kind === 'recipient' && v.recipient.id === feed.personId)));
}

/** What the event of visit v says in a feed (src/core/feed.c, by the co-op's settings). */
function expectedText(feed, v, settings) {
  const carers = [...v.carers].sort(byName);
  let who = carers.map((c) => c.known_as).join(' and ');
  if (carers.length === 0) who = 'carer to be confirmed';
  else if (carers.length < v.carers_needed) who += ' (second carer to be confirmed)';
  let place = '';
  if (settings.location === 'address' && v.address) place = v.address;
  else if (settings.location !== 'none' && v.recipient.area) place = v.recipient.area;
  let summary;
  let location = '';
  let description = '';
  if (feed.kind === 'carer') {
    summary = `Visit: ${v.recipient.known_as}`;
    location = place;
    for (const c of carers) if (c.id !== feed.personId) description += `Double-up visit with ${c.known_as}.`;
    if (v.carers_needed > 1 && carers.length < 2) description += 'Double-up visit: second carer to be confirmed.';
  } else if (feed.kind === 'recipient') {
    summary = `Care visit: ${who}`;
  } else {
    summary = `${v.recipient.known_as}: ${who}`;
    location = place;
  }
  if (settings.include_tasks && feed.kind !== 'recipient' && v.tasks) {
    description += `${description ? '\n' : ''}Tasks: ${v.tasks}`;
  }
  if (v.status === 'cancelled') summary += ' (cancelled)';
  return { summary, location, description };
}

/**
 * Every difference between a parsed feed and the visits the API reports,
 * as readable lines (empty when the feed is right).
 */
function compareFeed(feed, got, visits, settings, { instants = true } = {}) {
  const problems = [];
  const expected = visitsOf(feed, visits);
  const byUid = new Map();
  for (const e of got.events) {
    if (byUid.has(e.uid)) problems.push(`UID ${e.uid} appears twice`);
    byUid.set(e.uid, e);
  }
  const wanted = new Set(expected.map((v) => v.uid));
  for (const uid of byUid.keys()) if (!wanted.has(uid)) problems.push(`event ${uid} should not be in this feed`);
  for (const v of expected) {
    const at = `${v.uid} (${v.local_start}, ${v.recipient.known_as})`;
    const e = byUid.get(v.uid);
    if (!e) { problems.push(`${at}: missing`); continue; }
    const start = rfcInstant(e.startDate);
    const end = rfcInstant(e.endDate);
    if (instants && start !== v.starts_at) problems.push(`${at}: DTSTART is ${isoZ(start)} (${e.startDate}), the visit starts ${isoZ(v.starts_at)}`);
    if (instants && end !== v.starts_at + 60 * v.minutes) {
      problems.push(`${at}: DTEND is ${isoZ(end)} (${e.endDate} ${ZONE}), the visit ends ${isoZ(v.starts_at + 60 * v.minutes)}`);
    }
    // Local time in the feed's own zone, except an instant in the repeated
    // autumn hour, which no London wall-clock time names: that one in UTC.
    for (const [which, t, instant] of [['DTSTART', e.startDate, v.starts_at],
      ['DTEND', e.endDate, v.starts_at + 60 * v.minutes]]) {
      if (inRepeatedHour(instant)) {
        if (t.zone !== ICAL.Timezone.utcTimezone) {
          problems.push(`${at}: ${which} falls in the repeated hour and must be written in UTC (zone ${t.zone?.tzid})`);
        }
      } else if (t.zone?.tzid !== ZONE || !t.zone.component) {
        problems.push(`${at}: ${which} is not in the feed's own ${ZONE} VTIMEZONE (zone ${t.zone?.tzid})`);
      }
    }
    // The wall clock written must be London's at that instant (Node's ICU data).
    const rawEv = got.raw.byUid.get(v.uid);
    const rawStart = rawProp(rawEv, 'DTSTART')[0]?.value;
    if (!inRepeatedHour(v.starts_at) && rawStart !== londonWall(v.starts_at)) {
      problems.push(`${at}: DTSTART is written ${rawStart}; London's clock then reads ${londonWall(v.starts_at)}`);
    }
    const want = expectedText(feed, v, settings);
    if (e.summary !== want.summary) problems.push(`${at}: SUMMARY ${JSON.stringify(e.summary)}, expected ${JSON.stringify(want.summary)}`);
    if ((e.location ?? '') !== want.location) problems.push(`${at}: LOCATION ${JSON.stringify(e.location)}, expected ${JSON.stringify(want.location)}`);
    if ((e.description ?? '') !== want.description) {
      problems.push(`${at}: DESCRIPTION ${JSON.stringify(e.description)}, expected ${JSON.stringify(want.description)}`);
    }
    // The same texts, escaped as RFC 5545 section 3.3.11 says, in the raw text.
    for (const [name, value] of [['SUMMARY', want.summary], ['LOCATION', want.location], ['DESCRIPTION', want.description]]) {
      const props = rawProp(rawEv, name);
      if (value === '' ? props.length !== 0 : (props.length !== 1 || props[0].value !== escapeText(value))) {
        problems.push(`${at}: raw ${name} is ${JSON.stringify(props.map((p) => p.value))}, expected ${JSON.stringify(value === '' ? [] : [escapeText(value)])}`);
      }
    }
    const status = e.component.getFirstPropertyValue('status');
    const wantStatus = v.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED';
    if (status !== wantStatus) problems.push(`${at}: STATUS ${status}, expected ${wantStatus}`);
  }
  return problems;
}

/** uid -> SEQUENCE of a parsed feed. */
const sequences = (got) => new Map(got.events.map((e) => [e.uid, e.sequence]));

async function allFeeds() {
  const out = new Map();
  for (const f of s.feeds) out.set(f.path, await getFeed(f));
  return out;
}

/** Runs `carecoop feeds` and reads its `KIND EMAIL PATH` lines. */
async function cliFeeds(makeMissing) {
  const args = ['feeds', '--db', db];
  if (makeMissing) args.push('--make-missing', 'yes');
  let stdout;
  try {
    ({ stdout } = await execFileP(carecoopBin, args, { timeout: 60_000 }));
  } catch (err) {
    throw new Error(`carecoop ${args.join(' ')} failed (${err.code ?? err.signal}): ${err.stderr || err.message}`);
  }
  const feeds = [];
  for (const line of stdout.split('\n').filter(Boolean)) {
    const m = /^(carer|recipient|coordinator) (\S+@\S+) (\/ical\/[0-9a-f]{64}\.ics)$/.exec(line);
    assert.ok(m, `carecoop feeds printed a line that is not "KIND EMAIL PATH": ${line}`);
    feeds.push({ kind: m[1], email: m[2], path: m[3] });
  }
  return feeds;
}

// ---- the tests -----------------------------------------------------------------

/**
 * A test that the later ones build on: when one fails, the rest are skipped
 * (and say why) rather than failing with errors of their own.
 */
let brokenBy = null;
function step(name, fn, { critical = false } = {}) {
  test(name, async (t) => {
    if (brokenBy) {
      t.skip(`skipped: "${brokenBy}" failed`);
      return;
    }
    try {
      await fn(t);
    } catch (err) {
      if (critical) brokenBy = name;
      throw err;
    }
  });
}

before(async () => {
  dir = makeTempDir('carecoop-feeds-');
  db = path.join(dir, 'carecoop.db');
  password = randomPassword();
  ({ accounts } = await runDemo(db, password));
  server = await startServer({ db });
  coord = await clientOf('coordinator@carecoop.example');
});

after(async () => {
  if (server) await server.stop();
  if (dir) removeTempDir(dir);
});

step('set-up: a person with awkward names, visits across midnight and on DST Sundays, two published weeks', async () => {
  const { carers } = await must(coord, 'GET', '/api/carers');
  const find = (email) => {
    const c = carers.find((x) => x.email === email);
    assert.ok(c, `the demo co-op has no carer ${email}`);
    return c;
  };
  s.A = find('amira@carecoop.example');
  s.B = find('kasia@carecoop.example');
  // A carer's first name with a comma, a semicolon and non-ASCII letters.
  await must(coord, 'PATCH', `/api/people/${s.B.id}`, { known_as: 'Kasia; Ż, K' });
  s.B.known_as = 'Kasia; Ż, K';
  const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  for (const c of [s.A, s.B]) await must(coord, 'PUT', `/api/carers/${c.id}/availability`, { weekly: allDay });

  const { recipient } = await must(coord, 'POST', '/api/recipients', { ...Z, notes: 'Allergic to penicillin', key_safe: '' });
  s.Z = recipient;
  assert.equal(recipient.known_as, Z.known_as, 'the name comes back as sent');
  await must(coord, 'PUT', `/api/recipients/${s.Z.id}/team`, { team: [s.A.id, s.B.id], excluded: [] });
  s.lines = {};
  for (const [key, line] of Object.entries(PLAN)) {
    s.lines[key] = (await must(coord, 'POST', `/api/recipients/${s.Z.id}/plan`, line)).line;
  }
  // Grace (a member) follows this person's visits: she is entitled to a recipient feed.
  s.grace = await clientOf('grace@carecoop.example');
  await must(coord, 'PUT', `/api/recipients/${s.Z.id}/viewers`, {
    viewers: [{ user_id: s.grace.user.id, relationship: 'friend' }],
  });

  s.weeks = {};
  for (const monday of [MARCH, OCTOBER]) {
    const { week } = await must(coord, 'POST', '/api/rota/weeks', { week_start: monday });
    s.weeks[monday] = week;
    const board = await must(coord, 'GET', `/api/rota/weeks/${week.id}`);
    const mine = board.visits.filter((v) => v.recipient.id === s.Z.id);
    assert.equal(mine.length, 7 + 1 + 5 + 1, `week ${monday}: ${mine.length} visits for ${Z.known_as}, expected 14`);
    for (const v of mine) {
      // The server's reading of local times, against Node's time zone data.
      assert.equal(v.starts_at, londonLocalToUtc(v.local_start),
        `visit ${v.local_start}: starts_at ${isoZ(v.starts_at)}, expected ${isoZ(londonLocalToUtc(v.local_start))}`);
      // Amira does the nights; Kasia the mornings and the Sunday 01:30 (a
      // night visit ends 00:30, and the next day's first visit must start
      // 11 hours later: rule 6). The double-up: both in March; in October
      // only Kasia, its second place still open. The Sunday night ends in
      // the next week: a week's availability reaches into next Monday.
      let carersFor = v.local_start.endsWith('23:30') ? [s.A.id] : [s.B.id];
      if (v.carers_needed === 2) carersFor = monday === MARCH ? [s.A.id, s.B.id] : [s.B.id];
      const r = await coord.put(`/api/visits/${v.id}/carers`, { carers: carersFor, pinned: true });
      assert.equal(r.status, 200, `assigning ${v.local_start} to ${carersFor}: HTTP ${r.status} ${r.text}`);
    }
    await must(coord, 'POST', `/api/rota/weeks/${week.id}/publish`);
  }

  // Independent truths about the DST Sundays (the plan says 01:30 and 23:30).
  const utc = (y, mo, d, h, mi) => Date.UTC(y, mo - 1, d, h, mi) / 1000;
  s.dstCases = [
    { date: '2027-03-27', plan: 'night', start: utc(2027, 3, 27, 23, 30), why: 'Saturday 23:30 GMT, ends 00:30 GMT on the 28th' },
    { date: '2027-03-28', plan: 'early', start: utc(2027, 3, 28, 1, 30), why: '01:30 does not exist: moved forward by the gap to 02:30 BST' },
    { date: '2027-03-28', plan: 'night', start: utc(2027, 3, 28, 22, 30), why: 'the first BST night' },
    { date: '2027-10-30', plan: 'night', start: utc(2027, 10, 30, 22, 30), why: 'Saturday 23:30 BST, ends 00:30 BST on the 31st' },
    { date: '2027-10-31', plan: 'early', start: utc(2027, 10, 31, 0, 30), why: '01:30 happens twice: the first (BST); ends 01:30 GMT' },
    { date: '2027-10-31', plan: 'night', start: utc(2027, 10, 31, 23, 30), why: 'the first GMT night' },
  ];
  for (const c of s.dstCases) c.uid = `visit-${s.lines[c.plan].id}-${c.date}@carecoop`;
}, { critical: true });

step('every feed `carecoop feeds` lists is the one GET /api/feeds shows its owner', async () => {
  const listed = await cliFeeds(true); // --make-missing yes: Grace's new recipient feed
  const kinds = new Set(listed.map((f) => f.kind));
  assert.deepEqual([...kinds].sort(), ['carer', 'coordinator', 'recipient'], 'feeds of all three kinds');
  const sessions = new Map();
  s.feeds = [];
  for (const f of listed) {
    if (!sessions.has(f.email)) {
      const client = await clientOf(f.email);
      sessions.set(f.email, { client, feeds: (await must(client, 'GET', '/api/feeds')).feeds });
    }
    const mine = sessions.get(f.email).feeds;
    const api = mine.find((x) => x.path === f.path);
    assert.ok(api, `${f.kind} feed ${f.path.slice(0, 14)}… of ${f.email} is not in their GET /api/feeds: ${JSON.stringify(mine.map((x) => [x.kind, x.path && x.path.slice(0, 14)]))}`);
    assert.equal(api.kind, f.kind);
    s.feeds.push({ ...f, id: api.id, personId: api.person_id, personName: api.person_name,
      label: `${f.kind} feed of ${f.email}${api.person_id ? ` (person ${api.person_id})` : ''}` });
  }
  for (const [email, { feeds }] of sessions) {
    for (const x of feeds.filter((y) => y.path)) {
      assert.ok(listed.some((f) => f.path === x.path), `GET /api/feeds of ${email} lists ${x.kind} feed ${x.id}, carecoop feeds does not`);
    }
  }
  s.feedOf = (kind, personId) => s.feeds.find((f) => f.kind === kind && (kind === 'coordinator' || f.personId === personId));
  assert.ok(s.feedOf('carer', s.A.id), 'Amira has a carer feed');
  assert.ok(s.feedOf('carer', s.B.id), 'Kasia has a carer feed');
  assert.ok(s.feedOf('coordinator'), 'there is a coordinator feed');
  const graces = s.feeds.find((f) => f.kind === 'recipient' && f.email === s.grace.email && f.personId === s.Z.id);
  assert.ok(graces, '`carecoop feeds --make-missing yes` gave Grace a feed of the new person\'s visits');
  s.coop = (await must(coord, 'GET', '/api/summary')).coop.name;
}, { critical: true });

step('every feed parses with ical.js and holds the scenario', async () => {
  s.settings = { location: 'area', include_tasks: false };
  s.visits = await publishedVisits();
  assert.ok(s.visits.some((v) => v.recipient.id === s.Z.id), 'the new person\'s visits are published');
  s.got = await allFeeds(); // fetched, raw text read, parsed by ical.js
  const a = s.got.get(s.feedOf('carer', s.A.id).path);
  const zUids = s.visits.filter((v) => v.recipient.id === s.Z.id && v.carers.some((c) => c.id === s.A.id)).map((v) => v.uid);
  // 7 nights a week in two weeks, and the March double-up.
  assert.equal(zUids.length, 15, `Amira has ${zUids.length} of the new person's visits, expected 15`);
  for (const uid of zUids) assert.ok(a.events.some((e) => e.uid === uid), `Amira's feed has ${uid}`);
}, { critical: true });

step('every feed\'s events are the published visits: UID, DTSTART, DTEND, text per kind, STATUS, name', async () => {
  const problems = [];
  for (const f of s.feeds) {
    const got = s.got.get(f.path);
    const expected = visitsOf(f, s.visits);
    if (f.kind !== 'coordinator' && expected.length === 0) problems.push(`${f.label}: no visits expected, a poor test`);
    for (const p of compareFeed(f, got, s.visits, s.settings)) problems.push(`${f.label}: ${p}`);
    // The calendar's name.
    const name = f.kind === 'carer' ? `${s.coop}: ${f.personName}'s visits`
      : f.kind === 'recipient' ? `${s.coop}: care visits for ${f.personName}` : `${s.coop}: all visits`;
    // ical.js does not know RFC 7986 NAME (nor X-WR-CALNAME): it hands back
    // the raw value, so the escaping is checked on the raw text.
    const gotName = rawProp(got.raw.vcal, 'NAME')[0]?.value;
    if (gotName !== escapeText(name)) problems.push(`${f.label}: raw NAME ${JSON.stringify(gotName)}, expected ${JSON.stringify(escapeText(name))}`);
    // The X- twin cannot be escaped through libical: , and ; become spaces.
    const xName = rawProp(got.raw.vcal, 'X-WR-CALNAME')[0]?.value;
    if (xName !== name.replace(/[,;]/g, ' ')) {
      problems.push(`${f.label}: X-WR-CALNAME ${JSON.stringify(xName)}, expected ${JSON.stringify(name.replace(/[,;]/g, ' '))}`);
    }
  }
  noProblems(problems, 'feeds against the rota');
});

step('the DST Sundays and the visits across midnight are at the right instants', async () => {
  const coordFeed = s.got.get(s.feedOf('coordinator').path);
  const family = s.got.get(s.feeds.find((f) => f.kind === 'recipient' && f.personId === s.Z.id).path);
  const problems = [];
  for (const c of s.dstCases) {
    c.local = `${c.date} ${PLAN[c.plan].start}`;
    const v = s.visits.find((x) => x.uid === c.uid);
    if (!v) { problems.push(`no visit ${c.uid} (${c.local})`); continue; }
    if (v.starts_at !== c.start) problems.push(`${c.local} (${c.why}): the API says ${isoZ(v.starts_at)}, expected ${isoZ(c.start)}`);
    const carerFeeds = v.carers.map((c) => [`${c.known_as}'s feed`, s.got.get(s.feedOf('carer', c.id).path)]);
    for (const [label, feed] of [['coordinator feed', coordFeed], ['family feed', family], ...carerFeeds]) {
      const e = feed.events.find((x) => x.uid === v.uid);
      if (!e) { problems.push(`${label}: no event for ${c.local}`); continue; }
      const start = rfcInstant(e.startDate);
      const end = rfcInstant(e.endDate);
      if (start !== c.start) problems.push(`${label}: ${c.local} (${c.why}): DTSTART ${e.startDate} is ${isoZ(start)}, expected ${isoZ(c.start)}`);
      if (end !== c.start + 60 * v.minutes) {
        problems.push(`${label}: ${c.local} (${c.why}): DTEND ${e.endDate} is ${isoZ(end)}, expected ${isoZ(c.start + 60 * v.minutes)}`);
      }
      if (end <= start) problems.push(`${label}: ${c.local}: the event does not end after it starts (${e.startDate} to ${e.endDate})`);
    }
  }
  // Every visit across midnight ends the next day, an hour after it starts.
  const nights = s.visits.filter((x) => x.recipient.id === s.Z.id && x.local_start.endsWith('23:30'));
  assert.equal(nights.length, 14, 'seven night visits in each week');
  for (const v of nights) {
    const e = coordFeed.events.find((x) => x.uid === v.uid);
    if (!e) { problems.push(`no event for ${v.local_start}`); continue; }
    const next = new Date(`${v.local_start.slice(0, 10)}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    if (e.endDate.toString().slice(0, 10) !== next.toISOString().slice(0, 10)) {
      problems.push(`${v.local_start}: DTEND ${e.endDate} is not on the next day`);
    }
    if (rfcInstant(e.endDate) - rfcInstant(e.startDate) !== 3600) problems.push(`${v.local_start}: does not last an hour`);
  }
  noProblems(problems, 'DST weeks and midnight');
});

step('the raw text: calendar properties, VTIMEZONE for every TZID, event properties (RFC 5545, RFC 7986)', async () => {
  const problems = [];
  for (const f of s.feeds) {
    const { raw } = s.got.get(f.path);
    const at = (m) => problems.push(`${f.label}: ${m}`);
    const one = (comp, name, check, where) => {
      const ps = rawProp(comp, name);
      if (ps.length !== 1) { at(`${where}: ${ps.length} ${name} properties, expected 1`); return null; }
      if (check && !check(ps[0])) at(`${where}: ${name} is ${JSON.stringify(ps[0])}`);
      return ps[0];
    };
    const cal = raw.vcal;
    one(cal, 'PRODID', (p) => p.value.length > 0, 'VCALENDAR');
    one(cal, 'VERSION', (p) => p.value === '2.0', 'VCALENDAR');
    one(cal, 'CALSCALE', (p) => p.value === 'GREGORIAN', 'VCALENDAR');
    one(cal, 'METHOD', (p) => p.value === 'PUBLISH', 'VCALENDAR');
    one(cal, 'NAME', (p) => p.value.length > 0, 'VCALENDAR');
    one(cal, 'X-WR-CALNAME', (p) => p.value.length > 0, 'VCALENDAR');
    one(cal, 'REFRESH-INTERVAL', (p) => p.params.VALUE === 'DURATION' && p.value === 'PT1H', 'VCALENDAR');
    one(cal, 'X-PUBLISHED-TTL', (p) => p.value === 'PT1H', 'VCALENDAR');
    // A VTIMEZONE for every TZID used, and no TZID without one.
    const zones = new Set(cal.children.filter((c) => c.name === 'VTIMEZONE').map((c) => rawProp(c, 'TZID')[0]?.value));
    const used = new Set();
    for (const e of raw.events) for (const p of e.props) if (p.params.TZID) used.add(p.params.TZID);
    for (const tzid of used) if (!zones.has(tzid)) at(`TZID ${tzid} is used but has no VTIMEZONE`);
    if (raw.events.length && !used.has(ZONE)) at(`events do not use TZID=${ZONE}`);
    for (const e of raw.events) {
      const uid = rawProp(e, 'UID')[0]?.value ?? '(no UID)';
      const w = `VEVENT ${uid}`;
      one(e, 'UID', (p) => /^visit-\d+-\d{4}-\d{2}-\d{2}@carecoop$/.test(p.value), w);
      one(e, 'DTSTAMP', (p) => /^\d{8}T\d{6}Z$/.test(p.value), w);
      one(e, 'LAST-MODIFIED', (p) => /^\d{8}T\d{6}Z$/.test(p.value), w);
      one(e, 'SEQUENCE', (p) => /^\d+$/.test(p.value), w);
      one(e, 'DTSTART', (p) => p.params.TZID === ZONE && /^\d{8}T\d{6}$/.test(p.value), w);
      one(e, 'DTEND', (p) => (p.params.TZID === ZONE && /^\d{8}T\d{6}$/.test(p.value)) || /^\d{8}T\d{6}Z$/.test(p.value), w);
      one(e, 'SUMMARY', null, w);
      one(e, 'STATUS', (p) => p.value === 'CONFIRMED' || p.value === 'CANCELLED', w);
    }
  }
  noProblems(problems, 'raw text');
  // Escaping really happened where it had to: the new person's name in Amira's feed.
  const amira = s.got.get(s.feedOf('carer', s.A.id).path);
  const summaries = amira.raw.events.map((e) => rawProp(e, 'SUMMARY')[0].value);
  assert.ok(summaries.includes('Visit: Zoë\\; Jo\\, Ann'), `Amira's feed escapes ";" and "," in SUMMARY: ${JSON.stringify(summaries.filter((x) => x.includes('Zo')).slice(0, 2))}`);
  const locations = amira.raw.events.flatMap((e) => rawProp(e, 'LOCATION').map((p) => p.value));
  assert.ok(locations.includes('Sharpham\\; Ashprington\\, Båthouse'), 'LOCATION escaped');
});

step('HTTP: text/calendar, ETag, Last-Modified, 304 on If-None-Match and If-Modified-Since, HEAD', async () => {
  const f = s.feedOf('carer', s.A.id);
  const r = await fetchFeed(f.path);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
  const etag = r.headers.get('etag');
  assert.match(etag ?? '', /^"[^"]+"$/, `a strong ETag, got ${etag}`);
  const lm = r.headers.get('last-modified');
  assert.ok(lm && !Number.isNaN(Date.parse(lm)) && /GMT$/.test(lm), `a Last-Modified HTTP date, got ${lm}`);
  assert.equal(r.text, s.got.get(f.path).text, 'the same bytes twice');
  s.amiraEtag = etag;
  s.amiraLm = lm;

  const inm = await fetchFeed(f.path, { 'If-None-Match': etag });
  assert.equal(inm.status, 304, 'If-None-Match with the ETag: 304');
  assert.equal(inm.bytes.length, 0, '304 has no body');
  assert.equal(inm.headers.get('etag'), etag, '304 carries the ETag');
  assert.equal((await fetchFeed(f.path, { 'If-None-Match': `W/"x", ${etag}` })).status, 304, 'a list with the ETag: 304');
  assert.equal((await fetchFeed(f.path, { 'If-None-Match': '"not-it"' })).status, 200, 'another ETag: 200');
  assert.equal((await fetchFeed(f.path, { 'If-Modified-Since': lm })).status, 304, 'If-Modified-Since Last-Modified: 304');
  const earlier = new Date(Date.parse(lm) - DAY * 1000).toUTCString();
  assert.equal((await fetchFeed(f.path, { 'If-Modified-Since': earlier })).status, 200, 'If-Modified-Since a day earlier: 200');
  assert.equal((await fetchFeed(f.path, { 'If-None-Match': '"not-it"', 'If-Modified-Since': lm })).status, 200,
    'If-None-Match wins over If-Modified-Since (RFC 9110 section 13.2.2)');
  const head = await fetchFeed(f.path, {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('etag'), etag, 'HEAD: the same ETag');
  assert.equal(head.bytes.length, 0, 'HEAD: no body');
  const post = await fetch(`${base()}${f.path}`, { method: 'POST' });
  assert.equal(post.status, 405, 'POST to a feed: 405');
  // The feed link is the credential: nothing a login adds or needs.
  assert.equal(r.headers.get('set-cookie'), null, 'no cookie');
  assert.match(r.headers.get('cache-control') ?? '', /private/, 'no shared caches for a secret URL');
});

step('by default feeds carry no tasks (health details) and no full address', async () => {
  const problems = [];
  const addresses = [...new Set(s.visits.map((v) => v.address).filter(Boolean))];
  const tasks = [...new Set(s.visits.map((v) => v.tasks).filter(Boolean))];
  assert.ok(addresses.includes(Z.address) && tasks.includes(PLAN.morning.tasks), 'the test knows the secrets to look for');
  for (const f of s.feeds) {
    const got = s.got.get(f.path);
    const text = got.raw.lines.join('\n').replace(/\\([\\;,])/g, '$1').replace(/\\n/gi, '\n');
    for (const a of addresses) if (text.includes(a)) problems.push(`${f.label}: shows the address ${JSON.stringify(a)}`);
    for (const t of tasks) if (text.includes(t)) problems.push(`${f.label}: shows the tasks ${JSON.stringify(t)}`);
    if (text.includes('Tasks:')) problems.push(`${f.label}: has "Tasks:"`);
    if (text.includes('penicillin')) problems.push(`${f.label}: shows a sensitive note`);
    if (f.kind === 'recipient' && got.raw.events.some((e) => rawProp(e, 'LOCATION').length || rawProp(e, 'DESCRIPTION').length)) {
      problems.push(`${f.label}: a family feed with LOCATION or DESCRIPTION`);
    }
  }
  noProblems(problems, 'privacy by default');
});

step('a rebuilt feed (server restarted) keeps its UIDs, SEQUENCEs and bytes', async () => {
  const day = Math.floor(Date.now() / 1000 / DAY);
  await server.stop();
  server = await startServer({ db });
  coord = await clientOf('coordinator@carecoop.example');
  const again = await allFeeds();
  const problems = [];
  for (const f of s.feeds) {
    const before1 = s.got.get(f.path);
    const now = again.get(f.path);
    const a = sequences(before1);
    const b = sequences(now);
    if (JSON.stringify([...a].sort()) !== JSON.stringify([...b].sort())) problems.push(`${f.label}: UIDs or SEQUENCEs differ after a rebuild`);
    if (day === Math.floor(Date.now() / 1000 / DAY) && before1.headers.get('etag') !== now.headers.get('etag')) {
      problems.push(`${f.label}: ETag ${before1.headers.get('etag')} became ${now.headers.get('etag')} with nothing changed`);
    }
  }
  noProblems(problems, 'rebuild');
  s.got = again;
});

step('a cancelled visit: STATUS:CANCELLED, higher SEQUENCE, new ETag; the others keep their SEQUENCE', async () => {
  const v = s.visits.find((x) => x.recipient.id === s.Z.id && x.local_start === '2027-03-26T09:00');
  assert.ok(v && v.carers.length === 1 && v.carers[0].id === s.B.id, 'Friday 09:00 in March is Kasia\'s');
  const watched = [s.feedOf('carer', s.B.id), s.feedOf('coordinator'),
    s.feeds.find((f) => f.kind === 'recipient' && f.personId === s.Z.id)];
  const before1 = new Map(watched.map((f) => [f.path, s.got.get(f.path)]));
  await sleep(1100); // a later second: Last-Modified can show the change
  const { visit } = await must(coord, 'POST', `/api/visits/${v.id}/cancel`, { reason: 'In hospital; back soon, we hope' });
  assert.equal(visit.status, 'cancelled');
  const problems = [];
  for (const f of watched) {
    const old = before1.get(f.path);
    const got = await getFeed(f);
    const e = got.events.find((x) => x.uid === v.uid);
    if (!e) { problems.push(`${f.label}: the cancelled visit left the feed (it should stay, cancelled)`); continue; }
    const status = e.component.getFirstPropertyValue('status');
    if (status !== 'CANCELLED') problems.push(`${f.label}: STATUS ${status}, expected CANCELLED`);
    const was = sequences(old).get(v.uid);
    if (!(e.sequence > was)) problems.push(`${f.label}: SEQUENCE ${e.sequence}, was ${was}: must be higher`);
    if (!/ \(cancelled\)$/.test(e.summary)) problems.push(`${f.label}: SUMMARY ${JSON.stringify(e.summary)} does not say cancelled`);
    for (const [uid, seq] of sequences(got)) {
      if (uid !== v.uid && sequences(old).get(uid) !== seq) problems.push(`${f.label}: ${uid} SEQUENCE ${sequences(old).get(uid)} -> ${seq}, nothing changed`);
    }
    const etag = old.headers.get('etag');
    if (got.headers.get('etag') === etag) problems.push(`${f.label}: the ETag did not change`);
    const inm = await fetchFeed(f.path, { 'If-None-Match': etag });
    if (inm.status !== 200) problems.push(`${f.label}: If-None-Match with the old ETag: ${inm.status}, expected 200`);
    const ims = await fetchFeed(f.path, { 'If-Modified-Since': old.headers.get('last-modified') });
    if (ims.status !== 200) problems.push(`${f.label}: If-Modified-Since the old Last-Modified: ${ims.status}, expected 200`);
    s.got.set(f.path, got);
  }
  noProblems(problems, 'cancellation');
  s.cancelled = v;
});

step('a reassigned visit leaves the old carer\'s feed and joins the new one\'s, same UID, higher SEQUENCE', async () => {
  // Kasia has no visit on the Saturday after: she may take it (rule 6).
  const v = s.visits.find((x) => x.recipient.id === s.Z.id && x.local_start === '2027-10-29T23:30');
  assert.ok(v && v.carers.length === 1 && v.carers[0].id === s.A.id, 'Friday night in October is Amira\'s');
  const fa = s.feedOf('carer', s.A.id);
  const fb = s.feedOf('carer', s.B.id);
  const fc = s.feedOf('coordinator');
  const before1 = {};
  for (const f of [fa, fb, fc]) before1[f.path] = await getFeed(f);
  const was = sequences(before1[fa.path]).get(v.uid);
  assert.ok(was !== undefined, 'the visit is in Amira\'s feed first');
  assert.ok(!before1[fb.path].events.some((e) => e.uid === v.uid), 'and not in Kasia\'s');
  await sleep(1100);
  const r = await coord.put(`/api/visits/${v.id}/carers`, { carers: [s.B.id], pinned: true });
  assert.equal(r.status, 200, `reassigning to Kasia: HTTP ${r.status} ${r.text}`);
  const a = await getFeed(fa);
  const b = await getFeed(fb);
  const c = await getFeed(fc);
  const problems = [];
  if (a.events.some((e) => e.uid === v.uid)) problems.push('the visit is still in Amira\'s feed');
  const eb = b.events.find((e) => e.uid === v.uid);
  if (!eb) problems.push('the visit is not in Kasia\'s feed');
  else if (!(eb.sequence > was)) problems.push(`Kasia's feed: SEQUENCE ${eb.sequence}, was ${was} in Amira's: must be higher`);
  const ec = c.events.find((e) => e.uid === v.uid);
  if (!ec || !(ec.sequence > was)) problems.push(`coordinator feed: SEQUENCE ${ec?.sequence}, was ${was}: must be higher`);
  if (ec && ec.summary !== `${Z.known_as}: ${s.B.known_as}`) problems.push(`coordinator feed: SUMMARY ${JSON.stringify(ec.summary)}`);
  for (const [f, got] of [[fa, a], [fb, b], [fc, c]]) {
    const old = sequences(before1[f.path]);
    for (const [uid, seq] of sequences(got)) {
      if (uid !== v.uid && old.get(uid) !== seq) problems.push(`${f.label}: ${uid} SEQUENCE ${old.get(uid)} -> ${seq}, nothing changed`);
    }
    if (got.headers.get('etag') === before1[f.path].headers.get('etag')) problems.push(`${f.label}: the ETag did not change`);
  }
  noProblems(problems, 'reassignment');
  s.beforeReassign = before1;
  s.reassigned = v;
  // Everything still agrees with the rota.
  s.visits = await publishedVisits();
  s.got = await allFeeds();
  const all = [];
  for (const f of s.feeds) for (const p of compareFeed(f, s.got.get(f.path), s.visits, s.settings, { instants: false })) all.push(`${f.label}: ${p}`);
  noProblems(all, 'feeds against the rota after the changes');
});

step('Last-Modified moves on when a visit leaves a feed (If-Modified-Since is not answered 304)', async () => {
  // Amira's feed changed (a visit left it) after its old Last-Modified. A
  // client that revalidates with If-Modified-Since alone must get the new feed.
  const fa = s.feedOf('carer', s.A.id);
  const old = s.beforeReassign[fa.path];
  const now = s.got.get(fa.path);
  assert.notEqual(now.text, old.text, 'the feed did change');
  const r = await fetchFeed(fa.path, { 'If-Modified-Since': old.headers.get('last-modified') });
  assert.equal(r.status, 200,
    `GET ${fa.label} with If-Modified-Since: ${old.headers.get('last-modified')} (the Last-Modified before the ` +
    `visit left it) answered ${r.status}; Last-Modified is still ${now.headers.get('last-modified')}, so a client ` +
    'using If-Modified-Since keeps the reassigned visit');
});

step('a change of address raises the SEQUENCE of the person\'s visits to come and moves LOCATION', async () => {
  const fa = s.feedOf('carer', s.A.id);
  const old = await getFeed(fa);
  await must(coord, 'PATCH', `/api/people/${s.Z.id}`, { area: NEW_AREA });
  const got = await getFeed(fa);
  const mine = new Set(s.visits.filter((v) => v.recipient.id === s.Z.id && v.status === 'planned').map((v) => v.uid));
  const problems = [];
  const was = sequences(old);
  for (const e of got.events) {
    if (mine.has(e.uid)) {
      if (!(e.sequence > was.get(e.uid))) problems.push(`${e.uid}: SEQUENCE ${e.sequence}, was ${was.get(e.uid)}`);
      if (e.location !== NEW_AREA) problems.push(`${e.uid}: LOCATION ${JSON.stringify(e.location)}`);
    } else if (e.uid !== s.cancelled.uid && was.get(e.uid) !== e.sequence) {
      problems.push(`${e.uid}: another person's visit, SEQUENCE ${was.get(e.uid)} -> ${e.sequence}`);
    }
  }
  noProblems(problems, 'change of area');
  s.visits = await publishedVisits();
});

step('a coordinator turns on addresses and tasks (PUT /api/feed-settings): the feeds show them, family feeds still do not', async () => {
  const carer = await clientOf('amira@carecoop.example');
  const refused = await carer.put('/api/feed-settings', { location: 'address', include_tasks: true });
  assert.equal(refused.status, 403, `a carer may not change the feed settings: HTTP ${refused.status}`);
  const fb = s.feedOf('carer', s.B.id); // Kasia does the mornings
  const old = await getFeed(fb);
  await sleep(1100);
  const { settings } = await must(coord, 'PUT', '/api/feed-settings', { location: 'address', include_tasks: true });
  assert.deepEqual({ location: settings.location, include_tasks: settings.include_tasks }, { location: 'address', include_tasks: true });
  s.settings = { location: 'address', include_tasks: true };
  s.got = await allFeeds();
  const problems = [];
  for (const f of s.feeds) for (const p of compareFeed(f, s.got.get(f.path), s.visits, s.settings, { instants: false })) problems.push(`${f.label}: ${p}`);
  noProblems(problems, 'feeds with addresses and tasks');
  const kb = s.got.get(fb.path);
  const monday = kb.events.find((e) => e.uid === s.visits.find((v) => v.recipient.id === s.Z.id && v.local_start === '2027-03-22T09:00').uid);
  assert.equal(monday.location, Z.address, 'the full address, with its ; , and \\');
  assert.equal(monday.description, `Tasks: ${PLAN.morning.tasks}`, 'the tasks, with a newline');
  assert.ok(kb.raw.lines.some((l) => l.includes('Tasks: Insulin\\, 10 units\\; check feet\\nBlood sugar log \\\\ diary')),
    'DESCRIPTION escapes , ; newline and backslash');
  // The double-up's long non-ASCII tasks: a content line far over 75
  // octets, so folded; every feed read here passed the octet and UTF-8
  // checks of readRaw().
  const dbl = s.visits.find((v) => v.recipient.id === s.Z.id && v.carers_needed === 2 && v.carers.length === 2);
  const line = `DESCRIPTION:${escapeText(`Double-up visit with Amira.\nTasks: ${PLAN.double.tasks}`)}`;
  assert.ok(Buffer.byteLength(line) > 150, 'a line that must be folded');
  const dblRaw = kb.raw.byUid.get(dbl.uid);
  assert.equal(rawProp(dblRaw, 'DESCRIPTION')[0]?.value, line.slice('DESCRIPTION:'.length), 'the folded DESCRIPTION unfolds to the text');
  assert.ok(kb.bytes.toString('utf8').includes('\r\n '), 'folded lines in the feed');
  assert.notEqual(kb.headers.get('etag'), old.headers.get('etag'), 'a new ETag');
  const ims = await fetchFeed(fb.path, { 'If-Modified-Since': old.headers.get('last-modified') });
  assert.equal(ims.status, 200, `If-Modified-Since the Last-Modified from before the settings changed: ${ims.status}, expected 200 (Last-Modified ${ims.headers.get('last-modified')})`);
});

step('a wrong, revoked or regenerated feed link is 404', async () => {
  const random = `/ical/${randomBytes(32).toString('hex')}.ics`;
  assert.equal((await fetchFeed(random)).status, 404, 'an unknown token');
  assert.equal((await fetchFeed('/ical/abc.ics')).status, 404, 'a malformed token');
  const fa = s.feedOf('carer', s.A.id);
  assert.equal((await fetchFeed(fa.path.toUpperCase().replace('/ICAL/', '/ical/').replace('.ICS', '.ics'))).status, 404, 'an upper-case token');

  // Amira regenerates her link: the old one stops at once, the new one works.
  const amira = await clientOf('amira@carecoop.example');
  assert.equal((await fetchFeed(fa.path)).status, 200, 'cached first');
  const { feed } = await must(amira, 'POST', '/api/feeds', { kind: 'carer', person_id: s.A.id });
  assert.notEqual(feed.path, fa.path, 'a new link');
  assert.equal((await fetchFeed(fa.path)).status, 404, 'the regenerated (old) link');
  const fresh = await fetchFeed(feed.path);
  assert.equal(fresh.status, 200, 'the new link');
  const qr = await amira.get(`/api/feeds/${feed.id}/qr.svg`);
  assert.equal(qr.status, 200, 'the QR code of the new link');

  // Kasia revokes hers.
  const fb = s.feedOf('carer', s.B.id);
  const kasia = await clientOf('kasia@carecoop.example');
  assert.equal((await fetchFeed(fb.path)).status, 200, 'cached first');
  await must(kasia, 'DELETE', `/api/feeds/${fb.id}`);
  assert.equal((await fetchFeed(fb.path)).status, 404, 'the revoked link');
  const other = await amira.del(`/api/feeds/${feed.id + 1000}`);
  assert.equal(other.status, 404, 'no revoking a feed one does not have');
  const listed = await cliFeeds(false);
  assert.ok(!listed.some((f) => f.path === fa.path || f.path === fb.path), 'carecoop feeds no longer lists the old links');
  assert.ok(listed.some((f) => f.path === feed.path), 'carecoop feeds lists the new link');
});
