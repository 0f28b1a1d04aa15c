// ui.js: small DOM and wording helpers shared by the People and care pages
// (people, carer, availability, recipient, care, members, import, audit).
//
// Everything that shows data uses textContent (never innerHTML), and every
// API error is shown either next to the field the API names in `field`
// (docs/API.md: "weekly[2].end", "plan.days", "team[1]" ...) or in the
// form's own live region.

import { ApiError } from './api.js';
import { sentence as formSentence } from './form.js';
import { showPageError } from './nav.js';

/** createElement with text (as textContent) and a class. */
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export function setText(id, text) {
  const node = typeof id === 'string' ? document.getElementById(id) : id;
  if (node) node.textContent = text === undefined || text === null ? '' : String(text);
}

export function byId(id) {
  return document.getElementById(id);
}

/** A whole-number id from the page's query string (?id=12), or null. */
export function queryId(name = 'id') {
  const raw = new URLSearchParams(window.location.search).get(name);
  return raw !== null && /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : null;
}

let idCounter = 0;
/** A fresh element id with a readable prefix. */
export function uid(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/* ---- wording ----------------------------------------------------------- */

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const WEEKDAYS_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** 1..7 -> "Monday" */
export function weekdayName(n) {
  return WEEKDAYS[n - 1] ?? `day ${n}`;
}

/** [1,3,5] -> "Mon, Wed, Fri"; all seven -> "Every day"; Mon-Fri -> "Weekdays". */
export function daysLabel(days) {
  const d = [...new Set((days ?? []).map(Number))].filter((n) => n >= 1 && n <= 7).sort();
  if (d.length === 7) return 'Every day';
  if (d.join() === '1,2,3,4,5') return 'Weekdays (Mon–Fri)';
  if (d.join() === '6,7') return 'Weekends';
  return d.map((n) => WEEKDAYS_SHORT[n - 1]).join(', ') || '—';
}

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** 1800 -> "30 h"; 90 -> "1 h 30 min"; 45 -> "45 min". */
export function minutesLabel(minutes) {
  const m = Number(minutes);
  if (!Number.isFinite(m)) return '—';
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${rest} min`;
  return rest === 0 ? `${numberFormat.format(h)} h` : `${numberFormat.format(h)} h ${rest} min`;
}

/** minutes -> a value for an hours input (1800 -> "30", 1830 -> "30.5"). */
export function minutesToHoursValue(minutes) {
  const m = Number(minutes);
  if (!Number.isFinite(m)) return '';
  return String(Math.round((m / 60) * 100) / 100);
}

/** an hours input's value -> whole minutes, or NaN. */
export function hoursValueToMinutes(value) {
  const text = String(value ?? '').trim().replace(',', '.');
  if (text === '' || !/^[0-9]+(\.[0-9]*)?$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * 60);
}

/** "HH:MM" + minutes -> "HH:MM" (may pass midnight: "23:30" + 60 -> "00:30"). */
export function addMinutes(hhmm, minutes) {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm ?? '');
  if (!m) return '';
  const total = (Number(m[1]) * 60 + Number(m[2]) + Number(minutes)) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC',
});

/** "2026-11-30" -> <time>Mon 30 Nov 2026</time>; anything else as text. */
export function dateElement(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  if (!m) return el('span', value || '—');
  const t = el('time', dateFormat.format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))));
  t.dateTime = value;
  return t;
}

/** "2026-12-01T09:00" (a local date-time in the co-op's zone) -> <time>. */
export function localDateTimeElement(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? '');
  if (!m) return el('span', value || '—');
  const day = dateFormat.format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
  const t = el('time', `${day}, ${m[4]}:${m[5]}`);
  t.dateTime = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`;
  return t;
}

const instantFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  second: '2-digit', timeZone: 'Europe/London',
});

/** An instant (Unix seconds or ISO 8601) -> <time> in the co-op's zone. */
export function instantElement(value) {
  let date = null;
  if (typeof value === 'number') date = new Date(value < 1e12 ? value * 1000 : value);
  else if (typeof value === 'string' && /^\d+$/.test(value)) date = new Date(Number(value) * 1000);
  else if (typeof value === 'string' && value !== '') date = new Date(value);
  if (!date || Number.isNaN(date.getTime())) return el('span', value ?? '—');
  const t = el('time', instantFormat.format(date));
  t.dateTime = date.toISOString();
  return t;
}

/** Today's date in the co-op's zone, "YYYY-MM-DD". */
export function todayLocal() {
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Europe/London',
  }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** pence -> "£12.50" */
export function penceLabel(pence) {
  const p = Number(pence);
  if (!Number.isFinite(p)) return '—';
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(p / 100);
}

/** "12.50" / "12" / "£12.5" -> 1250, or NaN. */
export function poundsToPence(value) {
  const text = String(value ?? '').trim().replace(/^£/, '');
  if (!/^[0-9]+(\.[0-9]{0,2})?$/.test(text)) return Number.NaN;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

/** A person's name as listed: "Amira Khan (Amira)" when known_as differs. */
export function personName(p) {
  if (!p) return '';
  const full = p.full_name || p.known_as || p.email || `#${p.id}`;
  if (p.known_as && p.full_name && !p.full_name.split(/\s+/).includes(p.known_as)) {
    return `${full} (${p.known_as})`;
  }
  return full;
}

/* ---- errors ------------------------------------------------------------ */

/** form.js's sentence(), but "left_on is before …" keeps the member name as sent. */
function sentence(text) {
  const t = String(text ?? '').trim();
  if (/^[a-z0-9]+_[a-z0-9_]*\b/.test(t)) return formSentence(`x${t}`).slice(1);
  return formSentence(t);
}

/** Signed out meanwhile: back to the sign-in page (and true). */
export function handleSignedOut(err) {
  if (err instanceof ApiError && err.status === 401) {
    const here = window.location.pathname;
    window.location.replace(`/index.html?next=${encodeURIComponent(here)}`);
    return true;
  }
  return false;
}

/**
 * A `.field-error` live region for a control: the one inside the control's
 * own `.field` (or row), made on demand when there is none.
 */
function errorRegionFor(control) {
  if (control.dataset.errorId) {
    const byIdEl = document.getElementById(control.dataset.errorId);
    if (byIdEl) return byIdEl;
  }
  const holder = control.closest('.field, .span-row, fieldset, li, td') ?? control.parentElement;
  let region = holder.querySelector(':scope > .field-error, :scope .field-error');
  if (!region) {
    region = el('p', '', 'field-error');
    region.setAttribute('role', 'alert');
    holder.append(region);
  }
  if (!region.id) region.id = uid('field-error');
  control.dataset.errorId = region.id;
  return region;
}

/** Find the control for an API `field` inside root: exact, then the last part ("plan.days" -> "days"). */
export function findFieldControl(root, field) {
  if (!root || typeof field !== 'string' || field === '') return null;
  const tries = [field];
  const dot = field.lastIndexOf('.');
  if (dot !== -1) tries.push(field.slice(dot + 1));
  // "skills[2]" -> "skills": the list as a whole
  for (const t of [...tries]) if (/\[\d+\]$/.test(t)) tries.push(t.replace(/\[\d+\]$/, ''));
  for (const name of tries) {
    const found = root.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (found) return found;
  }
  return null;
}

/**
 * Mark one control as wrong, with the message next to it (in a live region),
 * and move focus there.
 */
export function markFieldError(control, message) {
  const region = errorRegionFor(control);
  region.textContent = sentence(message);
  control.setAttribute('aria-invalid', 'true');
  const described = new Set((control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  described.add(region.id);
  control.setAttribute('aria-describedby', [...described].join(' '));
  const focusable = control.matches('fieldset') ? control.querySelector('input, select, textarea, button') : control;
  focusable?.focus();
}

/** Clear every field error and the form's region inside root. */
export function clearErrors(root, region) {
  if (region) {
    region.textContent = '';
    region.classList.remove('alert--success');
    region.classList.add('alert--error');
  }
  for (const r of root.querySelectorAll('.field-error')) r.textContent = '';
  for (const c of root.querySelectorAll('[aria-invalid]')) {
    c.removeAttribute('aria-invalid');
    const errId = c.dataset.errorId;
    if (errId) {
      const left = (c.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== errId);
      if (left.length) c.setAttribute('aria-describedby', left.join(' '));
      else c.removeAttribute('aria-describedby');
    }
  }
}

/**
 * Show an error from the API (or our own check): next to the field it names
 * when that field is in root, otherwise in the region. Returns true when it
 * was placed next to a field.
 */
export function showError(root, region, err, fallbackField = null) {
  if (handleSignedOut(err)) return false;
  const message = err instanceof Error ? err.message : String(err);
  const field = err instanceof ApiError ? err.field : fallbackField;
  const control = findFieldControl(root, field);
  if (control) {
    markFieldError(control, message);
    return true;
  }
  if (region) {
    region.classList.remove('alert--success');
    region.classList.add('alert--error');
    region.textContent = sentence(message);
  } else {
    showPageError(message);
  }
  return false;
}

/** A success line in a region. */
export function showSuccess(region, message) {
  region.classList.remove('alert--error');
  region.classList.add('alert--success');
  region.textContent = message;
}

/** A page whose record is not there (404) or not for this person. */
export function showNotFound(message) {
  const loading = document.getElementById('loading');
  const content = document.getElementById('content');
  if (loading) loading.hidden = true;
  if (content) content.hidden = true;
  const nf = document.getElementById('not-found');
  if (nf) {
    nf.hidden = false;
    const text = nf.querySelector('[data-message]');
    if (text) text.textContent = message;
  } else {
    showPageError(message);
  }
  document.getElementById('main')?.setAttribute('aria-busy', 'false');
}

/* ---- building blocks --------------------------------------------------- */

/** A button; `label` is the visible text, `name` an optional fuller accessible name. */
export function button(label, { className = 'button button--quiet', name, type = 'button', onClick } = {}) {
  const b = el('button', label, className);
  b.type = type;
  if (name) b.setAttribute('aria-label', name);
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

/**
 * Give a short visible button label a fuller accessible name that starts
 * with it ("Remove" -> "Remove Ben Carter from the team"), so each of many
 * alike buttons says what it acts on (WCAG 2.5.3: the name contains the label).
 */
export function nameMore(btn, suffix) {
  btn.setAttribute('aria-label', `${btn.textContent}${suffix}`);
  return btn;
}

/** A labelled control in a `.field` block: returns {wrap, input}. */
export function labelled(labelText, input, { hint, field } = {}) {
  const wrap = el('div', null, 'field');
  if (!input.id) input.id = uid('f');
  const label = el('label', labelText);
  label.htmlFor = input.id;
  wrap.append(label);
  if (hint) {
    const h = el('span', hint, 'hint');
    h.id = uid('hint');
    input.setAttribute('aria-describedby', h.id);
    input.dataset.hint = h.id;
    wrap.append(h);
  }
  if (field) input.dataset.field = field;
  wrap.append(input);
  const err = el('p', '', 'field-error');
  err.id = uid('field-error');
  err.setAttribute('role', 'alert');
  input.dataset.errorId = err.id;
  wrap.append(err);
  return { wrap, input };
}

export function input(type, value, attrs = {}) {
  const i = document.createElement('input');
  i.type = type;
  if (value !== undefined && value !== null) i.value = String(value);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === true) i.setAttribute(k, '');
    else if (v !== false && v !== undefined && v !== null) i.setAttribute(k, String(v));
  }
  return i;
}

export function select(options, value) {
  const s = document.createElement('select');
  for (const o of options) {
    const opt = el('option', o.label);
    opt.value = String(o.value);
    if (o.disabled) opt.disabled = true;
    s.append(opt);
  }
  if (value !== undefined && value !== null) s.value = String(value);
  return s;
}

/**
 * Fill a table body: one row per item; columns are
 * {label, cell(item) -> Node|string, header?:true, className?}.
 * The label is also set as data-label for the stacked phone layout.
 */
export function fillTable(tbody, items, columns) {
  tbody.replaceChildren();
  for (const item of items) {
    const tr = el('tr');
    for (const col of columns) {
      const cell = el(col.header ? 'th' : 'td');
      if (col.header) cell.scope = 'row';
      if (col.className) cell.className = col.className;
      cell.dataset.label = col.label;
      const content = col.cell(item);
      if (content instanceof Node) cell.append(content);
      else cell.textContent = content === undefined || content === null || content === '' ? '—' : String(content);
      tr.append(cell);
    }
    tbody.append(tr);
  }
}

/** A link to a page, as a Node. */
export function link(href, text) {
  const a = el('a', text);
  a.href = href;
  return a;
}

/** Run fn after the person stops typing for `ms`. */
export function debounce(fn, ms = 250) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * Tabs (WAI-ARIA tabs pattern): buttons with role="tab" inside a
 * role="tablist", each with aria-controls naming its panel. Arrow keys,
 * Home and End move between tabs; the URL hash keeps the chosen tab.
 * @returns {(name:string)=>void} select a tab by its data-tab name
 */
export function wireTabs(tablist, onSelect) {
  const tabs = () => [...tablist.querySelectorAll('[role="tab"]')].filter((t) => !t.hidden);
  const selectTab = (tab, focus) => {
    for (const t of tabs()) {
      const on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
    if (window.location.hash !== `#${tab.dataset.tab}`) {
      window.history.replaceState(null, '', `#${tab.dataset.tab}`);
    }
    onSelect?.(tab.dataset.tab);
  };
  tablist.addEventListener('click', (event) => {
    const tab = event.target.closest('[role="tab"]');
    if (tab) selectTab(tab, false);
  });
  tablist.addEventListener('keydown', (event) => {
    const list = tabs();
    const i = list.indexOf(document.activeElement);
    if (i === -1) return;
    let next = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = list[(i + 1) % list.length];
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = list[(i - 1 + list.length) % list.length];
    else if (event.key === 'Home') next = list[0];
    else if (event.key === 'End') next = list[list.length - 1];
    if (next) {
      event.preventDefault();
      selectTab(next, true);
    }
  });
  return (name) => {
    const list = tabs();
    selectTab(list.find((t) => t.dataset.tab === name) ?? list[0], false);
  };
}
