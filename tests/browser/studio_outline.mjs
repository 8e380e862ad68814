#!/usr/bin/env node
// SZPoN browser test: the Studio outline editor in headless Chromium with axe-core (WCAG 2.1
// A/AA) on every page, used by keyboard only (Tab, Shift+Tab, Enter, Space, typing): an author
// reaches the outline of an empty course from the course page, adds a section, a subsection and
// two units, renames one, reorders the units with the move buttons (focus stays on the button,
// the status region announces the new place), sets the subsection's grading and due date (after
// a refused form), deletes a unit through the confirmation page; then one drag and drop with
// the mouse. Pages checked with axe: course page, outline (after each kind of change),
// settings, its 422 form, the confirmation page and a 404 page.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_ID=<id of an empty course> EMAIL=... PASSWORD=... \
//        node tests/browser/studio_outline.mjs
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
} from './lib.mjs';

await init('studio_outline.mjs');
const { COURSE_ID, EMAIL, PASSWORD } = requireEnv(['COURSE_ID', 'EMAIL', 'PASSWORD'], 'studio_outline.mjs');
const OUTLINE = `/studio/kursy/${COURSE_ID}/struktura`;

async function statusSays(page, text) {
  await page
    .waitForFunction((t) => (document.getElementById('outline-status')?.textContent || '').includes(t), text, {
      timeout: ACTION_TIMEOUT_MS,
    })
    .catch(async () => {
      const now = await page.evaluate(() => document.getElementById('outline-status')?.textContent || '');
      throw new CheckError(`status region does not say ${JSON.stringify(text)}; it says ${JSON.stringify(now.trim())}`);
    });
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id || '');

// The data-id of the outline node of `type` whose name is `name`.
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

// Names of the units in outline order.
const unitNames = (page) =>
  page.evaluate(() => [...document.querySelectorAll('li.so-vertical .so-name')].map((e) => e.textContent.trim()));

// Types `text` into the add form reached by Tab and submits it with Enter.
async function addByKeyboard(page, inputSelector, text, expectStatus) {
  await tabTo(page, inputSelector);
  await page.keyboard.type(text);
  await pressAndWait(page, 'Enter');
  assert(pathOf(page.url()) === OUTLINE, `after adding at ${pathOf(page.url())}`);
  await statusSays(page, expectStatus);
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const page = await newPage(browser);
  let chapterId, seqId, firstId, secondId;

  await check('author: sign in; the course page leads to the outline by keyboard; axe on both', async () => {
    await gotoOk(page, '/logowanie');
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await clickAndWait(page, page.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(page, `/studio/kursy/${COURSE_ID}`);
    await axeCheck(page);
    await tabTo(page, `main a[href="${OUTLINE}"]`);
    await pressAndWait(page, 'Enter');
    assert(pathOf(page.url()) === OUTLINE, `at ${pathOf(page.url())}`);
    const h1 = await page.locator('main h1').innerText();
    assert(h1.startsWith('Struktura kursu'), `heading ${JSON.stringify(h1)}`);
    assert((await page.locator('main').innerText()).includes('Kurs nie ma jeszcze rozdziałów'), 'empty course not said');
    await axeCheck(page);
  });

  await check('add a section, a subsection and two units with the keyboard; focus on the new node; axe', async () => {
    await addByKeyboard(page, '#dodaj-course-course', 'Wprowadzenie', 'Dodano rozdział „Wprowadzenie”.');
    chapterId = await nodeId(page, 'chapter', 'Wprowadzenie');
    assert((await activeId(page)) === `blok-chapter-${chapterId}`, `focus on ${await activeId(page)}`);
    assert((await page.locator('main').innerText()).includes('Nowy, nieopublikowany'), 'no unpublished mark');
    await axeCheck(page);
    await addByKeyboard(page, `#dodaj-chapter-${chapterId}`, 'Podstawy', 'Dodano podrozdział „Podstawy”.');
    seqId = await nodeId(page, 'sequential', 'Podstawy');
    await addByKeyboard(page, `#dodaj-sequential-${seqId}`, 'Lekcja pierwsza', 'Dodano jednostkę „Lekcja pierwsza”.');
    await addByKeyboard(page, `#dodaj-sequential-${seqId}`, 'Lekcja druga', 'Dodano jednostkę „Lekcja druga”.');
    firstId = await nodeId(page, 'vertical', 'Lekcja pierwsza');
    secondId = await nodeId(page, 'vertical', 'Lekcja druga');
    assert((await activeId(page)) === `blok-vertical-${secondId}`, `focus on ${await activeId(page)}`);
    const link = await page.locator(`#blok-vertical-${firstId} a`).getAttribute('href');
    assert(link === `/studio/kursy/${COURSE_ID}/jednostka/${firstId}`, `unit link ${link}`);
    await axeCheck(page);
  });

  await check('rename a unit: the disclosure opens with Enter, the name is saved; axe', async () => {
    await tabTo(page, `#wezel-vertical-${firstId} details summary`, { back: true });
    await page.keyboard.press('Enter');
    await tabTo(page, `#nazwa-vertical-${firstId}`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Lekcja 1: wstęp');
    await pressAndWait(page, 'Enter');
    await statusSays(page, 'Zmieniono nazwę na „Lekcja 1: wstęp”.');
    assert((await unitNames(page)).join('|') === 'Lekcja 1: wstęp|Lekcja druga', `units ${await unitNames(page)}`);
    await axeCheck(page);
  });

  await check('reorder units with the move buttons (Enter, Space): focus stays, the position is announced; axe', async () => {
    const up = `#gora-vertical-${secondId}`;
    await tabTo(page, up);
    const name = await page.evaluate((s) => document.querySelector(s).textContent.replace(/\s+/g, ' ').trim(), up);
    assert(name === 'Przesuń w górę „Lekcja druga”', `button name ${JSON.stringify(name)}`);
    await page.keyboard.press('Enter');
    await statusSays(page, '„Lekcja druga” jest teraz 1. z 2 w „Podstawy”.');
    assert((await activeId(page)) === up.slice(1), `focus on ${await activeId(page)} after the move`);
    assert((await unitNames(page)).join('|') === 'Lekcja druga|Lekcja 1: wstęp', `units ${await unitNames(page)}`);
    // Again: nowhere higher to go, said so; focus still there.
    await page.keyboard.press('Space');
    await statusSays(page, '„Lekcja druga” jest już na samej górze');
    assert((await activeId(page)) === up.slice(1), `focus on ${await activeId(page)} at the edge`);
    // Down and up again, from the same place by keyboard.
    await tabTo(page, `#dol-vertical-${secondId}`);
    await page.keyboard.press('Space');
    await statusSays(page, '„Lekcja druga” jest teraz 2. z 2 w „Podstawy”.');
    assert((await activeId(page)) === `dol-vertical-${secondId}`, `focus on ${await activeId(page)}`);
    await tabTo(page, up, { back: true });
    await page.keyboard.press('Enter');
    await statusSays(page, '„Lekcja druga” jest teraz 1. z 2 w „Podstawy”.');
    assert((await unitNames(page)).join('|') === 'Lekcja druga|Lekcja 1: wstęp', `units ${await unitNames(page)}`);
    await axeCheck(page);
  });

  await check('subsection settings: a refused form (422, error summary), then graded, type and due date; axe', async () => {
    const settings = `${OUTLINE}/sequential/${seqId}/ustawienia`;
    await tabTo(page, `a[href="${settings}"]`, { back: true });
    await pressAndWait(page, 'Enter');
    assert(pathOf(page.url()) === settings, `at ${pathOf(page.url())}`);
    await axeCheck(page);
    // "Graded" without an assignment type is refused.
    await tabTo(page, '#graded');
    await page.keyboard.press('Space');
    await tabTo(page, 'main form button[type=submit]');
    await pressAndWait(page, 'Enter');
    await page.waitForSelector('.error-summary');
    const summary = await page.locator('.error-summary').innerText();
    assert(summary.includes('Wybierz rodzaj zadania'), `summary: ${summary}`);
    assert((await page.title()).startsWith('Błąd:'), `title ${await page.title()}`);
    await axeCheck(page);
    // The summary's link leads to the field; the type chosen with the arrow keys.
    await tabTo(page, '.error-summary a[href="#format"]', { back: true });
    await page.keyboard.press('Enter');
    await tabTo(page, '#format');
    for (let i = 0; i < 6 && (await page.locator('#format').inputValue()) !== 'Homework'; i++) {
      await page.keyboard.press('ArrowDown');
    }
    assert((await page.locator('#format').inputValue()) === 'Homework', 'Homework not chosen');
    assert(await page.locator('#graded').isChecked(), 'graded unticked');
    await tabTo(page, '#due');
    await page.locator('#due').fill('2026-12-12T23:59');
    await tabTo(page, 'main form button[type=submit]');
    await pressAndWait(page, 'Enter');
    assert(pathOf(page.url()) === OUTLINE, `after saving at ${pathOf(page.url())}`);
    await statusSays(page, 'Zapisano ustawienia „Podstawy”.');
    const facts = await page.locator(`#wezel-sequential-${seqId} .so-meta`).first().innerText();
    assert(facts.includes('Oceniany: Homework') && facts.includes('termin 12.12.2026 23:59'), `facts: ${facts}`);
    assert((await activeId(page)) === `blok-sequential-${seqId}`, `focus on ${await activeId(page)}`);
    await axeCheck(page);
  });

  await check('delete a unit through the confirmation page; axe on it and on a 404 page', async () => {
    const confirm = `${OUTLINE}/vertical/${firstId}/usun`;
    await tabTo(page, `a[href="${confirm}"]`);
    await pressAndWait(page, 'Enter');
    assert(pathOf(page.url()) === confirm, `at ${pathOf(page.url())}`);
    const text = await page.locator('main').innerText();
    assert(text.includes('Usunąć jednostkę?') && text.includes('„Lekcja 1: wstęp”'), `page: ${text.slice(0, 200)}`);
    await axeCheck(page);
    await tabTo(page, 'main form button[type=submit]');
    await pressAndWait(page, 'Enter');
    await statusSays(page, 'Usunięto jednostkę z wersji roboczej.');
    assert((await unitNames(page)).join('|') === 'Lekcja druga', `units ${await unitNames(page)}`);
    await axeCheck(page);
    await gotoOk(page, confirm, 404);
    await axeCheck(page);
    await gotoOk(page, OUTLINE);
  });

  await check('drag and drop with the mouse: a unit dropped above another; the move is announced; axe', async () => {
    await addByKeyboard(page, `#dodaj-sequential-${seqId}`, 'Lekcja trzecia', 'Dodano jednostkę „Lekcja trzecia”.');
    const thirdId = await nodeId(page, 'vertical', 'Lekcja trzecia');
    assert((await unitNames(page)).join('|') === 'Lekcja druga|Lekcja trzecia', `units ${await unitNames(page)}`);
    const handle = page.locator(`#wezel-vertical-${thirdId} .so-handle`);
    assert((await handle.getAttribute('aria-hidden')) === 'true', 'the handle is not hidden from assistive technology');
    await handle.dragTo(page.locator(`#wezel-vertical-${secondId} > .so-head`), { targetPosition: { x: 40, y: 4 } });
    await statusSays(page, '„Lekcja trzecia” jest teraz 1. z 2 w „Podstawy”.');
    assert((await unitNames(page)).join('|') === 'Lekcja trzecia|Lekcja druga', `units ${await unitNames(page)}`);
    await axeCheck(page);
    // The stored order, seen after a reload.
    await gotoOk(page, OUTLINE);
    assert((await unitNames(page)).join('|') === 'Lekcja trzecia|Lekcja druga', 'order not stored');
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 120_000 });
