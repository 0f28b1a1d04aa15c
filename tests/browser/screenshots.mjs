// screenshots.mjs: pictures of the pages for the docs (not a test).
//
// Starts a demo co-op and server exactly as the tests do, signs in as the
// coordinator, and writes docs/screenshots/login.png, home.png (1280x800),
// home-phone.png (375 wide, full page), people.png (the People area,
// 1280x800) and rota.png (the solved rota board of next week, as the demo
// publishes it, 1280x800); then signs in as a carer (Amira) and writes
// availability-phone.png (her availability page, 375 wide, full page) and
// my-week-phone.png (her week, 375x812).
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
    await carerPhone.context().close();

    for (const f of ['login.png', 'home.png', 'home-phone.png', 'people.png', 'rota.png',
      'availability-phone.png', 'my-week-phone.png']) {
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
