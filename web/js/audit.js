// audit.js: the audit log (audit.html, administrators): who saw or changed
// which record and when, newest first, from GET /api/audit, filtered by the
// kind of record (and optionally its number).

import { api, ApiError } from './api.js';
import { hasAnyRole, showContent, startPage } from './nav.js';
import {
  byId, clearErrors, el, fillTable, instantElement, link, markFieldError, setText, showError,
} from './ui.js';

const KNOWN_KINDS = ['carer', 'recipient', 'person', 'membership', 'member_class', 'skill', 'plan_line', 'exception', 'team', 'viewers', 'import'];
const ACTIONS = { view: 'Viewed', create: 'Created', update: 'Changed', delete: 'Deleted', import: 'Imported' };
const PAGES = { carer: '/carer.html', recipient: '/recipient.html' };

function kindLabel(kind) {
  const words = String(kind ?? '').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function userLabel(u) {
  if (u === null || u === undefined || u === '') return 'System';
  if (typeof u === 'object') return u.name || u.email || `Account ${u.id}`;
  return String(u);
}

function recordCell(e) {
  const label = `${kindLabel(e.object)}${e.object_id ? ` ${e.object_id}` : ''}`;
  if (e.object_id && PAGES[e.object]) return link(`${PAGES[e.object]}?id=${e.object_id}`, label);
  return label;
}

function addKinds(kinds) {
  const sel = byId('audit-object');
  const have = new Set([...sel.options].map((o) => o.value));
  for (const k of kinds) {
    if (!k || have.has(k)) continue;
    const o = el('option', kindLabel(k));
    o.value = k;
    sel.append(o);
    have.add(k);
  }
}

async function main() {
  const user = await startPage();
  if (!hasAnyRole(user, ['admin'])) {
    const note = byId('no-access');
    note.querySelector('[data-message]').textContent = 'The audit log is for the co-op\'s administrators.';
    note.hidden = false;
    byId('loading').hidden = true;
    byId('main').setAttribute('aria-busy', 'false');
    return;
  }
  addKinds(KNOWN_KINDS);
  const params = new URLSearchParams(window.location.search);
  if (params.get('object')) { addKinds([params.get('object')]); byId('audit-object').value = params.get('object'); }
  if (params.get('id')) byId('audit-id').value = params.get('id');

  const form = byId('audit-filter');
  const message = byId('audit-message');
  async function load() {
    clearErrors(form, message);
    const object = byId('audit-object').value;
    const id = byId('audit-id').value.trim();
    if (id !== '' && !/^[1-9][0-9]*$/.test(id)) { markFieldError(byId('audit-id'), 'A record number is a whole number, such as 12.'); return; }
    const q = new URLSearchParams();
    if (object) q.set('object', object);
    if (id) q.set('id', id);
    q.set('limit', byId('audit-limit').value);
    try {
      const reply = await api.get(`/api/audit?${q}`);
      const entries = Array.isArray(reply?.entries) ? reply.entries : [];
      addKinds(entries.map((e) => e.object));
      fillTable(byId('audit-body'), entries, [
        { label: 'When', header: true, cell: (e) => instantElement(e.at) },
        { label: 'Who', cell: (e) => userLabel(e.user) },
        { label: 'Action', cell: (e) => ACTIONS[e.action] ?? e.action },
        { label: 'Record', cell: recordCell },
        { label: 'Detail', cell: (e) => e.detail },
      ]);
      byId('audit-table').hidden = entries.length === 0;
      setText('audit-count', entries.length === 0 ? 'No entries.' : `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, newest first.`);
      window.history.replaceState(null, '', `?${q}`);
    } catch (err) {
      showError(form, message, err);
    }
  }
  form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  byId('audit-object').addEventListener('change', load);
  await load();
  showContent();
}

main().catch((err) => {
  if (!(err instanceof ApiError)) setText('page-error', `Something went wrong: ${err.message}`);
});
