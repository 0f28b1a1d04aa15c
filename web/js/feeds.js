// feeds.js: the calendar feed page (feeds.html), from GET /api/feeds
// (docs/API.md "Calendar feeds"). Each feed the person is entitled to is a
// card: its private web address (https) and a webcal:// link that makes a
// phone offer to subscribe, a QR code to scan, and buttons to make a new
// link (the old one stops working) or stop the feed. What feeds show is a
// co-op setting: shown to everyone, changed by coordinators and admins.

import { api } from './api.js';
import { clearPageError, hasAnyRole, showContent, showPageError, startPage } from './nav.js';
import { byId, el, handleSignedOut, setText } from './ui.js';

const KIND_LABELS = {
  carer: 'Your visits as a carer',
  recipient: 'Care visits',
  coordinator: 'Every visit in the co-op',
};

function httpsUrl(path) {
  return new URL(path, window.location.origin).href;
}

function webcalUrl(path) {
  return httpsUrl(path).replace(/^https?:/, 'webcal:');
}

function privacySentence(s) {
  const where = {
    area: 'the area they are in, not the full address',
    address: 'the full address',
    none: 'no place at all',
  }[s.location] ?? s.location;
  const tasks = s.include_tasks
    ? 'Carers’ and coordinators’ feeds also list the visit’s tasks, which can contain health details.'
    : 'They never contain the visit’s tasks or any health details.';
  return `Visits show a time, first names and ${where}. ${tasks} Families see when a visit is and the carer’s first name. Calendar apps are asked to check for changes every ${s.refresh_minutes} minutes.`;
}

function announce(text) {
  setText('feeds-status', text);
}

async function act(fn, message) {
  clearPageError();
  try {
    await fn();
    announce(message);
    await load();
  } catch (err) {
    if (!handleSignedOut(err)) showPageError(err.message);
  }
}

function linkBlock(feed) {
  const wrap = el('div', null, 'feed-card__links');
  const id = `feed-url-${feed.kind}-${feed.person_id ?? 'all'}`;
  const label = el('label', 'Web address (keep it private)');
  label.htmlFor = id;
  const input = el('input', null, 'feed-card__url');
  input.id = id;
  input.type = 'text';
  input.readOnly = true;
  input.value = httpsUrl(feed.path);
  input.addEventListener('focus', () => input.select());
  const copy = el('button', 'Copy address', 'button button--quiet');
  copy.type = 'button';
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      announce('Address copied.');
    } catch {
      input.select();
      announce('Select the address and copy it.');
    }
  });
  const subscribe = el('a', 'Subscribe on this device', 'button');
  subscribe.href = webcalUrl(feed.path);
  const qr = el('img', null, 'feed-card__qr');
  qr.src = `/api/feeds/${feed.id}/qr.svg`;
  qr.alt = `QR code of the subscription link for ${feed.title}`;
  qr.width = 180;
  qr.height = 180;
  wrap.append(label, input, el('div', null, 'button-row'), qr);
  wrap.querySelector('.button-row').append(subscribe, copy);
  return wrap;
}

function feedCard(feed) {
  const li = el('li', null, 'card feed-card');
  const title = KIND_LABELS[feed.kind] ?? feed.kind;
  li.append(el('h3', feed.person_name && feed.kind !== 'carer' ? `${title}: ${feed.person_name}` : title));
  const actions = el('div', null, 'button-row');
  if (feed.id) {
    li.append(linkBlock(feed));
    const renew = el('button', 'Make a new link', 'button button--quiet');
    renew.type = 'button';
    renew.addEventListener('click', () => {
      if (!window.confirm('Make a new link? The old one stops working at once, on every device that uses it.')) return;
      act(() => api.post('/api/feeds', { kind: feed.kind, person_id: feed.person_id ?? undefined }),
        'A new link was made; the old one no longer works.');
    });
    const stop = el('button', 'Stop this feed', 'button button--quiet');
    stop.type = 'button';
    stop.addEventListener('click', () => {
      if (!window.confirm('Stop this feed? Calendars subscribed to it stop getting visits.')) return;
      act(() => api.del(`/api/feeds/${feed.id}`), 'The feed was stopped.');
    });
    actions.append(renew, stop);
  } else {
    li.append(el('p', 'No link yet. Make one to subscribe in your calendar app.'));
    const make = el('button', 'Make a link', 'button');
    make.type = 'button';
    make.addEventListener('click', () => act(
      () => api.post('/api/feeds', { kind: feed.kind, person_id: feed.person_id ?? undefined }),
      'The link was made.',
    ));
    actions.append(make);
  }
  li.append(actions);
  return li;
}

function renderSettings(settings, canEdit) {
  setText('privacy-summary', privacySentence(settings));
  const form = byId('settings-form');
  form.hidden = !canEdit;
  if (!canEdit) return;
  byId('setting-location').value = settings.location;
  byId('setting-tasks').checked = settings.include_tasks;
  byId('setting-refresh').value = String(settings.refresh_minutes);
}

async function load() {
  const reply = await api.get('/api/feeds');
  renderSettings(reply.settings, state.canEdit);
  const list = byId('feeds');
  list.replaceChildren(...reply.feeds.map(feedCard));
  byId('no-feeds').hidden = reply.feeds.length > 0;
}

const state = { canEdit: false };

function wireSettings() {
  byId('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearPageError();
    const body = {
      location: byId('setting-location').value,
      include_tasks: byId('setting-tasks').checked,
      refresh_minutes: Number(byId('setting-refresh').value),
    };
    try {
      const reply = await api.put('/api/feed-settings', body);
      renderSettings(reply.settings, true);
      setText('settings-status', 'Saved. Feeds show this from their next refresh.');
    } catch (err) {
      if (!handleSignedOut(err)) showPageError(err.message);
    }
  });
}

async function main() {
  const user = await startPage();
  state.canEdit = hasAnyRole(user, ['coordinator', 'admin']);
  wireSettings();
  await load();
  showContent();
}

main().catch((err) => {
  if (!handleSignedOut(err)) showPageError(err.message);
});
