// gov-page.js: the server-rendered proposal pages (/proposals, /proposals/N).
//
// The pages work without JavaScript: the vote form posts to the server with
// the CSRF token in a hidden field and comes back with the receipt. With
// JavaScript, this adds the navigation bar and sends the same vote through
// the JSON API (POST /api/proposals/N/ballot), showing the receipt in place
// without a reload.

import { api, ApiError } from './api.js';
import { showContent, startPage } from './nav.js';

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/** The JSON body for the ballot from the form's fields. */
function ballotBody(form) {
  const data = new FormData(form);
  const method = form.dataset.method;
  const body = {};
  if (method === 'stv') {
    body.ranking = data.getAll('rank').filter((v) => v !== '').map(Number);
  } else if (method === 'approval') {
    body.approve = data.getAll('approve').map(Number);
  } else {
    const choice = data.get('choice');
    if (choice) body.choice = choice;
  }
  const behalf = data.get('on_behalf_of');
  if (behalf) body.on_behalf_of = Number(behalf);
  return body;
}

function showReceipt(form, reply) {
  document.getElementById('vote-error')?.remove();
  let box = document.getElementById('receipt');
  if (!box) {
    box = el('div', null, 'alert alert--success gov-receipt');
    box.id = 'receipt';
    box.setAttribute('role', 'status');
    box.tabIndex = -1;
    form.before(box);
  }
  const first = el('p', reply.changed ? 'Your vote was changed. Your new receipt is ' : 'Your vote was recorded. Your receipt is ');
  first.append(el('strong', reply.receipt, 'receipt'), '.');
  const second = el('p', 'Keep it. When voting closes, every receipt is published with the vote it carries, so you can check that yours was counted. You can change your vote until then; only your last vote counts.');
  box.replaceChildren(first, second);
  box.focus();
}

function showError(form, message) {
  let box = document.getElementById('vote-error');
  if (!box) {
    box = el('div', null, 'alert alert--error');
    box.id = 'vote-error';
    box.setAttribute('role', 'alert');
    form.before(box);
  }
  box.replaceChildren(el('p', `Your vote was not recorded: ${message}`));
}

function enhanceVoteForm() {
  const form = document.getElementById('vote-form');
  if (!form) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    const body = ballotBody(form);
    if (!body.choice && !body.ranking?.length && !body.approve) {
      showError(form, form.dataset.method === 'stv' ? 'choose at least your first choice.' : 'choose how you vote first.');
      return;
    }
    button.disabled = true;
    try {
      const reply = await api.post(`/api/proposals/${form.dataset.proposal}/ballot`, body);
      showReceipt(form, reply);
    } catch (err) {
      showError(form, err instanceof ApiError ? err.message : 'please try again.');
    } finally {
      button.disabled = false;
    }
  });
}

try {
  await startPage();
  showContent();
  enhanceVoteForm();
} catch {
  // Without the session check the plain form still works.
}
