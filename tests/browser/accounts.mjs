#!/usr/bin/env node
// SZPoN browser test: a real user journey in headless Chromium plus axe-core
// WCAG 2.1 A/AA checks. Prints one `ok - NAME` / `not ok - NAME: reason` line
// per check and a closing `N passed, N failed` line. Exit 0 only if all passed.
// The harness (launch, reporting, axe, timeouts, browser-problem collector) is
// in lib.mjs, shared with import.mjs.
//
// Usage: BASE_URL=http://127.0.0.1:18080 node tests/browser/accounts.mjs
// Optional env: CHROMIUM_PATH (default /usr/bin/chromium),
//               TEST_TIMEOUT_MS (default 90000).

import {
  init,
  run,
  url,
  pathOf,
  check,
  assert,
  CheckError,
  checkServerReachable,
  launchBrowser,
  newPage,
  checkNoBrowserProblems,
  axeCheck,
  htmlLang,
  h1Text,
  clickAndWait,
  gotoOk,
} from './lib.mjs';

await init('accounts.mjs');

const EMAIL = `browser-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.pl`;
const PASSWORD = 'Zielona-Łąka-2024!';
const FULL_NAME = 'Zofia Żółkiewska';

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;

  // ---------------- anonymous pages (fresh context)
  const anon = await newPage(browser);

  await check('home: fresh visitor gets <html lang="pl">', async () => {
    await gotoOk(anon, '/');
    const lang = await htmlLang(anon);
    assert(lang === 'pl', `Polish browser: expected lang="pl", got ${JSON.stringify(lang)}`);
    // The site honours Accept-Language; a language it does not offer must
    // fall back to Polish, the default.
    const other = await newPage(browser, 'de-DE');
    try {
      await gotoOk(other, '/');
      const l2 = await htmlLang(other);
      assert(l2 === 'pl', `German browser (no cookie): expected default lang="pl", got ${JSON.stringify(l2)}`);
    } finally {
      await other.context().close();
    }
  });
  await check('axe: home /', async () => {
    await gotoOk(anon, '/');
    await axeCheck(anon);
  });

  await check('keyboard: first Tab focuses skip link to #main', async () => {
    await gotoOk(anon, '/');
    await anon.keyboard.press('Tab');
    const focused = await anon.evaluate(() => {
      const el = document.activeElement;
      return el
        ? { tag: el.tagName.toLowerCase(), cls: el.className, href: el.getAttribute('href'), text: el.textContent.trim() }
        : null;
    });
    assert(focused, 'nothing focused after Tab');
    assert(
      focused.tag === 'a' && String(focused.cls).split(/\s+/).includes('skip-link'),
      `focused <${focused.tag} class="${focused.cls}"> (${JSON.stringify(focused.text)}), expected a.skip-link`,
    );
    assert(focused.href === '#main', `skip link href is ${JSON.stringify(focused.href)}, expected "#main"`);
    assert(
      (await anon.locator('#main').count()) === 1,
      'skip link target #main does not exist',
    );
    const visible = await anon.locator('a.skip-link').isVisible();
    assert(visible, 'skip link is not visible when focused');
    // Activating it should move focus into main.
    await anon.keyboard.press('Enter');
    const inMain = await anon.evaluate(() => {
      const m = document.getElementById('main');
      return !!m && (document.activeElement === m || m.contains(document.activeElement));
    });
    assert(inMain, 'pressing Enter on the skip link did not move focus to #main');
  });

  await check('axe: login /logowanie', async () => {
    await gotoOk(anon, '/logowanie');
    await axeCheck(anon);
  });
  await check('axe: register /rejestracja', async () => {
    await gotoOk(anon, '/rejestracja');
    await axeCheck(anon);
  });
  await check('axe: accessibility statement /deklaracja-dostepnosci', async () => {
    await gotoOk(anon, '/deklaracja-dostepnosci');
    await axeCheck(anon);
  });
  await check('404: /nie-ma-takiej-strony returns 404 and passes axe', async () => {
    await gotoOk(anon, '/nie-ma-takiej-strony', 404);
    assert((await anon.locator('h1').count()) > 0, '404 page has no h1');
    await axeCheck(anon);
  });

  let errorPageReady = false;
  await check('login: empty submit shows error summary linking to #email', async () => {
    await gotoOk(anon, '/logowanie');
    const submit = anon.locator('main form button[type=submit]');
    await clickAndWait(anon, submit, '/logowanie');
    const summaryBox = anon.locator('.error-summary');
    await summaryBox.first().waitFor({ state: 'visible' });
    const links = summaryBox.locator('a[href="#email"]');
    assert((await links.count()) > 0, '.error-summary has no link to #email');
    errorPageReady = true;
  });
  await check('axe: login page with validation errors', async () => {
    assert(errorPageReady, 'error state not reached (previous check failed)');
    await axeCheck(anon);
  });
  await anon.context().close();

  // ---------------- account journey (one context keeps the session cookie)
  const page = await newPage(browser);
  let registered = false;
  let loggedIn = false;

  await check('register: new account lands on / with flash and name in header', async () => {
    await gotoOk(page, '/rejestracja');
    await page.locator('#full_name').fill(FULL_NAME);
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password_confirm').fill(PASSWORD);
    await page.locator('#accept_terms').check();
    await clickAndWait(page, page.locator('main form button[type=submit]'), (p) => p !== '/rejestracja');
    const p = pathOf(page.url());
    if (p !== '/') {
      const errs = await page.locator('.error-summary').allInnerTexts().catch(() => []);
      throw new CheckError(`expected redirect to /, got ${p}${errs.length ? ` (errors: ${errs.join(' | ').replace(/\s+/g, ' ')})` : ''}`);
    }
    registered = true;
    assert(await page.locator('.flash').first().isVisible(), 'no visible .flash message after registration');
    const account = page.locator('a.account-link');
    assert((await account.count()) > 0, 'no a.account-link in header after registration');
    const name = (await account.first().innerText()).trim();
    assert(name.includes(FULL_NAME), `a.account-link shows ${JSON.stringify(name)}, expected it to contain ${JSON.stringify(FULL_NAME)}`);
    loggedIn = true;
  });

  await check('logout: "Wyloguj się" button posts to /wyloguj and logs out', async () => {
    assert(registered, 'not registered (previous check failed)');
    const form = page.locator('form[action="/wyloguj"]');
    assert((await form.count()) > 0, 'no form posting to /wyloguj in the page');
    const method = ((await form.first().getAttribute('method')) || 'get').toLowerCase();
    assert(method === 'post', `logout form method is ${method}, expected post`);
    const button = form.first().getByRole('button', { name: 'Wyloguj się' });
    assert((await button.count()) === 1, 'no button named "Wyloguj się" in the logout form');
    await clickAndWait(page, button);
    loggedIn = false;
    assert((await page.locator('a.account-link').count()) === 0, 'a.account-link still shown after logout');
    assert((await page.locator('form[action="/wyloguj"]').count()) === 0, 'logout form still shown after logout');
    // A protected page should now send us to the login page.
    await page.goto(url('/profil'), { waitUntil: 'load' });
    assert(pathOf(page.url()) === '/logowanie', `/profil after logout landed on ${pathOf(page.url())}, expected /logowanie`);
  });

  await check('login: existing account signs in and lands on /', async () => {
    assert(registered, 'not registered (previous check failed)');
    await gotoOk(page, '/logowanie');
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await clickAndWait(page, page.locator('main form button[type=submit]'), '/');
    const account = page.locator('a.account-link');
    assert((await account.count()) > 0, 'no a.account-link in header after login');
    const name = (await account.first().innerText()).trim();
    assert(name.includes(FULL_NAME), `a.account-link shows ${JSON.stringify(name)} after login`);
    loggedIn = true;
  });

  await check('profile: /profil has an h1 and passes axe', async () => {
    assert(loggedIn, 'not logged in (previous check failed)');
    await gotoOk(page, '/profil');
    assert(pathOf(page.url()) === '/profil', `expected /profil, got ${pathOf(page.url())}`);
    const h1 = await h1Text(page);
    assert(h1, '/profil has no h1 in main');
    await axeCheck(page);
  });

  let plH1 = null;
  let switchedToEn = false;
  await check('language: English button reloads same page with lang="en" and English h1', async () => {
    // Switch on a page other than / so "same page" is really tested.
    const startPath = loggedIn ? '/profil' : '/logowanie';
    if (pathOf(page.url()) !== startPath) await gotoOk(page, startPath);
    assert((await htmlLang(page)) === 'pl', `page is not in Polish before switching (lang=${await htmlLang(page)})`);
    plH1 = await h1Text(page);
    const btn = page.locator('header form[action="/jezyk"] button[name=lang][value=en]');
    assert((await btn.count()) === 1, 'no header form[action="/jezyk"] with button[name=lang][value=en]');
    await clickAndWait(page, btn, startPath);
    const lang = await htmlLang(page);
    assert(lang === 'en', `expected lang="en", got ${JSON.stringify(lang)}`);
    switchedToEn = true;
    const enH1 = await h1Text(page);
    assert(enH1 && enH1 !== plH1, `h1 did not change: ${JSON.stringify(plH1)} -> ${JSON.stringify(enH1)}`);
  });

  await check('axe: /profil in English', async () => {
    assert(switchedToEn, 'page not in English (previous check failed)');
    await axeCheck(page);
  });

  await check('language: Polish button switches back to lang="pl"', async () => {
    assert(switchedToEn, 'page not in English (previous check failed)');
    const startPath = pathOf(page.url());
    const btn = page.locator('header form[action="/jezyk"] button[name=lang][value=pl]');
    assert((await btn.count()) === 1, 'no header form[action="/jezyk"] with button[name=lang][value=pl]');
    await clickAndWait(page, btn, startPath);
    const lang = await htmlLang(page);
    assert(lang === 'pl', `expected lang="pl", got ${JSON.stringify(lang)}`);
    const h1 = await h1Text(page);
    assert(!plH1 || h1 === plH1, `h1 after switching back is ${JSON.stringify(h1)}, expected ${JSON.stringify(plH1)}`);
  });

  await page.context().close();

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 90_000 });
