// gov-results.js: a decided proposal's result (results.html?id=N).
//
// GET /api/proposals/N/results for the outcome and per-class breakdown, drawn
// as an SVG bar chart (attributes, not inline styles, so the strict CSP
// holds) with the same figures in a table for screen readers; and
// GET /api/proposals/N/tally.json to find a receipt among the published
// ballots.

import { api, ApiError } from './api.js';
import { showContent, showPageError, startPage } from './nav.js';

const SVG = 'http://www.w3.org/2000/svg';

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * Horizontal bars: rows of {label, value (0..1), text}, each a line of text
 * (name and figure, so it reads aloud and wraps on a phone) over a bar drawn
 * in SVG with attributes only (the strict CSP allows no inline styles). The
 * bar stretches to the width; marker (0..1) draws the threshold line.
 */
function barChart(rows, marker) {
  const list = el('ul', null, 'gov-bars');
  for (const row of rows) {
    const li = el('li', null, 'gov-bars__row');
    const head = el('span', null, 'gov-bars__head');
    head.append(el('span', row.label, 'gov-bars__label'), el('span', row.text, 'gov-bars__value'));
    const bar = svg('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', class: 'gov-bars__svg', 'aria-hidden': 'true', focusable: 'false' });
    bar.append(svg('rect', { x: 0, y: 0, width: 100, height: 10, class: 'gov-bars__track' }));
    bar.append(svg('rect', { x: 0, y: 0, width: Math.max(0, Math.min(1, row.value)) * 100, height: 10, class: 'gov-bars__bar' }));
    if (marker !== undefined) {
      const x = Math.max(0, Math.min(1, marker)) * 100;
      for (const cls of ['gov-bars__halo', 'gov-bars__threshold']) {
        bar.append(svg('line', { x1: x, x2: x, y1: 0, y2: 10, class: cls, 'vector-effect': 'non-scaling-stroke' }));
      }
    }
    li.append(head, bar);
    list.append(li);
  }
  return list;
}

const frac = (f) => (f && f.den ? f.num / f.den : 0);

function renderYesNo(result) {
  const outcome = document.getElementById('outcome');
  const verb = result.outcome === 'carried' ? 'Carried' : 'Lost';
  const why = result.tally_outcome === 'quorum_not_met' ? ' (the quorum was not met)' : '';
  outcome.textContent = `${verb}${why}: ${result.yes_share.percent} % for, needing ${result.threshold_inclusive ? 'at least' : 'more than'} ${result.threshold.percent} %. Turnout ${result.turnout.percent} % (${result.ballots} of ${result.electorate} members).`;
  outcome.className = `gov-outcome gov-outcome--${result.outcome}`;
  const rows = [{ label: 'Weighted for', value: frac(result.yes_share), text: `${result.yes_share.percent} %` }];
  for (const c of result.classes) {
    rows.push({ label: c.name, value: frac(c.yes_fraction), text: `${c.yes_fraction.percent} %` });
  }
  document.getElementById('chart-caption').textContent = 'Share of the vote for, overall (weighted by the rulebook) and within each class; the dashed line marks the threshold.';
  document.getElementById('chart').replaceChildren(barChart(rows, frac(result.threshold)));
  const tbody = document.querySelector('#classes tbody');
  tbody.replaceChildren();
  for (const c of result.classes) {
    const tr = el('tr');
    const th = el('th', c.name);
    th.scope = 'row';
    tr.append(th);
    for (const [label, v] of [['For', c.yes], ['Against', c.no], ['Abstain', c.abstain], ['Members', c.electorate], ['Share of the result', `${c.share.percent} %`], ['For, in the class', `${c.yes_fraction.percent} %`]]) {
      const td = el('td', v);
      td.dataset.label = label;
      tr.append(td);
    }
    tbody.append(tr);
  }
  document.getElementById('classes-section').hidden = false;
}

function renderElection(result, options) {
  const names = new Map(options.map((o) => [o.position, o.label]));
  const elected = (result.elected ?? []).map((e) => e.label);
  document.getElementById('outcome').textContent = elected.length
    ? `Elected: ${elected.join(', ')}.` : 'No one was elected: no valid ballots.';
  let rows = [];
  if (result.method === 'approval') {
    const max = Math.max(1, result.papers ?? 1);
    rows = result.approvals.map((a) => ({ label: a.label, value: a.approvals / max, text: String(a.approvals) }));
    document.getElementById('chart-caption').textContent = 'Approvals for each candidate, out of the ballots cast.';
  } else if (result.stages?.length) {
    const first = result.stages[0];
    const total = Math.max(1, result.valid_papers);
    rows = first.totals.map((t, i) => ({ label: names.get(i + 1) ?? `Candidate ${i + 1}`, value: Number(t) / total, text: String(Number(t)) }));
    document.getElementById('chart-caption').textContent = `First preferences for each candidate (quota ${Number(result.quota)}).`;
  }
  if (rows.length) {
    document.getElementById('chart').replaceChildren(barChart(rows));
  } else {
    document.getElementById('chart-figure').hidden = true;
  }
}

function wireReceiptSearch(id) {
  const form = document.getElementById('find-receipt');
  const out = document.getElementById('receipt-result');
  let tally = null;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wanted = new FormData(form).get('receipt').trim().toUpperCase();
    if (!wanted) { out.textContent = 'Type the receipt you were given when you voted.'; return; }
    try {
      tally ??= await api.get(`/api/proposals/${id}/tally.json`);
    } catch (err) {
      out.textContent = `Could not load the ballots: ${err.message}`;
      return;
    }
    const b = tally.ballots.find((x) => x.receipt === wanted);
    if (!b) out.textContent = `No ballot has the receipt ${wanted}.`;
    else if (!b.counts) out.textContent = `Ballot ${wanted} (${b.choice}) was replaced by a later vote of yours, so it does not count.`;
    else out.textContent = `Ballot ${wanted} was counted: ${b.choice}, in the ${b.class} class (entry ${b.seq} of the log).`;
  });
}

try {
  await startPage();
  const id = Number(new URLSearchParams(window.location.search).get('id'));
  if (!Number.isInteger(id) || id < 1) throw new ApiError(404, 'no proposal was named');
  const { proposal, result } = await api.get(`/api/proposals/${id}/results`);
  document.getElementById('title').textContent = `Results: ${proposal.title}`;
  document.title = `Results: ${proposal.title} – carecoop`;
  document.getElementById('proposal-link').href = `/proposals/${id}`;
  const meta = document.getElementById('meta');
  meta.textContent = `Counted under rulebook version ${result?.rulebook_version ?? proposal.rulebook_version}; ${result?.entries ?? 0} ballot entries, ${result?.counted ?? 0} counted.`;
  if (result?.chain_head) {
    meta.append(' Head of the ballot log: ', el('code', result.chain_head, 'gov-hash'), '.');
  }
  if (result && result.method === 'yesno') renderYesNo(result);
  else if (result) renderElection(result, proposal.options);
  const exports = document.getElementById('exports');
  const links = [['Tally (JSON)', 'tally.json'], ['Ballots (CSV)', 'tally.csv']];
  if (proposal.method !== 'yesno') links.push(['Ballots (BLT)', 'ballots.blt']);
  for (const [label, file] of links) {
    const li = el('li');
    const a = el('a', label);
    a.href = `/api/proposals/${id}/${file}`;
    li.append(a);
    exports.append(li);
  }
  wireReceiptSearch(id);
  showContent();
} catch (err) {
  document.getElementById('loading').hidden = true;
  showPageError(`Could not load the result: ${err.message}`);
}
