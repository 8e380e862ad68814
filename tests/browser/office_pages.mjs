#!/usr/bin/env node
// SZPoN browser test: axe-core (WCAG 2.1 A/AA) on every page of the virtual office, in Polish
// and in English. Rather than a hand-kept list that goes stale, the journey crawls: signed in as
// the office's administrator it follows every link under /biuro and /wizyty from the office
// index; as a citizen without an account it follows every link under /wizyty from the public
// booking page and from the booking's signed links (confirmation, reschedule, cancel, call room).
// Pages are told apart by path and query with dates left out, so a calendar's "next week" is one
// page, not an endless chain. Every HTML page must answer 200, have one h1 and the page's
// language on <html>, and zero axe violations; downloads (ICS, CSV, attachments) are skipped.
//
// Usage: BASE_URL=http://127.0.0.1:PORT OFFICE=<slug> PUBLIC_LINKS=<newline-separated paths> \
//        EMAIL=... PASSWORD=... node tests/browser/office_pages.mjs
import {
  init,
  requireEnv,
  run,
  check,
  assert,
  url,
  checkServerReachable,
  launchBrowser,
  newPage,
  checkNoBrowserProblems,
  axeCheck,
  gotoOk,
  clickAndWait,
} from './lib.mjs';

await init('office_pages.mjs');
const { OFFICE, PUBLIC_LINKS, EMAIL, PASSWORD } = requireEnv(
  ['OFFICE', 'PUBLIC_LINKS', 'EMAIL', 'PASSWORD'],
  'office_pages.mjs',
);
const MAX_PAGES = 150;

// The shape of a page: its path and query, with dates left out (a calendar's weeks are one page).
function shape(u) {
  const q = [...u.searchParams.entries()]
    .map(([k, v]) => (/^\d{4}-\d{2}-\d{2}/.test(v) ? `${k}=DATE` : `${k}=${v}`))
    .sort()
    .join('&');
  return `${u.pathname}?${q}`;
}

// Follows links from `starts` within `prefixes`; returns the HTML pages found (path + query).
async function crawl(page, starts, prefixes) {
  const seen = new Set();
  const found = [];
  const queue = [...starts];
  while (queue.length > 0 && found.length < MAX_PAGES) {
    const target = new URL(queue.shift(), url('/'));
    const key = shape(target);
    if (seen.has(key)) continue;
    seen.add(key);
    const path = target.pathname + target.search;
    // Downloads are not pages: ask first, without navigating.
    const head = await page.request.get(target.href, { maxRedirects: 0 });
    const type = head.headers()['content-type'] || '';
    if (head.status() >= 300 && head.status() < 400) continue;
    assert(head.status() === 200, `GET ${path} returned HTTP ${head.status()}`);
    if (!type.startsWith('text/html')) continue;
    await gotoOk(page, path);
    found.push(path);
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    for (const h of hrefs) {
      const u = new URL(h);
      if (u.origin !== new URL(url('/')).origin) continue;
      if (!prefixes.some((p) => u.pathname.startsWith(p))) continue;
      if (!seen.has(shape(u))) queue.push(u.pathname + u.search);
    }
  }
  return found;
}

// One page: loads, one h1, the language, axe.
async function audit(page, path, lang) {
  await gotoOk(page, path);
  const h1 = await page.locator('h1').count();
  assert(h1 === 1, `${path}: ${h1} h1 elements`);
  const l = await page.evaluate(() => document.documentElement.lang);
  assert(l === lang, `${path}: lang=${l}, expected ${lang}`);
  await axeCheck(page);
}

async function switchToEnglish(page, path) {
  await gotoOk(page, path);
  await clickAndWait(page, page.locator('form.lang-switch button[value="en"]'), () => true);
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const official = await newPage(browser, 'pl-PL');
  const citizen = await newPage(browser, 'pl-PL');
  let staffPages = [];
  let publicPages = [];

  await check('sign in and crawl the office: every area has its pages', async () => {
    await gotoOk(official, '/logowanie');
    await official.locator('#email').fill(EMAIL);
    await official.locator('#password').fill(PASSWORD);
    await clickAndWait(official, official.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    staffPages = await crawl(official, ['/biuro', `/biuro/${OFFICE}`], ['/biuro', '/wizyty']);
    const base = `/biuro/${OFFICE}`;
    for (const area of ['/zadania', '/kalendarz', '/wizyty', '/sprawy', '/dostepnosc']) {
      const n = staffPages.filter((p) => p.startsWith(base + area)).length;
      assert(n >= 2, `only ${n} pages under ${base}${area}: ${staffPages.join(' ')}`);
    }
    for (const p of ['/statystyki', '/zadania?widok=dzial', '/kalendarz?widok=miesiac']) {
      assert(staffPages.some((s) => s.startsWith(base + p)), `${base}${p} was not reached`);
    }
    assert(staffPages.some((s) => /\/zadania\/[0-9a-f-]{36}$/.test(s)), 'no task page was reached');
    for (const p of ['/biuro/notatki', '/biuro/powiadomienia', '/biuro/kalendarz/subskrypcja']) {
      assert(staffPages.some((s) => s.startsWith(p)), `${p} was not reached`);
    }
    console.log(`# office pages: ${staffPages.length}\n#   ${staffPages.join('\n#   ')}`);
  });

  await check('crawl the public booking pages and the signed links as a citizen', async () => {
    const links = PUBLIC_LINKS.split('\n').filter((l) => l);
    assert(links.length === 4, `expected 4 signed links, got ${links.length}`);
    publicPages = await crawl(citizen, [`/wizyty/${OFFICE}`, ...links], ['/wizyty']);
    for (const l of links) assert(publicPages.includes(l), `${l} is not a page`);
    assert(publicPages.length >= 6, `only ${publicPages.length} public pages`);
    console.log(`# public pages: ${publicPages.length}\n#   ${publicPages.join('\n#   ')}`);
  });

  await check('axe: every office page in Polish', async () => {
    for (const p of staffPages) await audit(official, p, 'pl');
  });
  await check('axe: every public booking page in Polish', async () => {
    for (const p of publicPages) await audit(citizen, p, 'pl');
  });
  await check('axe: every office page in English', async () => {
    await switchToEnglish(official, `/biuro/${OFFICE}`);
    for (const p of staffPages) await audit(official, p, 'en');
  });
  await check('axe: every public booking page in English', async () => {
    await switchToEnglish(citizen, `/wizyty/${OFFICE}`);
    for (const p of publicPages) await audit(citizen, p, 'en');
  });

  console.log(`# ${staffPages.length + publicPages.length} pages × 2 languages`);
  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 600_000 });
