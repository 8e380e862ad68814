#!/usr/bin/env node
// SZPoN browser test: a timed subsection in headless Chromium with axe-core (WCAG 2.1 A/AA) on
// every page. A learner without an account opens a timed quiz, starts it with the keyboard
// only, sees the countdown (role=timer, with a separate polite live region), answers with the
// keyboard, finishes early through the confirmation page, and reads the results page. The
// results page of an exam whose due date is still ahead says when results come.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_KEY=course-v1:SZPoN+EX1+2026 \
//        node tests/browser/exams.mjs
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

await init('exams.mjs');
const { COURSE_KEY } = requireEnv(['COURSE_KEY'], 'exams.mjs');
const QUIZ_UNIT = `/kursy/${COURSE_KEY}/nauka/e3`;
const EXAM_RESULTS = `/kursy/${COURSE_KEY}/wyniki/s2`;
const QUIZ_RESULTS = `/kursy/${COURSE_KEY}/wyniki/s3`;

// The focused element, for keyboard checks.
async function active(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    return e ? { tag: e.tagName.toLowerCase(), id: e.id, text: (e.innerText || e.value || '').trim(), cls: e.className } : null;
  });
}

// Presses Tab until `pred(focused)` holds (at most 80 times); fails otherwise.
async function tabTo(page, pred, what) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const f = await active(page);
    if (f && pred(f)) return f;
  }
  throw new Error(`Tab never reached ${what}`);
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  const page = await newPage(browser);

  await check('learn without an account: the about page button leads to the outline with the time limit', async () => {
    await gotoOk(page, `/kursy/${COURSE_KEY}`);
    await clickAndWait(page, page.getByRole('button', { name: 'Ucz się bez konta' }), (p) => p.endsWith('/nauka'));
    const main = await page.locator('main').innerText();
    assert(main.includes('Limit czasu: 20 min'), 'the outline does not state the time limit');
    await axeCheck(page);
  });

  await check('start page of the timed quiz: limit, what happens at the end, passes axe', async () => {
    await gotoOk(page, QUIZ_UNIT);
    const main = await page.locator('main').innerText();
    assert(main.includes('20 minut'), 'the limit is not stated');
    assert(main.includes('odpowiedzi nie będą już przyjmowane'), 'what happens at the end is not stated');
    assert((await page.locator('input[name^=input_q3]').count()) === 0, 'the problem shows before the start');
    await axeCheck(page);
  });

  await check('keyboard: Tab to "Rozpocznij test", Enter starts; the unit shows a running timer, passes axe', async () => {
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Rozpocznij test', 'the start button');
    await Promise.all([page.waitForURL((u) => pathOf(u.toString()) === QUIZ_UNIT && true), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    await page.waitForSelector('[role=timer]', { timeout: 15_000 });
    const timer = page.locator('[role=timer]');
    assert((await timer.count()) === 1, 'no role=timer');
    const first = (await timer.innerText()).trim();
    assert(/^\d+:\d\d$/.test(first), `timer shows ${JSON.stringify(first)}`);
    const live = page.locator('#exam-announce');
    assert((await live.getAttribute('aria-live')) === 'polite', 'no polite live region for announcements');
    const main = await page.locator('main').innerText();
    assert(main.includes('Czas na rozwiązanie mija o'), 'the deadline is not stated in words');
    // The countdown moves (exams.js runs under the CSP).
    await page.waitForFunction((t) => document.querySelector('[role=timer]').textContent.trim() !== t, first, { timeout: 5_000 });
    await axeCheck(page);
  });

  await check('keyboard: pick an answer and press "Sprawdź"; the result is announced', async () => {
    const radio = await tabTo(page, (f) => f.tag === 'input' && f.id.startsWith('input_q3_2_1'), 'a choice');
    assert(radio.id === 'input_q3_2_1_choice_0', `first choice focused: ${radio.id}`);
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Sprawdź', 'the check button');
    const respP = page.waitForResponse((r) => r.request().method() === 'POST' && pathOf(r.url()).endsWith('/problem/q3'));
    await page.keyboard.press('Enter');
    const resp = await respP;
    assert(resp.status() === 200, `problem POST answered ${resp.status()}`);
    await page.waitForFunction(() => {
      const fb = document.querySelector('#block-q3 .problem-feedback');
      return fb && fb.textContent.includes('Wynik');
    }, null, { timeout: 10_000 });
    await axeCheck(page);
  });

  await check('"Zakończ test teraz" → confirmation page (axe) → the test is over (axe)', async () => {
    await tabTo(page, (f) => f.id === 'exam-finish', 'the finish link');
    await Promise.all([page.waitForURL((u) => pathOf(u.toString()).endsWith('/egzamin/s3/zakoncz')), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    const h1 = (await page.locator('main h1').innerText()).trim();
    assert(h1.startsWith('Zakończyć test'), `confirmation h1: ${h1}`);
    await axeCheck(page);
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Tak, zakończ test', 'the confirm button');
    await Promise.all([page.waitForURL((u) => pathOf(u.toString()) === QUIZ_UNIT), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    const main = await page.locator('main').innerText();
    assert(main.includes('Test zakończył się'), 'the unit does not say the test is over');
    assert((await page.locator('[role=timer]').count()) === 0, 'the timer still shows');
    await axeCheck(page);
  });

  await check('results page after the attempt: the answer, "Poprawna odpowiedź" in words, points; passes axe', async () => {
    await clickAndWait(page, page.getByRole('link', { name: 'Zobacz wyniki' }), QUIZ_RESULTS);
    const main = await page.locator('main').innerText();
    assert(main.includes('Poprawna odpowiedź'), 'the verdict is not in words');
    assert(main.includes('1/1'), 'the points are not shown');
    assert(await page.locator('#input_q3_2_1_choice_0').isChecked(), 'the answer given is not shown');
    await axeCheck(page);
  });

  await check('results page of an exam before its due date says when results come; passes axe', async () => {
    await gotoOk(page, EXAM_RESULTS);
    const main = await page.locator('main').innerText();
    assert(main.includes('Wyniki będą dostępne po terminie'), 'no "available after" message');
    await axeCheck(page);
  });

  await check('announcements: with the clock moved on, "Zostało 10 minut." reaches the polite live region', async () => {
    // A second page with a controllable clock; the exam (30 minutes) is started there.
    const p2 = await newPage(browser);
    await p2.clock.install();
    await gotoOk(p2, `/kursy/${COURSE_KEY}`);
    await clickAndWait(p2, p2.getByRole('button', { name: 'Ucz się bez konta' }), (p) => p.endsWith('/nauka'));
    await gotoOk(p2, `/kursy/${COURSE_KEY}/nauka/e1`);
    await clickAndWait(p2, p2.getByRole('button', { name: 'Rozpocznij test' }), (p) => p.endsWith('/nauka/e1'));
    await p2.waitForSelector('[role=timer]');
    const live = p2.locator('#exam-announce');
    assert((await live.innerText()).trim() === '', 'an announcement before any mark');
    await p2.clock.fastForward('20:05');
    await p2.waitForFunction(() => document.getElementById('exam-announce').textContent.includes('10 minut'), null, { timeout: 5_000 });
    const t = (await p2.locator('[role=timer]').innerText()).trim();
    assert(/^9:\d\d$/.test(t), `timer after 20 minutes shows ${t}`);
    await axeCheck(p2);
    await p2.close();
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 90_000 });
