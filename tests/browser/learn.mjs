#!/usr/bin/env node
// SZPoN browser test: the learner journey in headless Chromium plus axe-core
// WCAG 2.1 A/AA checks on every page. A visitor finds a public course in the
// catalog, starts it without an account, reads an html unit and a video unit,
// answers a multiple-choice problem with the keyboard only, looks at the
// progress page, then registers and finds the score still there (anonymous
// progress merged into the new account).
// Prints one `ok - NAME` / `not ok - NAME: reason` line per check and a closing
// `N passed, N failed` line. Exit 0 only if all passed.
//
// Usage:
//   BASE_URL=http://127.0.0.1:18080 COURSE_KEY='course-v1:OpenedX+DemoX+DemoCourse' \
//   node tests/browser/learn.mjs
// COURSE_KEY: a course imported with `szpon import PATH --visibility public`
//   (the Open edX demo course, /work/shared/olx/demo.tar.gz).
// Optional env (defaults fit the demo course):
//   HTML_UNIT     unit with html blocks          (3e4f3afc533741faacab58704e8213ef, "Text")
//   VIDEO_UNIT    unit with a YouTube video and transcripts (e33f5e34f13244f2aa7e2ed8dcdf8635, "Transcripts and Subtitles")
//   PLAYER_UNIT   unit with a <video> player     (bf1cd17b606440ca8fc26bf08b22b22b, jellyfish video)
//   PROBLEM_UNIT  unit with a multiple-choice problem (dacc88e550bd48db93899979bff1b086)
//   PROBLEM_ID    that problem's block id        (870b16e640d541af94a308caac834d2e, "Basic Multiple Choice")
//   SEARCH        a catalog query that finds the course (default "Demo")
//   CHROMIUM_PATH (default /usr/bin/chromium), TEST_TIMEOUT_MS (default 150000).

import {
  init,
  requireEnv,
  run,
  url,
  pathOf,
  check,
  assert,
  CheckError,
  checkServerReachable,
  launchBrowser,
  newPage,
  checkNoBrowserProblems,
  axeCheck,
  htmlLang,
  h1Text,
  clickAndWait,
  gotoOk,
  ACTION_TIMEOUT_MS,
} from './lib.mjs';

await init('learn.mjs');
const { COURSE_KEY } = requireEnv(['COURSE_KEY'], 'learn.mjs');
const HTML_UNIT = process.env.HTML_UNIT || '3e4f3afc533741faacab58704e8213ef';
const VIDEO_UNIT = process.env.VIDEO_UNIT || 'e33f5e34f13244f2aa7e2ed8dcdf8635';
const PLAYER_UNIT = process.env.PLAYER_UNIT || 'bf1cd17b606440ca8fc26bf08b22b22b';
const PROBLEM_UNIT = process.env.PROBLEM_UNIT || 'dacc88e550bd48db93899979bff1b086';
const PROBLEM_ID = process.env.PROBLEM_ID || '870b16e640d541af94a308caac834d2e';
const SEARCH = process.env.SEARCH || 'Demo';

const EMAIL = `uczen-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.pl`;
const PASSWORD = 'Zielona-Łąka-2024!';
const FULL_NAME = 'Łucja Wiśniewska';

const COURSE = `/kursy/${COURSE_KEY}`;
const OUTLINE = `${COURSE}/nauka`;
const PROGRESS = `${COURSE}/postep`;
const unitPath = (id) => `${OUTLINE}/${id}`;
// Paths as the browser reports them (":" and "+" stay as they are in a path).
const samePath = (a, b) => decodeURIComponent(a) === decodeURIComponent(b);

// The feedback region of a graded problem announces the result in one of these words.
const RESULT_RE = /Poprawnie|Niepoprawnie|Częściowo|Wynik:/;

// Text of the points cell in the "Wyniki w częściach kursu" table for the row
// whose header contains `title`, or null.
async function subsectionPoints(page, title) {
  return page.evaluate((t) => {
    for (const tr of document.querySelectorAll('main table tbody tr')) {
      const th = tr.querySelector('th');
      if (th && th.textContent.includes(t)) {
        const tds = tr.querySelectorAll('td');
        return tds.length >= 2 ? tds[1].textContent.trim() : null;
      }
    }
    return null;
  }, title);
}

// "3/12", "3 z 12", "3.0 / 12" -> earned points as a number (NaN when unreadable).
function earnedOf(text) {
  const m = String(text ?? '').match(/(\d+(?:[.,]\d+)?)\s*(?:\/|z)\s*\d/);
  return m ? Number(m[1].replace(',', '.')) : NaN;
}

// WCAG 2.1 SC 4.1.1: ids are unique (axe-core no longer reports duplicate ids under
// the WCAG tags; scripts and fragment links rely on them, e.g. #block-ID).
async function assertUniqueIds(page) {
  const dups = await page.evaluate(() => {
    const seen = new Map();
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n}x)`);
  });
  assert(dups.length === 0, `duplicate ids on ${pathOf(page.url())}: ${dups.slice(0, 5).join(', ')}`);
}

async function activeInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute('type'),
      name: el.getAttribute('name'),
      value: el.getAttribute('value'),
      cls: String(el.className || ''),
      text: (el.textContent || '').trim().slice(0, 60),
    };
  });
}
const describe = (f) =>
  f ? `<${f.tag}${f.id ? `#${f.id}` : ''}${f.type ? ` type=${f.type}` : ''}${f.value ? ` value=${f.value}` : ''}> ${JSON.stringify(f.text)}` : 'nothing';

// Course authors' html runs in sandboxed iframes that may load third-party files
// (the demo course pulls a Google font), and a course <video> may play an external
// file. This machine is offline, so those requests are answered here with an empty
// 200 instead of failing on DNS. Any other third-party request (from the platform's
// own page) still goes out, fails and is reported by checkNoBrowserProblems.
let stubbed = 0;
async function stubThirdPartyInAuthorFrames(page) {
  const own = new URL(url('/')).origin;
  await page.context().route(
    (u) => u.origin !== own,
    async (route) => {
      let frame = null;
      try {
        frame = route.request().frame();
      } catch {
        /* service worker request */
      }
      const fromAuthorFrame = frame && frame !== page.mainFrame() && /\/blok\//.test(frame.url());
      // A course's <video> may point at an external file (the demo's jellyfish is on S3).
      const externalMedia = route.request().resourceType() === 'media';
      if (!fromAuthorFrame && !externalMedia) {
        await route.continue();
        return;
      }
      stubbed += 1;
      const type = route.request().resourceType();
      const contentType =
        type === 'stylesheet' ? 'text/css' : type === 'script' ? 'text/javascript' : type === 'media' ? 'video/mp4' : 'application/octet-stream';
      await route.fulfill({ status: 200, contentType, body: '' });
    },
  );
}

async function main() {
  if (!(await checkServerReachable())) return;
  const browser = await launchBrowser();
  if (!browser) return;

  // One context for the whole journey: the anonymous learner cookie, then the session.
  const page = await newPage(browser);
  await stubThirdPartyInAuthorFrames(page);

  // ---------------- 1. catalog
  await check('catalog: /kursy lists the public course, lang="pl", passes axe', async () => {
    await gotoOk(page, '/kursy');
    assert((await htmlLang(page)) === 'pl', `expected lang="pl", got ${JSON.stringify(await htmlLang(page))}`);
    assert(await h1Text(page), '/kursy has no h1 in main');
    const link = page.locator(`main a[href="${COURSE}"]`);
    assert((await link.count()) > 0, `no link to ${COURSE} in the catalog`);
    await axeCheck(page);
  });

  await check(`catalog: searching "${SEARCH}" from the form finds the course, passes axe`, async () => {
    await gotoOk(page, '/kursy');
    await page.locator('#q').fill(SEARCH);
    await clickAndWait(page, page.locator('main form[role=search] button[type=submit]'), '/kursy');
    const q = new URL(page.url()).searchParams.get('q');
    assert(q === SEARCH, `search URL has q=${JSON.stringify(q)}`);
    assert((await page.locator(`main a[href="${COURSE}"]`).count()) > 0, `search "${SEARCH}" did not list ${COURSE}`);
    const status = (await page.locator('main [role=status]').first().innerText()).trim();
    assert(/1\b/.test(status), `result count says ${JSON.stringify(status)}`);
    assert((await page.locator('#q').inputValue()) === SEARCH, 'search box does not keep the query');
    await axeCheck(page);
  });

  await check('catalog: a search that matches nothing says so, passes axe', async () => {
    await gotoOk(page, `/kursy?q=${encodeURIComponent('żadenkurstakisięnienazywa')}`);
    assert((await page.locator('main .course-card').count()) === 0, 'course cards shown for a query matching nothing');
    const status = (await page.locator('main [role=status]').first().innerText()).trim();
    assert(/\b0\b|nie znaleziono|brak/i.test(status), `result count says ${JSON.stringify(status)}`);
    assert((await page.locator('main a[href="/kursy"]').count()) > 0, 'no link clearing the filters');
    await axeCheck(page);
  });

  // ---------------- 2. about page
  let aboutOk = false;
  await check('about: course card link opens the about page with "Ucz się bez konta", passes axe', async () => {
    await gotoOk(page, '/kursy');
    await clickAndWait(page, page.locator(`main a[href="${COURSE}"]`).first(), (p) => samePath(p, COURSE));
    assert(await h1Text(page), 'about page has no h1');
    const btn = page.getByRole('button', { name: 'Ucz się bez konta' });
    assert((await btn.count()) === 1, 'no button "Ucz się bez konta" on the about page of a public course');
    await axeCheck(page);
    aboutOk = true;
  });

  // ---------------- 3. start without an account
  let started = false;
  await check('start: "Ucz się bez konta" leads to the outline with the anonymous notice, passes axe', async () => {
    assert(aboutOk, 'about page not reached (previous check failed)');
    await clickAndWait(page, page.getByRole('button', { name: 'Ucz się bez konta' }), (p) => samePath(p, OUTLINE));
    started = true;
    assert(await h1Text(page), 'outline has no h1');
    assert((await page.locator('main .notice a[href^="/rejestracja"]').count()) > 0, 'no registration link in the anonymous notice');
    const units = page.locator('main .outline-units a');
    assert((await units.count()) > 0, 'outline lists no units');
    for (const id of [HTML_UNIT, VIDEO_UNIT, PROBLEM_UNIT]) {
      const n = await page.locator(`main .outline-units a[href$="/${id}"]`).count();
      assert(n === 1, `outline has ${n} links to unit ${id}`);
    }
    await axeCheck(page);
  });

  // ---------------- 4. html unit
  await check('unit with html: content shown inline or in a titled sandboxed iframe, passes axe', async () => {
    assert(started, 'not started (previous check failed)');
    await clickAndWait(page, page.locator(`main .outline-units a[href$="/${HTML_UNIT}"]`), (p) => samePath(p, unitPath(HTML_UNIT)));
    assert(await h1Text(page), 'unit has no h1');
    const inline = page.locator('main .block-html .html-block');
    const frames = page.locator('main .block-html iframe');
    const ni = await inline.count();
    const nf = await frames.count();
    assert(ni + nf > 0, 'unit has no html block');
    if (ni > 0) {
      const text = (await inline.first().innerText()).trim();
      assert(text.length > 20, `inline html block is (almost) empty: ${JSON.stringify(text)}`);
    }
    for (let i = 0; i < nf; i++) {
      const f = frames.nth(i);
      assert((await f.getAttribute('title'))?.trim(), `html iframe #${i + 1} has no title`);
      assert((await f.getAttribute('sandbox')) !== null, `html iframe #${i + 1} is not sandboxed`);
    }
    const nav = page.locator('main nav.sequence-nav a[aria-current="page"]');
    assert((await nav.count()) === 1, 'sequence navigation does not mark the current unit');
    await axeCheck(page);
  });

  await check('unit with html: "Następna" pager link goes to the next unit', async () => {
    assert(started, 'not started (previous check failed)');
    const before = pathOf(page.url());
    const next = page.locator('main nav.unit-pager a[rel=next]');
    assert((await next.count()) === 1, 'no rel=next link in the pager');
    const href = await next.getAttribute('href');
    await clickAndWait(page, next, (p) => samePath(p, href) && p !== before);
    const current = page.locator('main nav.sequence-nav a[aria-current="page"]');
    assert(samePath(await current.getAttribute('href'), href), 'sequence navigation does not mark the new unit');
  });

  // ---------------- 5. video unit
  for (const [what, unit] of [['YouTube video with transcripts', VIDEO_UNIT], ['<video> player', PLAYER_UNIT]]) {
  await check(`unit with ${what}: player or YouTube link, transcripts served, <track> for every <video>, passes axe`, async () => {
    assert(started, 'not started (previous check failed)');
    await gotoOk(page, unitPath(unit));
    const blocks = page.locator('main section.block-video');
    const nb = await blocks.count();
    assert(nb > 0, 'unit has no video block');
    for (let i = 0; i < nb; i++) {
      const b = blocks.nth(i);
      const videos = b.locator('video');
      const yt = b.locator('a[href^="https://www.youtube.com/"]');
      const nv = await videos.count();
      assert(nv + (await yt.count()) > 0, `video block #${i + 1} has neither <video> nor a YouTube link`);
      const downloads = b.locator('.video-transcripts a[href*="/transkrypcja/"]');
      const nd = await downloads.count();
      for (let v = 0; v < nv; v++) {
        const video = videos.nth(v);
        assert((await video.getAttribute('controls')) !== null, `<video> in block #${i + 1} has no controls`);
        const tracks = await video.locator('track[kind="captions"], track[kind="subtitles"]').count();
        assert(nd === 0 || tracks >= nd, `<video> in block #${i + 1} has ${tracks} caption <track>(s) for ${nd} transcript(s)`);
      }
      // Every transcript the page offers is really there: plain text for download,
      // WebVTT for <track> (what a <video> of this block would load).
      for (let d = 0; d < nd; d++) {
        const href = await downloads.nth(d).getAttribute('href');
        const txt = await page.request.get(url(href));
        assert(txt.status() === 200, `GET ${href}: HTTP ${txt.status()}`);
        assert((await txt.text()).trim().length > 0, `${href} is empty`);
        const vttHref = href.replace(/\.txt$/, '.vtt');
        const vtt = await page.request.get(url(vttHref));
        assert(vtt.status() === 200, `GET ${vttHref}: HTTP ${vtt.status()}`);
        assert((await vtt.text()).startsWith('WEBVTT'), `${vttHref} is not WebVTT`);
      }
      for (const t of await b.locator('video track').all()) {
        const src = await t.getAttribute('src');
        const r = await page.request.get(url(src));
        assert(r.status() === 200 && (await r.text()).startsWith('WEBVTT'), `<track src="${src}"> is not served as WebVTT`);
        assert((await t.getAttribute('srclang')) && (await t.getAttribute('label')), `<track src="${src}"> lacks srclang/label`);
      }
    }
    const vids = page.locator('main section.block-video video');
    for (let i = 0; i < (await vids.count()); i++) {
      assert(await vids.nth(i).isVisible(), `<video> #${i + 1} is not visible`);
      const name = (await vids.nth(i).getAttribute('aria-label')) || (await vids.nth(i).getAttribute('title'));
      assert(name && name.trim(), `<video> #${i + 1} has no accessible name`);
    }
    await axeCheck(page);
  });
  }

  // ---------------- 6. multiple-choice problem, keyboard only
  const sectionSel = `main section.problem#block-${PROBLEM_ID}`;
  const radioSel = `${sectionSel} input[type=radio]`;
  let problemShown = false;
  await check('unit with problem: multiple-choice problem is a fieldset with a legend, passes axe', async () => {
    assert(started, 'not started (previous check failed)');
    await gotoOk(page, unitPath(PROBLEM_UNIT));
    assert((await page.locator(sectionSel).count()) === 1, `no ${sectionSel}`);
    assert((await page.locator(`${sectionSel} form.capa-form`).count()) === 1, 'problem has no form.capa-form');
    const radios = page.locator(radioSel);
    assert((await radios.count()) >= 2, `problem has ${await radios.count()} radio buttons`);
    assert((await page.locator(`${sectionSel} fieldset legend`).count()) > 0, 'radio group has no fieldset/legend');
    const fb = page.locator(`${sectionSel} .problem-feedback`);
    assert((await fb.count()) === 1 && (await fb.getAttribute('role')) === 'status', 'no .problem-feedback[role=status]');
    problemShown = true;
    await assertUniqueIds(page);
    await axeCheck(page);
  });

  let answered = false;
  let pickedLabel = null;
  let statusAfter = null; // e.g. "✗ Niepoprawnie" next to the choices
  let metaAfter = null; // e.g. "1 z 1 pkt"
  await check('keyboard: Tab to the first choice, Space/Arrow keys to pick, Enter on "Sprawdź" announces the result', async () => {
    assert(problemShown, 'problem not shown (previous check failed)');
    await gotoOk(page, unitPath(PROBLEM_UNIT));
    // Known starting point: the skip link (first Tab), Enter moves focus to <main>.
    await page.keyboard.press('Tab');
    let f = await activeInfo(page);
    assert(f && f.cls.split(/\s+/).includes('skip-link'), `first Tab focused ${describe(f)}, expected the skip link`);
    await page.keyboard.press('Enter');
    f = await activeInfo(page);
    assert(f && f.id === 'main', `Enter on the skip link focused ${describe(f)}, expected <main id=main>`);
    // Tab through main until the first radio of the problem has focus.
    const radioIds = await page.locator(radioSel).evaluateAll((els) => els.map((e) => e.id));
    const firstId = radioIds[0];
    let tabs = 0;
    for (; tabs < 150; tabs++) {
      await page.keyboard.press('Tab');
      f = await activeInfo(page);
      if (f && radioIds.includes(f.id)) break;
    }
    assert(f && radioIds.includes(f.id), `no choice of the problem reached after ${tabs} Tab presses (focus on ${describe(f)})`);
    assert(f.id === firstId, `Tab into the unanswered group focused ${describe(f)}, expected the first choice`);
    // Focus must be visible (WCAG 2.4.7): some outline or box-shadow on the focused radio.
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    });
    assert(ring, 'the focused radio button has no visible focus indicator');
    // Arrow keys move within the group and select; Space selects the focused one.
    await page.keyboard.press('ArrowDown');
    f = await activeInfo(page);
    assert(f.id === radioIds[1], `ArrowDown moved focus to ${describe(f)}, expected the second choice`);
    assert(await page.locator(`#${radioIds[1]}`).isChecked(), 'ArrowDown did not select the second choice');
    await page.keyboard.press('ArrowUp');
    f = await activeInfo(page);
    assert(f.id === firstId, `ArrowUp moved focus to ${describe(f)}, expected the first choice`);
    await page.keyboard.press('Space');
    assert(await page.locator(`#${firstId}`).isChecked(), 'Space did not select the first choice');
    pickedLabel = (await page.locator(`label[for="${firstId}"]`).innerText()).trim();
    // Tab leaves the radio group (one tab stop) and lands on the Submit button.
    await page.keyboard.press('Tab');
    f = await activeInfo(page);
    assert(
      f && f.tag === 'button' && f.name === 'action' && f.value === 'check',
      `Tab after the choices focused ${describe(f)}, expected the "Sprawdź" button (action=check)`,
    );
    const respP = page.waitForResponse(
      (r) => r.request().method() === 'POST' && pathOf(r.url()).endsWith(`/problem/${PROBLEM_ID}`),
    );
    await page.keyboard.press('Enter');
    const resp = await respP;
    assert(resp.status() === 200, `problem POST answered HTTP ${resp.status()}`);
    assert(samePath(pathOf(page.url()), unitPath(PROBLEM_UNIT)), `page navigated away to ${pathOf(page.url())}`);
    // courseware.js swaps the problem and moves focus to its feedback region.
    await page.waitForFunction(
      (sel) => {
        const fb = document.querySelector(sel);
        return fb && document.activeElement === fb && fb.textContent.trim().length > 0;
      },
      `${sectionSel} .problem-feedback`,
      { timeout: 10_000 },
    ).catch(() => {});
    const fb = page.locator(`${sectionSel} .problem-feedback`);
    assert((await fb.count()) === 1, 'no .problem-feedback after the answer');
    assert((await fb.getAttribute('role')) === 'status', 'feedback region lost role=status');
    const text = (await fb.innerText()).trim();
    assert(RESULT_RE.test(text), `feedback says ${JSON.stringify(text)}, expected the result`);
    f = await activeInfo(page);
    assert(f && f.cls.split(/\s+/).includes('problem-feedback'), `focus after the answer is on ${describe(f)}, expected .problem-feedback`);
    assert(await page.locator(`#${firstId}`).isChecked(), 'the chosen answer is not shown as chosen after the swap');
    statusAfter = (await page.locator(`${sectionSel} .capa-status`).first().innerText()).trim();
    metaAfter = (await page.locator(`${sectionSel} .problem-meta`).innerText()).trim();
    assert(/Poprawnie|Niepoprawnie|Częściowo/.test(statusAfter), `the answer's status says ${JSON.stringify(statusAfter)}`);
    answered = true;
  });

  await check('axe: problem unit after the answer (swapped problem), ids still unique', async () => {
    assert(answered, 'problem not answered (previous check failed)');
    await assertUniqueIds(page);
    await axeCheck(page);
  });

  await check('problem: the answer and its result survive a reload', async () => {
    assert(answered, 'problem not answered (previous check failed)');
    await gotoOk(page, unitPath(PROBLEM_UNIT));
    const checked = page.locator(`${radioSel}:checked`);
    assert((await checked.count()) === 1, 'no choice checked after reload');
    const id = await checked.getAttribute('id');
    const label = (await page.locator(`label[for="${id}"]`).innerText()).trim();
    assert(label === pickedLabel, `after reload ${JSON.stringify(label)} is checked, expected ${JSON.stringify(pickedLabel)}`);
    await expectSameResult(page, 'after reload');
  });

  // The problem as rendered later shows the same result as right after answering.
  async function expectSameResult(page, when) {
    const status = (await page.locator(`${sectionSel} .capa-status`).first().innerText()).trim();
    assert(status === statusAfter, `status ${when} is ${JSON.stringify(status)}, was ${JSON.stringify(statusAfter)}`);
    const meta = (await page.locator(`${sectionSel} .problem-meta`).innerText()).trim();
    assert(meta === metaAfter, `points ${when} are ${JSON.stringify(meta)}, were ${JSON.stringify(metaAfter)}`);
  }

  // ---------------- 7. progress
  let seqTitle = null;
  let anonPoints = null;
  await check('progress: course tab opens /postep with chart and tables showing the score, passes axe', async () => {
    assert(answered, 'problem not answered (previous check failed)');
    seqTitle = await page.evaluate(() => {
      const li = document.querySelectorAll('main nav.breadcrumbs li');
      return li.length >= 3 ? li[2].textContent.trim() : null;
    });
    assert(seqTitle, 'cannot read the subsection title from the breadcrumbs');
    await gotoOk(page, OUTLINE);
    await clickAndWait(page, page.locator('main nav.course-tabs a[href$="/postep"]'), (p) => samePath(p, PROGRESS));
    assert(await h1Text(page), 'progress page has no h1');
    const svg = page.locator('main figure.progress-chart svg[role=img]');
    assert((await svg.count()) === 1, 'no accessible SVG chart (svg[role=img] in figure.progress-chart)');
    assert((await page.locator('main table caption').count()) >= 1, 'progress tables have no caption');
    anonPoints = await subsectionPoints(page, seqTitle);
    assert(anonPoints !== null, `no row for "${seqTitle}" in the subsections table`);
    assert(earnedOf(anonPoints) > 0, `"${seqTitle}" shows ${JSON.stringify(anonPoints)} points, expected the answered problem's score`);
    await axeCheck(page);
  });

  // ---------------- 8. register, progress merged
  let registered = false;
  await check('register: link in the anonymous notice, new account returns to the course', async () => {
    assert(started, 'not started (previous check failed)');
    await gotoOk(page, unitPath(PROBLEM_UNIT));
    const link = page.locator('main .notice a[href^="/rejestracja"]');
    assert((await link.count()) === 1, 'no registration link in the anonymous notice');
    await clickAndWait(page, link, '/rejestracja');
    await axeCheck(page);
    await page.locator('#full_name').fill(FULL_NAME);
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password_confirm').fill(PASSWORD);
    await page.locator('#accept_terms').check();
    await clickAndWait(page, page.locator('main form button[type=submit]'), (p) => p !== '/rejestracja');
    const p = pathOf(page.url());
    if (p === '/rejestracja') {
      const errs = await page.locator('.error-summary').allInnerTexts().catch(() => []);
      throw new CheckError(`registration failed${errs.length ? `: ${errs.join(' | ').replace(/\s+/g, ' ')}` : ''}`);
    }
    registered = true;
    assert((await page.locator('a.account-link').count()) > 0, 'no a.account-link in the header after registration');
    assert(samePath(p, unitPath(PROBLEM_UNIT)), `after registration landed on ${p}, expected back on the unit`);
    assert((await page.locator('main .notice a[href^="/rejestracja"]').count()) === 0, 'anonymous notice still shown after registration');
  });

  await check('progress after registration: the anonymous score moved to the account, passes axe', async () => {
    assert(registered, 'not registered (previous check failed)');
    assert(anonPoints !== null, 'no anonymous score to compare (previous check failed)');
    await gotoOk(page, PROGRESS);
    assert((await page.locator('main .notice').count()) === 0, 'anonymous notice still shown on the progress page');
    const points = await subsectionPoints(page, seqTitle);
    assert(points === anonPoints, `"${seqTitle}" shows ${JSON.stringify(points)} points, expected ${JSON.stringify(anonPoints)} as before registering`);
    await axeCheck(page);
  });

  await check('problem after registration: the answer is still there', async () => {
    assert(registered, 'not registered (previous check failed)');
    await gotoOk(page, unitPath(PROBLEM_UNIT));
    const checked = page.locator(`${radioSel}:checked`);
    assert((await checked.count()) === 1, 'no choice checked on the problem after registration');
    await expectSameResult(page, 'after registration');
    await axeCheck(page);
  });

  // Poll and survey (the demo course's "Poll: Open edX features" and its survey), signed in.
  for (const [unit, kind] of [['32ff3f1fb27f4f39afbfb1a97a982019', 'poll or survey'], ['3f7cc4483cf54da29d7d8f1650bf141a', 'poll or survey']]) {
    await check(`${kind} in unit ${unit}: answer every question, results table, passes axe`, async () => {
      await gotoOk(page, unitPath(unit));
      const forms = page.locator('form.poll-form');
      const n = await forms.count();
      assert(n >= 1, 'no poll or survey form on the unit');
      const form = forms.first();
      const groups = form.locator('fieldset.poll-question');
      const g = await groups.count();
      assert(g >= 1, 'no question');
      for (let i = 0; i < g; i++) {
        await groups.nth(i).locator('input[type=radio]').first().check();
      }
      await axeCheck(page);
      await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
      await page.waitForSelector('table.poll-results', { timeout: ACTION_TIMEOUT_MS });
      const caption = (await page.locator('table.poll-results caption').first().innerText()).trim();
      assert(/Wyniki/.test(caption), `results caption ${JSON.stringify(caption)}`);
      await axeCheck(page);
    });
  }

  await page.context().close();
  if (stubbed > 0) console.log(`# ${stubbed} third-party request(s) of course content answered locally (offline test)`);
  await checkNoBrowserProblems();
}

await run(main, { defaultTimeoutMs: 150_000 });
