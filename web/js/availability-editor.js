// availability-editor.js: a carer's weekly availability and their dated
// exceptions (leave, sickness, extra time), used by carer.html (coordinators)
// and availability.html (a carer on their phone).
//
// Weekly: per weekday, a list of spans with two <input type=time>; "Add a
// time" and "Remove" change the list and "Save availability" replaces the
// whole pattern (PUT /api/carers/{id}/availability). The API checks the spans
// and names the one at fault as "weekly[i].start" / "weekly[i].end"; i is
// the span's place in the list we sent, so the message goes next to it.
// An end of 00:00 (midnight) is sent as "24:00", the end of that day.
//
// Exceptions: GET/POST /api/carers/{id}/exceptions, approve or refuse
// (POST /api/exceptions/{id}/decision), withdraw (DELETE /api/exceptions/{id}).

import { api } from './api.js';
import { setBusy } from './form.js';
import {
  button, clearErrors, el, fillTable, findFieldControl, input, labelled, localDateTimeElement,
  markFieldError, nameMore, select, showError, showSuccess, uid, weekdayName,
} from './ui.js';

/* ---- weekly pattern ------------------------------------------------------ */

function spanRow(weekday, span = {}) {
  const li = el('li', null, 'span-row');
  const name = weekdayName(weekday);
  const start = input('time', span.start ?? '', { step: 300 });
  const end = input('time', span.end === '24:00' ? '00:00' : (span.end ?? ''), { step: 300 });
  start.dataset.part = 'start';
  end.dataset.part = 'end';
  const pair = el('div', null, 'span-row__times');
  for (const [text, control] of [['From', start], ['Until', end]]) {
    control.id = uid(`span-${control.dataset.part}`);
    const wrap = el('div', null, 'span-field');
    const label = el('label', text);
    label.htmlFor = control.id;
    wrap.append(label, control);
    pair.append(wrap);
  }
  const remove = button('Remove', { className: 'button button--quiet button--small' });
  nameMore(remove, ` this time on ${name}`);
  const error = el('p', '', 'field-error');
  error.id = uid('span-error');
  error.setAttribute('role', 'alert');
  start.dataset.errorId = error.id;
  end.dataset.errorId = error.id;
  remove.addEventListener('click', () => {
    const day = li.closest('.day');
    const next = li.nextElementSibling ?? li.previousElementSibling;
    li.remove();
    updateEmpty(day);
    (next?.querySelector('input') ?? day.querySelector('.day__add')).focus();
  });
  li.append(pair, remove, error);
  return li;
}

function updateEmpty(day) {
  const none = day.querySelector('.span-list').children.length === 0;
  day.querySelector('.day__empty').hidden = !none;
}

/** Where the next span on a day should start: after the last one, else 09:00. */
function nextSpanDefaults(list) {
  const last = list.lastElementChild;
  const end = last?.querySelector('[data-part="end"]')?.value;
  if (!end || end === '00:00' || end >= '22:00') return { start: '', end: '' };
  const [h, m] = end.split(':').map(Number);
  const startH = Math.min(h + 1, 22);
  return { start: `${String(startH).padStart(2, '0')}:${String(m).padStart(2, '0')}`, end: `${String(Math.min(startH + 2, 23)).padStart(2, '0')}:${String(m).padStart(2, '0')}` };
}

/**
 * Build the weekly editor in container.
 * @param {{carerId:number, weekly:Array, canEdit:boolean, onSaved?:Function}} opts
 */
export function mountWeeklyEditor(container, { carerId, weekly, canEdit, onSaved }) {
  container.replaceChildren();
  const spans = Array.isArray(weekly) ? weekly : [];

  if (!canEdit) {
    const dl = el('dl', null, 'details week-read');
    for (let d = 1; d <= 7; d += 1) {
      const mine = spans.filter((s) => Number(s.weekday) === d);
      dl.append(el('dt', weekdayName(d)),
        el('dd', mine.length ? mine.map((s) => `${s.start}–${s.end}`).join(', ') : 'Not available'));
    }
    container.append(dl);
    return;
  }

  const form = el('form', null, 'weekly-form');
  form.noValidate = true;
  const message = el('div', '', 'alert alert--error');
  message.id = uid('weekly-message');
  message.setAttribute('role', 'alert');
  form.append(el('p', 'The times you can usually work each week. Add as many times on a day as you need; they may not overlap. An end time of midnight (00:00, or 12:00 AM) means the end of that day.', 'hint'), message);

  const week = el('div', null, 'week');
  for (let d = 1; d <= 7; d += 1) {
    const name = weekdayName(d);
    const fs = el('fieldset', null, 'day');
    fs.dataset.weekday = String(d);
    fs.append(el('legend', name));
    const list = el('ul', null, 'span-list');
    for (const s of spans.filter((x) => Number(x.weekday) === d)) list.append(spanRow(d, s));
    const empty = el('p', 'Not available', 'muted day__empty');
    const add = button('Add a time', { className: 'button button--quiet button--small day__add' });
    nameMore(add, ` on ${name}`);
    add.addEventListener('click', () => {
      const row = spanRow(d, nextSpanDefaults(list));
      list.append(row);
      updateEmpty(fs);
      row.querySelector('input').focus();
    });
    fs.append(list, empty, add);
    updateEmpty(fs);
    week.append(fs);
  }
  const save = button('Save availability', { className: 'button button--primary', type: 'submit' });
  form.append(week, save);
  container.append(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearErrors(form, message);
    const rows = [...form.querySelectorAll('.span-row')];
    const body = { weekly: [] };
    rows.forEach((row, i) => {
      const start = row.querySelector('[data-part="start"]');
      const end = row.querySelector('[data-part="end"]');
      start.dataset.field = `weekly[${i}].start`;
      end.dataset.field = `weekly[${i}].end`;
      body.weekly.push({
        weekday: Number(row.closest('.day').dataset.weekday),
        start: start.value,
        end: end.value === '00:00' ? '24:00' : end.value,
      });
    });
    for (const [i, span] of body.weekly.entries()) {
      const row = rows[i];
      if (span.start === '') { markFieldError(row.querySelector('[data-part="start"]'), 'Enter the time this span starts.'); return; }
      if (span.end === '') { markFieldError(row.querySelector('[data-part="end"]'), 'Enter the time this span ends.'); return; }
    }
    setBusy(save, true, 'Saving…');
    try {
      const reply = await api.put(`/api/carers/${carerId}/availability`, body);
      showSuccess(message, 'Your availability has been saved.');
      onSaved?.(reply);
    } catch (err) {
      // "weekly[2]" or "weekly[2].weekday" name the row: put it by its first time.
      const m = /^weekly\[(\d+)\]/.exec(err.field ?? '');
      if (m && !findFieldControl(form, err.field) && rows[Number(m[1])]) {
        markFieldError(rows[Number(m[1])].querySelector('[data-part="start"]'), err.message);
      } else {
        showError(form, message, err);
      }
    } finally {
      setBusy(save, false);
    }
  });
}

/* ---- exceptions --------------------------------------------------------- */

const KIND_LABELS = { leave: 'Leave', sickness: 'Sickness', extra: 'Extra time available' };
const STATUS_LABELS = { requested: 'Requested', approved: 'Approved', refused: 'Refused' };

/**
 * Build the exceptions list and the request form in container.
 * @param {{carerId:number, canDecide:boolean, isSelf:boolean, carerName:string}} opts
 */
export function mountExceptions(container, { carerId, canDecide, isSelf, carerName }) {
  container.replaceChildren();
  const status = el('p', '', 'list-status');
  status.setAttribute('role', 'status');
  const actionMsg = el('div', '', 'alert alert--error');
  actionMsg.setAttribute('role', 'alert');
  const table = el('table', null, 'table--stack exceptions');
  const caption = el('caption', isSelf ? 'Your leave and changes' : `Leave and changes for ${carerName}`, 'visually-hidden');
  const thead = el('thead');
  const hr = el('tr');
  for (const h of ['Kind', 'From', 'Until', 'Status', 'Note', 'Actions']) {
    const th = el('th', h);
    th.scope = 'col';
    hr.append(th);
  }
  thead.append(hr);
  const tbody = el('tbody');
  table.append(caption, thead, tbody);
  table.hidden = true;

  async function decide(ex, verdict, btn) {
    actionMsg.textContent = '';
    setBusy(btn, true, verdict === 'approved' ? 'Approving…' : 'Refusing…');
    try {
      await api.post(`/api/exceptions/${ex.id}/decision`, { status: verdict });
      await load();
      showSuccess(actionMsg, `${KIND_LABELS[ex.kind] ?? ex.kind} from ${ex.start.replace('T', ' ')} ${verdict}.`);
    } catch (err) {
      setBusy(btn, false);
      showError(table, actionMsg, err);
    }
  }

  async function withdraw(ex, btn) {
    actionMsg.textContent = '';
    setBusy(btn, true, 'Withdrawing…');
    try {
      await api.del(`/api/exceptions/${ex.id}`);
      await load();
      showSuccess(actionMsg, `${KIND_LABELS[ex.kind] ?? ex.kind} from ${ex.start.replace('T', ' ')} withdrawn.`);
    } catch (err) {
      setBusy(btn, false);
      showError(table, actionMsg, err);
    }
  }

  const columns = [
    { label: 'Kind', header: true, cell: (x) => KIND_LABELS[x.kind] ?? x.kind },
    { label: 'From', cell: (x) => localDateTimeElement(x.start) },
    { label: 'Until', cell: (x) => localDateTimeElement(x.end) },
    {
      label: 'Status',
      cell: (x) => el('span', STATUS_LABELS[x.status] ?? x.status, `tag status-${x.status}`),
    },
    { label: 'Note', cell: (x) => x.note },
    {
      label: 'Actions',
      cell: (x) => {
        const box = el('div', null, 'row-actions');
        const what = ` ${(KIND_LABELS[x.kind] ?? x.kind).toLowerCase()} from ${x.start.replace('T', ' ')}`;
        if (canDecide && x.status === 'requested') {
          const ok = button('Approve', { className: 'button button--quiet button--small' });
          nameMore(ok, what);
          ok.addEventListener('click', () => decide(x, 'approved', ok));
          const no = button('Refuse', { className: 'button button--quiet button--small button--danger' });
          nameMore(no, what);
          no.addEventListener('click', () => decide(x, 'refused', no));
          box.append(ok, no);
        }
        if ((isSelf && x.status === 'requested') || canDecide) {
          const w = button(isSelf && !canDecide ? 'Withdraw' : 'Delete', { className: 'button button--quiet button--small' });
          nameMore(w, what);
          w.addEventListener('click', () => withdraw(x, w));
          box.append(w);
        }
        return box.children.length ? box : '';
      },
    },
  ];

  async function load() {
    try {
      const reply = await api.get(`/api/carers/${carerId}/exceptions`);
      const items = Array.isArray(reply?.exceptions) ? reply.exceptions : [];
      items.sort((a, b) => String(b.start).localeCompare(String(a.start)));
      fillTable(tbody, items, columns);
      table.hidden = items.length === 0;
      status.textContent = items.length === 0 ? 'No leave or other changes booked.' : '';
    } catch (err) {
      showError(table, actionMsg, err);
    }
  }

  // The request form
  const form = el('form', null, 'request-form');
  form.noValidate = true;
  const formHeading = el('h3', isSelf && !canDecide ? 'Request leave or tell us about a change' : 'Add leave, sickness or extra time');
  formHeading.id = uid('request-heading');
  form.setAttribute('aria-labelledby', formHeading.id);
  const message = el('div', '', 'alert alert--error');
  message.id = uid('request-message');
  message.setAttribute('role', 'alert');
  const kind = select([
    { value: 'leave', label: 'Leave (holiday or time off)' },
    { value: 'sickness', label: 'Sickness' },
    { value: 'extra', label: 'Extra time I can work' },
  ], 'leave');
  const start = input('datetime-local', '', { step: 60 });
  const end = input('datetime-local', '', { step: 60 });
  const note = input('text', '', { maxlength: 500, autocomplete: 'off' });
  const grid = el('div', null, 'form-grid');
  grid.append(
    labelled('Kind', kind, { field: 'kind' }).wrap,
    labelled('Starts', start, { field: 'start', hint: 'Date and time.' }).wrap,
    labelled('Ends', end, { field: 'end', hint: 'Date and time.' }).wrap,
    labelled('Note (optional)', note, { field: 'note' }).wrap,
  );
  const send = button(isSelf && !canDecide ? 'Send request' : 'Add', { className: 'button button--primary', type: 'submit' });
  form.append(formHeading, message, grid, send);
  start.addEventListener('change', () => {
    if (start.value && !end.value) end.value = start.value.replace(/T.*$/, 'T23:59');
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (send.disabled) return;
    clearErrors(form, message);
    if (!start.value) { markFieldError(start, 'Enter the date and time it starts.'); return; }
    if (!end.value) { markFieldError(end, 'Enter the date and time it ends.'); return; }
    setBusy(send, true, 'Sending…');
    try {
      const reply = await api.post(`/api/carers/${carerId}/exceptions`, {
        kind: kind.value, start: start.value.slice(0, 16), end: end.value.slice(0, 16), note: note.value.trim(),
      });
      const made = reply?.exception;
      form.reset();
      await load();
      const st = made?.status ? (STATUS_LABELS[made.status] ?? made.status).toLowerCase() : 'saved';
      showSuccess(message, made?.status === 'requested'
        ? 'Your request has been sent. Its status is requested until a coordinator approves or refuses it.'
        : `Saved: its status is ${st}.`);
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(send, false);
    }
  });

  container.append(status, actionMsg, table, form);
  return load();
}
