// nav.js: the frame every signed-in page shares.
//
// startPage() checks the session (GET /api/me; 401 sends the person to the
// sign-in page), fills in who is signed in, builds the navigation bar with only
// the areas that person's roles open, and wires the "Log out" button.

import { api, ApiError } from './api.js';
import { sentence } from './form.js';

/** Human names for the API's role codes, in the order we list them. */
export const ROLE_LABELS = {
  admin: 'Administrator',
  coordinator: 'Coordinator',
  treasurer: 'Treasurer',
  carer: 'Carer',
  member: 'Member',
};

/**
 * The navigation bar. `roles: null` means everyone who is signed in.
 * Each later release fills one of these areas.
 */
export const NAV_ITEMS = [
  { href: '/home.html', label: 'Home', roles: null },
  { href: '/rota.html', label: 'Rota', roles: ['coordinator'] },
  { href: '/calendar.html', label: 'My calendar', roles: ['carer'] },
  { href: '/feeds.html', label: 'Calendar feeds', roles: null },
  { href: '/availability.html', label: 'Availability', roles: ['carer'] },
  // `viewers: true`: also for a family member or representative (a "viewer"
  // of someone receiving care), which only GET /api/recipients can tell.
  {
    href: '/care.html', label: 'My people', roles: ['carer'], viewers: true,
    also: ['/recipient.html'],
  },
  {
    href: '/people.html', label: 'People', roles: ['admin', 'coordinator'],
    also: ['/carer.html', '/recipient.html', '/import.html'],
  },
  { href: '/members.html', label: 'Members', roles: ['admin', 'treasurer'] },
  { href: '/proposals.html', label: 'Proposals', roles: null, also: ['/results.html', '/proposals'] },
  { href: '/surplus.html', label: 'Surplus', roles: ['treasurer', 'admin'] },
  { href: '/statement.html', label: 'My surplus share', roles: ['member'] },
  { href: '/audit.html', label: 'Audit log', roles: ['admin'] },
];

export function hasAnyRole(user, roles) {
  if (roles === null) return true;
  const held = Array.isArray(user.roles) ? user.roles : [];
  return roles.some((r) => held.includes(r));
}

export function roleLabel(code) {
  return ROLE_LABELS[code] ?? code;
}

/** "Coordinator and Carer" */
export function listRoles(roles) {
  const ordered = Object.keys(ROLE_LABELS).filter((r) => roles.includes(r))
    .concat(roles.filter((r) => !(r in ROLE_LABELS)));
  const labels = ordered.map(roleLabel);
  if (labels.length === 0) return 'no roles yet';
  if (labels.length === 1) return labels[0];
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** Where the sign-in page should send someone back to after signing in. */
function loginUrl() {
  const here = window.location.pathname;
  if (/^\/[a-z-]+\.html$/.test(here) && here !== '/home.html' && here !== '/index.html') {
    return `/index.html?next=${encodeURIComponent(here)}`;
  }
  return '/index.html';
}

/** Roles that see every record anyway, or have their own teams. */
const NO_VIEWER_PROBE = ['admin', 'coordinator', 'carer'];

/**
 * Is this member a family member or representative of someone receiving
 * care? Asked only of members without a staff or carer role; any failure
 * simply leaves the link out.
 */
async function isViewer(user) {
  if (!user.roles.includes('member') || hasAnyRole(user, NO_VIEWER_PROBE)) return false;
  try {
    const reply = await api.get('/api/recipients');
    return Array.isArray(reply?.recipients) && reply.recipients.length > 0;
  } catch {
    return false;
  }
}

function renderNav(user, viewer = false) {
  const list = document.getElementById('nav-list');
  if (!list) return;
  const here = window.location.pathname === '/' ? '/home.html' : window.location.pathname;
  list.replaceChildren();
  let sectionMarked = false;
  for (const item of NAV_ITEMS) {
    if (!hasAnyRole(user, item.roles) && !(item.viewers && viewer)) continue;
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = item.href;
    a.textContent = item.label;
    if (item.href === here) {
      a.setAttribute('aria-current', 'page');
    } else if (!sectionMarked && item.also?.includes(here)) {
      // a page inside this area (a carer's or a person's own page)
      a.setAttribute('aria-current', 'true');
      sectionMarked = true;
    }
    li.append(a);
    list.append(li);
  }
}

function renderUser(user) {
  const name = document.getElementById('user-name');
  if (name) name.textContent = user.name || user.email;
}

/** Show a message in the page's live region (role="alert"). */
export function showPageError(message) {
  const region = document.getElementById('page-error');
  if (region) region.textContent = sentence(message);
}

export function clearPageError() {
  showPageError('');
}

function wireLogout() {
  const button = document.getElementById('logout');
  if (!button) return;
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = 'Logging out…';
    try {
      await api.logout();
    } catch (err) {
      // Already signed out (401) is as good as logged out; anything else is shown.
      if (!(err instanceof ApiError) || err.status !== 401) {
        button.disabled = false;
        button.textContent = 'Log out';
        showPageError(`Could not log out: ${err.message}`);
        button.focus();
        return;
      }
    }
    window.location.replace('/index.html');
  });
}

/**
 * Start a signed-in page. Resolves with the user, or never resolves when the
 * person is being sent to the sign-in page.
 * @returns {Promise<{id:number,email:string,name:string,roles:string[]}>}
 */
export async function startPage() {
  let me;
  try {
    me = await api.me();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      window.location.replace(loginUrl());
      return new Promise(() => {});
    }
    const content = document.getElementById('content');
    const loading = document.getElementById('loading');
    if (loading) loading.hidden = true;
    if (content) content.hidden = true;
    showPageError(`Could not load your account: ${err.message}`);
    throw err;
  }
  const user = me.user;
  user.roles = Array.isArray(user.roles) ? user.roles : [];
  renderUser(user);
  renderNav(user, await isViewer(user));
  wireLogout();
  document.getElementById('account')?.removeAttribute('hidden');
  return user;
}

/** Swap the "Loading…" line for the page's content. */
export function showContent() {
  const loading = document.getElementById('loading');
  const content = document.getElementById('content');
  if (loading) loading.hidden = true;
  if (content) content.hidden = false;
  document.getElementById('main')?.setAttribute('aria-busy', 'false');
}
