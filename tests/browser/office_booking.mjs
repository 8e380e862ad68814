#!/usr/bin/env node
// SZPoN browser test: booking an e-visit in headless Chromium with axe-core (WCAG 2.1 A/AA) on
// every page, by keyboard only. A citizen without an account chooses a matter, a free slot
// (radio buttons, Space), gives their details (a refused form first) and confirms; the
// reschedule and cancel links are read from the email in the server's outbox (they are never
// shown on a page), the citizen reschedules and then cancels with them. Then an administrator
// of the office visits matters, a matter's form (and its 422), availability, the visits, one
// visit's page and the statistics.
//
// Usage: BASE_URL=http://127.0.0.1:PORT OFFICE=<slug> MATTER_ID=<id> OUTBOX=<dir of .eml>
//        EMAIL=<administrator> PASSWORD=... OFFICIAL_ID=<id> node tests/browser/office_booking.mjs
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
  tabTo,
  pressAndWait,
} from './lib.mjs';

await init('office_booking.mjs');
const { OFFICE, MATTER_ID, OUTBOX, EMAIL, PASSWORD, OFFICIAL_ID } = requireEnv(
  ['OFFICE', 'MATTER_ID', 'OUTBOX', 'EMAIL', 'PASSWORD', 'OFFICIAL_ID'],
  'office_booking.mjs',
);

// The decoded text/plain part of the newest email in the outbox.
function newestMailText() {
  const files = readdirSync(OUTBOX)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => join(OUTBOX, f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  assert(files.length > 0, 'no email in the outbox');
  const raw = readFileSync(files[files.length - 1], 'latin1');
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const plain = parts.find((p) => /^content-type:\s*text\/plain/im.test(p));
  assert(plain, 'no text/plain part');
  const [head, ...rest] = plain.split(/\r?\n\r?\n/);
  let body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  } else if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else {
    body = Buffer.from(body, 'latin1').toString('utf8');
  }
  return body;
}

function linkIn(text, prefix) {
  const m = text.match(new RegExp(`https?://[^\\s/]+(${prefix}/[^\\s]+)`));
  assert(m, `no ${prefix} link in the email`);
  return m[1];
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const page = await newPage(browser);
  const slotsPath = `/wizyty/${OFFICE}/${MATTER_ID}`;
  let bookingId = '';

  await check('citizen: the office page leads to the matter by keyboard; axe on both', async () => {
    await gotoOk(page, `/wizyty/${OFFICE}`);
    await axeCheck(page);
    await tabTo(page, `main a.button[href="${slotsPath}"]`);
    await pressAndWait(page, 'Enter');
    assert(pathOf(page.url()) === slotsPath, `at ${pathOf(page.url())}`);
    assert((await page.locator('main').innerText()).includes('Wolne terminy'), 'no free slots heading');
    await axeCheck(page);
  });

  await check('citizen: a slot chosen with Space, then the details form; axe', async () => {
    await tabTo(page, 'main input[name=termin]');
    await page.keyboard.press('Space');
    assert(await page.locator('main input[name=termin]:checked').count() === 1, 'no slot chosen');
    await tabTo(page, 'main form button[type=submit]');
    await pressAndWait(page, 'Enter');
    assert(pathOf(page.url()) === `${slotsPath}/dane`, `at ${pathOf(page.url())}`);
    await axeCheck(page);
  });

  await check('citizen: a refused form (422) names the missing consent; axe', async () => {
    await tabTo(page, '#name');
    await page.keyboard.type('Jan Kowalski');
    await tabTo(page, '#email');
    await page.keyboard.type('jan.kowalski@example.pl');
    await tabTo(page, 'main form button[type=submit]');
    await pressAndWait(page, 'Enter');
    const text = await page.locator('main').innerText();
    assert(text.includes('Zaznacz zgodę'), 'consent error not shown');
    await axeCheck(page);
  });

  await check('citizen: consent with Space, confirm with Enter; the confirmation page; axe', async () => {
    await tabTo(page, '#consent');
    await page.keyboard.press('Space');
    await tabTo(page, 'main form button[type=submit]');
    await pressAndWait(page, 'Enter');
    const p = pathOf(page.url());
    assert(p.startsWith('/wizyty/potwierdzenie/'), `at ${p}`);
    bookingId = p.split('/')[3];
    const text = await page.locator('main').innerText();
    assert(text.includes('Wizyta zarezerwowana'), 'no confirmation');
    const html = await page.content();
    assert(!html.includes('/wizyty/zmiana/') && !html.includes('/wizyty/odwolanie/'), 'links shown on the page');
    await axeCheck(page);
  });

  let cancelLink = '';
  await check('citizen: reschedules with the emailed link by keyboard; axe', async () => {
    const mail = newestMailText();
    const reschedule = linkIn(mail, '/wizyty/zmiana');
    cancelLink = linkIn(mail, '/wizyty/odwolanie');
    assert(reschedule.includes(bookingId), 'the link is for another booking');
    await gotoOk(page, reschedule);
    assert((await page.locator('main h1').innerText()).includes('Zmiana terminu'), 'not the reschedule page');
    await axeCheck(page);
    await tabTo(page, 'main input[name=termin]');
    await page.keyboard.press('Space');
    await tabTo(page, 'main form button[type=submit]');
    await pressAndWait(page, 'Enter');
    assert(pathOf(page.url()).startsWith('/wizyty/potwierdzenie/'), `at ${pathOf(page.url())}`);
    assert((await page.locator('body').innerText()).includes('Termin wizyty został zmieniony'), 'no flash');
    await axeCheck(page);
    assert(newestMailText().includes('Zmiana terminu'), 'no updated invitation');
  });

  await check('citizen: cancels with the emailed link by keyboard; the link is dead after; axe', async () => {
    await gotoOk(page, cancelLink);
    await axeCheck(page);
    await tabTo(page, 'main form button[type=submit]');
    await pressAndWait(page, 'Enter');
    assert(pathOf(page.url()) === `/wizyty/${OFFICE}`, `at ${pathOf(page.url())}`);
    assert((await page.locator('body').innerText()).includes('Wizyta została odwołana'), 'no flash');
    await axeCheck(page);
    await gotoOk(page, cancelLink, 404);
  });

  const admin = await newPage(browser);
  await check('official: signs in; matters, a matter, a new matter and its 422; axe on each', async () => {
    await gotoOk(admin, '/logowanie');
    await admin.locator('#email').fill(EMAIL);
    await admin.locator('#password').fill(PASSWORD);
    await clickAndWait(admin, admin.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(admin, `/biuro/${OFFICE}/sprawy`);
    await axeCheck(admin);
    await gotoOk(admin, `/biuro/${OFFICE}/sprawy/${MATTER_ID}`);
    await axeCheck(admin);
    await gotoOk(admin, `/biuro/${OFFICE}/sprawy/nowa`);
    await axeCheck(admin);
    await tabTo(admin, '#name');
    await admin.keyboard.type('Nowa sprawa');
    await tabTo(admin, '#duration_min');
    await admin.keyboard.press('Control+A');
    await admin.keyboard.type('7');
    await tabTo(admin, 'main form button[type=submit]');
    await pressAndWait(admin, 'Enter');
    assert((await admin.locator('main').innerText()).includes('wielokrotnością 5 minut'), 'no 5-minute error');
    await axeCheck(admin);
  });

  await check('official: availability, visits, the visit, statistics; axe on each', async () => {
    await gotoOk(admin, `/biuro/${OFFICE}/dostepnosc/${OFFICIAL_ID}`);
    await axeCheck(admin);
    await gotoOk(admin, `/biuro/${OFFICE}/wizyty`);
    await axeCheck(admin);
    assert((await admin.locator('main').innerText()).includes('Jan Kowalski'), 'the visit is not listed');
    await gotoOk(admin, `/biuro/${OFFICE}/wizyty/${bookingId}`);
    assert((await admin.locator('main').innerText()).includes('odwołana'), 'status not in words');
    await axeCheck(admin);
    await gotoOk(admin, `/biuro/${OFFICE}/statystyki`);
    assert((await admin.locator('main').innerText()).includes('Odwołane przez interesanta'), 'no statistics');
    await axeCheck(admin);
  });

  await checkNoBrowserProblems();
}

await run(main);
