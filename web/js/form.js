// form.js: showing a form's errors the same way on every page.
//
// One message at a time in the form's live region (role="alert"), the field at
// fault marked aria-invalid and pointed at the message, and focus moved to
// that field so a keyboard or screen-reader user lands where the fix is.

/** "wrong email or password" -> "Wrong email or password." */
export function sentence(text) {
  const t = String(text ?? '').trim();
  if (t === '') return '';
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

/**
 * @param {HTMLElement} region the form's alert region
 * @param {string} message text to show (empty clears)
 * @param {HTMLElement|null} fieldEl the input at fault, if any
 */
export function showFormError(region, message, fieldEl) {
  region.classList.remove('alert--success');
  region.classList.add('alert--error');
  region.textContent = sentence(message);
  if (fieldEl) {
    fieldEl.setAttribute('aria-invalid', 'true');
    fieldEl.setAttribute('aria-describedby',
      [fieldEl.dataset.hint, region.id].filter(Boolean).join(' '));
    fieldEl.focus();
    if (typeof fieldEl.select === 'function') fieldEl.select();
  }
}

export function showFormSuccess(region, message) {
  region.classList.remove('alert--error');
  region.classList.add('alert--success');
  region.textContent = message;
}

/** Clear the message and every field's invalid mark. */
export function clearFormErrors(form, region) {
  region.textContent = '';
  region.classList.remove('alert--error', 'alert--success');
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    if (el.dataset.hint) el.setAttribute('aria-describedby', el.dataset.hint);
    else el.removeAttribute('aria-describedby');
  }
}

/** Set a submit button's busy state without losing its label. */
export function setBusy(button, busy, busyLabel) {
  if (busy) {
    button.dataset.label = button.textContent;
    button.textContent = busyLabel;
    button.disabled = true;
    button.setAttribute('aria-disabled', 'true');
  } else {
    if (button.dataset.label) button.textContent = button.dataset.label;
    button.disabled = false;
    button.removeAttribute('aria-disabled');
  }
}
