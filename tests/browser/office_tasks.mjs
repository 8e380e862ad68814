#!/usr/bin/env node
// SZPoN browser test: office tasks in headless Chromium with axe-core (WCAG 2.1 A/AA) on every
// page, used by keyboard only. An official signs in, opens each task view (my tasks, delegated
// by me, the department board, overdue), creates a task, delegates it to a colleague with a
// note, comments, adds and ticks a checklist item, opens the edit form, adds a personal to-do
// item, and visits the notifications and their settings; the colleague then sees the
// delegation among their notifications and marks them read.
//
// Usage: BASE_URL=http://127.0.0.1:PORT OFFICE=<slug> EMAIL=<official> PASSWORD=... \
//        COLLEAGUE=<official of the same office> COLLEAGUE_NAME="<full name>" \
//        node tests/browser/office_tasks.mjs
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
  pathOf,
  ACTION_TIMEOUT_MS,
  enterAndWait,
  typeInto,
  pressAndWait,
} from './lib.mjs';

await init('office_tasks.mjs');
const { OFFICE, EMAIL, PASSWORD, COLLEAGUE, COLLEAGUE_NAME } = requireEnv(
  ['OFFICE', 'EMAIL', 'PASSWORD', 'COLLEAGUE', 'COLLEAGUE_NAME'],
  'office_tasks.mjs',
);
const TASKS = `/biuro/${OFFICE}/zadania`;
const TITLE = 'Odpowiedź na petycję mieszkańców';

// Moves a focused <select> with the arrow keys to the option whose text contains `label`.
async function chooseByKeys(page, select, label) {
  await select.focus();
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  const target = options.findIndex(([, text]) => text.includes(label));
  assert(target >= 0, `no option ${label}`);
  const value = options[target][0];
  for (let i = 0; i < options.length && (await select.inputValue()) !== value; i++) {
    const current = await select.inputValue();
    const now = options.findIndex(([v]) => v === current);
    await page.keyboard.press(now < target ? 'ArrowDown' : 'ArrowUp');
  }
  assert((await select.inputValue()) === value, `select is ${await select.inputValue()}, not ${value}`);
}

async function signIn(page, email) {
  await gotoOk(page, '/logowanie');
  await typeInto(page, page.locator('#email'), email);
  await typeInto(page, page.locator('#password'), PASSWORD);
  await pressAndWait(page, 'Enter');
  assert(pathOf(page.url()) !== '/logowanie', `still at the sign-in page as ${email}`);
}

async function flash(page) {
  await page.waitForSelector('.flash', { timeout: ACTION_TIMEOUT_MS });
  return page.locator('.flash').innerText();
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const page = await newPage(browser, 'pl-PL', { allConsoleErrors: true, allowHttp: () => false });

  await check('sign in; my tasks (empty); axe', async () => {
    await signIn(page, EMAIL);
    await gotoOk(page, TASKS);
    const main = await page.locator('main').innerText();
    assert(main.includes('Brak zadań w tym widoku'), 'the empty view is not said');
    assert((await page.locator('main h1').count()) === 1, 'not exactly one h1');
    await axeCheck(page);
  });

  for (const [label, view] of [
    ['Zlecone przeze mnie', 'zlecone'],
    ['Tablica działu', 'dzial'],
    ['Zaległe', 'zalegle'],
    ['Moje zadania', 'moje'],
  ]) {
    await check(`view "${label}" by keyboard; axe`, async () => {
      await enterAndWait(page, page.locator(`nav.tabs a[href="${TASKS}?widok=${view}"]`));
      assert(
        (await page.locator(`nav.tabs a[aria-current="page"]`).innerText()).includes(label),
        'the current view is not marked',
      );
      await axeCheck(page);
    });
  }

  await check('new task form by keyboard, create; the task page; axe on both', async () => {
    await enterAndWait(page, page.locator(`main a[href="${TASKS}/nowe"]`));
    assert(pathOf(page.url()) === `${TASKS}/nowe`, `at ${pathOf(page.url())}`);
    await axeCheck(page);
    await typeInto(page, page.locator('#title'), TITLE);
    await typeInto(page, page.locator('#description'), 'Petycja w sprawie oświetlenia ulicy.');
    await chooseByKeys(page, page.locator('#priority'), 'wysoki');
    await enterAndWait(page, page.locator('main form button[type=submit]'));
    assert((await flash(page)).includes('Zadanie zostało utworzone'), 'no flash');
    assert((await page.locator('main h1').innerText()).includes(TITLE), 'not the task page');
    await axeCheck(page);
  });

  await check('delegate to a colleague with a note by keyboard; history in words; axe', async () => {
    await chooseByKeys(page, page.locator('#assignee'), COLLEAGUE_NAME);
    await typeInto(page, page.locator('#note'), 'Proszę przygotować projekt odpowiedzi.');
    await enterAndWait(page, page.locator('form[action$="/przekaz"] button[type=submit]'));
    assert((await flash(page)).includes('Zadanie zostało przekazane'), 'no flash');
    assert((await page.locator('#task-assignee').innerText()).includes(COLLEAGUE_NAME), 'not reassigned');
    const main = await page.locator('main').innerText();
    assert(main.includes('Proszę przygotować projekt odpowiedzi.'), 'the note is not in the history');
    assert(main.includes(`do: ${COLLEAGUE_NAME}`), 'the delegation is not in words');
    await axeCheck(page);
  });

  await check('comment by keyboard; axe', async () => {
    await typeInto(page, page.locator('#comment'), 'Termin odpowiedzi: 14 dni.');
    await enterAndWait(page, page.locator('form[action$="/komentarze"] button[type=submit]'));
    assert((await flash(page)).includes('Komentarz został dodany'), 'no flash');
    assert((await page.locator('#comments').innerText()).includes('Termin odpowiedzi: 14 dni.'), 'comment not shown');
    await axeCheck(page);
  });

  await check('add a checklist item and tick it by keyboard; status in words; axe', async () => {
    await typeInto(page, page.locator('#item-text'), 'Sprawdzić podpisy');
    await enterAndWait(page, page.locator('form[action$="/lista"] button[type=submit]'));
    assert((await flash(page)).includes('Punkt został dodany'), 'no flash');
    await enterAndWait(page, page.locator('#checklist button', { hasText: 'Oznacz jako zrobione' }));
    const list = await page.locator('#checklist ul').innerText();
    assert(/zrobione:\s*Sprawdzić podpisy/.test(list), `checklist: ${JSON.stringify(list)}`);
    await axeCheck(page);
  });

  await check('the edit form opens by keyboard; axe', async () => {
    await enterAndWait(page, page.locator('main a', { hasText: 'Edytuj zadanie' }));
    assert(pathOf(page.url()).endsWith('/edycja'), `at ${pathOf(page.url())}`);
    assert((await page.locator('#title').inputValue()) === TITLE, 'the title is not filled in');
    await axeCheck(page);
    await enterAndWait(page, page.locator('main a', { hasText: 'Anuluj' }));
  });

  await check('"delegated by me" lists the task; the board of the colleague’s department; axe', async () => {
    await gotoOk(page, `${TASKS}?widok=zlecone`);
    assert((await page.locator('main').innerText()).includes(TITLE), 'not listed as delegated');
    await axeCheck(page);
    await gotoOk(page, `${TASKS}?widok=dzial`);
    assert((await page.locator('main').innerText()).includes(TITLE), 'not on the department board');
    await axeCheck(page);
  });

  await check('personal to-do: add an item by keyboard; axe', async () => {
    await enterAndWait(page, page.locator('nav.office-nav a[href="/biuro/notatki"]'));
    await axeCheck(page);
    await typeInto(page, page.locator('#text'), 'Oddzwonić do sołtysa');
    await enterAndWait(page, page.locator('main form[action="/biuro/notatki"] button[type=submit]'));
    assert((await flash(page)).includes('Notatka została dodana'), 'no flash');
    assert((await page.locator('main .todo-list').innerText()).includes('Oddzwonić do sołtysa'), 'not listed');
    await axeCheck(page);
  });

  await check('notifications and their settings; axe on both', async () => {
    await enterAndWait(page, page.locator('nav.office-nav a[href="/biuro/powiadomienia"]'));
    await axeCheck(page);
    await enterAndWait(page, page.locator('main a[href="/biuro/powiadomienia/ustawienia"]'));
    assert((await page.locator('main table caption').count()) === 1, 'no table caption');
    await axeCheck(page);
    await enterAndWait(page, page.locator('main form button[type=submit]'));
    assert((await flash(page)).includes('Ustawienia powiadomień zostały zapisane'), 'no flash');
  });

  const colleague = await newPage(browser, 'pl-PL', { allConsoleErrors: true, allowHttp: () => false });
  await check('the colleague sees the delegation among the notifications; marks all read; axe', async () => {
    await signIn(colleague, COLLEAGUE);
    await gotoOk(colleague, '/biuro/powiadomienia');
    const main = await colleague.locator('main').innerText();
    assert(main.includes('Przekazano zadanie'), 'no delegation notice');
    assert(main.includes(TITLE), 'the task is not named');
    assert(main.includes('Nieprzeczytane'), 'unread not said in words');
    await axeCheck(colleague);
    await enterAndWait(colleague, colleague.locator('main button', { hasText: 'Oznacz wszystkie jako przeczytane' }));
    assert((await flash(colleague)).includes('Wszystkie powiadomienia oznaczono'), 'no flash');
    await enterAndWait(colleague, colleague.locator('main a', { hasText: TITLE }).first());
    assert(pathOf(colleague.url()).startsWith(`${TASKS}/`), `at ${pathOf(colleague.url())}`);
    await axeCheck(colleague);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 120_000 });
