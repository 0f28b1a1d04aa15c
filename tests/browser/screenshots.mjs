// screenshots.mjs: pictures of the pages for the docs (not a test).
//
// Starts a demo co-op and server exactly as the tests do, signs in as the
// coordinator, and writes docs/screenshots/login.png, home.png (1280x800),
// home-phone.png (375 wide, full page), people.png (the People area,
// 1280x800) and rota.png (the solved rota board of next week, as the demo
// publishes it, 1280x800); then signs in as a carer (Amira) and writes
// availability-phone.png (her availability page, 375 wide, full page) and
// my-week-phone.png (her week, 375x812) and feeds-phone.png (her calendar
// feed link with its QR code, 375 wide, full page); then proposal.png (an
// open resolution and its vote form, as a member), results.png (the decided
// surplus proposal) and surplus.png (the treasurer's preview of the demo run).
//
// Run: CARECOOP_BIN=build/dev/carecoop node tests/browser/screenshots.mjs

import fs from 'node:fs';
import path from 'node:path';
import {
  account, loginThroughForm, pageReady, repoRoot, startStack,
} from './lib.mjs';

const outDir = path.join(repoRoot, 'docs', 'screenshots');

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const stack = await startStack();
  try {
    const coordinator = stack.byRole.coordinator;

    const desk = await stack.newPage({ viewport: { width: 1280, height: 800 } });
    await desk.goto('/');
    await desk.getByRole('button', { name: 'Sign in' }).waitFor();
    await desk.screenshot({ path: path.join(outDir, 'login.png') });
    await loginThroughForm(desk, coordinator);
    await desk.screenshot({ path: path.join(outDir, 'home.png') });
    await desk.goto('/people.html#carers');
    await pageReady(desk);
    await desk.locator('#carers-body tr').first().waitFor();
    await desk.screenshot({ path: path.join(outDir, 'people.png') });
    await desk.goto('/rota.html#by-carer');
    await pageReady(desk);
    await desk.locator('#board-carers-body tr').first().waitFor();
    await desk.evaluate(() => document.getElementById('board').scrollIntoView({ behavior: 'instant' }));
    await desk.screenshot({ path: path.join(outDir, 'rota.png') });
    await desk.context().close();

    const phone = await stack.newPage({
      viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true,
    });
    await loginThroughForm(phone, coordinator);
    await phone.screenshot({ path: path.join(outDir, 'home-phone.png'), fullPage: true });
    await phone.context().close();

    const carerPhone = await stack.newPage({
      viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true,
    });
    await loginThroughForm(carerPhone, account(stack, 'amira'));
    await carerPhone.goto('/availability.html');
    await pageReady(carerPhone);
    await carerPhone.locator('table.exceptions, .weekly-form').first().waitFor();
    await carerPhone.screenshot({ path: path.join(outDir, 'availability-phone.png'), fullPage: true });
    await carerPhone.goto('/calendar.html');
    await pageReady(carerPhone);
    await carerPhone.locator('.visit-card, #week-note:not([hidden])').first().waitFor();
    await carerPhone.screenshot({ path: path.join(outDir, 'my-week-phone.png') });
    await carerPhone.goto('/feeds.html');
    await pageReady(carerPhone);
    await carerPhone.locator('.feed-card__qr').first().waitFor();
    await carerPhone.waitForFunction(() => [...document.querySelectorAll('.feed-card__qr')]
      .every((img) => img.complete && img.naturalWidth > 0));
    await carerPhone.screenshot({ path: path.join(outDir, 'feeds-phone.png'), fullPage: true });
    await carerPhone.context().close();

    // A member's view of an open resolution, and the results of the decided
    // surplus proposal; the treasurer's surplus page.
    const member = await stack.newPage({ viewport: { width: 1280, height: 900 } });
    await loginThroughForm(member, account(stack, 'grace'));
    const proposals = (await (await member.request.get('/api/proposals')).json()).proposals;
    const open = proposals.find((p) => p.status === 'open' && p.kind === 'ordinary');
    const decided = proposals.find((p) => p.outcome === 'carried');
    await member.goto(`/proposals/${open.id}`);
    await member.locator('main form').first().waitFor();
    await member.screenshot({ path: path.join(outDir, 'proposal.png') });
    await member.goto(`/results.html?id=${decided.id}`);
    await pageReady(member);
    await member.screenshot({ path: path.join(outDir, 'results.png') });
    await member.context().close();

    const treasurer = await stack.newPage({ viewport: { width: 1280, height: 900 } });
    await loginThroughForm(treasurer, stack.byRole.treasurer);
    await treasurer.goto('/surplus.html');
    await pageReady(treasurer);
    await treasurer.getByRole('button', { name: 'Open' }).first().click();
    await treasurer.getByRole('button', { name: 'Preview' }).click();
    await treasurer.getByRole('heading', { name: 'Split of the surplus' }).waitFor();
    await treasurer.getByRole('heading', { name: 'Split of the surplus' }).scrollIntoViewIfNeeded();
    await treasurer.screenshot({ path: path.join(outDir, 'surplus.png') });
    await treasurer.context().close();

    for (const f of ['proposal.png', 'results.png', 'surplus.png', 'login.png', 'home.png', 'home-phone.png', 'people.png', 'rota.png',
      'availability-phone.png', 'my-week-phone.png', 'feeds-phone.png']) {
      console.log(`wrote ${path.relative(repoRoot, path.join(outDir, f))}`);
    }
  } finally {
    await stack.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
