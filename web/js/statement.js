// statement.js: a member's own surplus statement (GET /api/me/surplus):
// for each approved distribution, their share, its basis figures and the
// sentences that explain how it was worked out.

import { api, ApiError } from './api.js';
import { showContent, startPage, showPageError } from './nav.js';
import { byId, el, penceLabel } from './ui.js';

const STATUS = { approved: 'approved, to be paid', paid: 'paid' };

function row(dl, term, value) {
  dl.append(el('dt', term), el('dd', value));
}

function render(s) {
  const card = el('section', '', 'card statement');
  const id = `statement-${s.run.id}-${s.membership_id}`;
  const h = el('h2', `${s.run.year_start} to ${s.run.year_end}`);
  h.id = id;
  card.setAttribute('aria-labelledby', id);
  const total = el('p', '', 'statement__total');
  total.append('Your share: ', el('strong', penceLabel(s.total_pence)),
    ` (${STATUS[s.run.status] ?? s.run.status}).`);
  const dl = el('dl', '', 'statement__figures');
  row(dl, 'Class', s.class_name);
  row(dl, 'Days a member in the year', String(s.days));
  row(dl, 'Share capital', penceLabel(s.share_pence));
  if (s.worked_minutes > 0) row(dl, 'Minutes worked (visits and travel)', s.worked_minutes.toLocaleString('en-GB'));
  if (s.care_minutes > 0) row(dl, 'Minutes of care received', s.care_minutes.toLocaleString('en-GB'));
  row(dl, 'Interest on share capital', penceLabel(s.interest_pence));
  row(dl, 'Dividend', penceLabel(s.dividend_pence));
  const how = el('ul', '', 'statement__how');
  for (const line of s.how) how.append(el('li', line));
  card.append(h, total, dl, el('h3', 'How it was worked out'), how);
  if (s.run.proposal) card.append(el('p', `Approved by the members' decision “${s.run.proposal.title}”.`, 'note'));
  return card;
}

async function main() {
  await startPage();
  const reply = await api.get('/api/me/surplus');
  const box = byId('statements');
  box.replaceChildren(...reply.statements.map(render));
  byId('none').hidden = reply.statements.length > 0;
  showContent();
}

main().catch((err) => {
  if (err instanceof ApiError && err.status === 401) return;
  showContent();
  showPageError(`Could not load your statement: ${err.message}`);
});
