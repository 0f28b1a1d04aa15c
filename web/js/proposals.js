// proposals.js: the proposals page (proposals.html).
//
// Lists proposals from GET /api/proposals (open, drafts for admins, decided),
// shows the current rulebook (GET /api/rulebook), and lets an admin save a
// draft (POST /api/proposals), open it (POST .../open) and close and count it
// (POST .../close). Reading and voting happen on /proposals/N, a page the
// server renders so that it also works without JavaScript.

import { api, ApiError } from './api.js';
import { clearFormErrors, setBusy, showFormError, showFormSuccess } from './form.js';
import { showContent, showPageError, startPage } from './nav.js';

const KINDS = {
  ordinary: 'Ordinary resolution',
  special: 'Special resolution',
  election: 'Election',
  poll: 'Poll',
};
const OUTCOMES = { carried: 'Carried', lost: 'Lost', elected: 'Elected' };

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function timeEl(seconds) {
  if (!seconds) return el('span', 'no closing time');
  const d = new Date(seconds * 1000);
  const t = el('time', dateFormat.format(d));
  t.dateTime = d.toISOString();
  return t;
}

function kindLabel(p) {
  if (p.kind === 'election') {
    return `${p.method === 'approval' ? 'Election (approval)' : 'Election (STV)'} for ${p.seats} seat${p.seats === 1 ? '' : 's'}`;
  }
  return KINDS[p.kind] ?? p.kind;
}

function adminButton(label, path, after) {
  const b = el('button', label, 'button button--small');
  b.type = 'button';
  b.addEventListener('click', async () => {
    setBusy(b, true, `${label}…`);
    try {
      await api.post(path, {});
      await after();
    } catch (err) {
      showPageError(err instanceof ApiError ? err.message : String(err));
      setBusy(b, false);
    }
  });
  return b;
}

function item(p, isAdmin, reload) {
  const li = el('li', null, `gov-item gov-item--${p.status}`);
  const a = el('a', p.title);
  a.href = `/proposals/${p.id}`;
  li.append(a);
  const meta = el('span', `${kindLabel(p)} · `, 'gov-meta');
  if (p.status === 'open') {
    meta.append('closes ', timeEl(p.closes_at), ` · ${p.voted} of ${p.electorate} have voted`);
  } else if (p.status === 'decided') {
    meta.append(`${OUTCOMES[p.outcome] ?? p.outcome} · `);
    const r = el('a', 'results');
    r.href = `/results.html?id=${p.id}`;
    meta.append(r);
  } else {
    meta.append(p.status);
  }
  li.append(meta);
  if (isAdmin && p.status === 'draft') {
    li.append(adminButton('Open voting', `/api/proposals/${p.id}/open`, reload));
  } else if (isAdmin && p.status === 'open') {
    li.append(adminButton('Close and count', `/api/proposals/${p.id}/close`, reload));
  }
  return li;
}

function renderRules(rb) {
  const dl = document.getElementById('rules');
  dl.replaceChildren();
  if (!rb) return;
  const rows = [
    ['Version', `${rb.version}${rb.note ? ` – ${rb.note}` : ''}`],
    ['Ordinary resolution', `carried with more than ${rb.ordinary} of the weighted vote`],
    ['Special resolution', `carried with at least ${rb.special}`],
    ['Quorum', rb.quorum === '0/1' ? 'none' : `${rb.quorum} of the members must vote`],
    ['Abstentions', rb.abstain_as_cast ? 'count as votes cast (they weigh against)' : 'are not counted as votes cast'],
    ['Weighting', rb.weighting === 'equal' ? 'one member, one vote'
      : rb.weighting === 'shares' ? Object.entries(rb.shares).map(([c, v]) => `${c} ${v} %`).join(', ')
        : `${rb.capped_class} capped at ${rb.cap_percent} %`],
    ['Majority in every class', rb.majority_every_class ? 'required' : 'not required'],
    ['Proxies', `at most ${rb.proxy_limit} per member`],
  ];
  for (const [k, v] of rows) dl.append(el('dt', k), el('dd', v));
}

async function load(isAdmin) {
  const [{ proposals }, { rulebook }] = await Promise.all([
    api.get('/api/proposals'), api.get('/api/rulebook'),
  ]);
  const lists = {
    open: document.getElementById('list-open'),
    draft: document.getElementById('list-drafts'),
    closed: document.getElementById('list-closed'),
  };
  Object.values(lists).forEach((l) => l.replaceChildren());
  const reload = () => load(isAdmin);
  for (const p of proposals) {
    const key = p.status === 'open' ? 'open' : p.status === 'draft' ? 'draft' : 'closed';
    lists[key].append(item(p, isAdmin, reload));
  }
  document.getElementById('none-open').hidden = lists.open.children.length > 0;
  document.getElementById('drafts').hidden = !isAdmin;
  renderRules(rulebook);
}

function wireNewForm(isAdmin) {
  const section = document.getElementById('new-proposal');
  if (!isAdmin) return;
  section.hidden = false;
  const form = document.getElementById('new-form');
  const status = document.getElementById('new-status');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form, status);
    const data = new FormData(form);
    let kind = data.get('kind');
    let method;
    if (kind === 'approval') { kind = 'election'; method = 'approval'; }
    const body = {
      title: data.get('title').trim(),
      body: data.get('body').trim(),
      kind,
      closes_at: Math.floor(Date.now() / 1000) + Number(data.get('days')) * 86400,
    };
    if (method) body.method = method;
    if (kind === 'election') {
      body.seats = Number(data.get('seats'));
      body.options = data.get('options').split('\n').map((s) => s.trim()).filter((s) => s !== '');
    }
    const button = form.querySelector('button[type="submit"]');
    setBusy(button, true, 'Saving…');
    try {
      await api.post('/api/proposals', body);
      form.reset();
      await load(true);
    } catch (err) {
      const field = err instanceof ApiError && err.field ? form.elements[err.field === 'closes_at' ? 'days' : err.field] : null;
      showFormError(status, err.message, field ?? undefined);
    } finally {
      setBusy(button, false);
    }
  });
}

/** The admin's rulebook form: filled from the current version, saved as a new one. */
async function wireRulesForm(isAdmin) {
  if (!isAdmin) return;
  const section = document.getElementById('rules-edit');
  const form = document.getElementById('rules-form');
  const status = document.getElementById('rules-status');
  const [{ classes }, { rulebook: rb }] = await Promise.all([
    api.get('/api/member-classes'), api.get('/api/rulebook'),
  ]);
  const shares = document.getElementById('rule-shares-fields');
  const capped = document.getElementById('rule-capped-class');
  for (const c of classes) {
    const div = el('div', null, 'field');
    const label = el('label', c.name);
    label.htmlFor = `share-${c.code}`;
    const input = el('input');
    Object.assign(input, { id: `share-${c.code}`, type: 'number', min: 0, max: 100 });
    input.dataset.code = c.code;
    input.value = rb?.shares?.[c.code] ?? '';
    div.append(label, input);
    shares.append(div);
    const opt = el('option', c.name);
    opt.value = c.code;
    capped.append(opt);
  }
  const f = form.elements;
  f.ordinary.value = rb.ordinary;
  f.special.value = rb.special;
  f.quorum.value = rb.quorum;
  f.weighting.value = rb.weighting;
  f.proxy_limit.value = rb.proxy_limit;
  f.abstain_as_cast.checked = rb.abstain_as_cast;
  f.majority_every_class.checked = rb.majority_every_class;
  if (rb.capped_class) capped.value = rb.capped_class;
  if (rb.cap_percent) f.cap_percent.value = rb.cap_percent;
  const showWeighting = () => {
    document.getElementById('rule-shares').hidden = f.weighting.value !== 'shares';
    document.getElementById('rule-capped').hidden = f.weighting.value !== 'capped';
  };
  f.weighting.addEventListener('change', showWeighting);
  showWeighting();
  section.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form, status);
    const body = {
      ordinary: f.ordinary.value.trim(),
      special: f.special.value.trim(),
      quorum: f.quorum.value.trim(),
      weighting: f.weighting.value,
      proxy_limit: Number(f.proxy_limit.value),
      abstain_as_cast: f.abstain_as_cast.checked,
      majority_every_class: f.majority_every_class.checked,
      note: f.note.value.trim(),
    };
    if (body.weighting === 'shares') {
      body.shares = {};
      for (const input of shares.querySelectorAll('input')) {
        if (input.value !== '') body.shares[input.dataset.code] = Number(input.value);
      }
    } else if (body.weighting === 'capped') {
      body.capped_class = capped.value;
      body.cap_percent = Number(f.cap_percent.value);
    }
    const button = form.querySelector('button[type="submit"]');
    setBusy(button, true, 'Saving…');
    try {
      const reply = await api.post('/api/rulebook', body);
      renderRules(reply.rulebook);
      showFormSuccess(status, `Saved as version ${reply.rulebook.version}.`);
    } catch (err) {
      const field = err instanceof ApiError && err.field
        ? (err.field === 'shares' ? shares.querySelector('input') : f[err.field]) : null;
      showFormError(status, err.message, field ?? undefined);
    } finally {
      setBusy(button, false);
    }
  });
}

try {
  const user = await startPage();
  const isAdmin = user.roles.includes('admin');
  await load(isAdmin);
  wireNewForm(isAdmin);
  await wireRulesForm(isAdmin);
  showContent();
} catch (err) {
  showPageError(`Could not load the proposals: ${err.message}`);
}
