// availability.js: a carer's own availability page (availability.html),
// made for a phone: the weekly pattern editor and the leave list with a
// request form. Without ?id= it opens the signed-in carer's own record
// (GET /api/carers answers a carer with only themself); a coordinator may
// open ?id=N for any carer.

import { api, ApiError } from './api.js';
import { showContent, startPage } from './nav.js';
import { mountExceptions, mountWeeklyEditor } from './availability-editor.js';
import {
  byId, handleSignedOut, queryId, setText, showNotFound,
} from './ui.js';

async function main() {
  const user = await startPage();
  let id = queryId();
  try {
    if (id === null) {
      if (!user.roles.includes('carer')) {
        showNotFound('This page is for carers: it shows your own availability. Coordinators open a carer from the People page.');
        return;
      }
      const reply = await api.get('/api/carers');
      const mine = (reply?.carers ?? []).find((c) => c.user_id === user.id) ?? reply?.carers?.[0];
      id = mine?.id ?? null;
      if (id === null) {
        showNotFound('Your account is not linked to a carer record yet. Ask a coordinator to link it.');
        return;
      }
    }
  } catch (err) {
    if (handleSignedOut(err)) return;
    showNotFound(`Could not find your carer record: ${err.message}`);
    return;
  }

  let carer;
  try {
    const reply = await api.get(`/api/carers/${id}`);
    carer = reply?.carer ?? reply;
  } catch (err) {
    if (handleSignedOut(err)) return;
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      showNotFound('This carer was not found, or their record is not open to your account.');
      return;
    }
    showNotFound(`Could not load the availability: ${err.message}`);
    return;
  }

  const isSelf = carer.user_id === user.id;
  const isCoordinator = user.roles.includes('coordinator');
  if (!isSelf) {
    setText('availability-heading', `Availability: ${carer.known_as || carer.full_name}`);
    setText('availability-lead', `When ${carer.known_as || carer.full_name} can usually work, and their leave.`);
    document.title = `Availability: ${carer.known_as || carer.full_name} – carecoop`;
  }
  mountWeeklyEditor(byId('weekly'), { carerId: id, weekly: carer.weekly, canEdit: isSelf || isCoordinator });
  await mountExceptions(byId('exceptions'), {
    carerId: id, canDecide: isCoordinator, isSelf, carerName: carer.known_as || carer.full_name,
  });
  showContent();
}

main().catch((err) => {
  if (!(err instanceof ApiError)) setText('page-error', `Something went wrong: ${err.message}`);
});
