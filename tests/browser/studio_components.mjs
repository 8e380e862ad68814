#!/usr/bin/env node
// SZPoN browser test: components inside a Studio unit, in headless Chromium with axe-core
// (WCAG 2.1 A/AA) on every page, used by keyboard only. An author adds an HTML component and
// writes it with the rich editor (bold and a bulleted list, by shortcuts), adds a markdown
// multiple-choice problem (after a refused one: 422 with the converter's message) and a
// numerical problem, opens every other editor (OLX problem, video, poll, survey) and the
// delete confirmation, moves the HTML component to the top with the keyboard (focus stays on
// the button, the live region says where it went), and checks the learner preview.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_ID=<id> EMAIL=autor@... PASSWORD=... \
//        node tests/browser/studio_components.mjs
// The course is the tests' learning course (unit u2 "Zadania" with two problems).
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

await init('studio_components.mjs');
const { COURSE_ID, EMAIL, PASSWORD } = requireEnv(['COURSE_ID', 'EMAIL', 'PASSWORD'], 'studio_components.mjs');
const UNIT = `/studio/kursy/${COURSE_ID}/jednostka/u2`;
const PREVIEW = `/studio/kursy/${COURSE_ID}/podglad/u2`;
const EDITOR_PREFIX = `/studio/kursy/${COURSE_ID}/komponent/`;

// Adds a component of `typ` from the unit page; returns the editor's path.
async function addComponent(page, typ) {
  await gotoOk(page, UNIT);
  await enterAndWait(page, page.locator(`.add-components button[value="${typ}"]`));
  const p = pathOf(page.url());
  assert(p.startsWith(EDITOR_PREFIX), `after adding ${typ} at ${p}`);
  return p;
}

const activeId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  // The HTTP errors expected: the refused problems (422) on their editor pages.
  let expect422 = false;
  const page = await newPage(browser, 'pl-PL', {
    allConsoleErrors: true,
    allowConsole: (text, path) => expect422 && path.startsWith(EDITOR_PREFIX) && /status of 422\b/.test(text),
    allowHttp: (resp) => expect422 && resp.status() === 422 && pathOf(resp.url()).startsWith(EDITOR_PREFIX),
  });
  const names = () => page.locator('#component-list > li .component-name').allInnerTexts();
  let htmlEditor = '';

  await check('sign in; the unit page lists its components with their actions; axe', async () => {
    await gotoOk(page, '/logowanie');
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await clickAndWait(page, page.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(page, UNIT);
    const list = await names();
    assert(list.length === 2 && list[0].includes('Stolica') && list[1].includes('Liczba'), `components: ${JSON.stringify(list)}`);
    assert((await page.locator(`form[action="/studio/kursy/${COURSE_ID}/publikuj"] button`).count()) === 1, 'no publish button');
    assert((await page.locator(`a[href="${PREVIEW}"]`).count()) === 1, 'no preview link');
    await axeCheck(page);
  });

  await check('add an HTML component and write it with the rich editor by keyboard (bold, list); axe', async () => {
    htmlEditor = await addComponent(page, 'html');
    assert(await page.locator('#body-rich').isVisible(), 'the rich editor is not on');
    assert(!(await page.locator('#body').isVisible()), 'the source textarea still shows');
    await axeCheck(page);
    await typeInto(page, page.locator('#display_name'), 'Wprowadzenie');
    // Tab reaches the toolbar (one stop), arrows move inside it, Tab again the text region.
    await page.keyboard.press('Tab');
    assert((await page.evaluate(() => document.activeElement.getAttribute('data-cmd'))) === 'h2', 'Tab did not reach the toolbar');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    assert((await page.evaluate(() => document.activeElement.getAttribute('data-cmd'))) === 'bold', 'arrows do not move in the toolbar');
    await page.keyboard.press('Tab');
    assert((await activeId(page)) === 'body-rich', `focus on ${await activeId(page)}, not the text`);
    await page.keyboard.type('Najważniejsze: ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('termin');
    await page.waitForFunction(() => document.querySelector('[data-cmd="bold"]').getAttribute('aria-pressed') === 'true', null, { timeout: ACTION_TIMEOUT_MS });
    await page.keyboard.press('Control+b');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Shift+Digit8');
    await page.keyboard.type('punkt pierwszy');
    await page.keyboard.press('Enter');
    await page.keyboard.type('punkt drugi');
    await page.waitForFunction(() => document.querySelector('[data-cmd="ul"]').getAttribute('aria-pressed') === 'true', null, { timeout: ACTION_TIMEOUT_MS });
    const source = await page.locator('#body').inputValue();
    assert(/<strong>termin<\/strong>/.test(source), `source: ${source}`);
    assert(/<ul><li>punkt pierwszy<\/li><li>punkt drugi<\/li><\/ul>/.test(source), `source: ${source}`);
    // Tab leaves the text for the save button.
    await page.keyboard.press('Tab');
    const nav = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: ACTION_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    await nav;
    await page.waitForLoadState('load');
    assert(pathOf(page.url()) === UNIT, `after saving at ${pathOf(page.url())}`);
    assert((await page.locator('.flash').innerText()).includes('Zapisano komponent'), 'no flash');
    const list = await names();
    assert(list[2].includes('Wprowadzenie'), `components: ${JSON.stringify(list)}`);
  });

  await check('a markdown problem with a blank option is refused: 422 with the message; axe', async () => {
    const editor = await addComponent(page, 'problem');
    assert((await page.locator('input[name=tryb]').inputValue()) === 'markdown', 'not the markdown editor');
    assert((await page.locator('.syntax-help').innerText()).includes('(x) Warszawa'), 'no syntax help');
    await axeCheck(page);
    await typeInto(page, page.locator('#display_name'), 'Stolica Polski');
    await typeInto(page, page.locator('#source'), '>>Jaka jest stolica Polski?<<\n\n( ) \n(x) Warszawa\n');
    expect422 = true;
    await enterAndWait(page, page.locator('#problem-form button[type=submit]'));
    await page.waitForSelector('.error-summary', { timeout: ACTION_TIMEOUT_MS });
    const summary = await page.locator('.error-summary').innerText();
    assert(summary.includes('left blank'), `summary: ${JSON.stringify(summary)}`);
    assert((await page.locator('#source').getAttribute('aria-invalid')) === 'true', 'the field is not marked invalid');
    assert(pathOf(page.url()) === editor, `at ${pathOf(page.url())}`);
    await axeCheck(page);
    expect422 = false;
    await typeInto(page, page.locator('#source'), '>>Jaka jest stolica Polski?<<\n\n( ) Kraków\n(x) Warszawa\n');
    await enterAndWait(page, page.locator('#problem-form button[type=submit]'));
    assert(pathOf(page.url()) === UNIT, `after saving at ${pathOf(page.url())}`);
  });

  await check('add a numerical markdown problem by keyboard', async () => {
    await addComponent(page, 'problem');
    await typeInto(page, page.locator('#display_name'), 'Rachunek');
    await typeInto(page, page.locator('#source'), '>>Ile to 2+2?<<\n\n= 4\n');
    await enterAndWait(page, page.locator('#problem-form button[type=submit]'));
    assert(pathOf(page.url()) === UNIT, `after saving at ${pathOf(page.url())}`);
    const list = await names();
    assert(list.length === 5 && list[4].includes('Rachunek'), `components: ${JSON.stringify(list)}`);
  });

  await check('the advanced OLX editor refuses broken OLX (422) and saves valid OLX; axe on both', async () => {
    await addComponent(page, 'problem_olx');
    assert((await page.locator('input[name=tryb]').inputValue()) === 'olx', 'not the OLX editor');
    await axeCheck(page);
    await typeInto(page, page.locator('#display_name'), 'Rzeka');
    await typeInto(page, page.locator('#source'), '<problem><stringresponse answer="Wisła"><textline/></problem>');
    expect422 = true;
    await enterAndWait(page, page.locator('#problem-form button[type=submit]'));
    await page.waitForSelector('.error-summary', { timeout: ACTION_TIMEOUT_MS });
    assert((await page.locator('.error-summary').innerText()).includes('OLX jest niepoprawny'), 'no OLX error');
    await axeCheck(page);
    expect422 = false;
    await typeInto(page, page.locator('#source'), '<problem><stringresponse answer="Wisła"><label>Najdłuższa rzeka?</label><textline/></stringresponse></problem>');
    await enterAndWait(page, page.locator('#problem-form button[type=submit]'));
    assert(pathOf(page.url()) === UNIT, `after saving at ${pathOf(page.url())}`);
  });

  await check('video, poll and survey editors save by keyboard; axe on each', async () => {
    for (const [typ, form] of [['video', '#video-form'], ['poll', '#poll-form'], ['survey', '#poll-form']]) {
      await addComponent(page, typ);
      await axeCheck(page);
      await enterAndWait(page, page.locator(`${form} button[type=submit]`));
      assert(pathOf(page.url()) === UNIT, `after saving the ${typ} at ${pathOf(page.url())}`);
    }
    const list = await names();
    assert(list.length === 9, `components: ${JSON.stringify(list)}`);
  });

  await check('delete a component through its confirmation page; axe', async () => {
    const last = page.locator('#component-list > li').last();
    await enterAndWait(page, last.locator('a', { hasText: 'Usuń' }));
    assert((await page.locator('h1').innerText()).includes('Usunąć komponent'), 'no confirmation page');
    await axeCheck(page);
    await enterAndWait(page, page.locator('main form button[type=submit]'));
    assert(pathOf(page.url()) === UNIT, `after deleting at ${pathOf(page.url())}`);
    assert((await names()).length === 8, 'the component is still listed');
  });

  await check('move the HTML component to the top by keyboard: focus stays, the move is announced; axe', async () => {
    const id = htmlEditor.split('/').pop();
    const item = page.locator(`#komponent-${id}`);
    const up = item.locator('button[data-move="gora"]');
    await up.focus();
    for (const expected of ['pozycję 2 z 8', 'pozycję 1 z 8']) {
      await page.keyboard.press('Enter');
      await page.waitForFunction((t) => document.getElementById('move-status').textContent.includes(t), expected, { timeout: ACTION_TIMEOUT_MS });
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        return el && el.getAttribute('data-move') + ' ' + el.closest('li').getAttribute('data-id');
      });
      assert(focused === `gora ${id}`, `focus on ${focused}`);
    }
    const first = await page.locator('#component-list > li').first().getAttribute('data-id');
    assert(first === id, `first is ${first}`);
    assert((await up.getAttribute('aria-disabled')) === 'true', 'the first item can still go up');
    // Once more at the top: nothing moves, and that is said.
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('move-status').textContent.includes('już na pierwszej'), null, { timeout: ACTION_TIMEOUT_MS });
    await axeCheck(page);
    // The server has the order.
    await gotoOk(page, UNIT);
    assert((await names())[0].includes('Wprowadzenie'), 'the order was not saved');
  });

  await check('the preview shows the draft as learners will see it; axe', async () => {
    await enterAndWait(page, page.locator(`a[href="${PREVIEW}"]`));
    assert(pathOf(page.url()) === PREVIEW, `at ${pathOf(page.url())}`);
    const main = await page.locator('main').innerText();
    assert(main.includes('Podgląd wersji roboczej'), 'no preview banner');
    assert((await page.locator('main strong', { hasText: 'termin' }).count()) >= 1, 'bold text missing');
    assert((await page.locator('main li', { hasText: 'punkt drugi' }).count()) === 1, 'list missing');
    assert(main.includes('Jaka jest stolica Polski?') && main.includes('Ile to 2+2?'), 'problems missing');
    assert(main.indexOf('Najważniejsze') < main.indexOf('Stolica'), 'the HTML component is not first');
    assert(await page.locator('fieldset.preview-blocks').evaluate((f) => f.disabled), 'forms are active');
    await axeCheck(page);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 150_000 });
