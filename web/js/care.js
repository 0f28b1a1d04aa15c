// care.js: "My people" (care.html): the people receiving care a carer is in
// the care team of, or a family member or representative may follow, from
// GET /api/recipients?q= (the API lists only those). Each links to the
// person's page.

import { api, ApiError } from './api.js';
import { hasAnyRole, showContent, startPage } from './nav.js';
import {
  byId, debounce, el, handleSignedOut, link, personName, setText,
} from './ui.js';

function card(r) {
  const li = el('li', null, 'person-card');
  const h = el('h2', null, 'person-card__name');
  h.append(link(`/recipient.html?id=${r.id}`, personName(r)));
  li.append(h);
  if (r.area) li.append(el('p', r.area, 'muted'));
  if (Array.isArray(r.team) && r.team.length) {
    li.append(el('p', `Care team: ${r.team.map((t) => t.known_as).join(', ')}`));
  }
  return li;
}

async function main() {
  const user = await startPage();
  const isCarer = user.roles.includes('carer');
  if (isCarer) {
    setText('care-lead', 'The people whose care team you are in. Open someone to see their care plan and notes.');
    byId('care-availability').hidden = false;
  } else if (!hasAnyRole(user, ['admin', 'coordinator'])) {
    setText('care-lead', 'The people you are a family member or representative of. Open someone to see their visits and care team.');
  } else {
    setText('care-lead', 'Everyone receiving care. The People area has the full lists.');
  }

  const list = byId('care-list');
  const status = byId('care-status');
  const q = byId('care-q');
  let seq = 0;
  async function load() {
    const mine = ++seq;
    const text = q.value.trim();
    try {
      const reply = await api.get(`/api/recipients?q=${encodeURIComponent(text)}`);
      if (mine !== seq) return;
      const items = Array.isArray(reply?.recipients) ? reply.recipients : [];
      list.replaceChildren(...items.map(card));
      if (items.length === 0) {
        status.textContent = text ? `No one matches “${text}”.`
          : (isCarer ? 'You are not in anyone’s care team yet.'
            : 'You are not linked to anyone receiving care. A coordinator can add you as a family member or representative.');
      } else {
        status.textContent = items.length === 1 ? '1 person.' : `${items.length} people.`;
      }
    } catch (err) {
      if (mine !== seq || handleSignedOut(err)) return;
      status.textContent = `Could not load the list: ${err.message}`;
    }
  }
  byId('care-search').addEventListener('submit', (event) => { event.preventDefault(); load(); });
  q.addEventListener('input', debounce(load, 300));
  await load();
  showContent();
}

main().catch((err) => {
  if (!(err instanceof ApiError)) setText('page-error', `Something went wrong: ${err.message}`);
});
