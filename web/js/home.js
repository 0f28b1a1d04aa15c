// home.js: the home page (home.html).
//
// Who is signed in and with which roles, the co-op at a glance from
// GET /api/summary, the accounts list for administrators (GET /api/users),
// and the "Change password" form (POST /api/me/password).

import { api, ApiError } from './api.js';
import {
  clearFormErrors, sentence, setBusy, showFormError, showFormSuccess,
} from './form.js';
import { listRoles, roleLabel, showContent, showPageError, startPage } from './nav.js';

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function setText(id, text) {
  const node = document.getElementById(id);
  if (node) node.textContent = String(text);
}

const numberFormat = new Intl.NumberFormat('en-GB');
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
  hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
});

/** closes_at may be an ISO 8601 string or Unix seconds; show it in local time. */
function timeElement(value) {
  let date = null;
  if (typeof value === 'number') date = new Date(value < 1e12 ? value * 1000 : value);
  else if (typeof value === 'string' && value !== '') date = new Date(value);
  if (!date || Number.isNaN(date.getTime())) return el('span', value ?? 'no closing date set');
  const t = el('time', dateFormat.format(date));
  t.dateTime = date.toISOString();
  return t;
}

function kindLabel(kind) {
  if (typeof kind !== 'string' || kind === '') return '';
  const words = kind.replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function renderWho(user) {
  setText('greeting', `Hello, ${user.name || user.email}`);
  setText('who-email', user.email);
  setText('who-roles', listRoles(user.roles));
}

function renderSummary(summary) {
  const coopName = summary?.coop?.name || 'Your co-operative';
  setText('coop-name', coopName);
  setText('stat-carers', numberFormat.format(summary.carers ?? 0));
  setText('stat-recipients', numberFormat.format(summary.recipients ?? 0));
  document.title = `Home – ${coopName} – carecoop`;

  const classes = Array.isArray(summary.member_classes) ? summary.member_classes : [];
  const tbody = document.getElementById('classes-body');
  tbody.replaceChildren();
  for (const c of classes) {
    const tr = el('tr');
    const th = el('th', c.name || c.code);
    th.scope = 'row';
    tr.append(th, el('td', numberFormat.format(c.members ?? 0), 'num'));
    tbody.append(tr);
  }
  document.getElementById('classes-table').hidden = classes.length === 0;
  document.getElementById('classes-empty').hidden = classes.length !== 0;

  const proposals = Array.isArray(summary.open_proposals) ? summary.open_proposals : [];
  const list = document.getElementById('proposals-list');
  list.replaceChildren();
  for (const p of proposals) {
    const li = el('li', null, 'proposal');
    const link = el('a', p.title, 'proposal__title');
    link.href = `/proposals/${p.id}`;
    li.append(link);
    const meta = el('span', null, 'proposal__meta');
    const kind = kindLabel(p.kind);
    if (kind) meta.append(el('span', kind, 'tag'), ' ');
    meta.append('Voting closes ', timeElement(p.closes_at));
    li.append(meta);
    list.append(li);
  }
  list.hidden = proposals.length === 0;
  document.getElementById('proposals-empty').hidden = proposals.length !== 0;
}

function renderUsers(users) {
  const tbody = document.getElementById('users-body');
  tbody.replaceChildren();
  for (const u of users) {
    const tr = el('tr');
    const name = el('th', u.name);
    name.scope = 'row';
    const email = el('td', u.email, 'email');
    const roles = el('td', (u.roles ?? []).map(roleLabel).join(', ') || '—');
    const status = el('td', u.disabled ? 'Disabled' : 'Active', u.disabled ? 'status status--off' : 'status');
    for (const [cell, label] of [[email, 'Email'], [roles, 'Roles'], [status, 'Status']]) {
      cell.dataset.label = label;
    }
    tr.append(name, email, roles, status);
    tbody.append(tr);
  }
  setText('users-count', users.length === 1 ? '1 account' : `${numberFormat.format(users.length)} accounts`);
}

async function loadUsers() {
  const section = document.getElementById('users-section');
  section.hidden = false;
  try {
    const reply = await api.users();
    renderUsers(Array.isArray(reply.users) ? reply.users : []);
    document.getElementById('users-table').hidden = false;
  } catch (err) {
    setText('users-error', `Could not load the accounts: ${sentence(err.message)}`);
  }
}

function wirePasswordForm() {
  const form = document.getElementById('password-form');
  const region = document.getElementById('password-message');
  const current = document.getElementById('current-password');
  const next = document.getElementById('new-password');
  const confirm = document.getElementById('confirm-password');
  const submit = document.getElementById('password-submit');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearFormErrors(form, region);

    if (current.value === '') {
      showFormError(region, 'Enter your current password.', current);
      return;
    }
    if ([...next.value].length < 10) {
      showFormError(region, 'Your new password must be at least 10 characters long.', next);
      return;
    }
    if (new TextEncoder().encode(next.value).length > 256) {
      showFormError(region, 'Your new password is too long: keep it under 256 bytes.', next);
      return;
    }
    if (confirm.value !== next.value) {
      showFormError(region, 'The two new passwords do not match. Type the new password again.', confirm);
      return;
    }

    setBusy(submit, true, 'Changing password…');
    try {
      await api.changePassword(current.value, next.value);
      form.reset();
      showFormSuccess(region,
        'Your password has been changed. You stay signed in here; any other devices have been signed out.');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        window.location.replace('/index.html');
        return;
      }
      const target = err instanceof ApiError && err.field === 'current_password' ? current
        : err instanceof ApiError && err.field === 'new_password' ? next : null;
      showFormError(region, err.message, target);
    } finally {
      setBusy(submit, false);
    }
  });
}

async function main() {
  const user = await startPage();
  renderWho(user);
  wirePasswordForm();

  const isAdmin = user.roles.includes('admin');
  const usersDone = isAdmin ? loadUsers() : Promise.resolve();
  try {
    renderSummary(await api.summary());
    document.getElementById('summary-section').hidden = false;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      window.location.replace('/index.html');
      return;
    }
    showPageError(`Could not load the co-op summary: ${err.message}`);
  }
  await usersDone;
  showContent();
}

main().catch(() => {});
