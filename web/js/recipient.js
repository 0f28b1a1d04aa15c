// recipient.js: the page of one person receiving care (recipient.html?id=N).
//
// What the page shows follows what GET /api/recipients/{id} returns: the
// API leaves out `notes` and `key_safe` for anyone who may not see them
// (family viewers), and answers 404 for anyone who may not see the person
// at all. Coordinators and administrators also edit: details and private
// notes (PATCH), the care team in order of preference and the excluded
// carers (PUT .../team), family viewers (PUT .../viewers) and the care plan
// (POST .../plan, PUT .../plan/{line} "change from a date",
// POST .../plan/{line}/end).

import { api, ApiError } from './api.js';
import { setBusy } from './form.js';
import { hasAnyRole, showContent, startPage } from './nav.js';
import { buildPersonFields, personDetailsList, readPersonFields } from './person-form.js';
import {
  addMinutes, button, byId, clearErrors, dateElement, daysLabel, el, fillTable,
  handleSignedOut, input, labelled, link, markFieldError, minutesLabel, nameMore,
  personName, queryId, select, setText, showError, showNotFound, showSuccess, todayLocal, uid,
  WEEKDAYS,
} from './ui.js';

const state = {
  id: null,
  user: null,
  recipient: null,
  canEdit: false,
  carers: [], // every carer (editors only)
  skills: [],
  people: [], // people with an account, for viewers (editors only)
};

function carerLabel(id, fallback) {
  const c = state.carers.find((x) => x.id === id);
  return c ? personName(c) : (fallback || `Carer ${id}`);
}

function skillName(code) {
  return state.skills.find((s) => s.code === code)?.name ?? code;
}

/* ---- header and details --------------------------------------------------- */

function renderHeader(r) {
  setText('recipient-heading', personName(r));
  document.title = `${r.full_name || r.known_as} – carecoop`;
  setText('recipient-lead', r.area ? `Receives care · ${r.area}` : 'Receives care');
  const crumb = byId('breadcrumb');
  crumb.replaceChildren();
  if (hasAnyRole(state.user, ['admin', 'coordinator'])) {
    crumb.append(link('/people.html#recipients', 'People'), ' › People receiving care');
  } else {
    crumb.append(link('/care.html', 'My people'));
  }
}

function renderDetails(r) {
  if (state.canEdit) {
    const fields = byId('details-fields');
    fields.replaceChildren();
    buildPersonFields(fields, r, null, 'recipient');
    byId('details-form').hidden = false;
    byId('details-read').hidden = true;
  } else {
    const box = byId('details-read');
    const dl = personDetailsList(r, ['full_name', 'known_as', 'phone', 'address', 'area']);
    box.replaceChildren(dl.children.length ? dl : el('p', 'No further details.', 'muted'));
    box.hidden = false;
  }
}

function wireDetailsForm() {
  const form = byId('details-form');
  const message = byId('details-message');
  const save = byId('details-save');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearErrors(form, message);
    const read = readPersonFields(byId('details-fields'));
    if (read.error) { showError(form, message, new Error(read.error), read.field); return; }
    setBusy(save, true, 'Saving…');
    try {
      await api.patch(`/api/recipients/${state.id}`, read.body);
      await reload();
      renderDetails(state.recipient);
      showSuccess(message, 'Details saved.');
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });
}

/* ---- private notes ------------------------------------------------------------ */

function renderPrivate(r) {
  const section = byId('private-section');
  // Only when the API sent them: it leaves them out for family viewers.
  const has = Object.prototype.hasOwnProperty.call(r, 'notes') || Object.prototype.hasOwnProperty.call(r, 'key_safe');
  section.hidden = !has;
  if (!has) return;
  if (state.canEdit) {
    byId('notes').value = r.notes ?? '';
    byId('key-safe').value = r.key_safe ?? '';
    byId('private-form').hidden = false;
  } else {
    const dl = el('dl', null, 'details');
    dl.append(el('dt', 'Health and care notes'), el('dd', r.notes || 'None recorded', 'preserve'));
    dl.append(el('dt', 'Key safe'), el('dd', r.key_safe || 'None recorded'));
    byId('private-read').replaceChildren(dl);
    byId('private-read').hidden = false;
  }
}

function wirePrivateForm() {
  const form = byId('private-form');
  const message = byId('private-message');
  const save = byId('private-save');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearErrors(form, message);
    setBusy(save, true, 'Saving…');
    try {
      await api.patch(`/api/recipients/${state.id}`, { notes: byId('notes').value, key_safe: byId('key-safe').value.trim() });
      await reload();
      renderPrivate(state.recipient);
      showSuccess(message, 'Private notes saved.');
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });
}

/* ---- care team ---------------------------------------------------------------- */

function renderTeamRead(r) {
  const box = byId('team');
  box.replaceChildren();
  const team = [...(r.team ?? [])].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  if (team.length === 0) {
    box.append(el('p', 'No regular carers yet.', 'muted'));
    return;
  }
  box.append(el('p', 'The regular carers, in order of preference.', 'muted'));
  const ol = el('ol', null, 'team-read');
  for (const t of team) ol.append(el('li', t.known_as));
  box.append(ol);
}

function renderTeamEditor(r) {
  const box = byId('team');
  box.replaceChildren();
  let team = [...(r.team ?? [])].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0)).map((t) => t.id);
  let excluded = (r.excluded ?? []).map((x) => x.id);
  const names = new Map([...(r.team ?? []), ...(r.excluded ?? [])].map((t) => [t.id, t.known_as]));

  const form = el('form', null, 'team-form');
  form.noValidate = true;
  form.setAttribute('aria-labelledby', 'team-heading');
  const message = el('div', '', 'alert alert--error');
  message.id = 'team-message';
  message.setAttribute('role', 'alert');
  const live = el('p', '', 'visually-hidden');
  live.setAttribute('role', 'status');
  live.id = 'team-live';

  const intro = el('p', 'In order of preference: the rota asks the first carer first. Move carers up or down, add or remove them, then save.', 'muted');
  const teamHeading = el('h3', 'Regular carers');
  teamHeading.id = 'team-list-heading';
  const list = el('ol', null, 'team-list');
  list.setAttribute('aria-labelledby', 'team-list-heading');
  const teamEmpty = el('p', 'No regular carers yet: add one below.', 'muted');

  const exHeading = el('h3', 'Not to be sent');
  exHeading.id = 'excluded-heading';
  const exIntro = el('p', 'Carers this person has asked not to be sent. The rota never sends them.', 'muted');
  const exList = el('ul', null, 'excluded-list');
  exList.setAttribute('aria-labelledby', 'excluded-heading');
  const exEmpty = el('p', 'No one.', 'muted');

  const addSelect = select([]);
  const addField = labelled('Add a carer to the team', addSelect, { field: 'team' });
  const addButton = button('Add to team', { className: 'button button--quiet' });
  const addRow = el('div', null, 'inline-add');
  addRow.append(addField.wrap, addButton);

  const exSelect = select([]);
  const exField = labelled('Add a carer not to be sent', exSelect, { field: 'excluded' });
  const exButton = button('Add to “not to be sent”', { className: 'button button--quiet' });
  const exRow = el('div', null, 'inline-add');
  exRow.append(exField.wrap, exButton);

  const save = button('Save care team', { className: 'button button--primary', type: 'submit' });

  function fillSelect(s, placeholder) {
    const taken = new Set([...team, ...excluded]);
    const options = [{ value: '', label: placeholder }].concat(
      state.carers.filter((c) => !taken.has(c.id)).map((c) => ({ value: c.id, label: personName(c) })),
    );
    s.replaceChildren(...select(options).children);
    s.value = '';
  }

  function draw(focus) {
    list.replaceChildren();
    team.forEach((cid, i) => {
      const name = carerLabel(cid, names.get(cid));
      const li = el('li', null, 'team-list__item');
      const label = el('span', null, 'team-list__name');
      const rank = el('span', `${i + 1}.`, 'team-list__rank');
      rank.setAttribute('aria-hidden', 'true'); // the list itself is ordered
      label.append(rank, name);
      const up = button('Move up', { className: 'button button--quiet button--small' });
      nameMore(up, `: ${name}`);
      up.dataset.field = `team[${i}]`;
      up.dataset.action = 'up';
      up.disabled = i === 0;
      const down = button('Move down', { className: 'button button--quiet button--small' });
      nameMore(down, `: ${name}`);
      down.dataset.action = 'down';
      down.disabled = i === team.length - 1;
      const remove = button('Remove', { className: 'button button--quiet button--small' });
      nameMore(remove, ` ${name} from the team`);
      remove.dataset.action = 'remove';
      up.addEventListener('click', () => move(i, -1));
      down.addEventListener('click', () => move(i, +1));
      remove.addEventListener('click', () => {
        team.splice(i, 1);
        live.textContent = `${name} taken off the team. Save the care team to keep this.`;
        draw({ index: Math.min(i, team.length - 1), action: 'remove', fallback: addSelect });
      });
      const actions = el('span', null, 'row-actions');
      actions.append(up, down, remove);
      li.append(label, actions);
      list.append(li);
    });
    teamEmpty.hidden = team.length !== 0;

    exList.replaceChildren();
    excluded.forEach((cid, i) => {
      const name = carerLabel(cid, names.get(cid));
      const li = el('li', null, 'team-list__item');
      const remove = button('Remove', { className: 'button button--quiet button--small' });
      nameMore(remove, ` ${name} from “not to be sent”`);
      remove.dataset.field = `excluded[${i}]`;
      remove.dataset.action = 'remove';
      remove.addEventListener('click', () => {
        excluded.splice(i, 1);
        live.textContent = `${name} may be sent again. Save the care team to keep this.`;
        draw({ list: exList, index: Math.min(i, excluded.length - 1), action: 'remove', fallback: exSelect });
      });
      const actions = el('span', null, 'row-actions');
      actions.append(remove);
      li.append(el('span', name, 'team-list__name'), actions);
      exList.append(li);
    });
    exEmpty.hidden = excluded.length !== 0;

    fillSelect(addSelect, 'Choose a carer…');
    fillSelect(exSelect, 'Choose a carer…');

    if (focus) {
      const target = (focus.list ?? list).children[focus.index]?.querySelector(`[data-action="${focus.action}"]`);
      if (target && !target.disabled) target.focus();
      else if (target) target.closest('li').querySelector('button:not(:disabled)')?.focus();
      else focus.fallback?.focus();
    }
  }

  function move(i, delta) {
    const j = i + delta;
    if (j < 0 || j >= team.length) return;
    [team[i], team[j]] = [team[j], team[i]];
    const name = carerLabel(team[j], names.get(team[j]));
    live.textContent = `${name} is now number ${j + 1} of ${team.length}. Save the care team to keep this order.`;
    // keep focus on the same kind of button; at either end, on the other one
    const action = delta < 0 ? (j === 0 ? 'down' : 'up') : (j === team.length - 1 ? 'up' : 'down');
    draw({ index: j, action });
  }

  addButton.addEventListener('click', () => {
    clearErrors(form, message);
    const v = Number(addSelect.value);
    if (!v) { markFieldError(addSelect, 'Choose a carer to add.'); return; }
    team.push(v);
    live.textContent = `${carerLabel(v)} added to the team as number ${team.length}. Save the care team to keep this.`;
    draw({ index: team.length - 1, action: 'up' });
    if (team.length === 1) addSelect.focus();
  });
  exButton.addEventListener('click', () => {
    clearErrors(form, message);
    const v = Number(exSelect.value);
    if (!v) { markFieldError(exSelect, 'Choose a carer.'); return; }
    excluded.push(v);
    live.textContent = `${carerLabel(v)} will not be sent. Save the care team to keep this.`;
    draw({ list: exList, index: excluded.length - 1, action: 'remove' });
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearErrors(form, message);
    setBusy(save, true, 'Saving…');
    try {
      await api.put(`/api/recipients/${state.id}/team`, { team, excluded });
      await reload();
      team = [...(state.recipient.team ?? [])].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0)).map((t) => t.id);
      excluded = (state.recipient.excluded ?? []).map((x) => x.id);
      draw(null);
      showSuccess(message, 'Care team saved.');
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });

  form.append(intro, message, live, teamHeading, list, teamEmpty, addRow, exHeading, exIntro, exList, exEmpty, exRow, save);
  box.append(form);
  draw(null);
}

/* ---- viewers -------------------------------------------------------------------- */

function renderViewers(r) {
  const section = byId('viewers-section');
  section.hidden = !state.canEdit;
  if (!state.canEdit) return;
  const box = byId('viewers');
  box.replaceChildren();
  let viewers = (r.viewers ?? []).map((v) => ({ ...v }));

  const form = el('form', null, 'viewers-form');
  form.noValidate = true;
  form.setAttribute('aria-labelledby', 'viewers-heading');
  const message = el('div', '', 'alert alert--error');
  message.setAttribute('role', 'alert');
  message.id = 'viewers-message';
  const list = el('ul', null, 'viewer-list');
  const empty = el('p', 'No one yet.', 'muted');

  const who = select([]);
  const rel = input('text', '', { autocomplete: 'off', maxlength: 100 });
  const addGrid = el('div', null, 'form-grid');
  addGrid.append(
    labelled('Add a family member or representative', who, { field: 'user_id', hint: 'People with a carecoop account.' }).wrap,
    labelled('Relationship', rel, { field: 'relationship', hint: 'For example daughter, son, attorney.' }).wrap,
  );
  const add = button('Add', { className: 'button button--quiet' });
  const save = button('Save family and representatives', { className: 'button button--primary', type: 'submit' });

  function draw(focusIndex) {
    // keep relationship edits made in the list
    list.replaceChildren();
    viewers.forEach((v, i) => {
      const li = el('li', null, 'viewer-list__item');
      const person = state.people.find((p) => p.user_id === v.user_id);
      const name = person ? personName(person) : (v.email || `Account ${v.user_id}`);
      const text = el('span', null, 'viewer-list__name');
      text.append(el('strong', name));
      if (v.email && person) text.append(` (${v.email})`);
      const relInput = input('text', v.relationship ?? '', { autocomplete: 'off', maxlength: 100 });
      relInput.addEventListener('input', () => { v.relationship = relInput.value; });
      const relField = labelled(`Relationship of ${name}`, relInput, { field: `viewers[${i}].relationship` });
      relField.wrap.classList.add('field--compact');
      const remove = button('Remove', { className: 'button button--quiet button--small' });
      nameMore(remove, ` ${name}`);
      remove.dataset.field = `viewers[${i}]`;
      remove.addEventListener('click', () => {
        viewers.splice(i, 1);
        draw(Math.min(i, viewers.length - 1));
      });
      li.append(text, relField.wrap, remove);
      list.append(li);
    });
    empty.hidden = viewers.length !== 0;
    const taken = new Set(viewers.map((v) => v.user_id));
    const options = [{ value: '', label: 'Choose a person…' }].concat(
      state.people.filter((p) => p.user_id && !taken.has(p.user_id))
        .map((p) => ({ value: p.user_id, label: p.email ? `${personName(p)} (${p.email})` : personName(p) })),
    );
    who.replaceChildren(...select(options).children);
    who.value = '';
    if (focusIndex !== undefined) {
      if (focusIndex >= 0) list.children[focusIndex]?.querySelector('button')?.focus();
      else who.focus();
    }
  }

  add.addEventListener('click', () => {
    clearErrors(form, message);
    const uidValue = Number(who.value);
    if (!uidValue) { markFieldError(who, 'Choose who to add.'); return; }
    const person = state.people.find((p) => p.user_id === uidValue);
    viewers.push({ user_id: uidValue, email: person?.email ?? '', relationship: rel.value.trim() });
    rel.value = '';
    draw(viewers.length - 1);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearErrors(form, message);
    setBusy(save, true, 'Saving…');
    try {
      await api.put(`/api/recipients/${state.id}/viewers`, {
        viewers: viewers.map((v) => ({ user_id: v.user_id, relationship: (v.relationship ?? '').trim() })),
      });
      await reload();
      viewers = (state.recipient.viewers ?? []).map((v) => ({ ...v }));
      draw();
      showSuccess(message, 'Family and representatives saved.');
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });

  const addBox = el('div', null, 'inline-add');
  addBox.append(addGrid, add);
  form.append(message, list, empty, addBox, save);
  box.append(form);
  draw();
}

/* ---- care plan ------------------------------------------------------------------ */

function lineState(line, today) {
  if (line.valid_to && line.valid_to < today) return 'ended';
  if (line.valid_from && line.valid_from > today) return 'future';
  return 'current';
}

function renderPlan(r) {
  const box = byId('plan');
  box.replaceChildren();
  const today = todayLocal();
  const lines = [...(r.plan ?? [])].sort((a, b) => String(a.start).localeCompare(String(b.start))
    || String(a.valid_from).localeCompare(String(b.valid_from)));
  if (lines.length === 0) {
    box.append(el('p', 'No visits are planned yet.', 'muted'));
    return;
  }
  const table = el('table', null, 'table--stack plan-table');
  const caption = el('caption', 'Planned visits', 'visually-hidden');
  const thead = el('thead');
  const tr = el('tr');
  const heads = ['Time', 'Days', 'Carers', 'Skills', 'Tasks', 'From', 'Until'];
  if (state.canEdit) heads.push('Actions');
  for (const h of heads) { const th = el('th', h); th.scope = 'col'; tr.append(th); }
  thead.append(tr);
  const tbody = el('tbody');
  table.append(caption, thead, tbody);
  const columns = [
    { label: 'Time', header: true, cell: (l) => `${l.start}–${addMinutes(l.start, l.minutes)} (${minutesLabel(l.minutes)})` },
    { label: 'Days', cell: (l) => daysLabel(l.days) },
    { label: 'Carers', cell: (l) => (Number(l.carers) === 2 ? '2 carers' : '1 carer') },
    { label: 'Skills', cell: (l) => (l.skills ?? []).map(skillName).join(', ') },
    { label: 'Tasks', cell: (l) => l.tasks },
    { label: 'From', cell: (l) => dateElement(l.valid_from) },
    {
      label: 'Until',
      cell: (l) => {
        const s = lineState(l, today);
        if (!l.valid_to) return 'Open-ended';
        const span = el('span');
        span.append(dateElement(l.valid_to));
        if (s === 'ended') span.append(' ', el('span', 'ended', 'tag'));
        return span;
      },
    },
  ];
  if (state.canEdit) {
    columns.push({
      label: 'Actions',
      cell: (l) => {
        if (lineState(l, today) === 'ended') return '';
        const what = ` the ${l.start} visit (${daysLabel(l.days)})`;
        const box2 = el('div', null, 'row-actions');
        const change = button('Change from a date', { className: 'button button--quiet button--small' });
        nameMore(change, `:${what}`);
        change.addEventListener('click', () => openPlanDialog('change', l, change));
        const end = button('End', { className: 'button button--quiet button--small' });
        nameMore(end, `${what}`);
        end.addEventListener('click', () => openPlanDialog('end', l, end));
        box2.append(change, end);
        return box2;
      },
    });
  }
  fillTable(tbody, lines, columns);
  for (const [i, row] of [...tbody.rows].entries()) {
    if (lineState(lines[i], today) === 'ended') row.classList.add('row--ended');
  }
  box.append(table);
}

/** The fields of a plan line (add and change share them). */
function planFields(container, line, dateField) {
  container.replaceChildren();
  const days = el('fieldset', null, 'checks checks--days');
  days.dataset.field = 'days';
  days.append(el('legend', 'Days'));
  const dayList = el('div', null, 'checks__list');
  const chosen = new Set((line?.days ?? []).map(Number));
  WEEKDAYS.forEach((name, i) => {
    const box = input('checkbox', String(i + 1), { name: 'days', id: uid('day') });
    box.checked = chosen.has(i + 1);
    const label = el('label', name, 'check');
    label.prepend(box, ' ');
    dayList.append(label);
  });
  const daysErr = el('p', '', 'field-error');
  daysErr.setAttribute('role', 'alert');
  days.append(dayList, daysErr);

  const grid = el('div', null, 'form-grid');
  const start = input('time', line?.start ?? '', { step: 300 });
  const minutes = input('number', line?.minutes ?? '', { min: 1, max: 720, step: 1, inputmode: 'numeric' });
  grid.append(
    labelled('Start time', start, { field: 'start' }).wrap,
    labelled('Length in minutes', minutes, { field: 'minutes', hint: '1 to 720.' }).wrap,
  );

  const carers = el('fieldset', null, 'checks');
  carers.dataset.field = 'carers';
  carers.append(el('legend', 'Carers at each visit'));
  const carersList = el('div', null, 'checks__list');
  const radioName = uid('carers');
  for (const n of [1, 2]) {
    const radio = input('radio', String(n), { name: radioName, id: uid('carers') });
    radio.checked = Number(line?.carers ?? 1) === n;
    const label = el('label', n === 1 ? 'One carer' : 'Two carers', 'check');
    label.prepend(radio, ' ');
    carersList.append(label);
  }
  const carersErr = el('p', '', 'field-error');
  carersErr.setAttribute('role', 'alert');
  carers.append(carersList, carersErr);

  const skills = el('fieldset', null, 'checks');
  skills.dataset.field = 'skills';
  skills.append(el('legend', 'Skills needed'));
  const skillList = el('div', null, 'checks__list');
  const have = new Set(line?.skills ?? []);
  for (const s of state.skills) {
    const box = input('checkbox', s.code, { name: 'skills', id: uid('plan-skill') });
    box.checked = have.has(s.code);
    const label = el('label', s.name, 'check');
    label.prepend(box, ' ');
    skillList.append(label);
  }
  if (state.skills.length === 0) skillList.append(el('p', 'No skills have been set up.', 'muted'));
  const skillsErr = el('p', '', 'field-error');
  skillsErr.setAttribute('role', 'alert');
  skills.append(skillList, skillsErr);

  const tasks = input('text', line?.tasks ?? '', { autocomplete: 'off', maxlength: 2000 });
  const tasksField = labelled('Tasks', tasks, { field: 'tasks', hint: 'What the visit is for, for example “Breakfast, medication”.' });
  tasksField.wrap.classList.add('field--wide');

  const date = input('date', dateField.value ?? '', { required: true });
  const dateBox = labelled(dateField.label, date, { field: dateField.name, hint: dateField.hint });

  const grid2 = el('div', null, 'form-grid');
  grid2.append(tasksField.wrap, dateBox.wrap);
  container.append(days, grid, carers, skills, grid2);

  return () => {
    const body = {
      days: [...dayList.querySelectorAll('input:checked')].map((b) => Number(b.value)),
      start: start.value,
      minutes: minutes.value === '' ? null : Number(minutes.value),
      carers: Number(carersList.querySelector('input:checked')?.value ?? 1),
      skills: [...skillList.querySelectorAll('input:checked')].map((b) => b.value),
      tasks: tasks.value.trim(),
      [dateField.name]: date.value,
    };
    if (body.days.length === 0) return { error: 'Choose at least one day.', field: 'days' };
    if (!body.start) return { error: 'Enter the time the visit starts.', field: 'start' };
    if (!Number.isInteger(body.minutes)) return { error: 'Enter how many minutes the visit lasts.', field: 'minutes' };
    if (!body[dateField.name]) return { error: `Enter the date (${dateField.label.toLowerCase()}).`, field: dateField.name };
    return { body };
  };
}

function wirePlanAdd() {
  const details = byId('plan-add');
  details.hidden = false;
  const form = byId('plan-add-form');
  const message = byId('plan-add-message');
  const save = byId('plan-add-save');
  let read = planFields(byId('plan-add-fields'), null,
    { name: 'valid_from', label: 'Valid from', value: todayLocal(), hint: 'The first day of this visit.' });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearErrors(form, message);
    const got = read();
    if (got.error) { showError(form, message, new Error(got.error), got.field); return; }
    setBusy(save, true, 'Adding…');
    try {
      await api.post(`/api/recipients/${state.id}/plan`, got.body);
      await reload();
      renderPlan(state.recipient);
      read = planFields(byId('plan-add-fields'), null,
        { name: 'valid_from', label: 'Valid from', value: todayLocal(), hint: 'The first day of this visit.' });
      showSuccess(message, `Visit at ${got.body.start} added to the care plan.`);
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });
}

let dialogState = null;

function openPlanDialog(kind, line, opener) {
  const dialog = byId('plan-dialog');
  const fields = byId('plan-dialog-fields');
  const message = byId('plan-dialog-message');
  clearErrors(byId('plan-dialog-form'), message);
  const when = `${line.start}, ${daysLabel(line.days)}`;
  if (kind === 'change') {
    setText('plan-dialog-heading', 'Change a visit from a date');
    setText('plan-dialog-intro', `The visit at ${when} ends the day before the date you choose, and the changed visit starts on it.`);
    setText('plan-dialog-save', 'Save change');
    const read = planFields(fields, line,
      { name: 'effective_from', label: 'Change from', value: '', hint: 'The first day of the changed visit.' });
    dialogState = { kind, line, read, opener };
  } else {
    setText('plan-dialog-heading', 'End a visit');
    setText('plan-dialog-intro', `The visit at ${when} will not happen after the date you choose.`);
    setText('plan-dialog-save', 'End visit');
    fields.replaceChildren();
    const date = input('date', '', { required: true });
    fields.append(labelled('Last day', date, { field: 'valid_to', hint: `Not before ${line.valid_from}.` }).wrap);
    dialogState = {
      kind, line, opener,
      read: () => (date.value ? { body: { valid_to: date.value } } : { error: 'Enter the last day of this visit.', field: 'valid_to' }),
    };
  }
  dialog.showModal();
  fields.querySelector('input[type="date"]')?.focus();
}

function wirePlanDialog() {
  const dialog = byId('plan-dialog');
  const form = byId('plan-dialog-form');
  const message = byId('plan-dialog-message');
  const save = byId('plan-dialog-save');
  byId('plan-dialog-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    const opener = dialogState?.opener;
    if (opener?.isConnected) {
      opener.focus();
    } else {
      const heading = byId('plan-heading');
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!dialogState || save.disabled) return;
    clearErrors(form, message);
    const got = dialogState.read();
    if (got.error) { showError(form, message, new Error(got.error), got.field); return; }
    const { kind, line } = dialogState;
    setBusy(save, true, 'Saving…');
    try {
      if (kind === 'change') await api.put(`/api/recipients/${state.id}/plan/${line.id}`, got.body);
      else await api.post(`/api/recipients/${state.id}/plan/${line.id}/end`, got.body);
      await reload();
      dialogState.opener = null;
      renderPlan(state.recipient);
      dialog.close(); // focus goes to the plan's heading
    } catch (err) {
      showError(form, message, err);
    } finally {
      setBusy(save, false);
    }
  });
}

/* ---- loading ------------------------------------------------------------------ */

async function reload() {
  const reply = await api.get(`/api/recipients/${state.id}`);
  state.recipient = reply?.recipient ?? reply;
  return state.recipient;
}

async function main() {
  state.user = await startPage();
  state.id = queryId();
  if (state.id === null) {
    showNotFound('No person was chosen. Open someone from the list of people.');
    return;
  }
  state.canEdit = hasAnyRole(state.user, ['admin', 'coordinator']);
  try {
    const [, skills, carers, people] = await Promise.all([
      reload(),
      api.get('/api/skills').catch(() => ({ skills: [] })),
      state.canEdit ? api.get('/api/carers').catch(() => ({ carers: [] })) : { carers: [] },
      state.canEdit ? api.get('/api/people').catch(() => ({ people: [] })) : { people: [] },
    ]);
    state.skills = skills?.skills ?? [];
    state.carers = carers?.carers ?? [];
    state.people = people?.people ?? [];
  } catch (err) {
    if (handleSignedOut(err)) return;
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      showNotFound('This person was not found, or their record is not open to your account.');
      return;
    }
    showNotFound(`Could not load this record: ${err.message}`);
    return;
  }

  const r = state.recipient;
  renderHeader(r);
  renderDetails(r);
  renderPrivate(r);
  renderPlan(r);
  renderViewers(r);
  if (state.canEdit) {
    wireDetailsForm();
    wirePrivateForm();
    renderTeamEditor(r);
    wirePlanAdd();
    wirePlanDialog();
  } else {
    renderTeamRead(r);
  }
  showContent();
}

main().catch((err) => {
  if (!(err instanceof ApiError)) setText('page-error', `Something went wrong: ${err.message}`);
});
