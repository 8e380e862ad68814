#!/usr/bin/env node
// SZPoN browser test: axe-core (WCAG 2.1 A/AA) on every Studio page, in Polish and in English.
// The author opens each page a course has (the course page, settings, grading, schedule, about,
// files, team, outline, section and subsection settings, a delete confirmation, the unit page,
// an editor of every component type and their delete confirmations, the preview, the changes, the
// discard confirmation, the versions, a rollback confirmation, the import form) and the pages
// outside a course (/studio, the import, a new course). Every page must have one h1, the page's
// language on <html>, and zero axe violations.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_ID=<id of a course with a unit> EMAIL=... \
//        PASSWORD=... node tests/browser/studio_pages.mjs
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
  enterAndWait,
} from './lib.mjs';

await init('studio_pages.mjs');
const { COURSE_ID, EMAIL, PASSWORD } = requireEnv(['COURSE_ID', 'EMAIL', 'PASSWORD'], 'studio_pages.mjs');
const COURSE = `/studio/kursy/${COURSE_ID}`;

// One page: loads, one h1, the language, axe.
async function audit(page, path, lang) {
  await gotoOk(page, path);
  const h1 = await page.locator('h1').count();
  assert(h1 === 1, `${path}: ${h1} h1 elements`);
  const l = await page.evaluate(() => document.documentElement.lang);
  assert(l === lang, `${path}: lang=${l}, expected ${lang}`);
  await axeCheck(page);
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  // The course's author script reads document.cookie inside its sandboxed frame, which the
  // browser refuses: expected, and exactly what the sandbox is for.
  const page = await newPage(browser, 'pl-PL', {
    allowPageError: (message, path) => path.includes('/podglad/') && /sandboxed and lacks the 'allow-same-origin'/.test(message),
  });
  const pages = [
    '/studio',
    '/studio/import',
    '/studio/nowy-kurs',
    COURSE,
    `${COURSE}/ustawienia`,
    `${COURSE}/ocenianie`,
    `${COURSE}/harmonogram`,
    `${COURSE}/opis`,
    `${COURSE}/pliki`,
    `${COURSE}/zespol`,
    `${COURSE}/struktura`,
    `${COURSE}/import`,
  ];

  await check('sign in; the outline gives a section, a subsection and a unit', async () => {
    await gotoOk(page, '/logowanie');
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await clickAndWait(page, page.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(page, `${COURSE}/struktura`);
    const first = async (type) => page.locator(`li.so-${type}`).first().getAttribute('data-id');
    const [ch, sq, u] = [await first('chapter'), await first('sequential'), await first('vertical')];
    assert(ch && sq && u, 'the course has no unit');
    pages.push(
      `${COURSE}/struktura/chapter/${ch}/ustawienia`,
      `${COURSE}/struktura/sequential/${sq}/ustawienia`,
      `${COURSE}/struktura/vertical/${u}/usun`,
      `${COURSE}/jednostka/${u}`,
      `${COURSE}/podglad/${u}`,
    );
    // One component of every type, added from the unit page: their editors and confirmations.
    for (const typ of ['html', 'problem', 'problem_olx', 'video', 'poll', 'survey']) {
      await gotoOk(page, `${COURSE}/jednostka/${u}`);
      await enterAndWait(page, page.locator(`.add-components button[value="${typ}"]`));
      const editor = pathOf(page.url()) + new URL(page.url()).search;
      assert(editor.startsWith(`${COURSE}/komponent/`), `after adding ${typ} at ${editor}`);
      pages.push(editor, `${pathOf(page.url())}/usun`);
    }
    pages.push(`${COURSE}/zmiany`, `${COURSE}/zmiany/odrzuc`);
  });

  await check('publish everything, so that there is a version to roll back to', async () => {
    await gotoOk(page, `${COURSE}/zmiany`);
    await enterAndWait(page, page.locator('main form button', { hasText: 'Opublikuj wszystko' }));
    assert((await page.locator('main').innerText()).includes('Opublikowano jako wersję'), 'not published');
    pages.push(`${COURSE}/wersje`, `${COURSE}/wersje/1/przywroc`);
  });

  await check('axe: every Studio page in Polish', async () => {
    for (const p of pages) await audit(page, p, 'pl');
  });

  await check('axe: every Studio page in English', async () => {
    await gotoOk(page, '/studio');
    await clickAndWait(page, page.locator('form.lang-switch button[value="en"]'), () => true);
    for (const p of pages) await audit(page, p, 'en');
  });

  console.log(`# ${pages.length} pages × 2 languages`);
  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 300_000 });
