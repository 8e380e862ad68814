#!/usr/bin/env node
// SZPoN browser test: certificate verification and revocation in headless Chromium with
// axe-core (WCAG 2.1 A/AA) on every page. Anyone opens the public verification page of a valid
// certificate and of an unknown number; the course author lists the course's certificates,
// revokes one with a reason using the keyboard, and the public page then says it is revoked.
// The author (an office administrator) also sets the course's certificate options in Studio and
// uploads the office logo by keyboard; the verification page then shows the logo.
//
// Usage: BASE_URL=http://127.0.0.1:PORT CERT_UUID=<32 hex> COURSE_KEY=... NAME='...' \
//        EMAIL=autor@... PASSWORD=... node tests/browser/certificates.mjs
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
} from './lib.mjs';

await init('certificates.mjs');
const { CERT_UUID, COURSE_KEY, COURSE_ID, NAME, EMAIL, PASSWORD } = requireEnv(
  ['CERT_UUID', 'COURSE_KEY', 'COURSE_ID', 'NAME', 'EMAIL', 'PASSWORD'],
  'certificates.mjs',
);

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  // The one HTTP error expected: the unknown certificate number answers 404.
  const UNKNOWN = '/certificates/0123456789abcdef0123456789abcdef';
  const anyone = await newPage(browser, 'pl-PL', {
    allConsoleErrors: true,
    allowConsole: (text, path) => path === UNKNOWN && /status of 404\b/.test(text),
    allowHttp: (resp) => resp.status() === 404 && new URL(resp.url()).pathname === UNKNOWN,
  });

  await check('verification page of a valid certificate shows the name, says valid, passes axe', async () => {
    await gotoOk(anyone, `/certificates/${CERT_UUID}`);
    const main = await anyone.locator('main').innerText();
    assert(main.includes(NAME), `name ${JSON.stringify(NAME)} not on the page`);
    assert(main.includes('Zaświadczenie jest ważne'), 'the page does not say the certificate is valid');
    await axeCheck(anyone);
  });

  await check('an unknown number: 404 page in Polish, passes axe', async () => {
    await gotoOk(anyone, UNKNOWN, 404);
    const main = await anyone.locator('main').innerText();
    assert(main.includes('Nie znaleziono zaświadczenia'), 'no "not found" text');
    await axeCheck(anyone);
  });

  const author = await newPage(browser);
  await check('author: sign in, the course certificate list passes axe', async () => {
    await gotoOk(author, '/logowanie');
    await author.locator('#email').fill(EMAIL);
    await author.locator('#password').fill(PASSWORD);
    await clickAndWait(author, author.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(author, `/kursy/${COURSE_KEY}/zaswiadczenia`);
    const main = await author.locator('main').innerText();
    assert(main.includes(NAME), 'the certificate is not listed');
    await axeCheck(author);
  });

  await check('author: revoke with a reason by keyboard; the public page says revoked, passes axe', async () => {
    const reason = author.locator('input[name=reason]').first();
    await reason.focus();
    await author.keyboard.type('Błędne dane uczestnika');
    await author.keyboard.press('Tab');
    await Promise.all([author.waitForLoadState('load'), author.keyboard.press('Enter')]);
    await author.waitForSelector('.flash', { timeout: 15_000 });
    await axeCheck(author);
    await gotoOk(anyone, `/certificates/${CERT_UUID}`);
    const main = await anyone.locator('main').innerText();
    assert(main.includes('unieważnione'), 'the public page does not say revoked');
    assert(main.includes('Błędne dane uczestnika'), 'the reason is not shown');
    await axeCheck(anyone);
  });

  await check('Studio course settings: certificates on completion, no grade, by keyboard; passes axe', async () => {
    await gotoOk(author, `/studio/kursy/${COURSE_ID}/ustawienia`);
    await axeCheck(author);
    await author.locator('#certificates-completion').focus();
    await author.keyboard.press('Space');
    await author.locator('#certificate_shows_grade').focus();
    if (await author.locator('#certificate_shows_grade').isChecked()) await author.keyboard.press('Space');
    await author.locator('main form button[type=submit]').focus();
    await Promise.all([author.waitForLoadState('load'), author.keyboard.press('Enter')]);
    await author.waitForSelector('.flash', { timeout: 15_000 });
    assert(await author.locator('#certificates-completion').isChecked(), 'completion not saved');
    assert(!(await author.locator('#certificate_shows_grade').isChecked()), 'grade switch not saved');
    await axeCheck(author);
  });

  await check('office logo: upload by keyboard, shown on the verification page with alt text; axe', async () => {
    await gotoOk(author, '/organizacje/urzad-b');
    await axeCheck(author);
    // A 2x1 red PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAMCAEBNN+9eAAAAABJRU5ErkJggg==',
      'base64',
    );
    await author.locator('#logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
    await author.locator('#logo').focus();
    await author.keyboard.press('Tab');
    await Promise.all([author.waitForLoadState('load'), author.keyboard.press('Enter')]);
    await author.waitForSelector('.flash', { timeout: 15_000 });
    await axeCheck(author);
    await gotoOk(anyone, `/certificates/${CERT_UUID}`);
    const alt = await anyone.locator('main img.org-logo').getAttribute('alt');
    assert(alt === 'Logo: Urząd Testowy', `logo alt is ${JSON.stringify(alt)}`);
    await axeCheck(anyone);
  });

  await check('Studio grading policy: the form, a refused total (422) and a saved policy; axe on each', async () => {
    await gotoOk(author, `/studio/kursy/${COURSE_ID}/ocenianie`);
    await axeCheck(author);
    const weight = author.locator('#weight_0');
    const old = await weight.inputValue();
    await weight.fill('1');
    await author.locator('main form button[type=submit]').focus();
    await Promise.all([author.waitForLoadState('load'), author.keyboard.press('Enter')]);
    await author.waitForSelector('.error-summary', { timeout: 15_000 });
    await axeCheck(author);
    await author.locator('#weight_0').fill(old);
    await author.locator('main form button[type=submit]').focus();
    await Promise.all([author.waitForLoadState('load'), author.keyboard.press('Enter')]);
    await author.waitForSelector('.flash', { timeout: 15_000 });
    await axeCheck(author);
  });

  await check('Studio: create a course by keyboard (an error first), the new course page; axe on each', async () => {
    await gotoOk(author, '/studio/nowy-kurs');
    await axeCheck(author);
    await author.locator('#title').focus();
    await author.keyboard.type('Kurs z klawiatury');
    await author.locator('#number').focus();
    await author.keyboard.type('KL 1');
    await author.locator('main form button[type=submit]').focus();
    await Promise.all([author.waitForLoadState('load'), author.keyboard.press('Enter')]);
    await author.waitForSelector('.error-summary', { timeout: 15_000 });
    await axeCheck(author);
    await author.locator('#number').fill('');
    await author.locator('#number').focus();
    await author.keyboard.type('KL1');
    await author.locator('main form button[type=submit]').focus();
    await Promise.all([author.waitForLoadState('load'), author.keyboard.press('Enter')]);
    await author.waitForSelector('.flash', { timeout: 15_000 });
    const main = await author.locator('main').innerText();
    assert(main.includes('course-v1:urzad-b+KL1+'), 'the new course key is not shown');
    await axeCheck(author);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 90_000 });
