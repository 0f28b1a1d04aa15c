// lib.mjs: helpers for the browser tests and the screenshot script.
//
// Each run gets its own temporary folder with a fresh demo database
// (`carecoop demo`), its own server on an ephemeral port (`carecoop serve
// --listen 127.0.0.1:0`, port read from stderr), and Debian's Chromium driven
// by playwright-core (no browser download). Everything is torn down again,
// also when a test fails or the process is interrupted.
//
// Environment:
//   CARECOOP_BIN       the carecoop binary (default: build/dev/carecoop)
//   CARECOOP_WEB       the web/ folder to serve (default: web/ of this repo)
//   CARECOOP_CHROMIUM  the browser (default: /usr/bin/chromium)

import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const carecoopBin = process.env.CARECOOP_BIN || path.join(repoRoot, 'build', 'dev', 'carecoop');
export const webDir = process.env.CARECOOP_WEB || path.join(repoRoot, 'web');
export const chromiumPath = process.env.CARECOOP_CHROMIUM || '/usr/bin/chromium';
export const axePath = path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');

const execFileP = promisify(execFile);

/** Things to undo at exit even when a test run dies half-way. */
const live = { servers: new Set(), dirs: new Set() };

function killAllSync() {
  for (const proc of live.servers) {
    if (proc.exitCode === null && proc.signalCode === null) {
      try { proc.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }
  for (const dir of live.dirs) {
    try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
}
process.once('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { killAllSync(); process.exit(128 + os.constants.signals[signal]); });
}

/** A fresh temporary folder, removed by removeTempDir() or at exit. */
export function makeTempDir(prefix = 'carecoop-browser-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  live.dirs.add(dir);
  return dir;
}

export function removeTempDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  live.dirs.delete(dir);
}

/** A password good enough for the demo accounts (>= 10 characters). */
export function randomPassword() {
  return `demo-${randomBytes(9).toString('base64url')}`;
}

/**
 * Run `carecoop demo --db FILE --password P` and parse its stdout, one
 * `ROLE EMAIL PASSWORD` line per account.
 * @returns {Promise<{accounts: {role:string,email:string,password:string}[],
 *                    byRole: Record<string, {role:string,email:string,password:string}>}>}
 */
export async function runDemo(dbPath, password, bin = carecoopBin) {
  if (!fs.existsSync(bin)) {
    throw new Error(`carecoop binary not found at ${bin}: build it (cmake --build --preset dev) or set CARECOOP_BIN`);
  }
  let stdout;
  try {
    ({ stdout } = await execFileP(bin, ['demo', '--db', dbPath, '--password', password],
      { timeout: 60_000 }));
  } catch (err) {
    throw new Error(`carecoop demo failed (${err.code ?? err.signal}): ${err.stderr || err.message}`);
  }
  const roles = new Set(['admin', 'coordinator', 'treasurer', 'carer', 'member']);
  const accounts = [];
  for (const line of stdout.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length === 3 && roles.has(parts[0])) {
      accounts.push({ role: parts[0], email: parts[1], password: parts[2] });
    }
  }
  const byRole = {};
  for (const a of accounts) byRole[a.role] ??= a;
  for (const r of roles) {
    if (!byRole[r]) throw new Error(`carecoop demo printed no ${r} account; stdout was:\n${stdout}`);
  }
  return { accounts, byRole };
}

/**
 * Start `carecoop serve` on 127.0.0.1 and an ephemeral port.
 * @returns {Promise<{url:string, port:number, proc:import('node:child_process').ChildProcess,
 *                    stderr:()=>string, stop:()=>Promise<void>}>}
 */
export function startServer({ db, web = webDir, bin = carecoopBin, timeoutMs = 20_000, env = {} }) {
  const proc = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', web], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  live.servers.add(proc);
  let log = '';
  let pending = '';

  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    live.servers.delete(proc);
  };

  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      stop().finally(() => reject(new Error(`${why}\n--- server stderr ---\n${log}`)));
    };
    const timer = setTimeout(() => fail(`carecoop serve did not say it was listening within ${timeoutMs} ms`), timeoutMs);
    proc.on('error', (err) => fail(`could not start ${bin}: ${err.message}`));
    proc.on('exit', (code, signal) => {
      if (pending !== null) fail(`carecoop serve exited early (code ${code}, signal ${signal})`);
    });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      if (pending === null) return;
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        const m = /^carecoop: listening on (http:\/\/127\.0\.0\.1:(\d+)\/)$/.exec(line);
        if (m) {
          pending = null;
          clearTimeout(timer);
          resolve({ url: m[1].replace(/\/$/, ''), port: Number(m[2]), proc, stderr: () => log, stop });
          return;
        }
      }
    });
  });
}

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Launch Chromium. Playwright gives every launch a fresh, temporary
 * --user-data-dir of its own (it refuses one passed in args) and removes it
 * on close.
 */
export async function launchBrowser() {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install chromium, or set CARECOOP_CHROMIUM`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, timeout: 60_000 });
}

/**
 * Everything a browser test needs: temp dir, demo database, server, browser.
 * cleanup() is idempotent and safe to call after a partial start.
 */
export async function startStack() {
  const dir = makeTempDir();
  const stack = { dir, server: null, browser: null, accounts: [], byRole: {}, baseURL: '' };
  let cleaned = false;
  stack.cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    try { if (stack.browser) await stack.browser.close(); } catch { /* ignore */ }
    try { if (stack.server) await stack.server.stop(); } catch { /* ignore */ }
    removeTempDir(dir);
  };
  try {
    const db = path.join(dir, 'carecoop.db');
    const demo = await runDemo(db, randomPassword());
    stack.accounts = demo.accounts;
    stack.byRole = demo.byRole;
    stack.server = await startServer({ db });
    stack.baseURL = stack.server.url;
    stack.browser = await launchBrowser();
  } catch (err) {
    await stack.cleanup();
    throw err;
  }
  /** A fresh browser context (own cookies), viewport as given. */
  stack.newPage = async (options = {}) => {
    const context = await stack.browser.newContext({
      baseURL: stack.baseURL,
      viewport: { width: 1280, height: 800 },
      ...options,
    });
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(15_000);
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (err) => page.errors.push(String(err)));
    // A Content-Security-Policy refusal only shows up on the console.
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) page.errors.push(msg.text());
    });
    return page;
  };
  return stack;
}

/** Sign in through the form on the login page and wait for the home page. */
export async function loginThroughForm(page, account) {
  await page.goto('/');
  await page.getByLabel('Email address').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/home.html');
  await page.locator('#main[aria-busy="false"]').waitFor();
}

/** Run axe-core in the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Wait until fn() is truthy (polling), or fail with the message. */
export async function eventually(fn, message, timeoutMs = 5_000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`${message} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---- shared by the page tests (added for people.test.mjs) -------------------

/** The demo account whose email starts with `name@` (e.g. 'amira'). */
export function account(stack, name) {
  const found = stack.accounts.find((a) => a.email.startsWith(`${name}@`));
  if (!found) throw new Error(`the demo co-op has no account ${name}@…`);
  return found;
}

/**
 * Run fn with a page in a fresh browser context of the stack; afterwards the
 * page must have had no script errors and no Content-Security-Policy refusals.
 */
export async function withPage(stack, options, fn) {
  const page = await stack.newPage(options);
  try {
    await fn(page);
    if (page.errors.length) {
      throw new Error(`script errors or CSP refusals in the page:\n${page.errors.join('\n')}`);
    }
  } finally {
    await page.context().close();
  }
}

/** GET an API path with the page's own cookies: {status, body}. */
export async function apiGet(page, path) {
  const res = await page.request.get(path);
  return { status: res.status(), body: await res.json().catch(() => null) };
}

/** Visible link texts in the main navigation. */
export async function navLinks(page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
}

/** {scrollWidth, clientWidth} of the page, to spot sideways scrolling. */
export async function pageWidths(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth };
  });
}

/** Wait until a signed-in page has loaded its content (or its not-found note). */
export async function pageReady(page) {
  await page.locator('#main[aria-busy="false"]').waitFor();
}

// ---- a plain HTTP API client (added for feeds.test.mjs) ----------------------

/**
 * Sign in with POST /api/session and return a small client that sends the
 * session cookie on every request and the CSRF token (from the login reply)
 * as X-CSRF-Token on state-changing ones, as web/js/api.js does. Every call
 * resolves to {status, headers, body, text}; body is the parsed JSON or null.
 * Needs no browser.
 */
export async function apiLogin(baseURL, account) {
  const res = await fetch(`${baseURL}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`signing in as ${account.email} failed: HTTP ${res.status} ${text}`);
  }
  const login = JSON.parse(text);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0])
    .find((c) => c.startsWith('carecoop_session='));
  if (!cookie) throw new Error(`signing in as ${account.email} set no carecoop_session cookie`);
  const csrf = login.csrf_token;
  const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

  const call = async (method, path, data, extraHeaders = {}) => {
    const headers = { Accept: 'application/json', Cookie: cookie, ...extraHeaders };
    const init = { method, headers };
    if (data !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(data);
    }
    if (stateChanging.has(method)) headers['X-CSRF-Token'] = csrf;
    const reply = await fetch(`${baseURL}${path}`, init);
    const replyText = await reply.text();
    let body = null;
    try { body = replyText === '' ? null : JSON.parse(replyText); } catch { /* not JSON */ }
    return { status: reply.status, headers: reply.headers, body, text: replyText };
  };
  return {
    user: login.user,
    email: account.email,
    call,
    get: (path, headers) => call('GET', path, undefined, headers),
    post: (path, data) => call('POST', path, data),
    put: (path, data) => call('PUT', path, data),
    patch: (path, data) => call('PATCH', path, data),
    del: (path) => call('DELETE', path),
  };
}
