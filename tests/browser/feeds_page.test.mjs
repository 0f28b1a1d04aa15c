// Browser tests for the calendar feed page (feeds.html): a carer finds her
// feed link, sees its QR code, makes a new link (the old one stops working)
// and stops the feed; a family member sees the feed of the person they look
// after; a coordinator changes what feeds show and the feed follows. axe on
// the page, and no sideways scrolling on a 320 px phone.
//
// Run: CARECOOP_BIN=build/dev/carecoop node --test tests/browser/feeds_page.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  account, eventually, loginThroughForm, pageReady, pageWidths, seriousAxeViolations, startStack,
  withPage,
} from './lib.mjs';

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.cleanup();
});

const page$ = (options, fn) => withPage(stack, options, fn);

async function openFeeds(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendar feeds' }).click();
  await page.waitForURL('**/feeds.html');
  await pageReady(page);
}

// bypassCSP lets axe-core be injected; the page's own scripts are still
// checked under the real policy by the other tests.
test('a carer subscribes, makes a new link and stops the feed', async () => {
  await page$({ bypassCSP: true }, async (page) => {
    await loginThroughForm(page, account(stack, 'amira'));
    await openFeeds(page);
    const card = page.locator('.feed-card').filter({ hasText: 'Your visits as a carer' });
    const address = card.getByLabel('Web address (keep it private)');
    const first = await address.inputValue();
    assert.match(first, /^http:\/\/127\.0\.0\.1:\d+\/ical\/[0-9a-f]{64}\.ics$/);
    const subscribe = card.getByRole('link', { name: 'Subscribe on this device' });
    assert.equal(await subscribe.getAttribute('href'), first.replace(/^http:/, 'webcal:'));
    // The QR code is a real image the browser could load.
    const qr = card.getByRole('img', { name: /QR code/ });
    await eventually(async () => (await qr.evaluate((img) => img.complete && img.naturalWidth > 0)),
      'the QR code loads');
    // The feed itself answers (calendar apps fetch it without a session).
    let res = await fetch(first);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/calendar/);
    assert.match(await res.text(), /BEGIN:VEVENT/);

    page.once('dialog', (d) => d.accept());
    await card.getByRole('button', { name: 'Make a new link' }).click();
    await eventually(async () => (await address.inputValue()) !== first, 'a new link is shown');
    assert.match(await page.locator('#feeds-status').innerText(), /old one no longer works/);
    assert.equal((await fetch(first)).status, 404);
    const second = await address.inputValue();
    assert.equal((await fetch(second)).status, 200);

    page.once('dialog', (d) => d.accept());
    await card.getByRole('button', { name: 'Stop this feed' }).click();
    await card.getByRole('button', { name: 'Make a link' }).waitFor();
    assert.equal((await fetch(second)).status, 404);
    await card.getByRole('button', { name: 'Make a link' }).click();
    await card.getByLabel('Web address (keep it private)').waitFor();
    res = await fetch(await card.getByLabel('Web address (keep it private)').inputValue());
    assert.equal(res.status, 200);
    assert.deepEqual(await seriousAxeViolations(page), []);
  });
});

test('a family member sees the feed of the person they look after', async () => {
  await page$({}, async (page) => {
    await loginThroughForm(page, account(stack, 'susan'));
    await openFeeds(page);
    await page.getByRole('heading', { level: 3, name: 'Care visits: Margaret' }).waitFor();
    assert.equal(await page.locator('.feed-card').count(), 1);
    // What feeds show is explained, and not editable by a family member.
    assert.match(await page.locator('#privacy-summary').innerText(), /area they are in, not the full address/);
    assert.equal(await page.locator('#settings-form').isHidden(), true);
  });
});

test('a coordinator changes what feeds show, and the feed follows', async () => {
  await page$({ bypassCSP: true }, async (page) => {
    await loginThroughForm(page, stack.byRole.coordinator);
    await openFeeds(page);
    const card = page.locator('.feed-card').filter({ hasText: 'Every visit in the co-op' });
    const url = await card.getByLabel('Web address (keep it private)').inputValue();
    const before = await (await fetch(url)).text();
    assert.doesNotMatch(before, /Tasks:/);
    await page.getByLabel('Where a visit is').selectOption('address');
    await page.getByLabel(/Include the visit’s tasks/).check();
    await page.getByRole('button', { name: 'Save what feeds show' }).click();
    await eventually(async () => /Saved/.test(await page.locator('#settings-status').innerText()), 'saved');
    assert.match(await page.locator('#privacy-summary').innerText(), /full address/);
    const afterText = await (await fetch(url)).text();
    assert.match(afterText, /Tasks:/);
    assert.deepEqual(await seriousAxeViolations(page), []);
  });
});

test('the feed page fits a 320 px phone', async () => {
  await page$({ viewport: { width: 320, height: 640 } }, async (page) => {
    await loginThroughForm(page, account(stack, 'ben'));
    await page.goto('/feeds.html');
    await pageReady(page);
    await page.locator('.feed-card').first().waitFor();
    const w = await pageWidths(page);
    assert.ok(w.scrollWidth <= w.clientWidth, `no sideways scrolling (${w.scrollWidth} > ${w.clientWidth})`);
  });
});
