// End-to-end tests of the EST web UI in real Chromium (Debian's package) via playwright-core.
// Started by run.sh, which provides BASE_URL (a fresh demo database) and SCREENSHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8090';
const SHOTS = process.env.SCREENSHOTS ?? join(import.meta.dirname, 'screenshots');
const PASSWORD = 'demo-losen-2026';
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 900 } };
const TAG = `e2e-${Date.now().toString(36)}`;

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // playwright gives every launch a fresh temporary user-data-dir of its own
    ],
  });
});

after(async () => {
  await browser?.close();
});

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
  await page.waitForTimeout(300); // let Leaflet/uPlot finish drawing
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: full });
}

async function totalCount(page) {
  const el = page.getByTestId('total-count');
  await el.waitFor();
  return Number((await el.textContent()).replace(/\D/g, ''));
}

// The total once the page has settled: no request in flight and the same figure twice, 0.7 s
// apart (a refetch for new filters may start after a first quiet moment on a slow machine).
async function settledTotal(page) {
  let last = -1;
  for (let i = 0; i < 20; ++i) {
    await page.waitForLoadState('networkidle');
    const now = await totalCount(page);
    if (now === last) return now;
    last = now;
    await page.waitForTimeout(700);
  }
  return last;
}

async function pointsShown(page) {
  const el = page.getByTestId('points-note');
  await el.waitFor();
  const m = (await el.textContent()).match(/(\d[\d\s]*)/);
  return Number(m[1].replace(/\s/g, ''));
}

let before_total = 0;
let before_points = 0;

test('login page: Swedish, accessible, wrong password shown next to the form', async () => {
  const { context, page } = await newPage(DESKTOP);
  await page.goto(`${BASE}/`);
  await page.getByRole('heading', { name: 'Logga in' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  await axe(page, 'login');
  await shot(page, 'login-desktop');
  await page.getByLabel('Användarnamn').fill('samordnare');
  await page.getByLabel('Lösenord').fill('fel-losenord-123');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Fel användarnamn eller lösenord' }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('coordinator lands on the lägesbild of the last complete week; the running week is a click away', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  assert.match(page.url(), /#\/lagesbild/);
  assert.doesNotMatch(await page.getByTestId('period-label').textContent(), /hittills/);
  await totalCount(page);
  await page.getByTestId('running-period').click();
  await page.getByTestId('period-label').filter({ hasText: /hittills/ }).waitFor();
  await page.waitForLoadState('networkidle');
  before_total = await totalCount(page);
  before_points = await pointsShown(page);
  assert.ok(before_total > 0, 'the demo week has reports');
  await context.close();
});

test('reporter reports an event on a phone by tapping the map', async () => {
  const { context, page } = await newPage(PHONE);
  await login(page, 'rapportor.hem');
  assert.match(page.url(), /#\/rapportera/);
  await page.getByRole('heading', { name: 'Rapportera en händelse' }).waitFor();
  await page.locator('.leaflet-overlay-pane path').first().waitFor();
  await axe(page, 'rapportera (phone)');
  await shot(page, 'rapportera-phone');

  // Sending without anything chosen shows Swedish errors next to the fields.
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await page.locator('#category-error').waitFor();
  assert.match(await page.locator('#category-error').textContent(), /Måste fyllas i/);
  assert.match(await page.locator('#location-error').textContent(), /Ingen plats vald/);

  await page.locator('label[for^="cat-"]', { hasText: 'Klotter' }).click();
  // Tap the middle of the Tureberg area label's position on the map.
  const map = page.getByTestId('report-map');
  const label = page.locator('.area-label', { hasText: 'Tureberg' }).first();
  const lb = await label.boundingBox();
  const mb = await map.boundingBox();
  await map.tap({ position: { x: lb.x - mb.x + lb.width / 2, y: lb.y - mb.y + lb.height + 6 } });
  await page.getByTestId('chosen-location').filter({ hasText: 'Punkt på kartan' }).waitFor();
  await page.getByLabel('Misstänkt', { exact: true }).check();
  await page.getByLabel('Beskrivning').fill(`Nytt klotter på busskuren (${TAG}).`);
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await page.getByTestId('report-message').filter({ hasText: 'Tack! Rapporten är skickad' }).waitFor();
  await shot(page, 'rapportera-sent-phone');

  await page.getByRole('link', { name: 'Mina rapporter' }).click();
  await page.getByText(TAG).first().waitFor();
  assert.equal(await page.getByText(TAG).count(), 1);
  await axe(page, 'mina rapporter (phone)');
  await shot(page, 'mina-rapporter-phone');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a report typed offline is queued and sent once when the network returns', async () => {
  const { context, page } = await newPage(PHONE);
  await login(page, 'rapportor.hem');
  await page.locator('.leaflet-overlay-pane path').first().waitFor();
  await page.locator('label[for^="cat-"]', { hasText: 'Nedskräpning' }).click();
  await page.getByLabel('Sök plats').fill('station');
  await page.getByRole('button', { name: /Rotebro station/ }).click();
  await page.getByTestId('chosen-location').filter({ hasText: 'Rotebro station' }).waitFor();
  await page.getByLabel('Beskrivning').fill(`Skräp vid perrongen (${TAG}-offline).`);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await page.getByTestId('report-message').filter({ hasText: 'sparad i webbläsaren' }).waitFor();
  await page.getByRole('heading', { name: 'Väntar på att skickas' }).waitFor();
  await shot(page, 'rapportera-offline-phone');
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.getByRole('heading', { name: 'Väntar på att skickas' }).waitFor({ state: 'detached' });
  // Sending again (e.g. the answer was lost) must not duplicate: the queue is empty and the list has it once.
  await page.getByRole('link', { name: 'Mina rapporter' }).click();
  await page.getByText(`${TAG}-offline`).first().waitFor();
  assert.equal(await page.getByText(`${TAG}-offline`).count(), 1);
  await context.close();
});

test('coordinator sees the report in the review queue and marks it reviewed', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.getByRole('link', { name: 'Granskning' }).click();
  const item = page.locator('.review-item', { hasText: TAG }).filter({ hasNotText: `${TAG}-offline` });
  await item.waitFor();
  assert.match(await item.textContent(), /Tureberg/);
  await axe(page, 'granskning');
  await shot(page, 'granskning-desktop');
  await item.getByRole('button', { name: 'Granskad' }).click();
  await item.waitFor({ state: 'detached' });

  // bulk: select two and mark them reviewed
  const first = page.locator('.review-item').first();
  await first.waitFor();
  await page.locator('.review-item input[type=checkbox]').nth(0).check();
  await page.locator('.review-item input[type=checkbox]').nth(1).check();
  await page.getByRole('button', { name: /Markera valda som granskade/ }).click();
  await page.getByRole('status').filter({ hasText: '2 rapporter markerades som granskade' }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the week’s lägesbild counts the new reports, on the map too', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.getByTestId('running-period').click();
  await page.getByTestId('period-label').filter({ hasText: /hittills/ }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.locator('.leaflet-overlay-pane path').first().waitFor();
  const after_total = await totalCount(page);
  assert.equal(after_total, before_total + 2, 'two new reports this week (map tap + offline place)');
  assert.equal(await pointsShown(page), before_points + 2);
  // The Tureberg row counts klotter
  await page.locator('#rows-mode').selectOption('categories');
  const row = page.locator('tr[data-area="tureberg"][data-category="klotter"]');
  await row.waitFor();
  assert.ok(Number((await row.locator('td.num').first().textContent()).replace(/\D/g, '')) >= 1);
  assert.ok((await page.locator('.cluster, .report-point').count()) > 0, 'points or clusters on the map');
  await axe(page, 'lägesbild');
  await shot(page, 'lagesbild-desktop');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a filtered view can be shared: the URL opens the same filters elsewhere', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.locator('#f-area').selectOption('tureberg');
  await page.locator('#f-cat').selectOption('klotter');
  await page.locator('#f-kind').selectOption('month');
  await page.waitForURL(/area=tureberg/);
  await page.waitForURL(/category=klotter/);
  const shared = page.url();
  assert.match(shared, /period=\d{4}-\d{2}(&|$)/);
  // Read the figures only after the refetch for the new filters has finished (no stale total).
  const total = await settledTotal(page);
  const label = await page.getByTestId('period-label').textContent();
  const csv = await page.getByTestId('csv-link').getAttribute('href');
  assert.match(csv, /format=csv/);
  assert.match(csv, /area=tureberg/);
  const res = await page.request.get(new URL(csv, BASE).toString());
  assert.equal(res.status(), 200);
  assert.match(await res.text(), /^area_code,area_name,category/);

  const other = await newPage(PHONE);
  await login(other.page, 'lasare');
  await other.page.goto(shared);
  await other.page.getByTestId('period-label').filter({ hasText: label }).waitFor();
  assert.equal(await other.page.locator('#f-area').inputValue(), 'tureberg');
  assert.equal(await other.page.locator('#f-cat').inputValue(), 'klotter');
  assert.equal(await other.page.locator('#f-kind').inputValue(), 'month');
  assert.equal(await settledTotal(other.page), total);
  await other.page.locator('.leaflet-overlay-pane path').first().waitFor();
  await axe(other.page, 'lägesbild (phone)');
  await shot(other.page, 'lagesbild-phone');
  await other.context.close();
  await context.close();
});

test('English can be chosen and is remembered', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'lasare');
  await page.getByLabel('Språk').selectOption('en');
  await page.getByRole('heading', { name: /Situation picture/ }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: /Situation picture/ }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await axe(page, 'lägesbild (English)');
  await context.close();
});

test('screenshots at both sizes', async () => {
  for (const [name, device] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { context, page } = await newPage(device);
    await login(page, 'samordnare');
    await page.locator('.leaflet-overlay-pane path').first().waitFor();
    await shot(page, `lagesbild-coordinator-${name}`);
    await shot(page, `lagesbild-tabell-${name}`, { at: '#table-h' });
    await page.getByRole('link', { name: 'Granskning' }).click();
    await page.locator('.review-item').first().waitFor();
    await shot(page, `granskning-${name}`);
    await page.getByRole('link', { name: 'Rapportera' }).click();
    await page.locator('.leaflet-overlay-pane path').first().waitFor();
    await axe(page, `rapportera (${name})`);
    await shot(page, `rapportera-${name}`);
    await shot(page, `rapportera-karta-${name}`, { at: '[data-testid=report-map]' });
    await shot(page, `rapportera-full-${name}`, { full: true });
    await context.close();
  }
});
