#!/usr/bin/env node
// SZPoN browser test: the office calendar in headless Chromium with axe-core (WCAG 2.1 A/AA) on
// every page visited, used by keyboard. An official opens the calendar, is refused an event
// without a title (error summary), creates an event with a colleague and an outside guest,
// sees it on its page and in the list, week and month views (moving by the paging links),
// opens the subscription page and makes a feed link (the feed answers with the event), and
// cancels the event through the confirmation page.
//
// Usage: BASE_URL=http://127.0.0.1:PORT OFFICE=<slug> EMAIL=<official> PASSWORD=... \
//        COLLEAGUE=<colleague's full name> node tests/browser/office_calendar.mjs
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
  pressAndWait,
} from './lib.mjs';

await init('office_calendar.mjs');
const { OFFICE, EMAIL, PASSWORD, COLLEAGUE } = requireEnv(
  ['OFFICE', 'EMAIL', 'PASSWORD', 'COLLEAGUE'],
  'office_calendar.mjs',
);
const CAL = `/biuro/${OFFICE}/kalendarz`;
const TITLE = 'Narada w sprawie budżetu';

// A week from today, local date, so the event is inside the subscription feed's window.
const day = new Date(Date.now() + 7 * 24 * 3600 * 1000);
const pad = (n) => String(n).padStart(2, '0');
const DATE = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const page = await newPage(browser, 'pl-PL');
  let eventPath = '';

  await check('sign in; the office calendar by keyboard from the office page; axe', async () => {
    await gotoOk(page, '/logowanie');
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await clickAndWait(page, page.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(page, `/biuro/${OFFICE}`);
    await enterAndWait(page, page.locator(`nav.office-nav a[href="${CAL}"]`));
    assert(pathOf(page.url()) === CAL, `at ${pathOf(page.url())}`);
    assert((await page.locator('h1').innerText()) === 'Kalendarz', 'no calendar heading');
    await axeCheck(page);
  });

  await check('the new event form; an empty title is refused with an error summary (422); axe', async () => {
    await enterAndWait(page, page.locator(`main a[href^="${CAL}/nowe"]`));
    assert(pathOf(page.url()) === `${CAL}/nowe`, `at ${pathOf(page.url())}`);
    await axeCheck(page);
    await typeInto(page, page.locator('#title'), '');
    await enterAndWait(page, page.locator('main form button[type=submit]'));
    await page.waitForSelector('.error-summary', { timeout: ACTION_TIMEOUT_MS });
    const summary = await page.locator('.error-summary').innerText();
    assert(summary.includes('Podaj tytuł'), `summary: ${JSON.stringify(summary)}`);
    assert((await page.locator('#title').getAttribute('aria-invalid')) === 'true', 'title not marked invalid');
    await axeCheck(page);
  });

  await check('create an event with a colleague and a guest by keyboard; its page; axe', async () => {
    await typeInto(page, page.locator('#title'), TITLE);
    await page.locator('#date').fill(DATE);
    await page.locator('#start').fill('10:00');
    await page.locator('#end').fill('11:30');
    await typeInto(page, page.locator('#location'), 'Sala narad, pokój 12');
    await typeInto(page, page.locator('#description'), 'Projekt budżetu na przyszły rok.');
    const box = page.locator('fieldset#colleagues label', { hasText: COLLEAGUE });
    const id = await box.getAttribute('for');
    await page.locator(`#${id}`).focus();
    await page.keyboard.press('Space');
    assert(await page.locator(`#${id}`).isChecked(), 'the colleague is not ticked');
    await typeInto(page, page.locator('#guests'), 'Jan Gość <jan.gosc@example.com>');
    await enterAndWait(page, page.locator('main form button[type=submit]'));
    eventPath = pathOf(page.url());
    assert(eventPath.startsWith(`${CAL}/`) && eventPath !== `${CAL}/nowe`, `at ${eventPath}`);
    await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
    const main = await page.locator('main').innerText();
    for (const want of [TITLE, COLLEAGUE, 'jan.gosc@example.com', 'bez odpowiedzi', 'od 10:00 do 11:30']) {
      assert(main.includes(want), `the event page does not show ${want}`);
    }
    await axeCheck(page);
  });

  await check('the list view groups by day and links the event; axe', async () => {
    await gotoOk(page, `${CAL}?widok=lista&od=${DATE}`);
    const link = page.locator(`main h2 + ul a[href="${eventPath}"]`);
    assert((await link.count()) === 1, 'the event is not listed under a day heading');
    await axeCheck(page);
  });

  await check('the week view (a table), then next and previous week by links; axe', async () => {
    await enterAndWait(page, page.locator('nav.calendar-views a', { hasText: 'Tydzień' }));
    assert((await page.locator('table caption').innerText()).startsWith('Tydzień od'), 'no week caption');
    assert((await page.locator(`table td a[href="${eventPath}"]`).count()) === 1, 'the event is not in the week');
    await axeCheck(page);
    await enterAndWait(page, page.locator('a[rel=next]'));
    assert((await page.locator(`table td a[href="${eventPath}"]`).count()) === 0, 'the event is also next week');
    await axeCheck(page);
    await enterAndWait(page, page.locator('a[rel=prev]'));
    assert((await page.locator(`table td a[href="${eventPath}"]`).count()) === 1, 'back: the event is missing');
  });

  await check('the month view lists the event in its day cell; axe', async () => {
    await enterAndWait(page, page.locator('nav.calendar-views a', { hasText: 'Miesiąc' }));
    assert((await page.locator('table thead th[scope=col]').count()) === 7, 'not seven day columns');
    assert((await page.locator(`table td a[href="${eventPath}"]`).count()) === 1, 'the event is not in the month');
    await axeCheck(page);
  });

  await check('the subscription page; a new link by keyboard; the feed has the event; axe', async () => {
    await gotoOk(page, CAL);
    await enterAndWait(page, page.locator('main a[href="/biuro/kalendarz/subskrypcja"]'));
    assert((await page.locator('main').innerText()).includes('Nie masz aktywnego linku'), 'a link already exists');
    await axeCheck(page);
    await enterAndWait(page, page.locator('main form button[type=submit]', { hasText: 'Utwórz link' }));
    const https = await page.locator('#feed-https').inputValue();
    const webcal = await page.locator('#feed-webcal').inputValue();
    assert(/\/kalendarz\/[A-Za-z0-9_-]{43}\.ics$/.test(https), `link ${https}`);
    assert(webcal.startsWith('webcal://'), `webcal ${webcal}`);
    await axeCheck(page);
    const resp = await page.request.get(https);
    assert(resp.status() === 200, `feed ${resp.status()}`);
    assert(resp.headers()['content-type'].startsWith('text/calendar'), 'not text/calendar');
    assert((await resp.text()).includes(TITLE), 'the feed does not have the event');
  });

  await check('cancel the event through the confirmation page; axe', async () => {
    await gotoOk(page, eventPath);
    await enterAndWait(page, page.locator('main a', { hasText: 'Odwołaj wydarzenie' }));
    assert(pathOf(page.url()) === `${eventPath}/odwolanie`, `at ${pathOf(page.url())}`);
    assert((await page.locator('main').innerText()).includes(TITLE), 'the confirmation does not name the event');
    await axeCheck(page);
    await page.locator('main form button[type=submit]').focus();
    await pressAndWait(page, 'Enter');
    assert(pathOf(page.url()) === CAL, `after cancelling at ${pathOf(page.url())}`);
    await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
    await axeCheck(page);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 120_000 });
