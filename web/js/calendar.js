// calendar.js: a carer's own week on a phone (calendar.html), from
// GET /api/me/visits?week=MONDAY (docs/API.md "Rota"): this week first, with
// previous/next week buttons; the visits grouped by day with the time, the
// person's first name, address, tasks and who else comes (a double-up), and
// the week's totals (visit hours, travel, contract). A week whose rota is not
// published yet says so plainly. Everything from the server is written with
// textContent.

import { api, ApiError } from './api.js';
import { clearPageError, hasAnyRole, showContent, showPageError, startPage } from './nav.js';
import { byId, el, handleSignedOut, minutesLabel, setText, todayLocal } from './ui.js';
import {
  addDays, fullDateLabel, longDayLabel, mondayOf, parseDate, shortDayLabel, splitLocal,
  timeRange, weekDates,
} from './week.js';

const state = { week: '', thisWeek: '', seq: 0 };

function relativeName(monday) {
  const diff = Math.round((parseDate(monday) - parseDate(state.thisWeek)) / (7 * 86400000));
  if (diff === 0) return 'This week';
  if (diff === 1) return 'Next week';
  if (diff === -1) return 'Last week';
  return 'Week';
}

function weekTitle(monday) {
  return `${relativeName(monday)}: ${shortDayLabel(monday)} – ${fullDateLabel(addDays(monday, 6))}`;
}

function setUrl() {
  const params = new URLSearchParams(window.location.search);
  if (state.week === state.thisWeek) params.delete('week'); else params.set('week', state.week);
  const q = params.toString();
  window.history.replaceState(null, '', q ? `?${q}` : window.location.pathname);
}

/** Did the server say that this week has no published rota? */
function notPublished(reply) {
  if (!reply) return true;
  if (reply.published === false) return true;
  if (typeof reply.status === 'string' && reply.status !== 'published') return true;
  return false;
}

function showNotice(text) {
  const note = byId('week-note');
  note.textContent = text;
  note.hidden = text === '';
}

function renderTotals(reply) {
  setText('total-visits', minutesLabel(reply.visit_minutes ?? 0));
  setText('total-travel', minutesLabel(reply.travel_minutes ?? 0));
  setText('total-contract', minutesLabel(reply.contract_minutes ?? 0));
  const count = (reply.visits ?? []).length;
  setText('total-count', `${count} visit${count === 1 ? '' : 's'}`);
  byId('totals').hidden = false;
}

function visitCard(v) {
  const li = el('li', null, 'visit-card');
  const time = el('p', null, 'visit-card__time');
  const t = el('time', timeRange(v.local_start, v.minutes));
  t.dateTime = String(v.local_start ?? '').replace('T', ' ');
  time.append(t, el('span', ` (${minutesLabel(v.minutes)})`, 'muted'));
  li.append(time);
  const r = v.recipient ?? {};
  li.append(el('h4', r.known_as || 'Someone', 'visit-card__name'));
  const dl = el('dl', null, 'visit-card__details');
  const row = (term, value) => {
    if (!value) return;
    dl.append(el('dt', term), el('dd', value));
  };
  row('Address', [r.address, r.area && !(r.address ?? '').includes(r.area) ? r.area : ''].filter(Boolean).join(', '));
  row('Tasks', v.tasks);
  const others = Array.isArray(v.with) ? v.with.filter(Boolean) : [];
  row('With', others.length ? others.join(' and ') : '');
  li.append(dl);
  return li;
}

function renderDays(visits) {
  const holder = byId('days');
  holder.replaceChildren();
  const byDay = new Map(weekDates(state.week).map((d) => [d, []]));
  for (const v of visits) {
    const { date } = splitLocal(v.local_start);
    if (byDay.has(date)) byDay.get(date).push(v);
  }
  const today = todayLocal();
  for (const [date, list] of byDay) {
    list.sort((a, b) => String(a.local_start).localeCompare(String(b.local_start)));
    const sec = el('section', null, 'my-day');
    const h = el('h3', longDayLabel(date));
    if (date === today) {
      h.append(el('span', ' (today)', 'muted'));
      sec.classList.add('my-day--today');
    }
    h.id = `day-${date}`;
    sec.setAttribute('aria-labelledby', h.id);
    sec.append(h);
    if (list.length === 0) {
      sec.append(el('p', 'No visits.', 'muted my-day__none'));
    } else {
      const ol = el('ol', null, 'visit-cards');
      for (const v of list) ol.append(visitCard(v));
      sec.append(ol);
    }
    holder.append(sec);
  }
}

async function load() {
  clearPageError();
  const mine = ++state.seq;
  setUrl();
  setText('week-heading', weekTitle(state.week));
  setText('week-live', '');
  byId('days').setAttribute('aria-busy', 'true');
  let reply;
  try {
    reply = await api.get(`/api/me/visits?week=${encodeURIComponent(state.week)}`);
  } catch (err) {
    if (mine !== state.seq) return;
    byId('days').setAttribute('aria-busy', 'false');
    if (handleSignedOut(err)) return;
    byId('days').replaceChildren();
    byId('totals').hidden = true;
    if (err instanceof ApiError && err.status === 404) {
      showNotice('The rota for this week has not been published yet, so there are no visits to show. Your coordinator publishes each week’s rota before it starts.');
      setText('week-live', `${weekTitle(state.week)}: not published yet.`);
      return;
    }
    showNotice('');
    showPageError(`Could not load your visits: ${err.message}`);
    return;
  }
  if (mine !== state.seq) return;
  byId('days').setAttribute('aria-busy', 'false');
  const visits = Array.isArray(reply?.visits) ? reply.visits : [];
  if (notPublished(reply) && visits.length === 0) {
    byId('days').replaceChildren();
    byId('totals').hidden = true;
    showNotice('The rota for this week has not been published yet, so there are no visits to show. Your coordinator publishes each week’s rota before it starts.');
    setText('week-live', `${weekTitle(state.week)}: not published yet.`);
    return;
  }
  showNotice(visits.length === 0 ? 'You have no visits in this week’s rota.' : '');
  renderTotals(reply);
  renderDays(visits);
  setText('week-live', `${weekTitle(state.week)}: ${visits.length} visit${visits.length === 1 ? '' : 's'}.`);
}

async function main() {
  const user = await startPage();
  if (!hasAnyRole(user, ['carer'])) {
    const box = byId('no-access');
    box.hidden = false;
    box.querySelector('[data-message]').textContent = 'My calendar shows a carer’s own visits. Your account does not have the Carer role.';
    byId('loading').hidden = true;
    byId('main').setAttribute('aria-busy', 'false');
    return;
  }
  state.thisWeek = mondayOf(todayLocal());
  const asked = new URLSearchParams(window.location.search).get('week');
  state.week = asked && parseDate(asked) ? mondayOf(asked) : state.thisWeek;
  byId('prev-week').addEventListener('click', () => { state.week = addDays(state.week, -7); load(); });
  byId('next-week').addEventListener('click', () => { state.week = addDays(state.week, 7); load(); });
  await load();
  showContent();
}

main().catch((err) => {
  if (!handleSignedOut(err)) showPageError(err.message);
});
