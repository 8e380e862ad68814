#!/usr/bin/env node
// SZPoN browser test: course surveys in headless Chromium with axe-core (WCAG 2.1 A/AA) on every
// page. The course author creates a survey and its four kinds of question with the keyboard only
// (also meeting a form error), a learner without an account answers it (after an error), and the
// author opens the results: charts, tables and the CSV link.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_KEY=... EMAIL=autor@... PASSWORD=... \
//        node tests/browser/surveys.mjs
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
} from './lib.mjs';

await init('surveys.mjs');
const { COURSE_KEY, EMAIL, PASSWORD } = requireEnv(['COURSE_KEY', 'EMAIL', 'PASSWORD'], 'surveys.mjs');
const BASE = `/kursy/${COURSE_KEY}/ankiety`;

// Presses Enter on the focused control and waits for the page it leads to.
async function enterAndWait(page) {
  await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.keyboard.press('Enter')]);
  await page.waitForLoadState('load');
}

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}#${el.id}[${el.getAttribute('name') ?? ''}]` : '';
  });
}

// Tabs until the focused element matches `selector` (at most `max` presses), as a keyboard user
// moves through a form.
async function tabTo(page, selector, max = 12) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert(false, `Tab never reached ${selector} (focus on ${await focused(page)})`);
}

// Adds a question on the edit page with the keyboard: the type by arrow keys from "single".
async function addQuestion(page, { arrows, text, options, low, high }) {
  await page.locator('#q-kind-single').focus();
  for (let i = 0; i < arrows; i++) await page.keyboard.press('ArrowDown');
  await tabTo(page, '#q-text');
  await page.keyboard.type(text);
  if (options) {
    await tabTo(page, '#q-options');
    await page.keyboard.type(options.join('\n'));
  }
  if (low !== undefined) {
    await tabTo(page, '#q-low');
    await page.keyboard.type(low);
    await tabTo(page, '#q-high');
    await page.keyboard.type(high);
  }
  await tabTo(page, '.survey-question-form button[type=submit]');
  await enterAndWait(page);
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const author = await newPage(browser);
  let editPath = '';

  await check('author: survey list passes axe; "Nowa ankieta" by keyboard opens the form, passes axe', async () => {
    await gotoOk(author, '/logowanie');
    await author.locator('#email').fill(EMAIL);
    await author.locator('#password').fill(PASSWORD);
    await clickAndWait(author, author.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(author, BASE);
    await axeCheck(author);
    await author.getByRole('link', { name: 'Nowa ankieta' }).focus();
    await enterAndWait(author);
    assert(pathOf(author.url()) === `${BASE}/nowa`, `at ${pathOf(author.url())}`);
    await axeCheck(author);
  });

  await check('author: a form without a title gives the error summary (422), passes axe', async () => {
    await author.locator('#intro').focus();
    await author.keyboard.type('Prosimy o kilka minut.');
    await tabTo(author, 'main form button[type=submit]', 20);
    await enterAndWait(author);
    const summary = author.locator('.error-summary');
    assert((await summary.count()) === 1, 'no error summary');
    assert((await summary.innerText()).includes('Wpisz tytuł ankiety'), 'no title message');
    assert((await author.locator('#intro').inputValue()) === 'Prosimy o kilka minut.', 'the introduction was lost');
    await axeCheck(author);
  });

  await check('author: creates an open, named survey by keyboard; the edit page passes axe', async () => {
    await author.locator('#title').focus();
    await author.keyboard.type('Ocena kursu');
    await tabTo(author, '#anonymity-anonymous');
    await author.keyboard.press('ArrowDown'); // named
    await tabTo(author, '#availability-closed');
    await author.keyboard.press('ArrowUp'); // open
    assert(await author.locator('#availability-open').isChecked(), 'open not chosen');
    await tabTo(author, 'main form button[type=submit]');
    await enterAndWait(author);
    editPath = pathOf(author.url());
    assert(/\/ankiety\/[0-9a-f]{32}\/edycja$/.test(editPath), `at ${editPath}`);
    assert((await author.locator('.flash').innerText()).includes('Ankieta została utworzona'), 'no flash');
    await axeCheck(author);
  });

  await check('author: an invalid question (one option) gives 422 with the summary, passes axe', async () => {
    await addQuestion(author, { arrows: 0, text: 'Pytanie z jedną opcją', options: ['Tylko ta'] });
    assert((await author.locator('.error-summary').innerText()).includes('co najmniej dwie'), 'no options message');
    assert((await author.locator('#q-text').inputValue()) === 'Pytanie z jedną opcją', 'the question was lost');
    await axeCheck(author);
    await author.locator('#q-text').fill('');
    await author.locator('#q-options').fill('');
  });

  await check('author: adds single, multiple, scale and text questions by keyboard, passes axe', async () => {
    await addQuestion(author, { arrows: 0, text: 'Czy polecisz kurs?', options: ['Tak', 'Nie'] });
    await addQuestion(author, { arrows: 1, text: 'Co było przydatne?', options: ['Filmy', 'Zadania', 'Teksty'] });
    await addQuestion(author, { arrows: 2, text: 'Ogólna ocena', low: 'słabo', high: 'świetnie' });
    await addQuestion(author, { arrows: 3, text: 'Uwagi' });
    const items = await author.locator('.survey-questions > li .survey-question-text').allInnerTexts();
    assert(
      JSON.stringify(items) === JSON.stringify(['Czy polecisz kurs?', 'Co było przydatne?', 'Ogólna ocena', 'Uwagi']),
      `questions: ${JSON.stringify(items)}`,
    );
    await axeCheck(author);
  });

  const learner = await newPage(browser);
  const surveyPath = editPath.replace(/\/edycja$/, '');
  await check('learner without an account: finds the survey from the outline, list passes axe', async () => {
    await gotoOk(learner, `/kursy/${COURSE_KEY}`);
    await clickAndWait(learner, learner.getByRole('button', { name: 'Ucz się bez konta' }));
    await clickAndWait(learner, learner.locator('.course-tabs').getByRole('link', { name: 'Ankiety' }), BASE);
    await axeCheck(learner);
    await clickAndWait(learner, learner.getByRole('link', { name: 'Ocena kursu' }), surveyPath);
    await axeCheck(learner);
  });

  await check('learner: sending without the required answers gives 422 with the summary, passes axe', async () => {
    await learner.getByRole('checkbox', { name: 'Filmy' }).check();
    await clickAndWait(learner, learner.getByRole('button', { name: 'Wyślij odpowiedzi' }), surveyPath);
    assert((await learner.locator('.error-summary').innerText()).includes('Odpowiedz na to pytanie'), 'no message');
    assert(await learner.getByRole('checkbox', { name: 'Filmy' }).isChecked(), 'the ticked answer was lost');
    await axeCheck(learner);
  });

  await check('learner: answers and is thanked; a second visit says already answered, passes axe', async () => {
    await learner.getByRole('radio', { name: 'Tak' }).check();
    await learner.getByRole('checkbox', { name: 'Teksty' }).check();
    await learner.locator('.survey-scale input[value="4"]').check();
    await learner.locator('textarea').fill('Dobry kurs');
    await clickAndWait(learner, learner.getByRole('button', { name: 'Wyślij odpowiedzi' }), surveyPath);
    assert((await learner.locator('.flash').innerText()).includes('Dziękujemy'), 'no thanks');
    assert((await learner.locator('main').innerText()).includes('została już przez Ciebie wypełniona'), 'no note');
    assert((await learner.locator('form.survey-form').count()) === 0, 'the form is still offered');
    await axeCheck(learner);
  });

  await check('author: results show the numbers in charts and tables, pass axe', async () => {
    await gotoOk(author, `${surveyPath}/wyniki`);
    const main = await author.locator('main').innerText();
    assert(main.includes('1 odpowiedź'), 'response count');
    assert(main.includes('Dobry kurs'), 'text answer');
    assert(main.includes('średnia 4,00'), 'scale mean');
    assert((await author.locator('svg[role=img]').count()) === 3, 'three charts');
    const desc = await author.locator('svg[role=img] desc').first().textContent();
    assert(desc.includes('Tak: 1 (100%)'), `chart description: ${desc}`);
    const csv = author.getByRole('link', { name: 'Pobierz wszystkie odpowiedzi (CSV)' });
    assert((await csv.getAttribute('href')) === `${surveyPath}/wyniki.csv`, 'CSV link');
    await axeCheck(author);
  });

  await check('author: the list shows the response; the locked edit page passes axe', async () => {
    await gotoOk(author, BASE);
    assert((await author.locator('main table').innerText()).includes('Ocena kursu'), 'survey listed');
    await axeCheck(author);
    await gotoOk(author, editPath);
    assert((await author.locator('main').innerText()).includes('pytań nie można zmieniać'), 'no lock notice');
    await axeCheck(author);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 120_000 });
