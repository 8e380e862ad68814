#!/usr/bin/env node
// SZPoN browser test: gamification in headless Chromium with axe-core (WCAG 2.1 A/AA) on every
// page. A learner with points, a badge and a certificate opens the dashboard (progress bars with
// their values, level, streak), goes to the course leaderboard, joins it with the keyboard only
// (shown under a pseudonym, another member's real name never shown), and opens the public page
// of their badge.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_KEY=... EMAIL=... PASSWORD=... NAME='...' \
//        OTHER_NAME='...' BADGE_ID=<32 hex> CERT_UUID=<32 hex> node tests/browser/gamification.mjs
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
  h1Text,
} from './lib.mjs';

await init('gamification.mjs');
const { COURSE_KEY, EMAIL, PASSWORD, NAME, OTHER_NAME, BADGE_ID, CERT_UUID } = requireEnv(
  ['COURSE_KEY', 'EMAIL', 'PASSWORD', 'NAME', 'OTHER_NAME', 'BADGE_ID', 'CERT_UUID'],
  'gamification.mjs',
);

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const page = await newPage(browser, 'pl-PL', {
    allConsoleErrors: true,
    allowHttp: () => false,
  });

  await check('sign in; the dashboard shows points, level, streak, progress, badge, certificate; passes axe', async () => {
    await gotoOk(page, '/logowanie?next=/panel');
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await clickAndWait(page, page.locator('main form button[type=submit]'), '/panel');
    assert((await h1Text(page)) === 'Mój panel', `h1 is ${await h1Text(page)}`);
    const main = await page.locator('main').innerText();
    assert(main.includes('Punkty: 25'), 'total points not shown');
    assert(main.includes('Poziom 1: Nowicjusz'), 'level not shown');
    assert(main.includes('brakuje 25 punktów'), 'points to the next level not shown');
    assert(/Obecna seria: \d+ d/.test(main), 'current streak not shown');
    const bars = page.locator('main progress');
    assert((await bars.count()) >= 2, 'no progress bars');
    for (let i = 0; i < (await bars.count()); i++) {
      const label = await bars.nth(i).getAttribute('aria-label');
      assert(label && label.length > 0, `progress bar ${i} has no label`);
    }
    assert(/\d+ z \d+ \(\d+%\)/.test(main), 'units completed not written out next to the bar');
    assert(main.includes('Kurs ukończony'), 'badge not listed');
    const img = page.locator(`main img[src="/odznaki/${BADGE_ID}/obraz.svg"]`);
    assert((await img.count()) === 1, 'badge image missing');
    assert((await img.evaluate((e) => e.complete && e.naturalWidth > 0)), 'badge image did not load');
    assert(
      (await page.locator(`main a[href="/certificates/${CERT_UUID}"]`).count()) === 1,
      'certificate link missing',
    );
    const nav = page.locator('nav.main-nav a[aria-current="page"]');
    assert((await nav.innerText()).trim() === 'Mój panel', 'nav item "Mój panel" is not current');
    await axeCheck(page);
  });

  await check('leaderboard: not a member yet, the other member only under a pseudonym; passes axe', async () => {
    await clickAndWait(page, page.locator('main a', { hasText: 'Ranking kursu' }).first(), `/kursy/${COURSE_KEY}/ranking`);
    const main = await page.locator('main').innerText();
    assert(main.includes('Nie jesteś w rankingu'), 'not-a-member text missing');
    assert(!main.includes(OTHER_NAME), 'another member shown by real name');
    assert((await page.locator('main table tbody tr').count()) === 1, 'expected exactly one member');
    await axeCheck(page);
  });

  await check('leaderboard: join with the keyboard only; own row under a pseudonym; passes axe', async () => {
    await page.locator('#gam-join').focus();
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.waitForSelector('.flash', { timeout: 15_000 });
    const main = await page.locator('main').innerText();
    assert(main.includes('(Ty)'), 'own row not marked');
    assert(main.includes('pod pseudonimem'), 'pseudonym not explained');
    assert(!main.includes(NAME), 'own real name shown without being chosen');
    assert(!main.includes(OTHER_NAME), 'another member shown by real name');
    assert((await page.locator('main table tbody tr').count()) === 2, 'expected two members');
    await axeCheck(page);
  });

  await check('leaderboard: choose to show the real name with the keyboard; passes axe', async () => {
    const btn = page.locator('main button[value="show-name"]');
    await btn.focus();
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.waitForSelector('.flash', { timeout: 15_000 });
    const rows = await page.locator('main table').innerText();
    assert(rows.includes(NAME), 'real name not shown after choosing it');
    assert(!rows.includes(OTHER_NAME), 'another member shown by real name');
    await axeCheck(page);
  });

  await check('the public badge page: name, holder, image with a text alternative; passes axe', async () => {
    const anyone = await newPage(browser, 'pl-PL', { allConsoleErrors: true, allowHttp: () => false });
    await gotoOk(anyone, `/odznaki/${BADGE_ID}`);
    assert((await h1Text(anyone)) === 'Odznaka: Kurs ukończony', `h1 is ${await h1Text(anyone)}`);
    const main = await anyone.locator('main').innerText();
    assert(main.includes(NAME), 'holder name missing');
    const alt = await anyone.locator('main img').first().getAttribute('alt');
    assert(alt && alt.includes('Kurs ukończony'), `image alt is ${alt}`);
    assert(
      (await anyone.locator(`main a[href="/odznaki/${BADGE_ID}/openbadge"]`).count()) === 1,
      'Open Badges download link missing',
    );
    await axeCheck(anyone);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 90_000 });
