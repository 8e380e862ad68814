// Shared harness for the SZPoN browser tests (accounts.mjs, import.mjs): environment,
// headless Chromium launch, TAP-like reporting (`ok - NAME` / `not ok - NAME: reason`,
// closing `N passed, N failed`), axe-core injection and checks, the overall timeout and
// the collector of problems the browser itself reports (dropped connections, CSP
// violations, uncaught JS errors, ...).
//
// Typical use:
//   import * as t from './lib.mjs';
//   t.init('accounts.mjs');                  // BASE_URL check (exit 2), loads playwright + axe
//   await t.run(async () => {                // overall timeout, summary, exit code
//     if (!(await t.checkServerReachable())) return;
//     const browser = await t.launchBrowser(); if (!browser) return;
//     const page = await t.newPage(browser);
//     await t.check('axe: home /', async () => { await t.gotoOk(page, '/'); await t.axeCheck(page); });
//     await t.checkNoBrowserProblems();
//   });

import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ACTION_TIMEOUT_MS = 15_000;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export let BASE_URL = '';
let chromium;
let AXE_PATH;
let AXE_SOURCE;

// Reads BASE_URL (exits 2 when missing) and loads playwright-core and axe-core
// (exits 1 when missing). `script` is the file name shown in the usage message.
export async function init(script) {
  const raw = process.env.BASE_URL;
  if (!raw) {
    console.error(`BASE_URL is required, e.g. BASE_URL=http://127.0.0.1:18080 node tests/browser/${script}`);
    process.exit(2);
  }
  BASE_URL = raw.replace(/\/+$/, '');

  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    console.error(`cannot load playwright-core (run \`npm ci\` in ${here}): ${e.message}`);
    process.exit(1);
  }

  try {
    AXE_PATH = join(dirname(require.resolve('axe-core/package.json')), 'axe.min.js');
  } catch {
    AXE_PATH = join(here, 'node_modules', 'axe-core', 'axe.min.js');
  }
  if (!existsSync(AXE_PATH)) {
    console.error(`axe-core not found at ${AXE_PATH} (run \`npm ci\` in ${here})`);
    process.exit(1);
  }
  AXE_SOURCE = readFileSync(AXE_PATH, 'utf8');
  return BASE_URL;
}

// Environment variables a script cannot run without; exits 2 naming the missing ones.
export function requireEnv(names, script) {
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length > 0) {
    console.error(`${missing.join(', ')} required for tests/browser/${script} (see tests/browser/README.md)`);
    process.exit(2);
  }
  return Object.fromEntries(names.map((n) => [n, process.env[n]]));
}

export const url = (path) => `${BASE_URL}${path}`;
export const pathOf = (u) => new URL(u).pathname;

// ---------------------------------------------------------------- reporting
const results = [];
let finished = false;
let browser;

export function report(name, ok, reason) {
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

export function summary() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

export class CheckError extends Error {}
export function assert(cond, message) {
  if (!cond) throw new CheckError(message);
}

// Runs one check; never throws. Returns true on success.
export async function check(name, fn) {
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

export function firstLine(s) {
  return String(s ?? '').split('\n').find((l) => l.trim()) ?? '';
}

// Runs `main` under the overall timeout (TEST_TIMEOUT_MS, else `defaultTimeoutMs`),
// then closes the browser, prints the summary and exits: 0 only if at least one
// check ran and none failed.
export async function run(main, { defaultTimeoutMs = 90_000 } = {}) {
  const overallTimeoutMs = Number(process.env.TEST_TIMEOUT_MS || defaultTimeoutMs);
  const timer = setTimeout(async () => {
    if (finished) return;
    finished = true;
    report('overall timeout', false, `test did not finish within ${overallTimeoutMs / 1000} s`);
    summary();
    try {
      await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 3000))]);
    } catch {
      /* ignore */
    }
    process.exit(1);
  }, overallTimeoutMs);

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
}

// ---------------------------------------------------------------- browser
// Check "server reachable at BASE_URL": GET / answers below 500 within 10 s.
export function checkServerReachable() {
  return check(`server reachable at ${BASE_URL}`, async () => {
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
}

// Check "launch headless Chromium"; returns the browser, or null when it failed.
export async function launchBrowser() {
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
  return launched ? browser : null;
}

// A page in a fresh context (own cookies) whose problems go to the collector below.
// `watchOptions`: see watch().
export async function newPage(b, locale = 'pl-PL', watchOptions = {}) {
  const context = await b.newContext({ locale, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  watch(page, watchOptions);
  return page;
}

function safePath(u) {
  try {
    return pathOf(u);
  } catch {
    return String(u);
  }
}

// Collects problems a real visitor's browser would hit: dropped connections
// (net::ERR_*), CSP violations and uncaught JS errors. By default HTTP error
// statuses (404, 422, ...) are expected on some pages and are asserted elsewhere.
// Options (for stricter scripts):
//   allConsoleErrors: true  - every console error counts, not only net::ERR_* / CSP;
//   allowConsole(text, path) - returns true for an expected console error;
//   allowPageError(message, path) - returns true for an expected uncaught error (author
//                              scripts in a sandboxed frame that are refused on purpose);
//   allowHttp(response)      - when given, every response with status >= 400 counts
//                              unless this returns true.
export const browserProblems = new Set();
export function watch(page, { allConsoleErrors = false, allowConsole = () => false, allowHttp = null, allowPageError = () => false } = {}) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const locUrl = msg.location()?.url;
    const where = locUrl ? ` (${safePath(locUrl)})` : '';
    if (allConsoleErrors) {
      if (allowConsole(text, locUrl ? safePath(locUrl) : '')) return;
      if (/net::ERR_ABORTED/.test(text)) return; // superseded by a navigation
      browserProblems.add(`console error: ${firstLine(text).slice(0, 200)}${where}`);
      return;
    }
    if (/net::ERR_(?!ABORTED)/.test(text) || /Content Security Policy/i.test(text)) {
      browserProblems.add(`${firstLine(text).slice(0, 200)}${where}`);
    }
  });
  page.on('pageerror', (err) => {
    if (allowPageError(err.message, pathOf(page.url()))) return;
    browserProblems.add(`uncaught JS error on ${pathOf(page.url())}: ${firstLine(err.message)}`);
  });
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText || 'failed';
    if (why.includes('ERR_ABORTED')) return; // superseded by a navigation
    browserProblems.add(`request failed: ${req.method()} ${pathOf(req.url())}: ${why}`);
  });
  if (allowHttp) {
    page.on('response', (resp) => {
      if (resp.status() < 400 || allowHttp(resp)) return;
      const req = resp.request();
      browserProblems.add(`unexpected HTTP ${resp.status()}: ${req.method()} ${safePath(resp.url())}`);
    });
  }
}

// Check that the collector stayed empty.
export function checkNoBrowserProblems(name = 'browser: no dropped connections, CSP violations or JS errors') {
  return check(name, async () => {
    if (browserProblems.size > 0) {
      throw new CheckError(`${browserProblems.size} problem(s) seen by the browser\n${[...browserProblems].join('\n')}`);
    }
  });
}

// ---------------------------------------------------------------- axe
export async function injectAxe(page) {
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

export function formatViolations(violations) {
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

// Throws a CheckError listing every violation of AXE_TAGS on the current page.
export async function axeCheck(page) {
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

// ---------------------------------------------------------------- page helpers
export async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.getAttribute('lang'));
}

export async function h1Text(page) {
  const h1 = page.locator('main h1').first();
  if ((await h1.count()) === 0) return null;
  return (await h1.innerText()).trim();
}

// Clicks something that submits a form / follows a link and waits for the
// resulting top-level navigation to finish. `expectPath` may be a string or a
// predicate on the pathname.
export async function clickAndWait(page, locator, expectPath) {
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

export async function gotoOk(page, path, expectedStatus = 200) {
  const resp = await page.goto(url(path), { waitUntil: 'load' });
  assert(resp, `no response for ${path}`);
  assert(
    resp.status() === expectedStatus,
    `GET ${path} returned HTTP ${resp.status()}, expected ${expectedStatus}`,
  );
  return resp;
}

// ---------------------------------------------------------------- keyboard helpers

// Presses `key` on the focused element and waits for the page that follows.
export async function pressAndWait(page, key = 'Enter') {
  const nav = page.waitForEvent('framenavigated', {
    predicate: (f) => f === page.mainFrame(),
    timeout: ACTION_TIMEOUT_MS,
  });
  await page.keyboard.press(key);
  await nav;
  await page.waitForLoadState('load');
}

// Focuses `locator`, presses Enter and waits for the page that follows.
export async function enterAndWait(page, locator) {
  await locator.focus();
  await pressAndWait(page, 'Enter');
}

// Replaces the text of a field as a person would (select all, delete, type).
export async function typeInto(page, locator, text) {
  await locator.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

// Presses Tab (or Shift+Tab) until the focused element matches `selector`.
export async function tabTo(page, selector, { back = false, max = 300 } = {}) {
  for (let i = 0; i < max; i++) {
    const there = await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector);
    if (there) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new CheckError(`${selector} not reached with ${back ? 'Shift+Tab' : 'Tab'}`);
}
