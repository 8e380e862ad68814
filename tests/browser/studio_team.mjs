#!/usr/bin/env node
// SZPoN browser test: the Studio course team page in headless Chromium with axe-core
// (WCAG 2.1 A/AA) on every page, used by keyboard only. The office's administrator reaches the
// team page from the course page, is refused a person from another office (422, error summary),
// adds an official as author, changes the role to staff, and removes them through the
// confirmation page.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_ID=<id> EMAIL=admin@... PASSWORD=... \
//        MEMBER=<official of the office> OUTSIDER=<person of another office> \
//        node tests/browser/studio_team.mjs
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
  typeInto,
} from './lib.mjs';

await init('studio_team.mjs');
const { COURSE_ID, EMAIL, PASSWORD, MEMBER, OUTSIDER } = requireEnv(
  ['COURSE_ID', 'EMAIL', 'PASSWORD', 'MEMBER', 'OUTSIDER'],
  'studio_team.mjs',
);
const TEAM = `/studio/kursy/${COURSE_ID}/zespol`;

// Moves a focused <select> to the option whose value is `value` with the arrow keys.
async function chooseByKeys(page, select, value) {
  await select.focus();
  const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
  const target = values.indexOf(value);
  assert(target >= 0, `no option ${value}`);
  for (let i = 0; i < values.length && (await select.inputValue()) !== value; i++) {
    const now = values.indexOf(await select.inputValue());
    await page.keyboard.press(now < target ? 'ArrowDown' : 'ArrowUp');
  }
  assert((await select.inputValue()) === value, `select is ${await select.inputValue()}, not ${value}`);
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  // The one HTTP error expected: the person from another office is refused with 422.
  let expect422 = false;
  const page = await newPage(browser, 'pl-PL', {
    allConsoleErrors: true,
    allowConsole: (text, path) => expect422 && path === TEAM && /status of 422\b/.test(text),
    allowHttp: (resp) => expect422 && resp.status() === 422 && pathOf(resp.url()) === TEAM,
  });
  const row = () => page.locator('#team-list tbody tr', { hasText: MEMBER });

  await check('sign in; the course page links the team page (by keyboard); empty team; axe', async () => {
    await gotoOk(page, '/logowanie');
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await clickAndWait(page, page.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(page, `/studio/kursy/${COURSE_ID}`);
    await enterAndWait(page, page.locator(`main a[href="${TEAM}"]`));
    assert(pathOf(page.url()) === TEAM, `at ${pathOf(page.url())}`);
    const main = await page.locator('main').innerText();
    assert(main.includes('Zespół nie ma jeszcze członków'), 'the empty team is not said');
    await axeCheck(page);
  });

  await check('a person from another office is refused: error summary (422), input kept; axe', async () => {
    expect422 = true;
    await typeInto(page, page.locator('#email'), OUTSIDER);
    await enterAndWait(page, page.locator('#team-add button[type=submit]'));
    await page.waitForSelector('.error-summary', { timeout: ACTION_TIMEOUT_MS });
    const summary = await page.locator('.error-summary').innerText();
    assert(summary.includes('nie należy do urzędu'), `summary: ${JSON.stringify(summary)}`);
    assert((await page.locator('#email').getAttribute('aria-invalid')) === 'true', 'the e-mail field is not marked invalid');
    assert((await page.locator('#email').inputValue()) === OUTSIDER, 'the input was not kept');
    await axeCheck(page);
    expect422 = false;
  });

  await check('add an official as author by keyboard; listed with name, e-mail and role; axe', async () => {
    await typeInto(page, page.locator('#email'), MEMBER);
    await chooseByKeys(page, page.locator('#role'), 'author');
    await page.keyboard.press('Tab');
    const nav = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: ACTION_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    await nav;
    await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
    assert(pathOf(page.url()) === TEAM, `after adding at ${pathOf(page.url())}`);
    assert((await row().count()) === 1, 'the member is not listed');
    assert((await row().locator('select').inputValue()) === 'author', 'the role is not author');
    await axeCheck(page);
  });

  await check('change the role to staff by keyboard; axe', async () => {
    await chooseByKeys(page, row().locator('select'), 'staff');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
    assert(focused && focused.includes('Zmień rolę'), `focus on ${JSON.stringify(focused)}`);
    const nav = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: ACTION_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    await nav;
    await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
    const flash = await page.locator('.flash').innerText();
    assert(flash.includes('Zmieniono rolę'), `flash: ${JSON.stringify(flash)}`);
    assert((await row().locator('select').inputValue()) === 'staff', 'the role is not staff');
    await axeCheck(page);
  });

  await check('remove through the confirmation page; the member is gone; axe', async () => {
    await enterAndWait(page, row().locator('button', { hasText: 'Usuń z zespołu' }));
    const main = await page.locator('main').innerText();
    assert(main.includes('Usunąć z zespołu?'), 'no confirmation page');
    assert(main.includes(MEMBER), 'the confirmation does not name the person');
    await axeCheck(page);
    await enterAndWait(page, page.locator('main form button[type=submit]'));
    await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
    assert(pathOf(page.url()) === TEAM, `after removal at ${pathOf(page.url())}`);
    assert((await page.locator('#team-list').count()) === 0, 'the team list is still shown');
    await axeCheck(page);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 90_000 });
