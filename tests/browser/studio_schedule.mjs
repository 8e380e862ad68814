#!/usr/bin/env node
// SZPoN browser test: a course's schedule and about page in Studio, with axe-core (WCAG 2.1
// A/AA) on every page. The author reaches the schedule from the course page by keyboard, gets
// an error (end before start), saves; then on the about page a non-image is refused and a short
// description and a PNG are saved; the learner's about page shows the date and the text.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_ID=... COURSE_KEY=... EMAIL=... PASSWORD=... \
//        node tests/browser/studio_schedule.mjs
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
} from './lib.mjs';

await init('studio_schedule.mjs');
const { COURSE_ID, COURSE_KEY, EMAIL, PASSWORD } = requireEnv(
  ['COURSE_ID', 'COURSE_KEY', 'EMAIL', 'PASSWORD'],
  'studio_schedule.mjs',
);

// Submits the page's form by keyboard (focus on the button, Enter) and waits for the next page.
async function submitByKeyboard(page) {
  await page.locator('main form button[type=submit]').focus();
  await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const author = await newPage(browser);
  const schedule = `/studio/kursy/${COURSE_ID}/harmonogram`;
  const about = `/studio/kursy/${COURSE_ID}/opis`;

  await check('author: sign in; the course page links the schedule, reached by keyboard; axe', async () => {
    await gotoOk(author, '/logowanie');
    await author.locator('#email').fill(EMAIL);
    await author.locator('#password').fill(PASSWORD);
    await clickAndWait(author, author.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(author, `/studio/kursy/${COURSE_ID}`);
    await axeCheck(author);
    await author.locator(`main a[href="${schedule}"]`).focus();
    await Promise.all([author.waitForURL((u) => pathOf(u.toString()) === schedule), author.keyboard.press('Enter')]);
    await author.waitForLoadState('load');
    const h1 = await author.locator('main h1').innerText();
    assert(h1.startsWith('Harmonogram kursu'), `heading is ${JSON.stringify(h1)}`);
    await axeCheck(author);
  });

  await check('schedule: an end before the start is refused with an error summary; axe', async () => {
    await author.locator('#start').fill('2027-01-15T09:00');
    await author.locator('#end').fill('2027-01-10T09:00');
    await submitByKeyboard(author);
    await author.waitForSelector('.error-summary', { timeout: 15_000 });
    const summary = await author.locator('.error-summary').innerText();
    assert(summary.includes('Zakończenie kursu musi być późniejsze'), `summary: ${summary}`);
    assert((await author.locator('#end').getAttribute('aria-invalid')) === 'true', 'end not marked invalid');
    assert((await author.locator('#start').inputValue()) === '2027-01-15T09:00', 'start not kept');
    // The summary's link leads to the field.
    await author.locator('.error-summary a[href="#end"]').focus();
    await author.keyboard.press('Enter');
    await author.waitForFunction(() => location.hash === '#end');
    await axeCheck(author);
  });

  await check('schedule: saved (self-paced toggled by Space), values shown again in Polish time; axe', async () => {
    await author.locator('#end').fill('2027-06-30T18:00');
    const paced = author.locator('#self_paced');
    const before = await paced.isChecked();
    await paced.focus();
    await author.keyboard.press('Space');
    await submitByKeyboard(author);
    await author.waitForSelector('.flash', { timeout: 15_000 });
    assert(pathOf(author.url()) === schedule, `after saving at ${pathOf(author.url())}`);
    assert((await author.locator('#start').inputValue()) === '2027-01-15T09:00', 'start not saved');
    assert((await author.locator('#end').inputValue()) === '2027-06-30T18:00', 'end not saved');
    assert((await paced.isChecked()) === !before, 'self-paced not saved');
    await axeCheck(author);
  });

  await check('about page: a non-image is refused (422) with the texts kept; axe', async () => {
    await gotoOk(author, about);
    await axeCheck(author);
    await author.locator('#short_description').fill('');
    await author.locator('#short_description').focus();
    await author.keyboard.type('Kurs z klawiatury: ochrona danych w urzędzie.');
    await author.locator('#course_image').setInputFiles({
      name: 'okladka.png',
      mimeType: 'image/png',
      buffer: Buffer.from('to nie jest obraz'),
    });
    await submitByKeyboard(author);
    await author.waitForSelector('.error-summary', { timeout: 15_000 });
    const summary = await author.locator('.error-summary').innerText();
    assert(summary.includes('PNG lub JPEG'), `summary: ${summary}`);
    const kept = await author.locator('#short_description').inputValue();
    assert(kept === 'Kurs z klawiatury: ochrona danych w urzędzie.', `text not kept: ${kept}`);
    await axeCheck(author);
  });

  await check('about page: a PNG and the texts saved; axe', async () => {
    // A 2x1 red PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAMCAEBNN+9eAAAAABJRU5ErkJggg==',
      'base64',
    );
    await author.locator('#course_image').setInputFiles({ name: 'okladka.png', mimeType: 'image/png', buffer: png });
    await author.locator('#effort').fill('2:00');
    await submitByKeyboard(author);
    await author.waitForSelector('.flash', { timeout: 15_000 });
    const main = await author.locator('main').innerText();
    assert(main.includes('Obecny obraz: okladka.png.'), 'the image is not named as current');
    await axeCheck(author);
  });

  await check("learner's about page shows the start date, texts and image; axe", async () => {
    // The learner side re-reads the course every 2 s.
    await new Promise((r) => setTimeout(r, 2100));
    const anyone = await newPage(browser);
    await gotoOk(anyone, `/kursy/${COURSE_KEY}`);
    const main = await anyone.locator('main').innerText();
    assert(main.includes('15 stycznia 2027'), 'start date not shown');
    assert(main.includes('30 czerwca 2027'), 'end date not shown');
    assert(main.includes('Kurs z klawiatury: ochrona danych w urzędzie.'), 'short description not shown');
    assert(main.includes('2:00'), 'effort not shown');
    const src = await anyone.locator('main img.course-image').getAttribute('src');
    assert(src && src.endsWith('/static/okladka.png'), `image src ${src}`);
    await axeCheck(anyone);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 90_000 });
