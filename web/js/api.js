// api.js: the one place the pages talk to the carecoop server.
//
// JSON in, JSON out, cookies for the session (HttpOnly, so never seen here),
// and the CSRF token from the login reply or GET /api/me, kept in memory only
// and sent as X-CSRF-Token on every state-changing request (docs/API.md).
// Every failure is thrown as an ApiError carrying the server's `error` text and
// `field`, so a page can show the message a person can act on next to the
// field at fault.

let csrfToken = null;

/** An error from the API (or from not reaching it). */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, or 0 when the server was not reached
   * @param {string} message the server's `error` text (or our own when none)
   * @param {string|null} field the JSON member, header or parameter at fault
   * @param {number|null} retryAfter seconds from a Retry-After header, if any
   */
  constructor(status, message, field = null, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

/** Remember the CSRF token (from POST /api/session or GET /api/me). */
export function setCsrfToken(token) {
  csrfToken = typeof token === 'string' && token !== '' ? token : null;
}

export function hasCsrfToken() {
  return csrfToken !== null;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function fallbackMessage(status) {
  if (status === 401) return 'You are not signed in.';
  if (status === 403) return 'Your account is not allowed to do that.';
  if (status === 404) return 'That was not found.';
  if (status === 429) return 'Too many attempts. Please wait and try again.';
  if (status >= 500) return 'The server had a problem. Please try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

/**
 * Send one request to the API.
 * @param {string} method GET, POST, PUT, PATCH or DELETE
 * @param {string} path a path under /api/
 * @param {unknown} [body] sent as JSON when given
 * @param {string} [contentType] another type (e.g. text/csv): body is then sent as text
 * @returns {Promise<any>} the parsed JSON reply (null when the reply has no body)
 * @throws {ApiError}
 */
export async function request(method, path, body, contentType = 'application/json') {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    init.body = contentType === 'application/json' ? JSON.stringify(body) : String(body);
  }
  if (STATE_CHANGING.has(method) && csrfToken !== null) {
    headers['X-CSRF-Token'] = csrfToken;
  }

  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'Could not reach the carecoop server. Check your connection and try again.');
  }

  let data = null;
  const text = await response.text().catch(() => '');
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!response.ok) {
    const message = data && typeof data.error === 'string' && data.error !== ''
      ? data.error
      : fallbackMessage(response.status);
    const field = data && typeof data.field === 'string' ? data.field : null;
    const retryHeader = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    const error = new ApiError(response.status, message, field,
      Number.isFinite(retryHeader) ? retryHeader : null);
    error.body = data; // the whole reply, e.g. a CSV import's list of `errors`
    throw error;
  }
  if (data && typeof data.csrf_token === 'string') setCsrfToken(data.csrf_token);
  return data;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body ?? {}),
  del: (path) => request('DELETE', path),
  put: (path, body) => request('PUT', path, body ?? {}),
  patch: (path, body) => request('PATCH', path, body ?? {}),
  /** POST a CSV text as text/csv (the import routes). */
  postCsv: (path, text) => request('POST', path, text, 'text/csv'),

  /** POST /api/session -> {user, csrf_token} */
  login: (email, password) => request('POST', '/api/session', { email, password }),
  /** DELETE /api/session -> {ok:true} */
  logout: async () => {
    const reply = await request('DELETE', '/api/session');
    setCsrfToken(null);
    return reply;
  },
  /** GET /api/me -> {user, csrf_token} */
  me: () => request('GET', '/api/me'),
  /** GET /api/summary */
  summary: () => request('GET', '/api/summary'),
  /** GET /api/users (admin) */
  users: () => request('GET', '/api/users'),
  /** POST /api/me/password */
  changePassword: (currentPassword, newPassword) => request('POST', '/api/me/password', {
    current_password: currentPassword,
    new_password: newPassword,
  }),
};

/** "in 5 minutes" style wording for a Retry-After in seconds. */
export function describeWait(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  if (seconds < 60) return `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
