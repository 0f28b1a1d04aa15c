// carer.js: one carer's page (carer.html?id=N). Coordinators and
// administrators edit the details (PATCH /api/carers/{id}): person fields,
// skills as checkboxes from GET /api/skills, contract and maximum hours
// (the API counts minutes; people think in hours). Coordinators and the carer
// themself edit the weekly availability and see the leave list; coordinators
// approve or refuse requests.

import { api, ApiError } from './api.js';
import { setBusy } from './form.js';
import { hasAnyRole, showContent, startPage } from './nav.js';
import { mountExceptions, mountWeeklyEditor } from './availability-editor.js';
import { buildPersonFields, personDetailsList, readPersonFields } from './person-form.js';
import {
  byId, clearErrors, el, handleSignedOut, hoursValueToMinutes, input, minutesLabel,
  minutesToHoursValue, personName, queryId, setText, showError, showNotFound, showSuccess, uid,
} from './ui.js';

let skills = [];

function renderSkills(selected) {
  const list = byId('skills-list');
  list.replaceChildren();
  const chosen = new Set(selected ?? []);
  for (const s of skills) {
    const box = input('checkbox', s.code, { id: uid(`skill-${s.code}`), name: 'skills' });
    box.checked = chosen.has(s.code);
    const label = el('label', s.name, 'check');
    label.prepend(box, ' ');
    list.append(label);
  }
  if (skills.length === 0) list.append(el('p', 'No skills have been set up yet.', 'muted'));
}

function renderRead(carer) {
  const box = byId('details-read');
  const dl = personDetailsList(carer, ['full_name', 'known_as', 'email', 'phone', 'area']);
  const names = new Map(skills.map((s) => [s.code, s.name]));
  dl.append(el('dt', 'Skills'), el('dd', (carer.skills ?? []).map((c) => names.get(c) ?? c).join(', ') || 'None recorded'));
  dl.append(el('dt', 'Contract'), el('dd', `${minutesLabel(carer.contract_minutes)} a week`));
  dl.append(el('dt', 'Most hours in any week'), el('dd', minutesLabel(carer.max_week_minutes)));
  box.replaceChildren(dl);
  box.hidden = false;
}

function renderHeader(carer) {
  setText('carer-heading', personName(carer));
  document.title = `${carer.full_name || carer.known_as} – Carer – carecoop`;
  const parts = [];
  if (carer.area) parts.push(carer.area);
  if (carer.contract_minutes !== undefined) parts.push(`contract ${minutesLabel(carer.contract_minutes)} a week`);
  setText('carer-lead', parts.length ? `Carer · ${parts.join(' · ')}` : 'Carer');
}

function fillForm(carer) {
  const fields = byId('details-fields');
  fields.replaceChildren();
  buildPersonFields(fields, carer, null, 'carer');
  byId('contract-hours').value = minutesToHoursValue(carer.contract_minutes ?? 0);
  byId('max-hours').value = minutesToHoursValue(carer.max_week_minutes ?? 2880);
  renderSkills(carer.skills);
}

function wireForm(carerId, onSaved) {
  const form = byId('details-form');
  const message = byId('details-message');
  const save = byId('details-save');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearErrors(form, message);
    const read = readPersonFields(byId('details-fields'));
    if (read.error) { showError(form, message, new Error(read.error), read.field); return; }
    const contract = hoursValueToMinutes(byId('contract-hours').value);
    if (!Number.isFinite(contract)) {
      showError(form, message, new Error('Contract hours must be a number, such as 30 or 22.5.'), 'contract_minutes');
      return;
    }
    const max = hoursValueToMinutes(byId('max-hours').value);
    if (!Number.isFinite(max)) {
      showError(form, message, new Error('Most hours must be a number, such as 48.'), 'max_week_minutes');
      return;
    }
    const chosen = [...form.querySelectorAll('input[name="skills"]:checked')].map((b) => b.value);
    setBusy(save, true, 'Saving…');
    try {
      await api.patch(`/api/carers/${carerId}`, {
        ...read.body, skills: chosen, contract_minutes: contract, max_week_minutes: max,
      });
      const fresh = await onSaved();
      showSuccess(message, `Saved. Contract ${minutesLabel(fresh?.contract_minutes ?? contract)} a week.`);
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });
}

/** The carer's own id, for a carer opening this page without ?id=. */
async function ownCarerId(user) {
  if (!user.roles.includes('carer')) return null;
  const reply = await api.get('/api/carers');
  const mine = (reply?.carers ?? []).find((c) => c.user_id === user.id) ?? reply?.carers?.[0];
  return mine?.id ?? null;
}

async function main() {
  const user = await startPage();
  let id = queryId();
  try {
    if (id === null) id = await ownCarerId(user);
  } catch (err) {
    if (handleSignedOut(err)) return;
  }
  if (id === null) {
    showNotFound('No carer was chosen. Open a carer from the People page.');
    return;
  }

  let carer;
  try {
    const [c, s] = await Promise.all([
      api.get(`/api/carers/${id}`),
      api.get('/api/skills').catch(() => ({ skills: [] })),
    ]);
    carer = c?.carer ?? c;
    skills = Array.isArray(s?.skills) ? s.skills : [];
  } catch (err) {
    if (handleSignedOut(err)) return;
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      showNotFound('This carer was not found, or their record is not open to your account.');
      return;
    }
    showNotFound(`Could not load this carer: ${err.message}`);
    return;
  }

  const isSelf = carer.user_id !== null && carer.user_id !== undefined && carer.user_id === user.id;
  const canEditDetails = hasAnyRole(user, ['admin', 'coordinator']);
  byId('breadcrumb').hidden = !canEditDetails; // the People area is for staff
  const isCoordinator = user.roles.includes('coordinator');
  renderHeader(carer);

  const reload = async () => {
    const fresh = await api.get(`/api/carers/${id}`);
    carer = fresh?.carer ?? fresh;
    renderHeader(carer);
    fillForm(carer);
    return carer;
  };

  if (canEditDetails) {
    fillForm(carer);
    wireForm(id, reload);
    byId('details-form').hidden = false;
  } else {
    renderRead(carer);
  }

  // The API lets coordinators and the carer themself change availability and see leave.
  mountWeeklyEditor(byId('weekly'), { carerId: id, weekly: carer.weekly, canEdit: isCoordinator || isSelf });
  if (isCoordinator || isSelf) {
    await mountExceptions(byId('exceptions'), {
      carerId: id, canDecide: isCoordinator, isSelf, carerName: carer.known_as || carer.full_name,
    });
  } else {
    byId('exceptions').replaceChildren(el('p', 'Leave and sickness are managed by the coordinators.', 'muted'));
  }
  showContent();
}

main().catch((err) => {
  if (!(err instanceof ApiError)) setText('page-error', `Something went wrong: ${err.message}`);
});
