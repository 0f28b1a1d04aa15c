// Browser tests for the sign-in page and the home page: real Chromium, the
// real carecoop server with a demo co-op, and only what a person would see or
// do (labels, buttons, text, the keyboard).
//
// Run: CARECOOP_BIN=build/dev/carecoop node --test tests/browser/login.test.mjs
// (ctest does this: see CMakeLists.txt beside this file).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually, loginThroughForm, seriousAxeViolations, startStack,
} from './lib.mjs';

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.cleanup();
});

/** Visible link texts in the main navigation. */
async function navLinks(page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
}

/** GET an API path with the page's own cookies. */
async function apiGet(page, path) {
  const res = await page.request.get(path);
  return { status: res.status(), body: await res.json().catch(() => null) };
}

/**
 * Run fn with a page in a fresh browser context; afterwards the page must have
 * had no script errors and no Content-Security-Policy refusals.
 */
async function withPage(options, fn) {
  const page = await stack.newPage(options);
  try {
    await fn(page);
    assert.deepEqual(page.errors, [], 'no script errors or CSP refusals in the page');
  } finally {
    await page.context().close();
  }
}

function onLoginPage(page) {
  const { pathname } = new URL(page.url());
  return pathname === '/' || pathname === '/index.html';
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth };
  });
}

test('a coordinator signs in, sees their name, roles and the co-op, and logs out', async () => {
  const coordinator = stack.byRole.coordinator;
  await withPage({}, async (page) => {
    await loginThroughForm(page, coordinator);

    const me = await apiGet(page, '/api/me');
    assert.equal(me.status, 200);
    const summary = await apiGet(page, '/api/summary');
    assert.equal(summary.status, 200);
    const { user } = me.body;

    // Who I am
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Hello, ${user.name}`);
    const who = await page.locator('.who').innerText();
    assert.match(who, new RegExp(user.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(who, /Coordinator/);
    assert.match(await page.locator('header').innerText(), new RegExp(`Signed in as\\s+${user.name}`));

    // The demo co-op's real numbers
    const s = summary.body;
    assert.ok(s.coop.name, 'summary has a co-op name');
    assert.equal(await page.getByRole('heading', { level: 2, name: s.coop.name }).count(), 1,
      'the co-op name is shown as a heading');
    const stats = await page.locator('.stats').innerText();
    assert.match(stats, new RegExp(`${s.carers.toLocaleString('en-GB')}\\s+carers`));
    assert.match(stats, new RegExp(`${s.recipients.toLocaleString('en-GB')}\\s+people receiving care`));
    const classRows = await page.locator('#classes-body tr').evaluateAll((rows) =>
      rows.map((r) => [r.cells[0].innerText.trim(), r.cells[1].innerText.trim()]));
    assert.deepEqual(classRows,
      s.member_classes.map((c) => [c.name || c.code, c.members.toLocaleString('en-GB')]));
    const proposalTitles = await page.locator('.proposal__title').allInnerTexts();
    assert.deepEqual(proposalTitles, s.open_proposals.map((p) => p.title));
    if (s.open_proposals.length === 0) {
      assert.ok(await page.getByText('No proposals are open for voting just now.').isVisible());
    }

    // Signed in already: the sign-in page goes straight on to the home page
    await page.goto('/');
    await page.waitForURL('**/home.html');
    await page.locator('#main[aria-busy="false"]').waitFor();

    // The navigation fits the role
    const links = await navLinks(page);
    assert.ok(links.includes('Rota'), `nav has Rota: ${links}`);
    assert.ok(links.includes('Proposals'), `nav has Proposals: ${links}`);
    assert.ok(!links.includes('Surplus'), `nav has no Surplus: ${links}`);
    assert.equal(await page.getByRole('heading', { name: 'Accounts' }).count(), 0,
      'accounts list is for admins only');

    // An area page from the nav opens: the rota board, on a week of its own
    await page.getByRole('link', { name: 'Rota', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/rota.html');
    await page.getByRole('heading', { level: 1, name: 'Rota' }).waitFor();
    await page.getByLabel(/Week starting/).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Rota', exact: true }).getAttribute('aria-current'), 'page');
    await page.getByRole('link', { name: 'Home' }).click();
    await page.waitForURL('**/home.html');

    // Log out
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/index.html' || url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal((await apiGet(page, '/api/me')).status, 401, '/api/me says 401 after logout');

    // and the home page now sends me back to sign in
    await page.goto('/home.html');
    await page.waitForURL('**/index.html');
  });
});

test('a wrong password shows the error and keeps me on the sign-in page', async () => {
  await withPage({}, async (page) => {
    await page.goto('/');
    await page.getByLabel('Email address').fill(stack.byRole.coordinator.email);
    await page.getByLabel('Password', { exact: true }).fill('not-the-right-password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByRole('alert').filter({ hasText: /\S/ });
    await alert.waitFor();
    assert.match(await alert.innerText(), /wrong email or password/i);
    assert.ok(onLoginPage(page), `still on the sign-in page (at ${page.url()})`);
    assert.equal(await page.getByLabel('Email address').inputValue(), stack.byRole.coordinator.email,
      'the email is kept');
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '',
      'the wrong password is cleared');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'password',
      'focus is back in the password field');
    assert.equal((await apiGet(page, '/api/me')).status, 401);

    // An empty form is caught before it is sent
    await page.getByLabel('Email address').fill('');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(async () => /enter your email address/i.test(await alert.innerText()),
      'empty email is explained');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
  });
});

test('a carer sees My calendar but not People or Rota', async () => {
  await withPage({}, async (page) => {
    // Opening an area while signed out asks me to sign in, then takes me there.
    const carer = stack.byRole.carer;
    await page.goto('/calendar.html');
    await page.waitForURL('**/index.html?next=*');
    await page.getByLabel('Email address').fill(carer.email);
    await page.getByLabel('Password', { exact: true }).fill(carer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/calendar.html');
    await page.getByRole('heading', { level: 1, name: 'My calendar' }).waitFor();

    await page.getByRole('link', { name: 'Home' }).click();
    await page.waitForURL('**/home.html');
    await page.locator('#main[aria-busy="false"]').waitFor();
    const links = await navLinks(page);
    assert.ok(links.includes('My calendar'), `nav has My calendar: ${links}`);
    assert.ok(links.includes('Proposals'), `nav has Proposals: ${links}`);
    assert.ok(!links.includes('People'), `nav has no People: ${links}`);
    assert.ok(!links.includes('Rota'), `nav has no Rota: ${links}`);
    assert.match(await page.locator('.who').innerText(), /Carer/);

    await page.getByRole('link', { name: 'My calendar' }).click();
    await page.getByRole('heading', { level: 1, name: 'My calendar' }).waitFor();
    // the carer's week: this week's heading and a way to the next one
    assert.match(await page.locator('#week-heading').innerText(), /^This week/);
    assert.ok(await page.getByRole('button', { name: 'Next week' }).isVisible());
  });
});

test('the sign-in and home pages fit a 320 px wide screen without sideways scrolling', async () => {
  for (const role of ['coordinator', 'admin']) {
    await withPage({ viewport: { width: 320, height: 640 } }, async (page) => {
      await page.goto('/');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      let m = await noHorizontalScroll(page);
      assert.ok(m.scrollWidth <= m.clientWidth, `login page: ${m.scrollWidth} > ${m.clientWidth}`);

      await loginThroughForm(page, stack.byRole[role]);
      m = await noHorizontalScroll(page);
      assert.ok(m.scrollWidth <= m.clientWidth, `home page (${role}): ${m.scrollWidth} > ${m.clientWidth}`);
      assert.ok(await page.getByRole('button', { name: 'Log out' }).isVisible());
    });
  }
});

test('signing in and logging out work with the keyboard alone', async () => {
  const account = stack.byRole.member;
  await withPage({}, async (page) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()),
      'Skip to main content', 'the first Tab reaches the skip link');

    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
    for (let i = 0; i < 10 && (await focusedId()) !== 'email'; i += 1) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await focusedId(), 'email', 'Tab reaches the email field');
    await page.keyboard.type(account.email);
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'password', 'Tab moves on to the password field');
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/home.html');
    await page.locator('#main[aria-busy="false"]').waitFor();

    // Tab to "Log out" and press Enter
    for (let i = 0; i < 15 && (await focusedId()) !== 'logout'; i += 1) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await focusedId(), 'logout', 'Tab reaches the Log out button');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused button shows a focus ring');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/index.html');
    assert.equal((await apiGet(page, '/api/me')).status, 401);
  });
});

test('axe finds no serious or critical accessibility problems', async () => {
  // axe is injected as an inline script, which the server's CSP rightly
  // blocks: this one context bypasses CSP (every other test runs under it).
  await withPage({ bypassCSP: true }, async (page) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.deepEqual(await seriousAxeViolations(page), [], 'sign-in page');

    // with an error showing
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /\S/ }).waitFor();
    assert.deepEqual(await seriousAxeViolations(page), [], 'sign-in page with an error');

    // the admin's home page has the most on it (the accounts table too)
    await loginThroughForm(page, stack.byRole.admin);
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    assert.deepEqual(await seriousAxeViolations(page), [], 'home page (admin)');

    await page.goto('/people.html');
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    assert.deepEqual(await seriousAxeViolations(page), [], 'people page');
  });
});

test('an admin sees the accounts list', async () => {
  await withPage({}, async (page) => {
    await loginThroughForm(page, stack.byRole.admin);
    const users = await apiGet(page, '/api/users');
    assert.equal(users.status, 200);
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    const emails = await page.locator('#users-body td.email').allInnerTexts();
    assert.deepEqual(emails, users.body.users.map((u) => u.email));
    for (const a of stack.accounts) assert.ok(emails.includes(a.email), `${a.email} is listed`);
    const links = await navLinks(page);
    assert.ok(links.includes('People') && links.includes('Surplus'), `admin nav: ${links}`);
  });
});

test('changing the password explains mistakes and then works', async () => {
  const account = stack.byRole.treasurer;
  await withPage({}, async (page) => {
    await loginThroughForm(page, account);
    const form = page.locator('#password-form');
    const message = page.locator('#password-message');
    const submit = page.getByRole('button', { name: 'Change password' });

    await page.getByLabel('Current password').fill(account.password);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Type the new password again').fill('short');
    await submit.click();
    await eventually(async () => /at least 10 characters/.test(await message.innerText()),
      'a short new password is explained');

    await page.getByLabel('Current password').fill('this-is-not-my-password');
    await page.getByLabel('New password', { exact: true }).fill('a much better passphrase');
    await page.getByLabel('Type the new password again').fill('a much better passphrase');
    await submit.click();
    await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === 'current-password',
      'a wrong current password puts focus on that field');
    assert.match(await message.innerText(), /\S/, 'and says why');
    assert.equal(await page.getByLabel('Current password').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Current password').fill(account.password);
    await page.getByLabel('New password', { exact: true }).fill('a much better passphrase');
    await page.getByLabel('Type the new password again').fill('a much better passphrase');
    await submit.click();
    await eventually(async () => /password has been changed/i.test(await message.innerText()),
      'success is confirmed');
    assert.equal(await form.getByLabel('New password', { exact: true }).inputValue(), '', 'the form is cleared');

    // the new password works from a fresh browser
    const fresh = await stack.newPage();
    try {
      await loginThroughForm(fresh, { email: account.email, password: 'a much better passphrase' });
    } finally {
      await fresh.context().close();
    }
  });
});

test('without JavaScript a member signs in with the plain form and reaches the proposals', async () => {
  const member = stack.accounts.find((a) => a.email.startsWith('grace@'));
  assert.ok(member, 'the demo has Grace, a member');
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto('/');
    assert.match(await page.locator('main').innerText(), /you can still sign in here and read and vote/);
    // A wrong password: a page that says so and offers the form again.
    await page.getByLabel('Email address').fill(member.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/signin-failed.html');
    await page.getByRole('alert').filter({ hasText: 'was wrong' }).waitFor();
    await page.getByLabel('Email address').fill(member.email);
    await page.getByLabel('Password', { exact: true }).fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/proposals');
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.match(await page.locator('main').innerText(), /Share the 2026–27 surplus/);
  });
});
