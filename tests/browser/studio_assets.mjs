#!/usr/bin/env node
// SZPoN browser test: the Studio course files page in headless Chromium with axe-core
// (WCAG 2.1 A/AA) on every page. An author lists the files of a course (with where each is
// used), uploads one by keyboard (after a refused empty upload), replaces a used file, and
// deletes it through the confirmation page that lists its uses.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_ID=<id> EMAIL=autor@... PASSWORD=... \
//        node tests/browser/studio_assets.mjs
// The course is the tests' learning course (static/obraz.png used in unit "Lekcja 1").
import {
  init,
  requireEnv,
  run,
  check,
  assert,
  checkServerReachable,
  launchBrowser,
  newPage,
  checkNoBrowserProblems,
  axeCheck,
  gotoOk,
  clickAndWait,
  pathOf,
  ACTION_TIMEOUT_MS,
  enterAndWait,
} from './lib.mjs';

await init('studio_assets.mjs');
const { COURSE_ID, EMAIL, PASSWORD } = requireEnv(['COURSE_ID', 'EMAIL', 'PASSWORD'], 'studio_assets.mjs');
const FILES = `/studio/kursy/${COURSE_ID}/pliki`;

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  // The one HTTP error expected: the empty upload is refused with 422.
  let expect422 = false;
  const page = await newPage(browser, 'pl-PL', {
    allConsoleErrors: true,
    allowConsole: (text, path) => expect422 && path === FILES && /status of 422\b/.test(text),
    allowHttp: (resp) => expect422 && resp.status() === 422 && pathOf(resp.url()) === FILES,
  });
  const row = (name) => page.locator('#asset-list tbody tr', { has: page.locator(`code:text-is("${name}")`) });

  await check('sign in; the course page links the files page; the list shows uses; axe', async () => {
    await gotoOk(page, '/logowanie');
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await clickAndWait(page, page.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(page, `/studio/kursy/${COURSE_ID}`);
    await clickAndWait(page, page.locator(`main a[href="${FILES}"]`), FILES);
    const used = await row('obraz.png').innerText();
    assert(used.includes('Używany w 1 jednostce'), `obraz.png usage: ${JSON.stringify(used)}`);
    assert(used.includes('Lekcja 1'), 'the unit name is not shown');
    await axeCheck(page);
  });

  await check('an upload without a file: error summary (422); axe', async () => {
    expect422 = true;
    await enterAndWait(page, page.locator('#asset-form button[type=submit]'));
    await page.waitForSelector('.error-summary', { timeout: ACTION_TIMEOUT_MS });
    assert((await page.locator('#file').getAttribute('aria-invalid')) === 'true', 'the file input is not marked invalid');
    await axeCheck(page);
    expect422 = false;
  });

  await check('upload by keyboard: the cleaned name is listed as unused; axe', async () => {
    await gotoOk(page, FILES);
    await page.locator('#file').setInputFiles({
      name: 'plan zajęć.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 test'),
    });
    await page.locator('#file').focus();
    await page.keyboard.press('Tab');
    const nav = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: ACTION_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    await nav;
    await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
    const text = await row('plan_zajęć.pdf').innerText();
    assert(text.includes('Nieużywany'), `new file row: ${JSON.stringify(text)}`);
    await axeCheck(page);
  });

  await check('replace a used file through its link; the name stays; axe', async () => {
    await clickAndWait(page, row('obraz.png').locator('a', { hasText: 'Zamień' }), FILES);
    assert((await page.locator('input[name=replace]').inputValue()) === 'obraz.png', 'no replace field');
    await axeCheck(page);
    await page.locator('#file').setInputFiles({ name: 'nowy.png', mimeType: 'image/png', buffer: Buffer.from('PNG 2') });
    await enterAndWait(page, page.locator('#asset-form button[type=submit]'));
    await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
    const flash = await page.locator('.flash').innerText();
    assert(flash.includes('Zamieniono'), `flash: ${JSON.stringify(flash)}`);
    assert((await row('obraz.png').count()) === 1 && (await row('nowy.png').count()) === 0, 'replaced file renamed');
  });

  await check('delete a used file: the confirmation lists its uses; confirmed, it is gone; axe', async () => {
    await enterAndWait(page, row('obraz.png').locator('button', { hasText: 'Usuń' }));
    const main = await page.locator('main').innerText();
    assert(main.includes('Usunąć używany plik'), 'no confirmation page');
    assert(main.includes('Lekcja 1'), 'the uses are not listed');
    await axeCheck(page);
    await enterAndWait(page, page.locator('main form button[type=submit]'));
    await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
    assert(pathOf(page.url()) === FILES, `after delete at ${pathOf(page.url())}`);
    assert((await row('obraz.png').count()) === 0, 'obraz.png still listed');
    await axeCheck(page);
  });

  await check('delete an unused file at once; axe', async () => {
    await enterAndWait(page, row('plan_zajęć.pdf').locator('button', { hasText: 'Usuń' }));
    await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
    assert((await row('plan_zajęć.pdf').count()) === 0, 'plan_zajęć.pdf still listed');
    await axeCheck(page);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 90_000 });
