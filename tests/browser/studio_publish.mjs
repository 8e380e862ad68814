#!/usr/bin/env node
// SZPoN browser test: drafts and publishing in Studio, in headless Chromium with axe-core
// (WCAG 2.1 A/AA) on every page, used by keyboard only. The course has unpublished changes (a new
// section with a unit, a renamed unit, a renamed problem in another unit). The author opens the list of changes from the course
// page, tries to publish the new unit alone (422: its section is not published, with a button to
// publish that section), publishes the section from there, publishes a unit, publishes
// everything, opens the versions, restores the first version through the confirmation page, and
// opens the import form.
//
// Usage: BASE_URL=http://127.0.0.1:PORT COURSE_ID=<id> EMAIL=... PASSWORD=... \
//        node tests/browser/studio_publish.mjs
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
} from './lib.mjs';

await init('studio_publish.mjs');
const { COURSE_ID, EMAIL, PASSWORD } = requireEnv(['COURSE_ID', 'EMAIL', 'PASSWORD'], 'studio_publish.mjs');
const COURSE = `/studio/kursy/${COURSE_ID}`;
const CHANGES = `${COURSE}/zmiany`;
const PUBLISH = `${COURSE}/publikuj`;
const VERSIONS = `${COURSE}/wersje`;

const mainText = (page) => page.locator('main').innerText();

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;
  // The one HTTP error expected: publishing the unit of an unpublished section (422).
  let expect422 = false;
  const page = await newPage(browser, 'pl-PL', {
    allConsoleErrors: true,
    allowConsole: (text, path) => expect422 && path === PUBLISH && /status of 422\b/.test(text),
    allowHttp: (resp) => expect422 && resp.status() === 422 && pathOf(resp.url()) === PUBLISH,
  });

  await check('sign in; the course page links the changes (by keyboard); changes in words; axe', async () => {
    await gotoOk(page, '/logowanie');
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await clickAndWait(page, page.locator('main form button[type=submit]'), (p) => p !== '/logowanie');
    await gotoOk(page, COURSE);
    await enterAndWait(page, page.locator(`main a[href="${CHANGES}"]`));
    assert(pathOf(page.url()) === CHANGES, `at ${pathOf(page.url())}`);
    const text = await mainText(page);
    for (const s of [
      '+ Dodano: sekcja „Nowy rozdział”',
      '+ Dodano: jednostka „Nowa jednostka”',
      '~ Zmieniono: jednostka „Lekcja pierwsza”',
      'nazwa zmieniona z „Lekcja 1” na „Lekcja pierwsza”',
      'Sekcja 2 › Podrozdział 1 › Jednostka 1',
    ]) {
      assert(text.includes(s), `the list does not say ${JSON.stringify(s)}`);
    }
    await axeCheck(page);
  });

  await check('publish the new unit alone: 422 says to publish its section first; axe', async () => {
    expect422 = true;
    const form = page.locator('form', { has: page.locator('input[name=id][value="u_new"]') });
    await enterAndWait(page, form.locator('button'));
    await page.waitForSelector('.error-summary', { timeout: ACTION_TIMEOUT_MS });
    const summary = await page.locator('.error-summary').innerText();
    assert(summary.includes('Najpierw opublikuj sekcję „Nowy rozdział”'), `summary: ${JSON.stringify(summary)}`);
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.className);
    assert(String(focused).includes('error-summary'), `focus is on ${JSON.stringify(focused)}, not the error summary`);
    await axeCheck(page);
    expect422 = false;
  });

  await check('publish the section from the error page (keyboard); learners get version 2; axe', async () => {
    await enterAndWait(page, page.locator('#publish-offer'));
    assert(pathOf(page.url()) === CHANGES, `at ${pathOf(page.url())}`);
    const status = await page.locator('[role=status]').first().innerText();
    assert(status.includes('Opublikowano jako wersję 2'), `status: ${JSON.stringify(status)}`);
    const text = await mainText(page);
    assert(!text.includes('Nowy rozdział'), 'the published section is still listed');
    await axeCheck(page);
  });

  await check('publish a unit (keyboard): version 3; axe', async () => {
    await enterAndWait(page, page.locator('button.publish-unit').first());
    assert(pathOf(page.url()) === CHANGES, `at ${pathOf(page.url())}`);
    const status = await page.locator('[role=status]').first().innerText();
    assert(status.includes('Opublikowano jako wersję 3'), `status: ${JSON.stringify(status)}`);
    await axeCheck(page);
  });

  await check('publish everything (keyboard): version 4, no unpublished changes; axe', async () => {
    await enterAndWait(page, page.locator('#publish-all'));
    assert(pathOf(page.url()) === CHANGES, `at ${pathOf(page.url())}`);
    const status = await page.locator('[role=status]').first().innerText();
    assert(status.includes('Opublikowano jako wersję 4'), `status: ${JSON.stringify(status)}`);
    const text = await mainText(page);
    assert(text.includes('Brak niepublikowanych zmian'), 'changes are still listed');
    await axeCheck(page);
  });

  await check('open the versions (keyboard): newest first, the current one marked; axe', async () => {
    await enterAndWait(page, page.locator(`main a[href="${VERSIONS}"]`));
    assert(pathOf(page.url()) === VERSIONS, `at ${pathOf(page.url())}`);
    const first = await page.locator('#version-list tbody tr').first().innerText();
    assert(first.includes('(bieżąca)'), `first row: ${JSON.stringify(first)}`);
    assert(first.includes('opublikowanie zmian'), `first row: ${JSON.stringify(first)}`);
    await axeCheck(page);
  });

  await check('restore version 1 through the confirmation page (keyboard); axe on both', async () => {
    await enterAndWait(page, page.locator(`main a[href="${VERSIONS}/1/przywroc"]`));
    const text = await mainText(page);
    assert(text.includes('Przywrócić wersję 1?'), 'no confirmation page');
    assert(text.includes('Niepublikowane zmiany zostaną odrzucone'), 'the confirmation does not say the draft is discarded');
    await axeCheck(page);
    await enterAndWait(page, page.locator('#rollback-confirm'));
    assert(pathOf(page.url()) === VERSIONS, `at ${pathOf(page.url())}`);
    const status = await page.locator('[role=status]').first().innerText();
    assert(/Przywrócono wersję 1: opublikowano ją jako wersję \d+/.test(status), `status: ${JSON.stringify(status)}`);
    const first = await page.locator('#version-list tbody tr').first().innerText();
    assert(first.includes('przywrócenie wersji 1') && first.includes('(bieżąca)'), `first row: ${JSON.stringify(first)}`);
    await axeCheck(page);
  });

  await check('the import form for a new version (keyboard from the course page); axe', async () => {
    await gotoOk(page, COURSE);
    await enterAndWait(page, page.locator(`main a[href="${COURSE}/import"]`));
    assert(pathOf(page.url()) === `${COURSE}/import`, `at ${pathOf(page.url())}`);
    const text = await mainText(page);
    assert(text.includes('Import nowej wersji kursu'), 'no import form');
    assert(text.includes('Wersja robocza zostanie zastąpiona'), 'the form does not say what happens to the draft');
    await axeCheck(page);
  });

  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 120_000 });
