// surplus.js: the treasurer's surplus page (docs/API.md "Surplus").
//
// The rules (a new version on each save), the runs of each financial year,
// a preview of a run with every member's share and its basis, a what-if
// comparison side by side, approval linked to a carried proposal, payment,
// the CSV for the bank, and a chart of the split (an SVG drawn here, with
// the same figures in a table). Money from the server is integer pence.

import { api, ApiError } from './api.js';
import { hasAnyRole, showContent, startPage, showPageError } from './nav.js';
import { byId, clearErrors, el, penceLabel, showError, showSuccess } from './ui.js';

const BASES = [
  ['hours_worked', 'Hours worked'],
  ['care_received', 'Care received'],
  ['share_capital', 'Share capital'],
  ['equal', 'Equally'],
];
const BASIS_UNITS = {
  hours_worked: 'min worked',
  care_received: 'min of care',
  share_capital: 'pence-days',
  equal: 'days',
};

let classes = [];       // member classes: [{id, code, name}]
let rulebook = null;    // the latest rulebook, or null
let current = null;     // the run shown

/* ---- rules ---- */

function basisSelect(value, label) {
  const s = document.createElement('select');
  s.setAttribute('aria-label', label);
  const none = el('option', 'No share');
  none.value = '';
  s.append(none);
  for (const [code, name] of BASES) {
    const o = el('option', name);
    o.value = code;
    s.append(o);
  }
  s.value = value ?? '';
  return s;
}

function percentInput(value, label, field) {
  const i = document.createElement('input');
  i.type = 'text';
  i.inputMode = 'decimal';
  i.autocomplete = 'off';
  i.value = value ?? '';
  i.setAttribute('aria-label', label);
  if (field) i.dataset.field = field;
  return i;
}

function trimPercent(text) {
  return String(text ?? '').replace(/\.00$/, '').replace(/(\.\d)0$/, '$1');
}

function renderRules() {
  const tbody = byId('rules-classes').querySelector('tbody');
  tbody.replaceChildren();
  const byClass = new Map((rulebook?.classes ?? []).map((c) => [c.class_id, c]));
  classes.forEach((c, i) => {
    const rule = byClass.get(c.id);
    const tr = document.createElement('tr');
    tr.dataset.classCode = c.code;
    const th = el('th', c.name);
    th.scope = 'row';
    const tdP = el('td');
    tdP.dataset.label = 'Share of the pool (%)';
    tdP.append(percentInput(rule ? trimPercent(rule.percent) : '', `${c.name}: share of the pool (%)`,
      `classes[${i}].percent`));
    const tdB = el('td');
    tdB.dataset.label = 'Split by';
    tdB.append(basisSelect(rule?.basis, `${c.name}: split by`));
    tr.append(th, tdP, tdB);
    tbody.append(tr);
  });
  byId('r-reserve').value = trimPercent(rulebook?.reserve_percent ?? '');
  byId('r-fund').value = trimPercent(rulebook?.fund_percent ?? '');
  byId('r-interest').value = trimPercent(rulebook?.interest_percent ?? '');
  byId('r-cap').value = rulebook?.interest_cap ?? '';
  byId('r-note').value = rulebook?.note ?? '';
  byId('rules-version').textContent = rulebook
    ? `Version ${rulebook.version}. Saving makes a new version; runs keep the version they were made with.`
    : 'No rules yet: set them before the first run.';
}

function rulesFromForm() {
  const list = [];
  for (const tr of byId('rules-classes').querySelectorAll('tbody tr')) {
    const [pct, basis] = [tr.querySelector('input'), tr.querySelector('select')];
    if (basis.value === '' && pct.value.trim() === '') continue;
    list.push({ class: tr.dataset.classCode, percent: pct.value.trim() || '0', basis: basis.value });
  }
  const body = {
    reserve_percent: byId('r-reserve').value.trim() || '0',
    fund_percent: byId('r-fund').value.trim() || '0',
    interest_percent: byId('r-interest').value.trim() || '0',
    interest_cap: byId('r-cap').value.trim() === '' ? null : byId('r-cap').value.trim(),
    note: byId('r-note').value.trim(),
    classes: list,
  };
  return body;
}

async function saveRules(event) {
  event.preventDefault();
  const form = byId('rules-form');
  const status = byId('rules-status');
  clearErrors(form, status);
  try {
    const reply = await api.post('/api/surplus/rulebooks', rulesFromForm());
    rulebook = reply.rulebook;
    renderRules();
    showSuccess(status, `Saved as version ${rulebook.version}.`);
  } catch (err) {
    showError(form, status, err);
  }
}

/* ---- runs ---- */

function statusLabel(s) {
  return { draft: 'Draft', approved: 'Approved', paid: 'Paid' }[s] ?? s;
}

async function loadRuns(selectId) {
  const reply = await api.get('/api/surplus/runs');
  const tbody = byId('runs-table').querySelector('tbody');
  tbody.replaceChildren();
  byId('runs-empty').hidden = reply.runs.length > 0;
  for (const run of reply.runs) {
    const tr = document.createElement('tr');
    const th = el('th', `${run.year_start} to ${run.year_end}`);
    th.scope = 'row';
    const cells = [
      ['Surplus', penceLabel(run.surplus_pence), 'num'],
      ['Status', statusLabel(run.status)],
      ['Approved by', run.proposal ? run.proposal.title : '—'],
    ].map(([label, text, cls]) => {
      const td = el('td', text, cls);
      td.dataset.label = label;
      return td;
    });
    const open = el('td');
    const b = el('button', 'Open', 'button button--quiet button--small');
    b.type = 'button';
    b.setAttribute('aria-label', `Open the run for ${run.year_start} to ${run.year_end}`);
    b.addEventListener('click', () => openRun(run.id));
    open.append(b);
    tr.append(th, ...cells, open);
    tbody.append(tr);
  }
  const pick = selectId ?? reply.runs[0]?.id;
  if (pick) await openRun(pick);
}

async function createRun(event) {
  event.preventDefault();
  const form = byId('run-form');
  const status = byId('run-form-status');
  clearErrors(form, status);
  const body = {
    year_start: byId('n-start').value,
    year_end: byId('n-end').value,
    surplus: byId('n-surplus').value.trim().replace(/^£/, ''),
    note: byId('n-note').value.trim(),
  };
  try {
    const reply = await api.post('/api/surplus/runs', body);
    showSuccess(status, 'Run created.');
    await loadRuns(reply.run.id);
    byId('run-title').focus();
  } catch (err) {
    showError(form, status, err);
  }
}

/* ---- one run ---- */

function renderRunSummary(run) {
  byId('run-title').textContent = `Run for ${run.year_start} to ${run.year_end}`;
  let text = `Surplus ${penceLabel(run.surplus_pence)}, rules version ${run.rulebook_version}, ${statusLabel(run.status).toLowerCase()}`;
  if (run.proposal) text += `, approved by “${run.proposal.title}”`;
  byId('run-summary').textContent = `${text}.`;
  const draft = run.status === 'draft';
  byId('approve-form').hidden = !draft;
  byId('preview-button').hidden = !draft;
  byId('whatif-form').hidden = !draft;
  byId('csv-link').hidden = draft;
  byId('csv-link').href = `/api/surplus/runs/${run.id}/payments.csv`;
  byId('paid-button').hidden = run.status !== 'approved';
}

async function openRun(id) {
  const reply = await api.get(`/api/surplus/runs/${id}`);
  current = reply.run;
  byId('run-panel').hidden = false;
  clearErrors(byId('run-panel'), byId('run-status'));
  renderRunSummary(current);
  fillWhatifForm(reply.rulebook, current.whatif);
  if (reply.problem) showError(byId('run-panel'), byId('run-status'), new Error(reply.problem));
  if (reply.allocation) renderAllocation(reply.allocation, null);
  else byId('preview').hidden = true;
  if (current.status === 'draft') await loadProposals();
}

function fillWhatifForm(rules, saved) {
  const w = saved ?? {};
  byId('w-reserve').value = trimPercent(w.reserve_percent ?? rules.reserve_percent);
  byId('w-fund').value = trimPercent(w.fund_percent ?? rules.fund_percent);
  byId('w-interest').value = trimPercent(w.interest_percent ?? rules.interest_percent);
  const box = byId('whatif-classes');
  box.replaceChildren();
  const savedClasses = new Map((w.classes ?? []).map((c) => [c.class, c]));
  rules.classes.forEach((c, i) => {
    const field = el('div', '', 'field');
    const id = `w-class-${c.class}`;
    const label = el('label', `${c.name} (%)`);
    label.htmlFor = id;
    const input = percentInput(trimPercent(savedClasses.get(c.class)?.percent ?? c.percent), null,
      `classes[${i}].percent`);
    input.removeAttribute('aria-label');
    input.id = id;
    input.dataset.classCode = c.class;
    input.dataset.basis = savedClasses.get(c.class)?.basis ?? c.basis;
    field.append(label, input);
    box.append(field);
  });
}

function whatifFromForm() {
  return {
    reserve_percent: byId('w-reserve').value.trim() || '0',
    fund_percent: byId('w-fund').value.trim() || '0',
    interest_percent: byId('w-interest').value.trim() || '0',
    classes: [...byId('whatif-classes').querySelectorAll('input')].map((i) => ({
      class: i.dataset.classCode, percent: i.value.trim() || '0', basis: i.dataset.basis,
    })),
  };
}

async function preview(withWhatif) {
  const region = withWhatif ? byId('whatif-status') : byId('run-status');
  const root = withWhatif ? byId('whatif-form') : byId('run-panel');
  clearErrors(root, region);
  const body = withWhatif ? { whatif: whatifFromForm() } : { whatif: null };
  try {
    const reply = await api.post(`/api/surplus/runs/${current.id}/preview`, body);
    renderAllocation(reply.allocation, reply.whatif);
    if (withWhatif) showSuccess(region, 'Compared: the what-if column shows the change.');
  } catch (err) {
    showError(root, region, err);
  }
}

async function saveWhatif() {
  const region = byId('whatif-status');
  clearErrors(byId('whatif-form'), region);
  try {
    await api.put(`/api/surplus/runs/${current.id}/whatif`, { whatif: whatifFromForm() });
    showSuccess(region, 'What-if figures kept with this run.');
  } catch (err) {
    showError(byId('whatif-form'), region, err);
  }
}

/* ---- the split: table and chart ---- */

function parts(a) {
  const list = [
    ['General reserve', a.reserve_pence],
    ['Community fund', a.fund_pence],
    ['Interest on share capital', a.interest_pence],
  ];
  for (const c of a.classes) list.push([`${c.name} (${c.percent.replace(/\.00$/, '')} %)`, c.paid_pence]);
  return list;
}

function drawChart(a) {
  const svg = byId('split-chart');
  const ns = 'http://www.w3.org/2000/svg';
  for (const n of [...svg.children]) if (n.tagName !== 'title') n.remove();
  const legend = byId('split-legend');
  legend.replaceChildren();
  const items = parts(a).filter(([, v]) => v > 0);
  const total = items.reduce((s, [, v]) => s + v, 0);
  const title = svg.querySelector('title');
  title.textContent = total > 0
    ? `Split of the surplus: ${items.map(([n, v]) => `${n} ${penceLabel(v)}`).join(', ')}`
    : 'Nothing to distribute';
  let x = 0;
  items.forEach(([name, v], i) => {
    const w = (v / total) * 400;
    const r = document.createElementNS(ns, 'rect');
    r.setAttribute('x', String(x));
    r.setAttribute('y', '0');
    r.setAttribute('width', String(w));
    r.setAttribute('height', '40');
    r.setAttribute('class', `split-seg split-seg--${i % 8}`);
    const t = document.createElementNS(ns, 'title');
    t.textContent = `${name}: ${penceLabel(v)}`;
    r.append(t);
    svg.append(r);
    x += w;
    const li = el('li');
    li.append(el('span', '', `split-swatch split-seg--${i % 8}`), `${name}: ${penceLabel(v)}`);
    legend.append(li);
  });
}

function renderAllocation(a, w) {
  byId('preview').hidden = false;
  const compare = w !== null && w !== undefined;
  for (const th of document.querySelectorAll('[data-whatif]')) th.hidden = !compare;
  const nothing = byId('nothing-message');
  nothing.hidden = a.status !== 'nothing';
  nothing.textContent = a.message ?? '';
  drawChart(a);

  const tbody = byId('split-table').querySelector('tbody');
  tbody.replaceChildren();
  const mine = parts(a);
  const theirs = compare ? parts(w) : [];
  mine.forEach(([name, v], i) => {
    const tr = document.createElement('tr');
    const th = el('th', name);
    th.scope = 'row';
    tr.append(th, el('td', penceLabel(v), 'num'));
    if (compare) {
      const o = theirs[i]?.[1] ?? 0;
      tr.append(el('td', penceLabel(o), 'num'), el('td', signed(o - v), 'num'));
    }
    tbody.append(tr);
  });
  const foot = document.createElement('tr');
  const fth = el('th', 'Surplus');
  fth.scope = 'row';
  foot.append(fth, el('td', penceLabel(a.surplus_pence), 'num'));
  if (compare) foot.append(el('td', penceLabel(w.surplus_pence), 'num'), el('td', '', 'num'));
  tbody.append(foot);

  const other = new Map(compare ? w.lines.map((l) => [l.membership_id, l]) : []);
  const lines = byId('lines-table').querySelector('tbody');
  lines.replaceChildren();
  for (const l of a.lines) {
    const tr = document.createElement('tr');
    const th = el('th', l.name);
    th.scope = 'row';
    const basis = l.basis ? `${l.weight.toLocaleString('en-GB')} ${BASIS_UNITS[l.basis] ?? ''}` : '—';
    const cells = [
      ['Class', l.class_name],
      ['Days', String(l.days), 'num'],
      ['Basis', basis, 'num'],
      ['Interest', penceLabel(l.interest_pence), 'num'],
      ['Dividend', penceLabel(l.dividend_pence), 'num'],
      ['Total', penceLabel(l.total_pence), 'num'],
    ];
    if (compare) cells.push(['What-if total', penceLabel(other.get(l.membership_id)?.total_pence ?? 0), 'num']);
    tr.append(th, ...cells.map(([label, text, cls]) => {
      const td = el('td', text, cls);
      td.dataset.label = label;
      return td;
    }));
    lines.append(tr);
  }
}

function signed(pence) {
  if (pence === 0) return '—';
  return `${pence > 0 ? '+' : '−'}${penceLabel(Math.abs(pence))}`;
}

/* ---- approve and pay ---- */

async function loadProposals() {
  const select = byId('approve-proposal');
  select.replaceChildren();
  const reply = await api.get('/api/surplus/proposals');
  if (reply.proposals.length === 0) {
    const o = el('option', 'No carried proposal yet');
    o.value = '';
    select.append(o);
  }
  for (const p of reply.proposals) {
    const o = el('option', p.title);
    o.value = String(p.id);
    select.append(o);
  }
}

async function approve(event) {
  event.preventDefault();
  const form = byId('approve-form');
  const status = byId('approve-status');
  clearErrors(form, status);
  const id = Number(byId('approve-proposal').value);
  try {
    const reply = await api.post(`/api/surplus/runs/${current.id}/approve`, { proposal_id: id || null });
    await loadRuns(reply.run.id);
    showSuccess(byId('run-status'), 'Approved. The lines are fixed and each member can see their statement.');
  } catch (err) {
    showError(form, status, err);
  }
}

async function markPaid() {
  const status = byId('run-status');
  clearErrors(byId('run-panel'), status);
  try {
    const reply = await api.post(`/api/surplus/runs/${current.id}/paid`, {});
    await loadRuns(reply.run.id);
    showSuccess(byId('run-status'), 'Recorded as paid.');
  } catch (err) {
    showError(byId('run-panel'), status, err);
  }
}

async function main() {
  const user = await startPage();
  if (!hasAnyRole(user, ['treasurer', 'admin'])) {
    showContent();
    byId('content').replaceChildren(el('h1', 'Surplus'),
      el('p', 'This page is for the treasurer. Your own share is on your statement page.', 'notice'));
    return;
  }
  const [cls, books] = await Promise.all([api.get('/api/member-classes'), api.get('/api/surplus/rulebooks')]);
  classes = cls.classes;
  rulebook = books.rulebooks[0] ?? null;
  renderRules();
  byId('rules-form').addEventListener('submit', saveRules);
  byId('run-form').addEventListener('submit', createRun);
  byId('preview-button').addEventListener('click', () => preview(false));
  byId('whatif-form').addEventListener('submit', (e) => { e.preventDefault(); preview(true); });
  byId('whatif-save').addEventListener('click', saveWhatif);
  byId('approve-form').addEventListener('submit', approve);
  byId('paid-button').addEventListener('click', markPaid);
  await loadRuns();
  showContent();
}

main().catch((err) => {
  if (err instanceof ApiError && err.status === 401) return;
  showContent();
  showPageError(`Could not load the surplus page: ${err.message}`);
});
