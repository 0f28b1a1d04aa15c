// import.js: CSV import of carers or people receiving care (import.html).
// "Check" posts the file with ?dry_run=1 and lists every bad row (line,
// column, what is wrong); nothing is written. "Import" posts it for real:
// all rows in one transaction, or none when any row is bad (docs/API.md,
// "CSV import and export").

import { api, ApiError } from './api.js';
import { setBusy } from './form.js';
import { hasAnyRole, showContent, startPage } from './nav.js';
import {
  byId, clearErrors, fillTable, handleSignedOut, markFieldError, setText, showError,
} from './ui.js';

const COLUMNS = {
  carers: 'Columns: full_name, known_as, email, phone, address, area, lat, lon, contract_minutes, max_week_minutes, skills (skill codes separated by “;”).',
  recipients: 'Columns: full_name, known_as, email, phone, address, area, lat, lon, team (carer emails separated by “;”, in order of preference).',
};
const NOUNS = { carers: ['carer', 'carers'], recipients: ['person receiving care', 'people receiving care'] };
const MAX_BYTES = 1024 * 1024;

function kind() {
  return document.querySelector('input[name="kind"]:checked')?.value ?? 'carers';
}

function rowsLabel(n, k) {
  const [one, many] = NOUNS[k];
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 problems found" (error_count may be more than the errors listed). */
function problems(reply) {
  const listed = Array.isArray(reply?.errors) ? reply.errors.length : 0;
  const n = Number.isInteger(reply?.error_count) ? reply.error_count : listed;
  const more = n > listed ? ` (the first ${listed} are listed)` : '';
  return `${n} problem${n === 1 ? '' : 's'} found${more}`;
}

function showResult({ ok, text, errors }) {
  const section = byId('result-section');
  const summary = byId('result-summary');
  section.hidden = false;
  summary.classList.toggle('alert--success', ok);
  summary.classList.toggle('alert--error', !ok);
  summary.textContent = text;
  const list = Array.isArray(errors) ? errors : [];
  fillTable(byId('errors-body'), list, [
    { label: 'Line', header: true, className: 'num', cell: (e) => String(e.line ?? '') },
    { label: 'Column', cell: (e) => e.field ?? '' },
    { label: 'What is wrong', cell: (e) => e.error ?? '' },
  ]);
  byId('errors-table').hidden = list.length === 0;
  byId('result-heading').focus();
}

async function readFile(form, message) {
  const fileInput = byId('import-file');
  const file = fileInput.files?.[0];
  if (!file) { markFieldError(fileInput, 'Choose a CSV file first.'); return null; }
  if (file.size > MAX_BYTES) { markFieldError(fileInput, 'The file is larger than 1 MB: split it into smaller files.'); return null; }
  try {
    return await file.text();
  } catch (err) {
    showError(form, message, new Error(`Could not read the file: ${err.message}`));
    return null;
  }
}

async function main() {
  const user = await startPage();
  if (!hasAnyRole(user, ['admin', 'coordinator'])) {
    const note = byId('no-access');
    note.querySelector('[data-message]').textContent = 'Importing is for the co-op\'s administrators and coordinators.';
    note.hidden = false;
    byId('loading').hidden = true;
    byId('main').setAttribute('aria-busy', 'false');
    return;
  }
  const form = byId('import-form');
  const message = byId('import-message');
  const check = byId('import-check');
  const run = byId('import-run');
  const hint = byId('columns-hint');
  const updateHint = () => { hint.textContent = COLUMNS[kind()]; };
  for (const r of form.querySelectorAll('input[name="kind"]')) r.addEventListener('change', updateHint);
  updateHint();

  async function go(dryRun) {
    clearErrors(form, message);
    const text = await readFile(form, message);
    if (text === null) return;
    const k = kind();
    const btn = dryRun ? check : run;
    setBusy(btn, true, dryRun ? 'Checking…' : 'Importing…');
    try {
      const reply = await api.postCsv(`/api/import/${k}${dryRun ? '?dry_run=1' : ''}`, text);
      const rows = Number(reply?.rows ?? 0);
      if (dryRun) {
        const errors = reply?.errors ?? [];
        showResult(reply?.ok
          ? { ok: true, text: `All ${rowsLabel(rows, k)} are right. Nothing has been imported yet: press Import to add them.`, errors }
          : { ok: false, text: `${problems(reply)}. Nothing has been imported. Fix the rows below and check again.`, errors });
      } else {
        showResult({ ok: true, text: `Imported ${rowsLabel(rows, k)}.`, errors: [] });
      }
    } catch (err) {
      if (handleSignedOut(err)) return;
      if (err instanceof ApiError && Array.isArray(err.body?.errors)) {
        const errors = err.body.errors;
        showResult({ ok: false, text: `Nothing was imported: ${problems(err.body)}.`, errors });
      } else {
        showError(form, message, err);
      }
    } finally {
      setBusy(btn, false);
    }
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); go(true); });
  run.addEventListener('click', () => go(false));
  showContent();
}

main().catch((err) => {
  if (!(err instanceof ApiError)) setText('page-error', `Something went wrong: ${err.message}`);
});
