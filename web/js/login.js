// login.js: the sign-in page (index.html).
//
// Already signed in (GET /api/me answers 200): go straight on. Otherwise the
// form posts {email, password} to POST /api/session and, on success, goes to
// the home page (or to the area the person was sent away from, ?next=).

import { api, ApiError, describeWait } from './api.js';
import { clearFormErrors, setBusy, showFormError } from './form.js';

const form = document.getElementById('login-form');
const email = document.getElementById('email');
const password = document.getElementById('password');
const submit = document.getElementById('login-submit');
const region = document.getElementById('login-error');

/** Only our own pages, never another site: /name.html or home. */
function nextPage() {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && /^\/[a-z-]+\.html$/.test(next) && next !== '/index.html' ? next : '/home.html';
}

async function redirectIfSignedIn() {
  try {
    await api.me();
    window.location.replace(nextPage());
  } catch {
    // 401 is the usual answer here: stay and show the form.
  }
}

function fieldFor(name) {
  if (name === 'email') return email;
  if (name === 'password') return password;
  return null;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (submit.disabled) return;
  clearFormErrors(form, region);

  const emailValue = email.value.trim();
  if (emailValue === '') {
    showFormError(region, 'Enter your email address.', email);
    return;
  }
  if (!emailValue.includes('@')) {
    showFormError(region, 'Enter your email address in the form name@example.org.', email);
    return;
  }
  if (password.value === '') {
    showFormError(region, 'Enter your password.', password);
    return;
  }

  setBusy(submit, true, 'Signing in…');
  try {
    await api.login(emailValue, password.value);
    window.location.assign(nextPage());
  } catch (err) {
    setBusy(submit, false);
    let message = err.message;
    if (err instanceof ApiError && err.status === 429) {
      const wait = describeWait(err.retryAfter);
      if (wait && !/try again/i.test(message)) message = `${message.replace(/\.?$/, '.')} ${wait}`;
    }
    const target = fieldFor(err instanceof ApiError ? err.field : null) ?? password;
    if (target === password) password.value = '';
    showFormError(region, message, target);
  }
});

redirectIfSignedIn();
