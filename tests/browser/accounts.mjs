#!/usr/bin/env node
// SZPoN browser test: a real user journey in headless Chromium plus axe-core
// WCAG 2.1 A/AA checks. Prints one `ok - NAME` / `not ok - NAME: reason` line
// per check and a closing `N passed, N failed` line. Exit 0 only if all passed.
//
// Usage: BASE_URL=http://127.0.0.1:18080 node tests/browser/accounts.mjs
// Optional env: CHROMIUM_PATH (default /usr/bin/chromium),
//               TEST_TIMEOUT_MS (default 90000).

import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const BASE_URL_RAW = process.env.BASE_URL;
if (!BASE_URL_RAW) {
  console.error('BASE_URL is required, e.g. BASE_URL=http://127.0.0.1:18080 node tests/browser/accounts.mjs');
  process.exit(2);
}
const BASE_URL = BASE_URL_RAW.replace(/\/+$/, '');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OVERALL_TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS || 90_000);
const ACTION_TIMEOUT_MS = 15_000;

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.error(`cannot load playwright-core (run \`npm ci\` in ${here}): ${e.message}`);
  process.exit(1);
}

let AXE_PATH;
try {
  AXE_PATH = join(dirname(require.resolve('axe-core/package.json')), 'axe.min.js');
} catch {
  AXE_PATH = join(here, 'node_modules', 'axe-core', 'axe.min.js');
}
if (!existsSync(AXE_PATH)) {
  console.error(`axe-core not found at ${AXE_PATH} (run \`npm ci\` in ${here})`);
  process.exit(1);
}
const AXE_SOURCE = readFileSync(AXE_PATH, 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const url = (path) => `${BASE_URL}${path}`;
const pathOf = (u) => new URL(u).pathname;
const EMAIL = `browser-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.pl`;
const PASSWORD = 'Zielona-Łąka-2024!';
const FULL_NAME = 'Zofia Żółkiewska';

// ---------------------------------------------------------------- reporting
const results = [];
let finished = false;

function report(name, ok, reason) {
  results.push({ name, ok });
  if (ok) {
    console.log(`ok - ${name}`);
  } else {
    const text = String(reason ?? 'failed').trim();
    const [first, ...rest] = text.split('\n');
    console.log(`not ok - ${name}: ${first}`);
    for (const line of rest) console.log(`#   ${line}`);
  }
}

function summary() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

class CheckError extends Error {}
function assert(cond, message) {
  if (!cond) throw new CheckError(message);
}

// Runs one check; never throws. Returns true on success.
async function check(name, fn) {
  if (finished) return false;
  try {
    await fn();
    if (finished) return false; // overall timeout fired meanwhile: summary already printed
    report(name, true);
    return true;
  } catch (e) {
    if (finished) return false;
    const msg = e instanceof CheckError ? e.message : `${e?.name || 'Error'}: ${firstLine(e?.message)}`;
    report(name, false, msg);
    return false;
  }
}

function firstLine(s) {
  return String(s ?? '').split('\n').find((l) => l.trim()) ?? '';
}

// ---------------------------------------------------------------- helpers
async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe === 'object').catch(() => false)) return;
  // The site sends `script-src 'self'`, so page.addScriptTag() (which inserts an
  // inline <script>) is blocked by CSP, and `bypassCSP: true` would make us test
  // a page no user ever gets. Evaluating the library through the DevTools
  // protocol is not governed by the page's CSP, so axe runs against the page
  // exactly as served. addScriptTag is only a fallback if evaluation fails.
  try {
    await page.evaluate(AXE_SOURCE);
  } catch {
    await page.addScriptTag({ path: AXE_PATH }).catch(() => {});
  }
  assert(await page.evaluate(() => typeof window.axe === 'object'), 'could not inject axe-core into the page');
}

function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    const targets = v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target.join(' '))).join(', ');
    const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
    lines.push(`${v.id} [${v.impact ?? 'n/a'}] ${v.help} -> ${targets}${more}`);
    const detail = v.nodes[0]?.failureSummary?.split('\n').map((l) => l.trim()).filter(Boolean).slice(1, 2)[0];
    if (detail) lines.push(`  first node: ${detail}`);
  }
  return lines.join('\n');
}

async function axeCheck(page) {
  await page.waitForLoadState('load');
  await injectAxe(page);
  const res = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  if (res.violations.length > 0) {
    throw new CheckError(
      `${res.violations.length} axe violation(s) on ${pathOf(page.url())}\n${formatViolations(res.violations)}`,
    );
  }
}

async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.getAttribute('lang'));
}

async function h1Text(page) {
  const h1 = page.locator('main h1').first();
  if ((await h1.count()) === 0) return null;
  return (await h1.innerText()).trim();
}

// Clicks something that submits a form / follows a link and waits for the
// resulting top-level navigation to finish. `expectPath` may be a string or a
// predicate on the pathname.
async function clickAndWait(page, locator, expectPath) {
  const pred =
    typeof expectPath === 'function' ? expectPath : expectPath ? (p) => p === expectPath : () => true;
  const before = page.url();
  const nav = page.waitForEvent('framenavigated', {
    predicate: (f) => f === page.mainFrame(),
    timeout: ACTION_TIMEOUT_MS,
  });
  await locator.click();
  await nav;
  await page.waitForLoadState('load');
  const p = pathOf(page.url());
  assert(pred(p), `after click expected path ${expectPath}, got ${p} (was ${pathOf(before)})`);
  return p;
}

async function gotoOk(page, path, expectedStatus = 200) {
  const resp = await page.goto(url(path), { waitUntil: 'load' });
  assert(resp, `no response for ${path}`);
  assert(
    resp.status() === expectedStatus,
    `GET ${path} returned HTTP ${resp.status()}, expected ${expectedStatus}`,
  );
  return resp;
}

// ---------------------------------------------------------------- main
let browser;
const timer = setTimeout(async () => {
  if (finished) return;
  finished = true;
  report('overall timeout', false, `test did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
  summary();
  try {
    await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 3000))]);
  } catch {
    /* ignore */
  }
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

async function newPage(b, locale = 'pl-PL') {
  const context = await b.newContext({ locale, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  watch(page);
  return page;
}

// Collects problems a real visitor's browser would hit: dropped connections
// (net::ERR_*), CSP violations and uncaught JS errors. HTTP error statuses
// (404, 422, ...) are expected on some pages and are asserted elsewhere.
const browserProblems = new Set();
function watch(page) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const where = msg.location()?.url ? ` (${pathOf(msg.location().url)})` : '';
    if (/net::ERR_(?!ABORTED)/.test(text) || /Content Security Policy/i.test(text)) {
      browserProblems.add(`${firstLine(text).slice(0, 200)}${where}`);
    }
  });
  page.on('pageerror', (err) => browserProblems.add(`uncaught JS error on ${pathOf(page.url())}: ${firstLine(err.message)}`));
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText || 'failed';
    if (why.includes('ERR_ABORTED')) return; // superseded by a navigation
    browserProblems.add(`request failed: ${req.method()} ${pathOf(req.url())}: ${why}`);
  });
}

async function main() {
  const reachable = await check(`server reachable at ${BASE_URL}`, async () => {
    const ctrl = new AbortController();
    const t = setTimeout(() => ctrl.abort(), 10_000);
    try {
      const r = await fetch(url('/'), { redirect: 'manual', signal: ctrl.signal });
      assert(r.status < 500, `GET / returned HTTP ${r.status}`);
    } catch (e) {
      if (e instanceof CheckError) throw e;
      throw new CheckError(`GET / failed: ${e.cause?.code || e.cause?.message || e.message}`);
    } finally {
      clearTimeout(t);
    }
  });
  if (!reachable) return;

  const launched = await check('launch headless Chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      timeout: 30_000,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  });
  if (!launched) return;

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

  await check('browser: no dropped connections, CSP violations or JS errors', async () => {
    if (browserProblems.size > 0) {
      throw new CheckError(`${browserProblems.size} problem(s) seen by the browser\n${[...browserProblems].join('\n')}`);
    }
  });
}

let crashed = null;
try {
  await main();
} catch (e) {
  crashed = e;
}
if (!finished) {
  if (crashed) report('test script', false, `${crashed?.name || 'Error'}: ${firstLine(crashed?.message)}`);
  finished = true;
  clearTimeout(timer);
  try {
    await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 5000))]);
  } catch {
    /* ignore */
  }
  const failed = summary();
  process.exit(failed === 0 && results.length > 0 ? 0 : 1);
}
