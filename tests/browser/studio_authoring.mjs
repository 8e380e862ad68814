#!/usr/bin/env node
// SZPoN browser test: a course authored from nothing in Studio, by keyboard, in headless Chromium
// with axe-core (WCAG 2.1 A/AA) on every page. The author creates the course, makes it public,
// gives it dates and an image (what Open edX's validator wants), adds a section, a graded
// subsection and a unit in the outline, writes an HTML component with the rich editor, a markdown
// multiple-choice problem and a markdown numerical problem, puts the numerical problem first with
// the move buttons, and publishes everything. A learner without an account takes the unit and is
// graded. The author downloads the export to EXPORT_PATH, which the Rust side validates with
// olxcleaner and imports again (lms/tests/it/browser.rs, `run_authoring_journey`).
//
// Usage: BASE_URL=http://127.0.0.1:PORT EMAIL=... PASSWORD=... EXPORT_PATH=/tmp/x.tar.gz \
//        node tests/browser/studio_authoring.mjs
// Prints `COURSE_ID=<id>` for the Rust side.
import { writeFileSync } from 'node:fs';
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
  CheckError,
  tabTo,
  pressAndWait,
  typeInto,
  enterAndWait,
} from './lib.mjs';

await init('studio_authoring.mjs');
const { EMAIL, PASSWORD, EXPORT_PATH } = requireEnv(['EMAIL', 'PASSWORD', 'EXPORT_PATH'], 'studio_authoring.mjs');
const KEY = 'course-v1:urzad-testowy+OD0+2026';

// The data-id of the outline node of `type` named `name`.
async function nodeId(page, type, name) {
  const id = await page.evaluate(
    ([t, n]) => {
      for (const li of document.querySelectorAll(`li.so-${t}`)) {
        const title = li.querySelector('.so-name');
        if (title && title.textContent.trim() === n) return li.getAttribute('data-id');
      }
      return null;
    },
    [type, name],
  );
  assert(id, `no ${type} named ${name}`);
  return id;
}

const componentNames = (page) => page.locator('#component-list > li .component-name').allInnerTexts();

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const author = await newPage(browser);
  let courseId = '';
  let unitPath = '';
  const course = () => `/studio/kursy/${courseId}`;

  await check('author: sign in, create a course from the Studio page by keyboard; axe', async () => {
    await gotoOk(author, '/logowanie');
    await author.locator('#email').fill(EMAIL);
    await author.locator('#password').fill(PASSWORD);
    await clickAndWait(author, author.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(author, '/studio');
    await axeCheck(author);
    await tabTo(author, 'main a[href="/studio/nowy-kurs"]');
    await pressAndWait(author);
    await axeCheck(author);
    await typeInto(author, author.locator('#title'), 'Kurs od zera');
    await typeInto(author, author.locator('#number'), 'OD0');
    await typeInto(author, author.locator('#run'), '2026');
    await tabTo(author, 'main form button[type=submit]');
    await pressAndWait(author);
    const p = pathOf(author.url());
    assert(/^\/studio\/kursy\/[^/]+$/.test(p), `after creating at ${p}`);
    courseId = p.split('/').pop();
    console.log(`COURSE_ID=${courseId}`);
    assert((await author.locator('main').innerText()).includes(KEY), 'the new key is not shown');
    // Open edX's validator wants dates and an image: the page says so.
    assert((await author.locator('main').innerText()).includes('Przed eksportem do Open edX'), 'no export hint');
    await axeCheck(author);
  });

  await check('settings: public; schedule: start and end; about: a course image; axe on each', async () => {
    await enterAndWait(author, author.locator(`main a[href="${course()}/ustawienia"]`).first());
    // A radio group is one Tab stop; the arrow keys choose.
    await tabTo(author, 'input[name=visibility]');
    for (let i = 0; i < 4 && !(await author.locator('#visibility-public').isChecked()); i++) {
      await author.keyboard.press('ArrowUp');
    }
    assert(await author.locator('#visibility-public').isChecked(), 'public not chosen');
    await axeCheck(author);
    await tabTo(author, 'main form button[type=submit]');
    await pressAndWait(author);
    await author.waitForSelector('.flash');
    await gotoOk(author, `${course()}/harmonogram`);
    await author.locator('#start').fill('2026-01-15T09:00');
    await author.locator('#end').fill('2027-06-30T18:00');
    await axeCheck(author);
    await tabTo(author, 'main form button[type=submit]');
    await pressAndWait(author);
    await author.waitForSelector('.flash');
    await gotoOk(author, `${course()}/opis`);
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAMCAEBNN+9eAAAAABJRU5ErkJggg==',
      'base64',
    );
    await author.locator('#course_image').setInputFiles({ name: 'okladka.png', mimeType: 'image/png', buffer: png });
    await tabTo(author, 'main form button[type=submit]');
    await pressAndWait(author);
    await author.waitForSelector('.flash');
    await axeCheck(author);
    await gotoOk(author, course());
    assert(!(await author.locator('main').innerText()).includes('Przed eksportem do Open edX'), 'the export hint stays');
  });

  let seqId = '';
  await check('outline: a section, a subsection and a unit added by keyboard; the subsection graded; axe', async () => {
    await enterAndWait(author, author.locator(`main a[href="${course()}/struktura"]`).first());
    await axeCheck(author);
    await tabTo(author, '#dodaj-course-course');
    await author.keyboard.type('Rozdział 1');
    await pressAndWait(author);
    const chapterId = await nodeId(author, 'chapter', 'Rozdział 1');
    await tabTo(author, `#dodaj-chapter-${chapterId}`);
    await author.keyboard.type('Zadania');
    await pressAndWait(author);
    seqId = await nodeId(author, 'sequential', 'Zadania');
    await tabTo(author, `#dodaj-sequential-${seqId}`);
    await author.keyboard.type('Lekcja 1');
    await pressAndWait(author);
    const unitId = await nodeId(author, 'vertical', 'Lekcja 1');
    unitPath = `${course()}/jednostka/${unitId}`;
    await axeCheck(author);
    // Graded as Homework.
    const settings = `${course()}/struktura/sequential/${seqId}/ustawienia`;
    await enterAndWait(author, author.locator(`a[href="${settings}"]`).first());
    await tabTo(author, '#graded');
    await author.keyboard.press('Space');
    await tabTo(author, '#format');
    for (let i = 0; i < 6 && (await author.locator('#format').inputValue()) !== 'Homework'; i++) {
      await author.keyboard.press('ArrowDown');
    }
    assert((await author.locator('#format').inputValue()) === 'Homework', 'Homework not chosen');
    await axeCheck(author);
    await tabTo(author, 'main form button[type=submit]');
    await pressAndWait(author);
    assert(pathOf(author.url()) === `${course()}/struktura`, `after the settings at ${pathOf(author.url())}`);
    assert((await author.locator('main').innerText()).includes('Homework'), 'the assignment type is not shown');
  });

  await check('unit: an HTML component written with the rich editor by keyboard; axe', async () => {
    await enterAndWait(author, author.locator(`a[href="${unitPath}"]`).first());
    assert(pathOf(author.url()) === unitPath, `at ${pathOf(author.url())}`);
    await axeCheck(author);
    await enterAndWait(author, author.locator('.add-components button[value="html"]').first());
    await axeCheck(author);
    await typeInto(author, author.locator('#display_name'), 'Wstęp');
    await tabTo(author, '#body-rich');
    await author.keyboard.type('Stolica Polski leży nad ');
    await author.keyboard.press('Control+b');
    await author.keyboard.type('Wisłą');
    await author.keyboard.press('Control+b');
    await author.keyboard.type('.');
    const source = await author.locator('#body').inputValue();
    assert(/<strong>Wisłą<\/strong>/.test(source), `source: ${source}`);
    await author.keyboard.press('Tab');
    await pressAndWait(author);
    assert(pathOf(author.url()) === unitPath, `after saving at ${pathOf(author.url())}`);
  });

  await check('unit: a markdown multiple-choice problem and a numerical problem; axe on the editor', async () => {
    for (const [name, md] of [
      ['Stolica', '>>Która stolica jest nad Wisłą?<<\n\n( ) Kraków i Poznań\n(x) Warszawa\n( ) Gdańsk\n'],
      ['Mnożenie', '>>Ile to 6 × 7?<<\n\n= 42 +- 0.5\n'],
    ]) {
      await enterAndWait(author, author.locator('.add-components button[value="problem"]').first());
      await axeCheck(author);
      await typeInto(author, author.locator('#display_name'), name);
      await typeInto(author, author.locator('#source'), md);
      await tabTo(author, '#problem-form button[type=submit]');
      await pressAndWait(author);
      assert(pathOf(author.url()) === unitPath, `after saving ${name} at ${pathOf(author.url())}`);
    }
    const names = await componentNames(author);
    assert(names.length === 3 && names[1].includes('Stolica') && names[2].includes('Mnożenie'), `components: ${JSON.stringify(names)}`);
  });

  await check('reorder by keyboard: the numerical problem goes up before the multiple choice; axe', async () => {
    const item = author.locator('#component-list > li').nth(2);
    const id = await item.getAttribute('data-id');
    await item.locator('button[data-move="gora"]').focus();
    await author.keyboard.press('Enter');
    await author.waitForFunction((t) => document.getElementById('move-status').textContent.includes(t), 'pozycję 2 z 3', {
      timeout: ACTION_TIMEOUT_MS,
    });
    await gotoOk(author, unitPath);
    const names = await componentNames(author);
    assert(names[1].includes('Mnożenie') && names[2].includes('Stolica'), `order: ${JSON.stringify(names)}`);
    assert((await author.locator('#component-list > li').nth(1).getAttribute('data-id')) === id, 'moved the wrong one');
    await axeCheck(author);
  });

  await check('publish everything from the changes page by keyboard; axe', async () => {
    await gotoOk(author, course());
    await enterAndWait(author, author.locator(`main a[href="${course()}/zmiany"]`).first());
    const text = await author.locator('main').innerText();
    assert(text.includes('+ Dodano: sekcja „Rozdział 1”'), 'the new section is not listed');
    await axeCheck(author);
    const all = author.locator('main form button', { hasText: 'Opublikuj wszystko' });
    await all.focus();
    await pressAndWait(author);
    const after = await author.locator('main').innerText();
    assert(after.includes('Opublikowano jako wersję'), 'no published message');
    assert(after.includes('Brak niepublikowanych zmian'), 'changes remain');
    await axeCheck(author);
  });

  await check('a learner without an account takes the unit and is graded; axe on each page', async () => {
    const learner = await newPage(browser);
    await gotoOk(learner, `/kursy/${KEY}`);
    await axeCheck(learner);
    await clickAndWait(learner, learner.getByRole('button', { name: 'Ucz się bez konta' }), (p) => p.startsWith(`/kursy/${KEY}/nauka`));
    const unitId = unitPath.split('/').pop();
    await gotoOk(learner, `/kursy/${KEY}/nauka/${unitId}`);
    const main = await learner.locator('main').innerText();
    assert(main.includes('Stolica Polski leży nad Wisłą.'), 'the HTML is missing');
    assert(main.indexOf('Ile to 6 × 7?') < main.indexOf('Która stolica'), 'the order is not the published one');
    await axeCheck(learner);
    // The multiple choice, right, by keyboard: the second choice, then "Sprawdź".
    const mc = learner.locator('section.problem', { hasText: 'Która stolica' });
    await mc.locator('input[type=radio]').nth(1).focus();
    await learner.keyboard.press('Space');
    await mc.locator('button[value="check"]').focus();
    await learner.keyboard.press('Enter');
    await learner.waitForFunction(
      () => [...document.querySelectorAll('section.problem')].some((s) => s.textContent.includes('Która stolica') && s.textContent.includes('Wynik: 1 z 1 pkt')),
      null,
      { timeout: ACTION_TIMEOUT_MS },
    );
    // The numerical, wrong.
    const num = learner.locator('section.problem', { hasText: 'Ile to 6' });
    await num.locator('input[type=text]').first().focus();
    await learner.keyboard.type('41');
    await num.locator('button[value="check"]').focus();
    await learner.keyboard.press('Enter');
    await learner.waitForFunction(
      () => [...document.querySelectorAll('section.problem')].some((s) => s.textContent.includes('Ile to 6') && s.textContent.includes('Wynik: 0 z 1 pkt')),
      null,
      { timeout: ACTION_TIMEOUT_MS },
    );
    await axeCheck(learner);
    await gotoOk(learner, `/kursy/${KEY}/postep`);
    const progress = await learner.locator('main').innerText();
    assert(progress.includes('Zadania') && progress.includes('1/2'), `progress: ${progress}`);
    await axeCheck(learner);
  });

  await check('the author downloads the export from the course page', async () => {
    await gotoOk(author, course());
    const link = author.locator(`main a[href="${course()}/eksport"]`);
    await link.focus();
    const [download] = await Promise.all([author.waitForEvent('download'), author.keyboard.press('Enter')]);
    await download.saveAs(EXPORT_PATH);
    const path = await download.path();
    assert(path, 'no file downloaded');
    writeFileSync(`${EXPORT_PATH}.done`, courseId);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 240_000 });
