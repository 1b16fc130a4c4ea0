// End-to-end tests of the review queue (reject with a reason, duplicate-of, move, bulk, 409) and of
// several events in one report, in real Chromium (Debian's package) via playwright-core.
// Started by run.sh, which provides BASE_URL (a fresh demo database) and SCREENSHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, request } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8090';
const SHOTS = process.env.SCREENSHOTS ?? join(import.meta.dirname, 'screenshots');
const PASSWORD = 'demo-losen-2026';
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 900 } };
const TAG = `rv-${Date.now().toString(36)}`;

let browser;
let reporter; // API session of rapportor.hem
let coordinator; // API session of samordnare
const made = {}; // name → report created for the tests

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
  reporter = await apiAs('rapportor.hem');
  coordinator = await apiAs('samordnare');
  const ago = (min) => new Date(Date.now() - min * 60_000).toISOString();
  const seed = [
    // an original and its duplicate ~30 m away, half an hour apart
    ['original', { category: 'klotter', lon: 17.944, lat: 59.4318, at: ago(90) }],
    ['dubblett', { category: 'klotter', lon: 17.9444, lat: 59.432, at: ago(60) }],
    // same category but 2 km away: must not be offered as an original
    ['langtbort', { category: 'klotter', lon: 17.9105, lat: 59.4772, at: ago(70) }],
    ['flytta', { category: 'nedskrapning', lon: 17.95, lat: 59.43, at: ago(50) }],
    ['avvisa', { category: 'fysisk_miljo', lon: 17.94, lat: 59.43, at: ago(40) }],
    ['konflikt', { category: 'fysisk_miljo', lon: 17.94, lat: 59.431, at: ago(35) }],
    ['bulk-1', { category: 'otrygg_plats', lon: 17.96, lat: 59.41, at: ago(30) }],
    ['bulk-2', { category: 'otrygg_plats', lon: 17.961, lat: 59.411, at: ago(29) }],
    ['bulkrej-1', { category: 'ordningsstorning', lon: 17.93, lat: 59.44, at: ago(20) }],
    ['bulkrej-2', { category: 'ordningsstorning', lon: 17.931, lat: 59.441, at: ago(19) }],
  ];
  for (const [name, s] of seed) {
    made[name] = await reporter.post('/reports', {
      occurred_from: s.at,
      location: { lon: s.lon, lat: s.lat },
      category: s.category,
      description: `Testrapport ${TAG}-${name}.`,
    });
    assert.ok(made[name].id, `created ${name}`);
  }
});

after(async () => {
  await browser?.close();
  await reporter?.ctx.dispose();
  await coordinator?.ctx.dispose();
});

/** A logged-in API session (cookie + CSRF token) for setting up and checking data. */
async function apiAs(login) {
  const ctx = await request.newContext({ baseURL: BASE });
  const res = await ctx.post('/api/v1/auth/login', { data: { login, password: PASSWORD } });
  assert.equal(res.status(), 200, `login ${login}`);
  const { csrf_token } = await res.json();
  const json = async (r) => {
    const body = await r.json();
    assert.ok(r.ok(), `${r.url()}: ${r.status()} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    ctx,
    get: (path) => ctx.get(`/api/v1${path}`).then(json),
    post: (path, data) => ctx.post(`/api/v1${path}`, { data, headers: { 'X-CSRF-Token': csrf_token } }).then(json),
    patch: (path, data) => ctx.patch(`/api/v1${path}`, { data, headers: { 'X-CSRF-Token': csrf_token } }).then(json),
  };
}

async function newPage(device, opts = {}) {
  const context = await browser.newContext({ ...device, locale: 'sv-SE', timezoneId: 'Europe/Stockholm', ...opts });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return { context, page };
}

async function login(page, user) {
  await page.goto(`${BASE}/#/login`);
  await page.getByLabel('Användarnamn').fill(user);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.locator('main h1').filter({ hasNotText: 'Logga in' }).waitFor();
}

async function axe(page, name) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const v = result.violations.map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(v, [], `axe violations on ${name}`);
}

async function shot(page, name, { full = false, at } = {}) {
  if (at) await page.locator(at).first().scrollIntoViewIfNeeded();
  await page.waitForTimeout(300); // let Leaflet finish drawing
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: full });
}

async function reviewPage(device = DESKTOP) {
  const { context, page } = await newPage(device);
  await login(page, 'samordnare');
  await page.getByRole('link', { name: 'Granskning' }).click();
  await page.locator('.review-item').first().waitFor();
  return { context, page };
}

const row = (page, name) => page.locator(`.review-item[data-report-id="${made[name].id}"]`);

test('reject with a reason: an empty reason is refused by the server in Swedish, a quick choice works', async () => {
  const { context, page } = await reviewPage();
  const item = row(page, 'avvisa');
  await item.waitFor();
  await item.getByRole('button', { name: 'Avvisa …' }).click();
  const panel = item.getByRole('region', { name: `Avvisa rapport #${made.avvisa.id}` });
  await panel.waitFor();
  await axe(page, 'granskning, avvisa-panelen');

  // No reason: the server says no (400, field review_note) and the reason is shown next to the text box.
  await panel.getByRole('button', { name: 'Avvisa rapporten' }).click();
  const err = panel.getByRole('alert');
  await err.waitFor();
  assert.match(await err.textContent(), /Anledning: Ange varför rapporten avvisas/);
  assert.equal(await panel.getByLabel('Anledning', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal((await coordinator.get(`/reports/${made.avvisa.id}`)).status, 'new');

  // A quick choice fills in the reason; it can be completed with free text.
  await panel.getByRole('button', { name: 'Fel kommun' }).click();
  const reason = panel.getByLabel('Anledning', { exact: true });
  assert.equal(await reason.inputValue(), 'Fel kommun');
  await reason.fill('Fel kommun – hände i grannkommunen');
  await panel.getByRole('button', { name: 'Avvisa rapporten' }).click();
  await item.waitFor({ state: 'detached' });
  await page.getByTestId('review-message').filter({ hasText: `Rapport #${made.avvisa.id} avvisades.` }).waitFor();
  const after = await coordinator.get(`/reports/${made.avvisa.id}`);
  assert.equal(after.status, 'rejected');
  assert.equal(after.review_note, 'Fel kommun – hände i grannkommunen');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('mark a duplicate: nearby originals are offered, a typed id works, the original’s summary is shown', async () => {
  const { context, page } = await reviewPage();
  const item = row(page, 'dubblett');
  await item.getByRole('button', { name: 'Dubblett …' }).click();
  const panel = item.getByRole('region', { name: `Markera #${made.dubblett.id} som dubblett` });
  const list = panel.getByRole('group', { name: 'Möjliga original' });
  await list.waitFor();
  const offered = await list.locator('label').allTextContents();
  assert.ok(offered.some((t) => t.includes(`#${made.original.id}`) && t.includes(`${TAG}-original`)), `original offered: ${offered}`);
  assert.ok(!offered.some((t) => t.includes(`${TAG}-langtbort`)), 'a report 2 km away is not offered');
  assert.ok(!offered.some((t) => t.includes(`#${made.dubblett.id} `)), 'not itself');

  // Typing its own id is refused; typing the original's id shows its summary.
  const idField = panel.getByLabel('Eller skriv originalets rapportnummer');
  await idField.fill(String(made.dubblett.id));
  await panel.getByRole('button', { name: 'Visa' }).click();
  await panel.getByText('En rapport kan inte vara dubblett av sig själv.').waitFor();
  await idField.fill(`#${made.original.id}`);
  await panel.getByRole('button', { name: 'Visa' }).click();
  const chosen = panel.getByTestId('dup-chosen');
  await chosen.filter({ hasText: `${TAG}-original` }).waitFor();
  assert.match(await chosen.textContent(), /Valt original: #\d+ Klotter .* m bort/);
  await shot(page, 'review-desktop', { at: `.review-item[data-report-id="${made.dubblett.id}"]` });

  await panel.getByLabel(new RegExp(`#${made.original.id}`)).check();
  await panel.getByRole('button', { name: `Markera som dubblett av #${made.original.id}` }).click();
  await item.waitFor({ state: 'detached' });
  await page.getByTestId('review-message').filter({ hasText: `markerades som dubblett av #${made.original.id}` }).waitFor();
  const after = await coordinator.get(`/reports/${made.dubblett.id}`);
  assert.equal(after.status, 'duplicate');
  assert.equal(after.duplicate_of, made.original.id);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('move a report to a named place, then to a point tapped on the map', async () => {
  const { context, page } = await reviewPage();
  const places = (await coordinator.get('/places')).items;
  const station = places.find((p) => p.name === 'Rotebro station');
  const item = row(page, 'flytta');
  await item.getByRole('button', { name: 'Ändra plats …' }).click();
  const panel = item.getByRole('region', { name: `Ändra plats för #${made.flytta.id}` });
  await panel.locator('.leaflet-overlay-pane path').first().waitFor();
  await panel.getByLabel('Namngiven plats').selectOption({ label: 'Rotebro station (station)' });
  await panel.getByTestId('move-chosen').filter({ hasText: 'Rotebro station' }).waitFor();
  await axe(page, 'granskning, flytta-panelen');
  await panel.getByRole('button', { name: 'Spara ny plats' }).click();
  await item.getByText(`Rapport #${made.flytta.id} flyttades till Rotebro station (Rotebro).`).waitFor();
  assert.equal(await item.getByTestId('row-place').textContent(), 'Rotebro station');
  let after = await coordinator.get(`/reports/${made.flytta.id}`);
  assert.equal(after.place, station.id);
  assert.equal(after.area.code, 'rotebro');

  // Tap the map: a point, no named place.
  await item.getByRole('button', { name: 'Ändra plats …' }).click();
  const map = panel.getByTestId('move-map');
  await panel.locator('.leaflet-overlay-pane path').first().waitFor();
  await page.waitForTimeout(300);
  const box = await map.boundingBox();
  await map.click({ position: { x: box.width / 2 + 20, y: box.height / 2 + 20 } });
  await panel.getByTestId('move-chosen').filter({ hasText: 'punkt på kartan' }).waitFor();
  await panel.getByRole('button', { name: 'Spara ny plats' }).click();
  await item.getByText(`Rapport #${made.flytta.id} flyttades till`).waitFor();
  after = await coordinator.get(`/reports/${made.flytta.id}`);
  assert.equal(after.place, null);
  assert.ok(after.version > made.flytta.version + 1);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a stale row (409) is reloaded and can then be approved', async () => {
  const { context, page } = await reviewPage();
  const item = row(page, 'konflikt');
  await item.waitFor();
  // Someone else changes the report after the list was loaded.
  await coordinator.patch(`/reports/${made.konflikt.id}`, { version: made.konflikt.version, category: 'klotter' });
  await item.getByRole('button', { name: 'Granskad' }).click();
  await item.getByTestId('row-error').filter({ hasText: 'Någon annan hann ändra rapporten. Raden har lästs om' }).waitFor();
  assert.equal(await item.getByLabel('Kategori').inputValue(), 'klotter', 'the row shows the fresh report');
  await item.getByRole('button', { name: 'Granskad' }).click();
  await item.waitFor({ state: 'detached' });
  assert.equal((await coordinator.get(`/reports/${made.konflikt.id}`)).status, 'reviewed');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('bulk: approve two, then reject two with one reason', async () => {
  const { context, page } = await reviewPage();
  await page.locator(`#sel-${made['bulk-1'].id}`).check();
  await page.locator(`#sel-${made['bulk-2'].id}`).check();
  await page.getByRole('button', { name: 'Markera valda som granskade (2)' }).click();
  await page.getByRole('status').filter({ hasText: '2 rapporter markerades som granskade' }).waitFor();
  for (const n of ['bulk-1', 'bulk-2']) assert.equal((await coordinator.get(`/reports/${made[n].id}`)).status, 'reviewed');

  await page.locator(`#sel-${made['bulkrej-1'].id}`).check();
  await page.locator(`#sel-${made['bulkrej-2'].id}`).check();
  await page.getByRole('button', { name: 'Avvisa valda …' }).click();
  const panel = page.getByRole('region', { name: 'Avvisa 2 valda rapporter' });
  await panel.waitFor();
  // Without a reason the server refuses, and nothing is rejected.
  await panel.getByRole('button', { name: 'Avvisa 2 rapporter' }).click();
  await panel.getByRole('alert').filter({ hasText: 'Ange varför rapporten avvisas' }).waitFor();
  await panel.getByRole('button', { name: 'Inte en EST-händelse' }).click();
  await panel.getByRole('button', { name: 'Avvisa 2 rapporter' }).click();
  await page.getByRole('status').filter({ hasText: '2 rapporter avvisades.' }).waitFor();
  for (const n of ['bulkrej-1', 'bulkrej-2']) {
    const r = await coordinator.get(`/reports/${made[n].id}`);
    assert.equal(r.status, 'rejected');
    assert.equal(r.review_note, 'Inte en EST-händelse');
  }
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the review queue is usable at 390 px', async () => {
  const { context, page } = await reviewPage(PHONE);
  const item = row(page, 'original');
  await item.getByRole('button', { name: 'Avvisa …' }).click();
  await item.getByRole('region').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px too wide)`);
  await axe(page, 'granskning (phone)');
  await shot(page, 'review-phone', { at: `.review-item[data-report-id="${made.original.id}"]` });
  await item.getByRole('button', { name: 'Avbryt' }).click();
  await item.getByRole('region').waitFor({ state: 'detached' });
  assert.deepEqual(page.problems, []);
  await context.close();
});

async function fillEvent(page, { category, place, area, description, time }) {
  await page.locator('label[for^="cat-"]', { hasText: category }).click();
  if (place) {
    await page.getByLabel('Sök plats').fill(place.slice(0, 6));
    await page.getByRole('button', { name: new RegExp(place) }).click();
    await page.getByTestId('chosen-location').filter({ hasText: place }).waitFor();
  }
  if (area) await page.locator('#area-sel').selectOption(area);
  if (time) {
    await page.getByLabel('Igår', { exact: true }).check();
    await page.getByLabel('Klockslag').fill(time);
  }
  await page.getByLabel('Beskrivning').fill(description);
}

test('a reporter sends two events in one report from a phone and sees both in Mina rapporter', async () => {
  const { context, page } = await newPage(PHONE);
  await login(page, 'rapportor.hem');
  await page.locator('.leaflet-overlay-pane path').first().waitFor();
  await fillEvent(page, { category: 'Klotter', place: 'Turebergs torg', description: `Klotter på elskåpet (${TAG}-multi-1).` });
  await page.getByRole('button', { name: 'Lägg till en händelse till' }).click();
  const list = page.getByTestId('batch-list');
  await list.getByRole('heading', { name: 'Händelser i rapporten (1)' }).waitFor();
  assert.match(await list.textContent(), /Klotter.*Turebergs torg/);
  assert.equal(await page.getByLabel('Beskrivning').inputValue(), '', 'the form is empty for the next event');

  // Nothing typed is lost: the added event survives a reload.
  await page.reload();
  await page.getByTestId('batch-list').getByRole('heading', { name: 'Händelser i rapporten (1)' }).waitFor();
  await page.locator('.leaflet-overlay-pane path').first().waitFor();

  await fillEvent(page, { category: 'Nedskräpning', area: 'rotebro', description: `Skräp vid stationen (${TAG}-multi-2).`, time: '12:00' });
  await page.getByRole('button', { name: 'Granska och skicka 2 händelser' }).click();
  const summary = page.getByTestId('batch-summary');
  await summary.getByRole('heading', { name: 'Sammanfattning: 2 händelser' }).waitFor();
  const items = summary.locator('li');
  assert.equal(await items.count(), 2);
  assert.match(await items.nth(0).textContent(), new RegExp(`Klotter.*Turebergs torg.*${TAG}-multi-1`));
  assert.match(await items.nth(1).textContent(), new RegExp(`Nedskräpning.*Rotebro.*12:00.*${TAG}-multi-2`));
  await axe(page, 'rapportera, sammanfattning (phone)');
  await shot(page, 'report-multi-phone');

  await summary.getByRole('button', { name: 'Skicka alla 2' }).click();
  await page.getByTestId('report-message').filter({ hasText: 'Tack! 2 händelser är skickade.' }).waitFor();
  assert.equal(await page.getByTestId('batch-list').count(), 0);
  assert.equal(await page.getByRole('heading', { name: 'Väntar på att skickas' }).count(), 0);
  await axe(page, 'rapportera efter flera händelser (phone)');

  await page.getByRole('link', { name: 'Mina rapporter' }).click();
  await page.getByText(`${TAG}-multi-2`).first().waitFor();
  assert.equal(await page.getByText(`${TAG}-multi-1`).count(), 1);
  assert.equal(await page.getByText(`${TAG}-multi-2`).count(), 1);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('two events sent while offline wait in the queue and arrive once each', async () => {
  const { context, page } = await newPage(PHONE);
  await login(page, 'rapportor.hem');
  await page.locator('.leaflet-overlay-pane path').first().waitFor();
  await fillEvent(page, { category: 'Klotter', place: 'Sollentuna station', description: `Klotter i tunneln (${TAG}-off-1).` });
  await page.getByRole('button', { name: 'Lägg till en händelse till' }).click();
  await fillEvent(page, { category: 'Klotter', place: 'Häggviks station', description: `Klotter på perrongen (${TAG}-off-2).` });
  await page.getByRole('button', { name: 'Granska och skicka 2 händelser' }).click();
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Skicka alla 2' }).click();
  await page.getByTestId('report-message').filter({ hasText: '2 händelser är sparade i webbläsaren' }).waitFor();
  await page.getByRole('heading', { name: 'Väntar på att skickas' }).waitFor();
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.getByRole('heading', { name: 'Väntar på att skickas' }).waitFor({ state: 'detached' });
  await page.getByRole('link', { name: 'Mina rapporter' }).click();
  await page.getByText(`${TAG}-off-2`).first().waitFor();
  assert.equal(await page.getByText(`${TAG}-off-1`).count(), 1);
  assert.equal(await page.getByText(`${TAG}-off-2`).count(), 1);
  await context.close();
});
