// person-form.js: the person fields every record shares (docs/API.md,
// "person"): a form to edit them, a read-only list to show them, and
// reading them back into the JSON the API takes.

import { byId, el, input, labelled } from './ui.js';

export const PERSON_FIELDS = [
  { name: 'full_name', label: 'Full name', type: 'text', autocomplete: 'off', required: true },
  { name: 'known_as', label: 'Known as', type: 'text', required: true, hint: 'The first name other people see.' },
  { name: 'email', label: 'Email address', type: 'email', autocomplete: 'off' },
  { name: 'phone', label: 'Phone', type: 'tel', autocomplete: 'off' },
  { name: 'address', label: 'Address', type: 'text', autocomplete: 'off', wide: true },
  { name: 'area', label: 'Area', type: 'text', hint: 'Neighbourhood or village.' },
  { name: 'lat', label: 'Latitude', type: 'text', inputmode: 'decimal', hint: 'Optional, −90 to 90 (with longitude).' },
  { name: 'lon', label: 'Longitude', type: 'text', inputmode: 'decimal', hint: 'Optional, −180 to 180 (with latitude).' },
];

/**
 * Add labelled inputs for the person fields to container.
 * @param {string[]} [only] just these field names
 */
export function buildPersonFields(container, person = {}, only = null, idPrefix = 'person') {
  for (const f of PERSON_FIELDS) {
    if (only && !only.includes(f.name)) continue;
    const value = person?.[f.name];
    const i = input(f.type, value === null || value === undefined ? '' : value, {
      id: `${idPrefix}-${f.name.replace('_', '-')}`,
      name: f.name,
      autocomplete: f.autocomplete ?? 'off',
      inputmode: f.inputmode,
      required: f.required,
      spellcheck: f.type === 'email' ? 'false' : undefined,
    });
    const { wrap } = labelled(f.required ? `${f.label} (required)` : f.label, i, { hint: f.hint, field: f.name });
    if (f.wide) wrap.classList.add('field--wide');
    container.append(wrap);
  }
}

/**
 * Read the person fields back. Empty optional text is sent as "" and empty
 * lat/lon as null. Returns {body} or {error, field} from our own checks.
 */
export function readPersonFields(container, only = null) {
  const body = {};
  for (const f of PERSON_FIELDS) {
    if (only && !only.includes(f.name)) continue;
    const control = container.querySelector(`[data-field="${f.name}"]`);
    if (!control) continue;
    const v = control.value.trim();
    if (f.required && v === '') return { error: `Enter the ${f.label.toLowerCase()}.`, field: f.name };
    if (f.name === 'lat' || f.name === 'lon') {
      if (v === '') { body[f.name] = null; continue; }
      const n = Number(v);
      if (!Number.isFinite(n)) return { error: `${f.label} must be a number.`, field: f.name };
      body[f.name] = n;
    } else {
      body[f.name] = v;
    }
  }
  if (('lat' in body || 'lon' in body) && (body.lat === null) !== (body.lon === null)) {
    return { error: 'Give both latitude and longitude, or neither.', field: body.lat === null ? 'lat' : 'lon' };
  }
  return { body };
}

/** A read-only <dl> of the person fields that have a value. */
export function personDetailsList(person, only = null) {
  const dl = el('dl', null, 'details');
  for (const f of PERSON_FIELDS) {
    if (only && !only.includes(f.name)) continue;
    const v = person?.[f.name];
    if (v === undefined || v === null || v === '') continue;
    dl.append(el('dt', f.label), el('dd', v));
  }
  return dl;
}

/** Show the details list (read-only) in a container by id. */
export function showPersonDetails(containerId, person, only = null) {
  const c = byId(containerId);
  c.replaceChildren(personDetailsList(person, only));
}
