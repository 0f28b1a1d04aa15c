// rota.js: the coordinator's rota board (rota.html), on the routes of
// docs/API.md "Rota".
//
// Pick a week (a Monday; next Monday by default) -> GET /api/rota/weeks?start=;
// no rota yet: "Create draft rota" (POST /api/rota/weeks). The board
// (GET /api/rota/weeks/{id}) shows the figures, the visits that still need a
// carer, and two views of the week: by carer and by person receiving care.
// "Solve" (POST .../solve) shows a progress bar while GET .../{id} says the
// solve is running. Opening a visit shows why each carer is on it and lets
// the coordinator choose others from a list: every choice is checked live
// (POST /api/visits/{id}/check) and saved pinned (PUT /api/visits/{id}/carers).
// "Publish" (POST .../publish) raises the version; afterwards the changes are
// listed (GET .../changes). "Carer off sick" (POST .../cover) shows every
// change, and the ones within the notice window wait for "Confirm these".
// ?print=1 turns the page into a clean table per carer for printing.
//
// Everything shown from the server is written with textContent.

import { api, ApiError } from './api.js';
import { setBusy } from './form.js';
import { hasAnyRole, showContent, showPageError, clearPageError, startPage } from './nav.js';
import {
  byId, clearErrors, el, handleSignedOut, instantElement, minutesLabel, setText, showError,
  showSuccess, todayLocal, wireTabs,
} from './ui.js';
import {
  addDays, fullDateLabel, longDayLabel, mondayOf, parseDate, shortDayLabel, splitLocal,
  timeRange, weekDates,
} from './week.js';

const NEED_TEXT = 'Needs a carer';
const POLL_MS = 1000;

const state = {
  user: null,
  canEdit: false,
  printMode: false,
  weekStart: '',
  board: null, // {week, visits, carers, figures}
  carers: new Map(), // id -> carer row
  visits: new Map(), // id -> visit
  polling: null,
  selectTab: null,
  loadSeq: 0, // the newest week asked for wins
  dialog: null, // {visit, opener, seq}
  cover: null, // the last cover request body
};

/* ---- small helpers ----------------------------------------------------- */

function carerName(id) {
  const c = state.carers.get(Number(id));
  return c ? c.known_as : `carer #${id}`;
}

function recipientName(r) {
  if (!r) return '';
  if (typeof r === 'string') return r;
  return r.known_as || r.full_name || `#${r.id}`;
}

function isCancelled(v) {
  return v.status === 'cancelled';
}

function needsCarer(v) {
  return !isCancelled(v) && Number(v.uncovered) > 0;
}

function byStart(a, b) {
  return (a.starts_at ?? 0) - (b.starts_at ?? 0) || String(a.local_start).localeCompare(String(b.local_start));
}

/** "Mon 30 Nov, 08:00–08:30, Margaret" */
function visitLabel(v) {
  const { date } = splitLocal(v.local_start);
  return `${shortDayLabel(date)}, ${timeRange(v.local_start, v.minutes)}, ${recipientName(v.recipient)}`;
}

/** "1 of 2 places open" / "no carer yet" */
function openPlaces(v) {
  const n = Number(v.uncovered) || 0;
  const need = Number(v.carers_needed) || 1;
  if (need === 1 || n >= need) return n >= 1 && (v.carers ?? []).length === 0 ? 'no carer yet' : `${n} place${n === 1 ? '' : 's'} open`;
  return `${n} of ${need} places open`;
}

function needMarker() {
  const span = el('span', null, 'need');
  span.append(el('span', '⚠', 'need__icon'), el('span', ` ${NEED_TEXT}`));
  span.firstChild.setAttribute('aria-hidden', 'true');
  return span;
}

function pinMarker() {
  return el('span', 'Pinned', 'pin');
}

function percent(value) {
  const n = Number(value);
  if (value === null || value === undefined || !Number.isFinite(n)) return '—';
  const p = n <= 1 ? n * 100 : n;
  return `${Math.round(p)} %`;
}

function decimal(value) {
  const n = Number(value);
  if (value === null || value === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(n);
}

function reasonsList(reasons) {
  const ul = el('ul', null, 'reasons');
  for (const r of reasons ?? []) {
    const text = r.reason || `breaks rule ${r.rule}`;
    const name = r.carer !== undefined && r.carer !== null ? carerName(r.carer) : '';
    // "Femi is not available then" names the carer already; "no travel time
    // before the 08:30 visit" does not.
    ul.append(el('li', name && !text.startsWith(name) ? `${name}: ${text}` : text));
  }
  return ul;
}

/* ---- week picking -------------------------------------------------------- */

function setUrl() {
  const params = new URLSearchParams(window.location.search);
  params.set('week', state.weekStart);
  window.history.replaceState(null, '', `?${params}${window.location.hash}`);
}

function initialWeek() {
  const asked = new URLSearchParams(window.location.search).get('week');
  if (asked && parseDate(asked)) return mondayOf(asked);
  return addDays(mondayOf(todayLocal()), 7);
}

async function goToWeek(monday) {
  state.weekStart = monday;
  byId('week-start').value = monday;
  setUrl();
  stopPolling();
  await loadWeek();
}

function wireWeekPicker() {
  const form = byId('week-form');
  const inputEl = byId('week-start');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const d = inputEl.value;
    if (!parseDate(d)) {
      showError(form, null, new Error('choose a date: the Monday the week starts'), 'week_start');
      return;
    }
    await goToWeek(mondayOf(d));
  });
  inputEl.dataset.field = 'week_start';
  byId('prev-week').addEventListener('click', () => goToWeek(addDays(state.weekStart, -7)));
  byId('next-week').addEventListener('click', () => goToWeek(addDays(state.weekStart, 7)));
}

/* ---- loading ------------------------------------------------------------- */

async function loadWeek() {
  clearPageError();
  const mine = ++state.loadSeq;
  const weekLabel = fullDateLabel(state.weekStart);
  setText('rota-heading', state.printMode ? `Rota for the week of ${weekLabel}` : 'Rota');
  let weeks;
  try {
    const reply = await api.get(`/api/rota/weeks?start=${encodeURIComponent(state.weekStart)}`);
    weeks = Array.isArray(reply?.weeks) ? reply.weeks : [];
  } catch (err) {
    if (mine !== state.loadSeq) return;
    if (!handleSignedOut(err)) showPageError(`Could not load the rota: ${err.message}`);
    return;
  }
  if (mine !== state.loadSeq) return; // another week was asked for meanwhile
  const week = weeks.find((w) => w.week_start === state.weekStart) ?? weeks[0];
  if (!week) {
    state.board = null;
    byId('board').hidden = true;
    byId('print-view').hidden = true;
    byId('no-week').hidden = false;
    byId('create-week').hidden = !state.canEdit;
    setText('week-status', `Week of ${weekLabel}: no rota yet.`);
    return;
  }
  byId('no-week').hidden = true;
  await loadBoard(week.id, mine);
}

async function loadBoard(id, mine = ++state.loadSeq) {
  let board;
  try {
    board = await api.get(`/api/rota/weeks/${id}`);
  } catch (err) {
    if (mine !== state.loadSeq) return null;
    if (!handleSignedOut(err)) showPageError(`Could not load the rota: ${err.message}`);
    return null;
  }
  if (mine !== state.loadSeq) return null;
  render(board);
  if (board?.week?.solve?.status === 'running') startPolling(board.week.id);
  return board;
}

/* ---- rendering ------------------------------------------------------------- */

function render(board) {
  state.board = board;
  state.carers = new Map((board.carers ?? []).map((c) => [Number(c.id), c]));
  state.visits = new Map((board.visits ?? []).map((v) => [Number(v.id), v]));
  const { week } = board;

  renderStatus(week);
  renderFigures(board.figures ?? {}, board.visits ?? []);
  renderUncovered(board.visits ?? []);
  renderByCarer(board);
  renderByPerson(board);
  renderTools(week);
  fillCoverCarers();

  if (state.printMode) {
    byId('board').hidden = true;
    byId('print-view').hidden = false;
    renderPrint(board);
  } else {
    byId('board').hidden = false;
  }
  if (week.status === 'published' && !state.printMode) loadChanges();
  else byId('changes-section').hidden = true;
}

function renderStatus(week) {
  const label = `Week of ${fullDateLabel(week.week_start ?? state.weekStart)}`;
  const what = week.status === 'published'
    ? `published, version ${week.version}`
    : 'draft, not yet published';
  setText('week-status', `${label}: ${what}.`);
}

function renderFigures(f, visits) {
  const uncovered = f.uncovered_places ?? visits.reduce((n, v) => n + (needsCarer(v) ? Number(v.uncovered) : 0), 0);
  setText('fig-uncovered', uncovered);
  byId('figure-uncovered').classList.toggle('stat--alert', Number(uncovered) > 0);
  setText('fig-visits', f.visits ?? visits.length);
  setText('fig-mean', decimal(f.mean_distinct_carers));
  setText('fig-max', decimal(f.max_distinct_carers));
  setText('fig-team', percent(f.team_share));
}

function chip(v, { show = 'recipient', carerId = null } = {}) {
  const b = el('button', null, 'chip');
  b.type = 'button';
  b.dataset.visit = String(v.id);
  if (needsCarer(v)) b.classList.add('chip--need');
  if (isCancelled(v)) b.classList.add('chip--cancelled');
  b.append(el('span', timeRange(v.local_start, v.minutes), 'chip__time'), ' ');
  if (show === 'recipient') {
    b.append(el('span', recipientName(v.recipient), 'chip__who'));
    if ((Number(v.carers_needed) || 1) > 1) {
      const others = (v.carers ?? []).filter((c) => Number(c.id) !== Number(carerId)).map((c) => c.known_as || carerName(c.id));
      b.append(el('span', others.length ? ` with ${others.join(', ')}` : ' (double-up)', 'chip__with'));
    }
  } else {
    const names = (v.carers ?? []).map((c) => c.known_as || carerName(c.id));
    b.append(el('span', names.join(', '), 'chip__who'));
  }
  if (isCancelled(v)) b.append(el('span', ' (cancelled)', 'chip__note'));
  const pinned = carerId !== null
    ? (v.carers ?? []).some((c) => Number(c.id) === Number(carerId) && c.pinned)
    : (v.carers ?? []).some((c) => c.pinned);
  if (pinned) b.append(' ', pinMarker());
  if (needsCarer(v)) b.append(' ', needMarker());
  return b;
}

function dayCell(list, options) {
  const td = el('td', null, 'board__cell');
  if (list.length === 0) return td;
  const ul = el('ul', null, 'chips');
  for (const v of list) {
    const li = el('li');
    li.append(chip(v, options));
    ul.append(li);
  }
  td.append(ul);
  return td;
}

function headRow(tr, first, dates) {
  tr.replaceChildren();
  const th0 = el('th', first);
  th0.scope = 'col';
  tr.append(th0);
  for (const d of dates) {
    const th = el('th', shortDayLabel(d));
    th.scope = 'col';
    tr.append(th);
  }
}

function byDate(visits, dates) {
  const map = new Map(dates.map((d) => [d, []]));
  for (const v of visits) {
    const { date } = splitLocal(v.local_start);
    if (map.has(date)) map.get(date).push(v);
  }
  for (const list of map.values()) list.sort(byStart);
  return map;
}

function renderByCarer(board) {
  const dates = weekDates(board.week.week_start ?? state.weekStart);
  headRow(byId('board-carers-head'), 'Carer', dates);
  const tbody = byId('board-carers-body');
  tbody.replaceChildren();
  const visits = board.visits ?? [];

  const open = visits.filter(needsCarer);
  if (open.length) {
    const tr = el('tr', null, 'board__row--need');
    const th = el('th');
    th.scope = 'row';
    th.append(needMarker());
    tr.append(th);
    const map = byDate(open, dates);
    for (const d of dates) tr.append(dayCell(map.get(d), { show: 'recipient' }));
    tbody.append(tr);
  }

  for (const c of board.carers ?? []) {
    const mine = visits.filter((v) => (v.carers ?? []).some((a) => Number(a.id) === Number(c.id)));
    const tr = el('tr');
    const th = el('th');
    th.scope = 'row';
    th.append(el('span', c.known_as, 'board__name'));
    const hours = el('span',
      `${minutesLabel(c.visit_minutes ?? 0)} of ${minutesLabel(c.contract_minutes ?? 0)}` +
      `${c.travel_minutes ? `, travel ${minutesLabel(c.travel_minutes)}` : ''}`, 'board__hours');
    th.append(hours);
    tr.append(th);
    const map = byDate(mine, dates);
    for (const d of dates) tr.append(dayCell(map.get(d), { show: 'recipient', carerId: c.id }));
    tbody.append(tr);
  }
}

function recipientsOf(visits) {
  const map = new Map();
  for (const v of visits) {
    const r = v.recipient ?? {};
    const key = r.id ?? recipientName(r);
    if (!map.has(key)) map.set(key, { recipient: r, visits: [] });
    map.get(key).visits.push(v);
  }
  return [...map.values()].sort((a, b) => recipientName(a.recipient).localeCompare(recipientName(b.recipient)));
}

function renderByPerson(board) {
  const dates = weekDates(board.week.week_start ?? state.weekStart);
  headRow(byId('board-people-head'), 'Person', dates);
  const tbody = byId('board-people-body');
  tbody.replaceChildren();
  for (const { recipient, visits } of recipientsOf(board.visits ?? [])) {
    const tr = el('tr');
    if (visits.some(needsCarer)) tr.classList.add('board__row--has-need');
    const th = el('th');
    th.scope = 'row';
    th.append(el('span', recipientName(recipient), 'board__name'));
    if (recipient.area) th.append(el('span', recipient.area, 'board__hours'));
    tr.append(th);
    const map = byDate(visits, dates);
    for (const d of dates) tr.append(dayCell(map.get(d), { show: 'carers' }));
    tbody.append(tr);
  }
}

function renderUncovered(visits) {
  const open = visits.filter(needsCarer).sort(byStart);
  const list = byId('uncovered-list');
  list.replaceChildren();
  const places = open.reduce((n, v) => n + Number(v.uncovered), 0);
  setText('uncovered-heading', open.length
    ? `${NEED_TEXT}: ${open.length} visit${open.length === 1 ? '' : 's'}, ${places} place${places === 1 ? '' : 's'}`
    : NEED_TEXT);
  byId('uncovered-panel').classList.toggle('uncovered-panel--open', open.length > 0);
  byId('uncovered-none').hidden = open.length > 0;
  for (const v of open) {
    const li = el('li');
    const b = el('button', null, 'chip chip--need');
    b.type = 'button';
    b.dataset.visit = String(v.id);
    b.append(needMarker(), el('span', ` ${visitLabel(v)} (${openPlaces(v)})`));
    li.append(b);
    list.append(li);
  }
}

function renderTools(week) {
  const base = `/api/rota/weeks/${week.id}`;
  byId('hours-link').href = `${base}/hours.csv`;
  byId('print-link').href = `/rota.html?week=${encodeURIComponent(week.week_start ?? state.weekStart)}&print=1`;
  const published = week.status === 'published';
  setText('publish-state', published ? `Published: version ${week.version}` : 'Draft: carers cannot see it yet');
  byId('publish-state').classList.toggle('publish-state--published', published);
  setText('publish', published ? 'Publish again' : 'Publish');
  for (const id of ['solve', 'publish', 'update-week']) byId(id).hidden = !state.canEdit;
  byId('update-week').hidden = !state.canEdit || published;
  byId('cover-section').hidden = !state.canEdit;
  const running = week.solve?.status === 'running';
  byId('solve').disabled = running;
  showSolve(week.solve);
}

/* ---- solving --------------------------------------------------------------- */

function showSolve(solve) {
  const box = byId('solve-box');
  const running = solve?.status === 'running';
  box.hidden = !running;
  if (running) {
    byId('solve-progress').value = Number(solve.progress) || 0;
    byId('solve-progress').textContent = `${Number(solve.progress) || 0} %`;
    setText('solve-label', `Finding carers… ${Number(solve.progress) || 0} %`);
  }
}

function solveSummary(solve) {
  if (!solve) return '';
  if (solve.status === 'failed') return `The solve failed: ${solve.message || 'no reason given'}.`;
  if (solve.status !== 'done') return '';
  const n = Number(solve.uncovered) || 0;
  const head = n === 0 ? 'Solved: every visit has its carers.' : `Solved: ${n} place${n === 1 ? '' : 's'} still need${n === 1 ? 's' : ''} a carer.`;
  return solve.message ? `${head} ${solve.message}` : head;
}

function stopPolling() {
  if (state.polling) clearTimeout(state.polling);
  state.polling = null;
}

function startPolling(id) {
  stopPolling();
  byId('solve').disabled = true;
  const tick = async () => {
    let board;
    try {
      board = await api.get(`/api/rota/weeks/${id}`);
    } catch (err) {
      if (handleSignedOut(err)) return;
      state.polling = setTimeout(tick, POLL_MS * 2);
      return;
    }
    if (state.board?.week?.id !== id) return; // another week meanwhile
    const solve = board.week?.solve;
    if (solve?.status === 'running') {
      showSolve(solve);
      state.polling = setTimeout(tick, POLL_MS);
      return;
    }
    state.polling = null;
    render(board);
    byId('solve').disabled = false;
    const status = byId('solve-status');
    status.textContent = solveSummary(solve);
    status.classList.toggle('solve-status--failed', solve?.status === 'failed');
  };
  state.polling = setTimeout(tick, POLL_MS);
}

function wireSolve() {
  const btn = byId('solve');
  btn.addEventListener('click', async () => {
    const week = state.board?.week;
    if (!week) return;
    const region = byId('tools-message');
    region.textContent = '';
    setText('solve-status', 'Solving: finding carers for every visit (about 10 seconds)…');
    showSolve({ status: 'running', progress: 0 });
    btn.disabled = true;
    try {
      const reply = await api.post(`/api/rota/weeks/${week.id}/solve`, { seconds: 10 });
      if (reply?.week?.solve) showSolve(reply.week.solve);
      startPolling(week.id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setText('solve-status', 'A solve is already running for this week.');
        startPolling(week.id);
        return;
      }
      byId('solve-box').hidden = true;
      btn.disabled = false;
      setText('solve-status', '');
      showError(byId('board'), region, err);
    }
  });
}

/* ---- create, publish ----------------------------------------------------------- */

function wireCreate() {
  const btn = byId('create-week');
  btn.addEventListener('click', async () => {
    const region = byId('create-message');
    region.textContent = '';
    setBusy(btn, true, 'Creating…');
    try {
      const reply = await api.post('/api/rota/weeks', { week_start: state.weekStart });
      byId('no-week').hidden = true;
      await loadBoard(reply.week.id);
      setText('solve-status', `Draft rota created with ${state.board?.visits?.length ?? 0} visits. Press Solve to find carers.`);
      byId('solve').focus();
    } catch (err) {
      showError(byId('no-week'), region, err);
    } finally {
      setBusy(btn, false);
    }
  });

  const update = byId('update-week');
  update.addEventListener('click', async () => {
    const region = byId('tools-message');
    region.textContent = '';
    const before = state.board?.visits?.length ?? 0;
    setBusy(update, true, 'Adding…');
    try {
      const reply = await api.post('/api/rota/weeks', { week_start: state.weekStart });
      await loadBoard(reply.week.id);
      const added = Number.isFinite(reply?.added) ? reply.added : (state.board?.visits?.length ?? 0) - before;
      setText('solve-status', added > 0
        ? `${added} visit${added === 1 ? '' : 's'} added from new care plans; every assignment is kept.`
        : 'No new care plan visits to add.');
    } catch (err) {
      showError(byId('board'), region, err);
    } finally {
      setBusy(update, false);
    }
  });
}

function wirePublish() {
  const btn = byId('publish');
  btn.addEventListener('click', async () => {
    const week = state.board?.week;
    if (!week) return;
    const region = byId('tools-message');
    region.textContent = '';
    setBusy(btn, true, 'Publishing…');
    try {
      const reply = await api.post(`/api/rota/weeks/${week.id}/publish`, {});
      await loadBoard(reply?.week?.id ?? week.id);
      const v = state.board?.week?.version ?? reply?.week?.version;
      setText('solve-status', `Published: version ${v}. Carers can now see their visits.`);
    } catch (err) {
      showError(byId('board'), region, err);
    } finally {
      setBusy(btn, false);
      renderToolsLabelOnly();
    }
  });
}

/** setBusy() restores the label from before; put the right one back. */
function renderToolsLabelOnly() {
  const week = state.board?.week;
  if (week) setText('publish', week.status === 'published' ? 'Publish again' : 'Publish');
}

/* ---- changes since publishing ------------------------------------------------------ */

async function loadChanges() {
  const week = state.board?.week;
  if (!week) return;
  const section = byId('changes-section');
  section.hidden = false;
  let changes;
  try {
    const reply = await api.get(`/api/rota/weeks/${week.id}/changes`);
    changes = Array.isArray(reply?.changes) ? reply.changes : [];
  } catch (err) {
    if (!handleSignedOut(err)) setText('changes-none', `Could not load the changes: ${err.message}`);
    byId('changes-none').hidden = false;
    byId('changes-table').hidden = true;
    return;
  }
  if (state.board?.week?.id !== week.id) return;
  byId('changes-none').hidden = changes.length > 0;
  setText('changes-none', 'Nothing has changed since the rota was published.');
  byId('changes-table').hidden = changes.length === 0;
  const tbody = byId('changes-body');
  tbody.replaceChildren();
  for (const c of changes) {
    const tr = el('tr');
    const when = el('td');
    when.dataset.label = 'When';
    when.append(instantElement(c.at));
    const who = el('td', c.user || 'carecoop');
    who.dataset.label = 'Who';
    const what = el('td');
    what.dataset.label = 'Visit';
    const v = state.visits.get(Number(c.visit_id));
    if (v) {
      const b = el('button', visitLabel(v), 'link-button');
      b.type = 'button';
      b.dataset.visit = String(v.id);
      what.append(b);
    } else {
      what.textContent = c.visit_id ? `visit #${c.visit_id}` : '—';
    }
    const detail = el('td', c.detail || '—');
    detail.dataset.label = 'What changed';
    tr.append(when, who, what, detail);
    tbody.append(tr);
  }
}

/* ---- the visit dialog ------------------------------------------------------------- */

function carerOptions() {
  const list = [...state.carers.values()].sort((a, b) => String(a.known_as).localeCompare(String(b.known_as)));
  return list;
}

function chosenCarers() {
  return [...byId('visit-selects').querySelectorAll('select')]
    .map((s) => s.value).filter((v) => v !== '').map(Number);
}

function openVisit(id, opener) {
  const v = state.visits.get(Number(id));
  if (!v) return;
  const dialog = byId('visit-dialog');
  const form = byId('visit-form');
  clearErrors(form, byId('visit-message'));
  state.dialog = { visit: v, opener, seq: 0 };

  const { date } = splitLocal(v.local_start);
  setText('visit-heading', `${recipientName(v.recipient)}, ${longDayLabel(date)}, ${timeRange(v.local_start, v.minutes)}`);

  const dl = byId('visit-details');
  dl.replaceChildren();
  const row = (term, value) => {
    dl.append(el('dt', term));
    const dd = el('dd');
    if (value instanceof Node) dd.append(value); else dd.textContent = value || '—';
    dl.append(dd);
  };
  if (v.recipient?.area) row('Area', v.recipient.area);
  row('Length', minutesLabel(v.minutes));
  row('Tasks', v.tasks);
  row('Skills needed', (v.skills ?? []).join(', ') || 'none');
  row('Carers needed', String(v.carers_needed ?? 1));
  if (isCancelled(v)) row('Status', 'Cancelled');
  if (needsCarer(v)) {
    const need = needMarker();
    need.append(el('span', ` (${openPlaces(v)})`));
    row('Cover', need);
  }

  const ul = byId('visit-carers');
  ul.replaceChildren();
  if ((v.carers ?? []).length === 0) ul.append(el('li', 'Nobody yet.', 'muted'));
  for (const c of v.carers ?? []) {
    const li = el('li');
    const name = el('strong', c.known_as || carerName(c.id));
    li.append(name);
    if (c.pinned) li.append(' ', pinMarker());
    const why = c.reason || (c.pinned ? 'chosen by a coordinator' : '');
    li.append(el('span', why ? `: ${why}` : '', 'visit-carers__reason'));
    ul.append(li);
  }

  const selects = byId('visit-selects');
  selects.replaceChildren();
  const need = Math.max(Number(v.carers_needed) || 1, (v.carers ?? []).length);
  const options = carerOptions();
  for (let i = 0; i < need; i += 1) {
    const s = document.createElement('select');
    s.id = `visit-carer-${i}`;
    s.dataset.field = `carers[${i}]`;
    const none = el('option', 'Nobody (leave the place open)');
    none.value = '';
    s.append(none);
    for (const c of options) {
      const o = el('option', c.known_as);
      o.value = String(c.id);
      s.append(o);
    }
    const current = v.carers?.[i];
    s.value = current ? String(current.id) : '';
    const wrap = el('div', null, 'field field--compact');
    const label = el('label', need === 1 ? 'Carer' : `Carer ${i + 1}`);
    label.htmlFor = s.id;
    const err = el('p', '', 'field-error');
    err.id = `visit-carer-${i}-error`;
    err.setAttribute('role', 'alert');
    s.dataset.errorId = err.id;
    wrap.append(label, s, err);
    selects.append(wrap);
    s.addEventListener('change', () => checkChoice());
  }
  byId('visit-check').replaceChildren();
  byId('visit-save').hidden = !state.canEdit;
  byId('visit-pick').hidden = !state.canEdit;
  dialog.showModal();
  (selects.querySelector('select') ?? byId('visit-cancel')).focus();
}

async function checkChoice() {
  const d = state.dialog;
  if (!d) return;
  const form = byId('visit-form');
  clearErrors(form, byId('visit-message'));
  const out = byId('visit-check');
  const ids = chosenCarers();
  const seq = ++d.seq;
  if (new Set(ids).size !== ids.length) {
    out.replaceChildren(el('p', 'The same carer is chosen twice: choose different carers.', 'check check--bad'));
    return;
  }
  if (ids.length === 0) {
    out.replaceChildren(el('p', 'Nobody chosen: the visit will need a carer.', 'check check--bad'));
    return;
  }
  out.replaceChildren(el('p', 'Checking…', 'check'));
  try {
    const reply = await api.post(`/api/visits/${d.visit.id}/check`, { carers: ids });
    if (seq !== d.seq || state.dialog !== d) return;
    if (reply.ok) {
      const names = ids.map(carerName).join(' and ');
      out.replaceChildren(el('p', `✓ ${names} can do this visit.`, 'check check--ok'));
    } else {
      const p = el('p', 'This would break the rules:', 'check check--bad');
      out.replaceChildren(p, reasonsList(reply.reasons));
    }
  } catch (err) {
    if (seq !== d.seq) return;
    if (handleSignedOut(err)) return;
    out.replaceChildren(el('p', `Could not check: ${err.message}`, 'check check--bad'));
  }
}

function wireVisitDialog() {
  const dialog = byId('visit-dialog');
  const form = byId('visit-form');
  const message = byId('visit-message');
  const save = byId('visit-save');
  byId('visit-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    const opener = state.dialog?.opener;
    state.dialog = null;
    if (opener?.isConnected) opener.focus();
    else if (opener?.dataset?.visit) focusVisit(opener.dataset.visit);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const d = state.dialog;
    if (!d || save.disabled) return;
    clearErrors(form, message);
    const ids = chosenCarers();
    if (new Set(ids).size !== ids.length) {
      message.textContent = 'The same carer is chosen twice: choose different carers.';
      return;
    }
    setBusy(save, true, 'Saving…');
    try {
      const reply = await api.put(`/api/visits/${d.visit.id}/carers`, { carers: ids, pinned: true });
      const v = reply?.visit ?? d.visit;
      const names = ids.length ? ids.map(carerName).join(' and ') : 'nobody';
      setBusy(save, false);
      dialog.close();
      setText('solve-status', `Saved: ${visitLabel(v)} now with ${names} (pinned).`);
      await loadBoard(state.board.week.id);
      focusVisit(d.visit.id);
    } catch (err) {
      setBusy(save, false);
      if (handleSignedOut(err)) return;
      if (err instanceof ApiError && err.status === 409) {
        const reasons = err.body?.reasons ?? [];
        message.replaceChildren(el('span', `Not saved: ${err.message}`));
        if (reasons.length) message.append(reasonsList(reasons));
        const idx = /^carers\[(\d+)\]$/.exec(err.field ?? '');
        if (idx) {
          const s = byId(`visit-carer-${idx[1]}`);
          if (s) {
            s.setAttribute('aria-invalid', 'true');
            s.focus();
          }
        }
        return;
      }
      showError(form, message, err);
    }
  });
}

/** Put focus back on a visit's chip after the board was drawn again. */
function focusVisit(id) {
  const panel = [...document.querySelectorAll('#board-views [role="tabpanel"]')].find((p) => !p.hidden);
  const target = panel?.querySelector(`.chip[data-visit="${CSS.escape(String(id))}"]`)
    ?? document.querySelector(`.chip[data-visit="${CSS.escape(String(id))}"]`);
  target?.focus();
}

function wireOpeners() {
  const handler = (event) => {
    const b = event.target.closest('[data-visit]');
    if (b) openVisit(b.dataset.visit, b);
  };
  byId('board-views').addEventListener('click', handler);
  byId('uncovered-list').addEventListener('click', handler);
  byId('changes-body').addEventListener('click', handler);
}

/* ---- carer off sick --------------------------------------------------------------- */

function fillCoverCarers() {
  const s = byId('cover-carer');
  const keep = s.value;
  s.replaceChildren();
  const none = el('option', 'Choose a carer');
  none.value = '';
  s.append(none);
  for (const c of carerOptions()) {
    const o = el('option', c.known_as);
    o.value = String(c.id);
    s.append(o);
  }
  s.value = keep;
  if (s.value !== keep) s.value = '';
  const start = byId('cover-start');
  if (!start.value && state.board) {
    start.value = `${state.board.week.week_start}T00:00`;
    byId('cover-end').value = `${addDays(state.board.week.week_start, 1)}T00:00`;
  }
}

function renderCover(changes, confirmed) {
  const box = byId('cover-result');
  box.hidden = false;
  const tbody = byId('cover-body');
  tbody.replaceChildren();
  let waiting = 0;
  let applied = 0;
  const sorted = [...changes].sort((a, b) => String(a.local_start).localeCompare(String(b.local_start)));
  for (const c of sorted) {
    const tr = el('tr');
    const cell = (label, content) => {
      const td = el('td');
      td.dataset.label = label;
      if (content instanceof Node) td.append(content); else td.textContent = content || '—';
      tr.append(td);
    };
    const v = state.visits.get(Number(c.visit_id));
    const { date } = splitLocal(c.local_start);
    const th = el('th', `${shortDayLabel(date)}, ${splitLocal(c.local_start).time ?? ''}`);
    th.scope = 'row';
    th.dataset.label = 'Visit';
    tr.append(th);
    cell('Person', recipientName(c.recipient) || recipientName(v?.recipient));
    cell('Was', (c.from ?? []).map(carerName).join(', ') || 'nobody');
    const to = (c.to ?? []).map(carerName).join(', ');
    const short = (c.to ?? []).length < (Number(v?.carers_needed) || 1);
    if (to && short) {
      const now = el('span', `${to} `);
      now.append(needMarker());
      cell('Now', now);
    } else {
      cell('Now', to || needMarker());
    }
    let stateText;
    if (c.needs_confirmation && !c.applied) {
      waiting += 1;
      const s = el('span', null, 'need');
      s.append(el('span', '⚠ ', 'need__icon'), el('span', 'Waiting for your confirmation: starts within 24 hours'));
      s.firstChild.setAttribute('aria-hidden', 'true');
      stateText = s;
    } else if (c.applied) {
      applied += 1;
      stateText = 'Changed';
    } else {
      stateText = 'Not changed';
    }
    cell('State', stateText);
    tbody.append(tr);
  }
  byId('cover-table').hidden = changes.length === 0;
  const summary = changes.length === 0
    ? 'The carer had no visits in that time: the absence is recorded.'
    : `${applied} visit${applied === 1 ? '' : 's'} changed` +
      (waiting ? `; ${waiting} wait${waiting === 1 ? 's' : ''} for your confirmation.` : '.') +
      (confirmed ? ' Confirmed.' : '');
  setText('cover-summary', summary);
  byId('cover-confirm').hidden = waiting === 0;
}

function wireCover() {
  const form = byId('cover-form');
  const message = byId('cover-message');
  const submit = byId('cover-submit');
  const confirmBtn = byId('cover-confirm');

  const send = async (body, btn, busyLabel) => {
    const week = state.board?.week;
    if (!week) return;
    setBusy(btn, true, busyLabel);
    try {
      const reply = await api.post(`/api/rota/weeks/${week.id}/cover`, body);
      state.cover = body;
      await loadBoard(week.id);
      renderCover(Array.isArray(reply?.changes) ? reply.changes : [], body.confirm);
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(btn, false);
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, message);
    const carer = byId('cover-carer').value;
    const start = byId('cover-start').value;
    const end = byId('cover-end').value;
    if (!carer) { showError(form, message, new Error('choose the carer who is off'), 'carer_id'); return; }
    if (!start) { showError(form, message, new Error('enter when the absence starts'), 'start'); return; }
    if (!end) { showError(form, message, new Error('enter when the absence ends'), 'end'); return; }
    if (end <= start) { showError(form, message, new Error('the end must be after the start'), 'end'); return; }
    await send({ carer_id: Number(carer), start, end, confirm: false }, submit, 'Finding cover…');
  });

  confirmBtn.addEventListener('click', async () => {
    if (!state.cover) return;
    clearErrors(form, message);
    await send({ ...state.cover, confirm: true }, confirmBtn, 'Confirming…');
  });
}

/* ---- printable view --------------------------------------------------------------- */

function printTable(caption, visits, lastLabel, last) {
  const table = el('table', null, 'print-table');
  table.append(el('caption', caption));
  const head = el('tr');
  for (const h of ['Day', 'Time', 'Person', 'Area', 'Tasks', lastLabel]) {
    const th = el('th', h);
    th.scope = 'col';
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  for (const v of visits) {
    const tr = el('tr');
    const { date } = splitLocal(v.local_start);
    for (const text of [shortDayLabel(date), timeRange(v.local_start, v.minutes), recipientName(v.recipient),
      v.recipient?.area ?? '', v.tasks ?? '', last(v)]) {
      tr.append(el('td', text || ''));
    }
    tbody.append(tr);
  }
  table.append(thead, tbody);
  return table;
}

function renderPrint(board) {
  const holder = byId('print-tables');
  holder.replaceChildren();
  byId('back-to-board').href = `/rota.html?week=${encodeURIComponent(board.week.week_start ?? state.weekStart)}`;
  const status = board.week.status === 'published' ? `published, version ${board.week.version}` : 'draft, not yet published';
  setText('print-heading', `Rota by carer (${status})`);
  const visits = (board.visits ?? []).filter((v) => !isCancelled(v));
  const names = (list) => list.map((a) => a.known_as || carerName(a.id)).join(', ');
  const open = visits.filter(needsCarer).sort(byStart);
  if (open.length) {
    const sec = el('section', null, 'print-carer');
    sec.append(el('h3', NEED_TEXT));
    sec.append(printTable(`Visits that need a carer (${open.length})`, open, 'Carers so far',
      (v) => names(v.carers ?? []) || 'nobody'));
    holder.append(sec);
  }
  for (const c of board.carers ?? []) {
    const mine = visits.filter((v) => (v.carers ?? []).some((a) => Number(a.id) === Number(c.id))).sort(byStart);
    const sec = el('section', null, 'print-carer');
    sec.append(el('h3', c.known_as));
    sec.append(el('p', `${mine.length} visit${mine.length === 1 ? '' : 's'}, ${minutesLabel(c.visit_minutes ?? 0)} of visits, `
      + `${minutesLabel(c.travel_minutes ?? 0)} travel, contract ${minutesLabel(c.contract_minutes ?? 0)}`, 'muted'));
    if (mine.length === 0) {
      sec.append(el('p', 'No visits this week.'));
    } else {
      sec.append(printTable(`Visits for ${c.known_as}`, mine, 'With',
        (v) => names((v.carers ?? []).filter((a) => Number(a.id) !== Number(c.id)))));
    }
    holder.append(sec);
  }
}

/* ---- start ------------------------------------------------------------------ */

async function main() {
  const user = await startPage();
  state.user = user;
  if (!hasAnyRole(user, ['coordinator', 'admin'])) {
    const box = byId('no-access');
    box.hidden = false;
    box.querySelector('[data-message]').textContent = 'The rota is for coordinators. Carers see their own visits under My calendar.';
    byId('loading').hidden = true;
    byId('main').setAttribute('aria-busy', 'false');
    return;
  }
  state.canEdit = hasAnyRole(user, ['coordinator']);
  state.printMode = new URLSearchParams(window.location.search).get('print') === '1';
  if (state.printMode) {
    document.body.classList.add('print-mode');
    byId('week-form').hidden = true;
    byId('week-status').hidden = true;
  }

  wireWeekPicker();
  wireCreate();
  wireSolve();
  wirePublish();
  wireVisitDialog();
  wireOpeners();
  wireCover();
  byId('print-now').addEventListener('click', () => window.print());
  state.selectTab = wireTabs(byId('rota-tabs'));
  state.selectTab(window.location.hash === '#by-person' ? 'by-person' : 'by-carer');

  state.weekStart = initialWeek();
  byId('week-start').value = state.weekStart;
  setUrl();
  await loadWeek();
  showContent();
}

main().catch((err) => {
  if (!handleSignedOut(err)) showPageError(err.message);
});
