// members.js: the register of members (members.html) for administrators and
// treasurers: the list with a status filter (GET /api/members?q=&status=),
// the CSV download (/api/members.csv), and for administrators adding a
// membership (POST /api/members), ending one (POST /api/members/{id}/end)
// and the member classes (POST /api/member-classes, PATCH .../{id}).

import { api, ApiError } from './api.js';
import { setBusy } from './form.js';
import { hasAnyRole, showContent, startPage } from './nav.js';
import {
  button, byId, clearErrors, dateElement, debounce, el, fillTable, handleSignedOut, input,
  markFieldError, nameMore, penceLabel, personName, poundsToPence, select, setText, showError,
  showSuccess, todayLocal,
} from './ui.js';

const state = { isAdmin: false, classes: [], people: [], members: [] };

/* ---- register --------------------------------------------------------------- */

let endTarget = null;

function memberColumns() {
  const cols = [
    { label: 'Name', header: true, cell: (m) => m.full_name },
    { label: 'Class', cell: (m) => m.class_name || m.class },
    { label: 'Joined', cell: (m) => dateElement(m.joined_on) },
    { label: 'Left', cell: (m) => (m.left_on ? dateElement(m.left_on) : 'Current') },
    { label: 'Share', className: 'num', cell: (m) => penceLabel(m.share_pence) },
    { label: 'Standing', cell: (m) => (m.good_standing === false || m.good_standing === 0 ? 'Not in good standing' : 'Good') },
  ];
  if (state.isAdmin) {
    cols.push({
      label: 'Actions',
      cell: (m) => {
        if (m.left_on) return '';
        const b = button('End', { className: 'button button--quiet button--small' });
        nameMore(b, ` the membership of ${m.full_name}`);
        b.addEventListener('click', () => openEnd(m, b));
        return b;
      },
    });
  }
  return cols;
}

let seq = 0;
async function loadMembers() {
  const mine = ++seq;
  const q = byId('members-q').value.trim();
  const status = byId('members-status').value;
  const count = byId('members-count');
  const message = byId('register-message');
  message.textContent = '';
  try {
    const reply = await api.get(`/api/members?status=${encodeURIComponent(status)}&q=${encodeURIComponent(q)}`);
    if (mine !== seq) return;
    state.members = Array.isArray(reply?.members) ? reply.members : [];
    fillTable(byId('members-body'), state.members, memberColumns());
    byId('members-table').hidden = state.members.length === 0;
    const n = state.members.length;
    const what = { current: 'current member', former: 'former member', all: 'membership' }[status] ?? 'membership';
    count.textContent = n === 0 ? `No ${what}s${q ? ` match “${q}”` : ''}.` : `${n} ${what}${n === 1 ? '' : 's'}${q ? ` match “${q}”` : ''}.`;
  } catch (err) {
    if (mine !== seq) return;
    showError(byId('members-filter'), message, err);
  }
}

function openEnd(m, opener) {
  endTarget = { m, opener };
  const form = byId('end-form');
  clearErrors(form, byId('end-message'));
  setText('end-dialog-intro', `${m.full_name} has been a member (${m.class_name || m.class}) since ${m.joined_on}.`);
  const date = byId('end-left-on');
  date.value = todayLocal();
  date.min = m.joined_on ?? '';
  byId('end-dialog').showModal();
  date.focus();
}

function wireEnd() {
  const dialog = byId('end-dialog');
  const form = byId('end-form');
  const message = byId('end-message');
  const save = byId('end-save');
  byId('end-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (endTarget?.opener?.isConnected) endTarget.opener.focus();
    else byId('register-heading').focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!endTarget || save.disabled) return;
    clearErrors(form, message);
    const date = byId('end-left-on');
    if (!date.value) { markFieldError(date, 'Enter the date the membership ended.'); return; }
    setBusy(save, true, 'Ending…');
    try {
      await api.post(`/api/members/${endTarget.m.id}/end`, { left_on: date.value });
      const name = endTarget.m.full_name;
      endTarget.opener = null;
      await loadMembers();
      dialog.close();
      showSuccess(byId('register-message'), `The membership of ${name} has ended.`);
      await loadClasses();
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });
}

/* ---- add a membership -------------------------------------------------------- */

function fillAddForm() {
  const current = new Set(state.members.filter((m) => !m.left_on).map((m) => m.person_id));
  const people = state.people.filter((p) => !current.has(p.id));
  const personSel = byId('new-member-person');
  personSel.replaceChildren(...select([{ value: '', label: 'Choose a person…' }]
    .concat(people.map((p) => ({ value: p.id, label: p.email ? `${personName(p)} – ${p.email}` : personName(p) })))).children);
  personSel.value = '';
  const classSel = byId('new-member-class');
  const keep = classSel.value;
  classSel.replaceChildren(...select(state.classes.map((c) => ({ value: c.code, label: c.name }))).children);
  classSel.value = keep || state.classes[0]?.code || '';
  if (!byId('new-member-joined').value) byId('new-member-joined').value = todayLocal();
}

function wireAddMember() {
  const form = byId('add-member-form');
  const message = byId('add-member-message');
  const save = byId('add-member-save');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearErrors(form, message);
    const person = Number(byId('new-member-person').value);
    if (!person) { markFieldError(byId('new-member-person'), 'Choose who is joining.'); return; }
    const joined = byId('new-member-joined').value;
    if (!joined) { markFieldError(byId('new-member-joined'), 'Enter the date they joined.'); return; }
    const pence = poundsToPence(byId('new-member-share').value);
    if (!Number.isFinite(pence)) { markFieldError(byId('new-member-share'), 'Enter the share in pounds, such as 1 or 25.00.'); return; }
    setBusy(save, true, 'Adding…');
    try {
      await api.post('/api/members', {
        person_id: person,
        class: byId('new-member-class').value,
        joined_on: joined,
        share_pence: pence,
        good_standing: byId('new-member-standing').checked,
      });
      const name = personName(state.people.find((p) => p.id === person));
      byId('new-member-person').value = '';
      await Promise.all([loadMembers(), loadClasses()]);
      fillAddForm();
      showSuccess(message, `${name} is now a member.`);
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });
}

/* ---- classes --------------------------------------------------------------- */

async function loadClasses() {
  try {
    const reply = await api.get('/api/member-classes');
    state.classes = Array.isArray(reply?.classes) ? reply.classes : [];
  } catch (err) {
    if (handleSignedOut(err)) return;
    showError(byId('classes-table'), byId('classes-message'), err);
    return;
  }
  const cols = [
    { label: 'Name', header: true, cell: (c) => c.name },
    { label: 'Code', cell: (c) => c.code },
    { label: 'Members', className: 'num', cell: (c) => String(c.members ?? 0) },
  ];
  if (state.isAdmin) {
    cols.push({
      label: 'Rename',
      cell: (c) => {
        const form = el('form', null, 'rename');
        form.noValidate = true;
        const field = input('text', c.name, { autocomplete: 'off', 'aria-label': `New name for ${c.name}` });
        field.dataset.field = 'name';
        const save = button('Rename', { className: 'button button--quiet button--small', type: 'submit' });
        nameMore(save, ` ${c.name}`);
        const err = el('p', '', 'field-error');
        err.setAttribute('role', 'alert');
        form.append(field, save, err);
        form.addEventListener('submit', async (event) => {
          event.preventDefault();
          clearErrors(form);
          const name = field.value.trim();
          if (!name) { markFieldError(field, 'Enter a name.'); return; }
          setBusy(save, true, 'Saving…');
          try {
            await api.patch(`/api/member-classes/${c.id}`, { name });
            await loadClasses();
            showSuccess(byId('classes-message'), `Class ${c.code} is now called ${name}.`);
          } catch (e) {
            setBusy(save, false);
            showError(form, byId('classes-message'), e, 'name');
          }
        });
        return form;
      },
    });
  }
  fillTable(byId('classes-body'), state.classes, cols);
  if (state.isAdmin) fillAddForm();
}

function wireAddClass() {
  const form = byId('add-class-form');
  const message = byId('add-class-message');
  const save = byId('add-class-save');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearErrors(form, message);
    const code = byId('new-class-code').value.trim();
    const name = byId('new-class-name').value.trim();
    if (!code) { markFieldError(byId('new-class-code'), 'Enter a short code.'); return; }
    if (!name) { markFieldError(byId('new-class-name'), 'Enter the name of the class.'); return; }
    setBusy(save, true, 'Adding…');
    try {
      await api.post('/api/member-classes', { code, name });
      form.reset();
      await loadClasses();
      showSuccess(message, `Class ${name} added.`);
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });
}

async function main() {
  const user = await startPage();
  if (!hasAnyRole(user, ['admin', 'treasurer'])) {
    const note = byId('no-access');
    note.querySelector('[data-message]').textContent = 'The register of members is for the co-op\'s administrators and treasurer.';
    note.hidden = false;
    byId('loading').hidden = true;
    byId('main').setAttribute('aria-busy', 'false');
    return;
  }
  state.isAdmin = user.roles.includes('admin');
  byId('members-actions-head').hidden = !state.isAdmin;
  if (!state.isAdmin) {
    byId('members-actions-head').remove();
  }
  byId('register-heading').setAttribute('tabindex', '-1');

  const filter = byId('members-filter');
  filter.addEventListener('submit', (event) => { event.preventDefault(); loadMembers(); });
  byId('members-status').addEventListener('change', () => loadMembers());
  byId('members-q').addEventListener('input', debounce(loadMembers, 300));

  if (state.isAdmin) {
    try {
      const reply = await api.get('/api/people');
      state.people = Array.isArray(reply?.people) ? reply.people : [];
    } catch (err) {
      if (handleSignedOut(err)) return;
    }
    byId('add-member-section').hidden = false;
    byId('add-class-form').hidden = false;
    byId('classes-actions-head').hidden = false;
    wireAddMember();
    wireAddClass();
    wireEnd();
  }
  await loadMembers();
  await loadClasses();
  showContent();
}

main().catch((err) => {
  if (!(err instanceof ApiError)) setText('page-error', `Something went wrong: ${err.message}`);
});
