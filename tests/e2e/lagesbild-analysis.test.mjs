// Browser tests of the lägesbild's analysis parts: map layers (Gi* hotspots, KDE heat, emerging
// hotspots), the weekly series, the hour × weekday table and the priority list.
// Started by run.sh (BASE_URL = a fresh demo database, SCREENSHOTS, CHROMIUM).
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

/** Cells Leaflet actually drew inside the view (off-screen paths get d="M0 0"). */
const DRAWN = (kind) => `path.${kind}-cell:not([d="M0 0"])`;
const pad = (n) => String(n).padStart(2, '0');
/** The previous calendar month as the API names it (the demo data has hotspots there). */
function previousMonth(now = new Date()) {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}
function currentTertial(now = new Date()) {
  return `${now.getFullYear()}-T${Math.ceil((now.getMonth() + 1) / 4)}`;
}

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close();
});

async function newPage(device) {
  const context = await browser.newContext({ ...device, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
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

async function shot(page, name, { at, full = false } = {}) {
  if (at) await page.locator(at).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(400); // let Leaflet/uPlot finish drawing
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: full });
}

async function openPicture(page, query) {
  await page.goto(`${BASE}/#/lagesbild?${query}`);
  await page.getByTestId('total-count').waitFor();
}

test('hotspots of the previous month are drawn with a legend; series and profile render; axe with all layers on', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  const month = previousMonth();
  await openPicture(page, `period=${month}`);

  // Layer control outside the map: hotspots on by default, the others off.
  const control = page.getByRole('group', { name: 'Kartlager' });
  assert.equal(await control.getByLabel('Hotspots (Gi*)').isChecked(), true);
  assert.equal(await control.getByLabel('Värmekarta (KDE)').isChecked(), false);
  assert.equal(await control.getByLabel('Framväxande hotspots').isChecked(), false);

  await page.locator(DRAWN('hotspot')).first().waitFor();
  const cells = await page.locator(DRAWN('hotspot')).count();
  assert.ok(cells >= 1, `hotspot cells drawn for ${month}`);
  // The map draws FDR-significant cells, and the legend says so.
  const legend = page.getByTestId('hotspot-legend');
  assert.match(await legend.textContent(), /FDR < 1 %/);
  assert.match(await legend.textContent(), /FDR < 5 %/);
  assert.match(await legend.textContent(), /Getis-Ord Gi\*/);
  assert.match(await page.getByTestId('hotspot-rule').textContent(), /Benjamini–Hochberg, högst 5 % falska upptäckter/);
  // Esri's uncorrected bins are an expert option, labelled as such, that draws at least as many.
  await legend.getByLabel('Visa okorrigerade klasser (expertläge)').check();
  assert.match(await page.getByTestId('hotspot-rule').textContent(), /okorrigerade/);
  assert.match(await legend.textContent(), /99 % säkerhet/);
  await page.locator(DRAWN('hotspot')).first().waitFor();
  const uncorrected = await page.locator(DRAWN('hotspot')).count();
  assert.ok(uncorrected >= cells, `uncorrected ${uncorrected} ≥ FDR ${cells}`);
  await legend.getByLabel('Visa okorrigerade klasser (expertläge)').uncheck();
  // The uncorrected cells are still drawn until the redraw: wait for the count to settle.
  for (let i = 0; i < 50 && (await page.locator(DRAWN('hotspot')).count()) !== cells; i++) await page.waitForTimeout(100);
  assert.equal(await page.locator(DRAWN('hotspot')).count(), cells);
  assert.match(await page.getByTestId('hotspot-summary').textContent(), /Kartan visar \d+ hotspotrutor/);

  // Weekly series: a uPlot canvas and a text summary for screen readers.
  await page.locator('[data-testid=series-chart] canvas').first().waitFor();
  const summary = await page.getByTestId('series-summary').textContent();
  assert.match(summary, /^Vecka \d{1,2}: \d+ rapporte?r?, normalt intervall \d+–\d+/);
  assert.equal(await page.getByTestId('series-chart').getAttribute('role'), 'img');
  assert.match(await page.getByTestId('series-chart').getAttribute('aria-label'), /Vecka \d/);

  // Hour × weekday: 7 × 24 shaded cells, numbers for screen readers, aoristic weighting explained.
  const table = page.getByTestId('profile-table');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 7);
  assert.equal(await table.locator('tbody tr').first().locator('td').count(), 24);
  assert.equal(await table.locator('thead th').count(), 25);
  const shaded = await table.locator('td:not(.shade-0)').count();
  assert.ok(shaded > 0, 'some cells are shaded');
  assert.equal(await table.locator('td[style]').count(), 0, 'shades come from CSS classes, not inline styles');
  assert.match(await table.locator('td .visually-hidden').first().textContent(), /^\d+(,\d)?$/);
  assert.match(await page.getByTestId('profile-panel').textContent(), /aoristisk viktning/);

  await shot(page, 'lagesbild-default-desktop', { at: '#map-h' });
  // The hotspot view: report points off so the cells are not hidden under the clusters.
  await control.getByLabel('Rapportpunkter').uncheck();
  await page.mouse.move(1, 1);
  await shot(page, 'lagesbild-hotspots-desktop', { at: '#map-h' });

  // A cell's popup names the FDR class.
  await control.getByLabel('Rapportpunkter').uncheck();
  await page.locator(DRAWN('hotspot')).first().click({ force: true });
  await page.locator('.leaflet-popup-content').filter({ hasText: /FDR/ }).waitFor();

  // Heat map: cells and a legend with the bandwidth from the response.
  await control.getByLabel('Värmekarta (KDE)').check();
  await page.locator(DRAWN('heat')).first().waitFor();
  assert.match(await page.getByTestId('heat-legend').textContent(), /bandbredd \d[\d\s]* m/);

  // Emerging hotspots: cells, legend and the Swedish pattern name in the popup.
  await control.getByLabel('Framväxande hotspots').check();
  await page.locator(DRAWN('emerging')).first().waitFor();
  const emLegend = await page.getByTestId('emerging-legend').textContent();
  assert.match(emLegend, /hotspot/i);
  await control.getByLabel('Rapportpunkter').uncheck();
  await page.locator(DRAWN('emerging')).first().click({ force: true });
  await page.locator('.leaflet-popup-content').filter({ hasText: /(Ny|Sammanhängande|Intensifierande|Ihållande|Avtagande|Sporadisk|Oscillerande|Historisk)/ }).waitFor();
  await control.getByLabel('Rapportpunkter').check();

  await axe(page, 'lägesbild with all layers on (popup open)');
  await page.locator('.leaflet-popup-close-button').click();
  await shot(page, 'lagesbild-layers-desktop', { at: '#map-h' });
  await shot(page, 'lagesbild-analysis-desktop', { at: '#series-h' });
  assert.deepEqual(page.problems, []);
  await context.close();
});

/** ISO week label of a local date. */
function isoWeekLabel(d) {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const y = t.getUTCFullYear();
  const w = Math.ceil(((t.getTime() - Date.UTC(y, 0, 1)) / 86400000 + 1) / 7);
  return `${y}-W${pad(w)}`;
}

test('the picture opens on the last complete week; the running week is a click away, labelled so far; no future week is plotted', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.goto(`${BASE}/#/lagesbild`);
  const now = new Date();
  const lastWeek = isoWeekLabel(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 7));
  const thisWeek = isoWeekLabel(now);
  const label = page.getByTestId('period-label');
  await label.filter({ hasText: `vecka ${Number(lastWeek.slice(6))} ` }).waitFor();
  assert.doesNotMatch(await label.textContent(), /hittills/);
  assert.equal(await page.getByTestId('running-note').count(), 0);

  // The running week, one click away: labelled "hittills t.o.m." and explained.
  await page.getByTestId('running-period').click();
  await page.waitForURL(new RegExp(`period=${thisWeek}`));
  await label.filter({ hasText: /hittills t\.o\.m\. (mån|tis|ons|tors|fre|lör|sön) \d{2}:\d{2}/ }).waitFor();
  assert.match(await page.getByTestId('running-note').textContent(), /samma tidpunkt/);
  assert.equal(await page.getByRole('button', { name: /Nästa/ }).isDisabled(), true, 'no stepping into the future');

  // The weekly series ends with this week, marked "hittills"; nothing after it.
  await page.locator('[data-testid=series-chart] canvas').first().waitFor();
  await page.getByText('Visa som tabell').first().click();
  const weeks = await page.locator('[data-testid=series-panel] tbody th[scope=row]').allTextContents();
  assert.ok(weeks.length > 0);
  assert.equal(weeks[weeks.length - 1], `${thisWeek} (hittills)`);
  assert.ok(weeks.every((w) => w.slice(0, 8) <= thisWeek), `no future week: ${weeks.slice(-3)}`);
  assert.match(await page.getByTestId('series-summary').textContent(), /veckan pågår/);
  assert.doesNotMatch(await page.getByTestId('series-summary').textContent(), /under det normala/);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a failing layer request shows a Swedish error next to the layer control', async () => {
  const { context, page } = await newPage(DESKTOP);
  await page.route('**/api/v1/heat**', (route) =>
    route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ status: 503, title: 'Tjänsten är inte tillgänglig' }) }),
  );
  await login(page, 'samordnare');
  await openPicture(page, `period=${previousMonth()}`);
  await page.getByLabel('Värmekarta (KDE)').check();
  const err = page.getByTestId('layer-error-heat');
  await err.waitFor();
  assert.match(await err.textContent(), /Kunde inte hämta Värmekarta \(KDE\)/);
  assert.equal(await err.getAttribute('role'), 'alert');
  await page.locator(DRAWN('hotspot')).first().waitFor(); // the other layers still work
  await context.close();
});

// run.sh imports the police's real feed of August 2026 into the demo: one event in Sollentuna
// in week 34 ("20 augusti 00.38, Rattfylleri, Sollentuna").
test('the police events count beside partner reports and can be left out', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  // Read the counts from the answers the page got, then see the page show them (the default
  // week's figure may be on screen for a moment before the chosen week's arrives).
  const answer = (police) =>
    page.waitForResponse((r) => r.url().includes('/api/v1/lagesbild?') && r.url().includes('period=2026-W34') && r.url().includes('police=false') === police);
  const shown = (n) => page.getByTestId('total-count').filter({ hasText: new RegExp(`^${n}$`) }).waitFor();
  const first = answer(false);
  await openPicture(page, 'period=2026-W34');
  const withPolice = (await (await first).json()).totals.count;
  await shown(withPolice);
  const second = answer(true);
  await page.getByLabel('Källor').selectOption({ label: 'Bara partnerna' });
  const partnersOnly = (await (await second).json()).totals.count;
  assert.equal(partnersOnly, withPolice - 1, 'the one police event of the week');
  await shown(partnersOnly);
  assert.match(page.url(), /police=false/);
  await axe(page, 'lägesbild utan polisens händelser');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('priority for a tertial ranks areas by need and influence with reasons', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  // A week has no ranking; the button switches to the current tertial.
  await openPicture(page, '');
  const panel = page.getByTestId('priority-panel');
  await panel.getByRole('button', { name: 'Visa innevarande tertial' }).click();
  await page.waitForURL(new RegExp(`period=${currentTertial()}`));

  const list = page.getByTestId('priority-list');
  await list.waitFor();
  const items = list.locator(':scope > li');
  const n = await items.count();
  assert.ok(n >= 3, `ranked areas (${n})`);
  assert.match(await items.first().textContent(), /Behov: plats 1 av \d+/);
  assert.match(await items.first().textContent(), /Möjlighet att påverka: plats \d+ av \d+/);
  for (let i = 0; i < n; i++) assert.ok((await items.nth(i).locator('.pi-reasons li').count()) >= 1, `reasons for area ${i + 1}`);
  assert.match(await items.first().locator('.pi-reasons').textContent(), /rapporter|hotspot|organisationer/i);

  await page.getByLabel('Sortera efter').selectOption('influence');
  assert.match(await items.first().textContent(), /Möjlighet att påverka: plats 1 av/);
  await axe(page, 'lägesbild, tertial with priority');
  await shot(page, 'lagesbild-prioritering-desktop', { at: '#priority-h' });
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('phone: hotspots, series and profile fit and pass axe', async () => {
  const { context, page } = await newPage(PHONE);
  await login(page, 'lasare');
  await openPicture(page, `period=${previousMonth()}`);
  await page.locator(DRAWN('hotspot')).first().waitFor();
  await page.getByTestId('profile-table').waitFor();
  await page.locator('[data-testid=series-chart] canvas').first().waitFor();
  // Nothing but the scrollable table regions may be wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page overflows horizontally by ${overflow}px`);
  await axe(page, 'lägesbild with hotspots (phone)');
  await page.getByLabel('Rapportpunkter').uncheck();
  await shot(page, 'lagesbild-hotspots-phone', { at: '#map-h' });
  await shot(page, 'lagesbild-series-phone', { at: '#series-h' });
  await shot(page, 'lagesbild-profil-phone', { at: '#profile-h' });
  assert.deepEqual(page.problems, []);
  await context.close();
});
