// people.js: the People area (people.html) for administrators and
// coordinators: tabs for carers (GET /api/carers?q=), people receiving care
// (GET /api/recipients?q=) and, for administrators and treasurers, current
// members (GET /api/members?q=&status=current); each row links to the
// person's own page. "Add a carer" (POST /api/carers) and "Add a person
// receiving care" (POST /api/recipients) open the new record.

import { api, ApiError } from './api.js';
import { setBusy } from './form.js';
import { hasAnyRole, showContent, startPage } from './nav.js';
import { buildPersonFields, readPersonFields } from './person-form.js';
import {
  byId, clearErrors, debounce, fillTable, handleSignedOut, hoursValueToMinutes, input,
  labelled, link, minutesLabel, penceLabel, dateElement, personName, setText, showError,
  wireTabs,
} from './ui.js';

const lists = {
  carers: {
    path: (q) => `/api/carers?q=${encodeURIComponent(q)}`,
    key: 'carers',
    noun: ['carer', 'carers'],
    columns: [
      { label: 'Name', header: true, cell: (c) => link(`/carer.html?id=${c.id}`, personName(c)) },
      { label: 'Area', cell: (c) => c.area },
      { label: 'Skills', cell: (c) => (c.skills ?? []).map(skillName).join(', ') },
      { label: 'Email', className: 'email', cell: (c) => c.email },
      { label: 'Contract a week', className: 'num', cell: (c) => (c.contract_minutes === undefined ? '' : minutesLabel(c.contract_minutes)) },
    ],
  },
  recipients: {
    path: (q) => `/api/recipients?q=${encodeURIComponent(q)}`,
    key: 'recipients',
    noun: ['person receiving care', 'people receiving care'],
    columns: [
      { label: 'Name', header: true, cell: (r) => link(`/recipient.html?id=${r.id}`, personName(r)) },
      { label: 'Area', cell: (r) => r.area },
      { label: 'Care team', cell: (r) => (Array.isArray(r.team) ? r.team.map((t) => t.known_as).join(', ') : '') },
    ],
  },
  members: {
    path: (q) => `/api/members?status=current&q=${encodeURIComponent(q)}`,
    key: 'members',
    noun: ['current member', 'current members'],
    columns: [
      { label: 'Name', header: true, cell: (m) => m.full_name },
      { label: 'Class', cell: (m) => m.class_name || m.class },
      { label: 'Joined', cell: (m) => dateElement(m.joined_on) },
      { label: 'Share', className: 'num', cell: (m) => penceLabel(m.share_pence) },
    ],
  },
};

let skillNames = new Map();
function skillName(code) {
  return skillNames.get(code) ?? code;
}

/** One list: search box, live count, table. Loads on first show. */
function wireList(name) {
  const spec = lists[name];
  const form = byId(`${name}-search`);
  const q = byId(`${name}-q`);
  const status = byId(`${name}-status`);
  const table = byId(`${name}-table`);
  const tbody = byId(`${name}-body`);
  let seq = 0;
  let loaded = false;

  async function load() {
    loaded = true;
    const mine = ++seq;
    const text = q.value.trim();
    status.textContent = 'Searching…';
    try {
      const reply = await api.get(spec.path(text));
      if (mine !== seq) return; // a newer search has started
      const items = Array.isArray(reply?.[spec.key]) ? reply[spec.key] : [];
      fillTable(tbody, items, spec.columns);
      table.hidden = items.length === 0;
      const [one, many] = spec.noun;
      const count = items.length === 1 ? `1 ${one}` : `${items.length} ${many}`;
      status.textContent = items.length === 0
        ? (text ? `No ${many} match “${text}”.` : `No ${many} yet.`)
        : (text ? `${count} match “${text}”.` : `${count}.`);
    } catch (err) {
      if (mine !== seq || handleSignedOut(err)) return;
      table.hidden = true;
      status.textContent = `Could not load the list: ${err.message}`;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  q.addEventListener('input', debounce(load, 300));
  return { load, loadOnce: () => (loaded ? null : load()) };
}

/** The "Add a carer" / "Add a person receiving care" forms. */
function wireAddForms() {
  const carerFields = byId('add-carer-fields');
  buildPersonFields(carerFields, {}, ['full_name', 'known_as', 'email', 'phone', 'area'], 'new-carer');
  const hours = input('text', '', { inputmode: 'decimal', id: 'new-carer-hours', autocomplete: 'off' });
  carerFields.append(labelled('Contract hours a week', hours,
    { hint: 'For example 30, or 22.5. Use 0 for a zero-hours contract.', field: 'contract_minutes' }).wrap);

  const carerForm = byId('add-carer-form');
  const carerMsg = byId('add-carer-message');
  carerForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(carerForm, carerMsg);
    const read = readPersonFields(carerFields);
    if (read.error) { showError(carerForm, carerMsg, new Error(read.error), read.field); return; }
    const minutes = hours.value.trim() === '' ? 0 : hoursValueToMinutes(hours.value);
    if (!Number.isFinite(minutes)) {
      showError(carerForm, carerMsg, new Error('Contract hours must be a number, such as 30 or 22.5.'), 'contract_minutes');
      return;
    }
    const submit = carerForm.querySelector('button[type="submit"]');
    setBusy(submit, true, 'Adding…');
    try {
      const reply = await api.post('/api/carers', { ...read.body, contract_minutes: minutes, skills: [] });
      const id = reply?.carer?.id ?? reply?.person?.id ?? reply?.id;
      window.location.assign(id ? `/carer.html?id=${id}` : '/people.html#carers');
    } catch (err) {
      setBusy(submit, false);
      showError(carerForm, carerMsg, err);
    }
  });

  const recFields = byId('add-recipient-fields');
  buildPersonFields(recFields, {}, ['full_name', 'known_as', 'email', 'phone', 'address', 'area'], 'new-recipient');
  const recForm = byId('add-recipient-form');
  const recMsg = byId('add-recipient-message');
  recForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(recForm, recMsg);
    const read = readPersonFields(recFields);
    if (read.error) { showError(recForm, recMsg, new Error(read.error), read.field); return; }
    const submit = recForm.querySelector('button[type="submit"]');
    setBusy(submit, true, 'Adding…');
    try {
      const reply = await api.post('/api/recipients', read.body);
      const id = reply?.recipient?.id ?? reply?.person?.id ?? reply?.id;
      window.location.assign(id ? `/recipient.html?id=${id}` : '/people.html#recipients');
    } catch (err) {
      setBusy(submit, false);
      showError(recForm, recMsg, err);
    }
  });
}

async function main() {
  const user = await startPage();
  if (!hasAnyRole(user, ['admin', 'coordinator'])) {
    const note = byId('no-access');
    note.querySelector('[data-message]').textContent = 'The People area is for the co-op\'s administrators and coordinators.';
    note.hidden = false;
    byId('loading').hidden = true;
    byId('main').setAttribute('aria-busy', 'false');
    return;
  }
  if (user.roles.includes('admin')) byId('audit-link').hidden = false;
  const seesMembers = hasAnyRole(user, ['admin', 'treasurer']);
  byId('tab-members').hidden = !seesMembers;

  try {
    const reply = await api.get('/api/skills');
    skillNames = new Map((reply?.skills ?? []).map((s) => [s.code, s.name]));
  } catch (err) {
    if (handleSignedOut(err)) return;
    // names fall back to the codes
  }

  const wired = { carers: wireList('carers'), recipients: wireList('recipients') };
  if (seesMembers) wired.members = wireList('members');
  wireAddForms();

  const select = wireTabs(byId('people-tabs'), (name) => wired[name]?.loadOnce());
  const wanted = window.location.hash.replace('#', '');
  select(wired[wanted] ? wanted : 'carers');
  showContent();
}

main().catch((err) => {
  if (!(err instanceof ApiError)) setText('page-error', `Something went wrong: ${err.message}`);
});
