// Browser tests of the map's basemap and the address search, in Debian's Chromium.
// A loopback tile server (this file's own, on a free port) stands in for the municipality's or
// OpenStreetMap's: the administrator sets it in #/admin?tab=karta, and the report map and the
// lägesbild must draw its tiles with the attribution (the server's CSP lets exactly that host in).
// The address register is uploaded in the same tab; the report form then finds "Malmvägen 3".
// The basemap is removed again at the end, so the other files' maps stay as they were.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, SHOTS, PHONE, DESKTOP, newPage, login, axe, setupBrowser } from './helpers.mjs';

setupBrowser();

// Tiles: a 256 px SVG square per z/x/y, counted.
const served = [];
const tiles = createServer((req, res) => {
  const m = /^\/tiles\/(\d+)\/(\d+)\/(\d+)\.svg$/.exec(req.url ?? '');
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  served.push(m.slice(1).join('/'));
  res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-store' });
  res.end(`<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="256" height="256" fill="#e8efe3"/><path d="M0 128H256M128 0V256" stroke="#c9d6bf" stroke-width="6"/></svg>`);
});
await new Promise((ok) => tiles.listen(0, '127.0.0.1', ok));
const TILE_URL = `http://127.0.0.1:${tiles.address().port}/tiles/{z}/{x}/{y}.svg`;
after(() => tiles.close());

const ADDRESSES = readFileSync(join(import.meta.dirname, '../data/sollentuna-adresser-test.csv'));

/** The basemap tiles drawn once at least two have loaded (they arrive one by one). */
async function loadedTiles(page) {
  // Counted in the same moment as the wait: Leaflet may swap tiles (a zoom or fit) right after.
  const n = await page.waitForFunction(() => {
    const k = document.querySelectorAll('.basemap-tiles img.leaflet-tile-loaded').length;
    return k >= 2 ? k : false;
  }, null, { timeout: 15000 });
  return n.jsonValue();
}

test('the administrator sets a basemap and loads the address register', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'admin');
  await page.goto(`${BASE}/#/admin?tab=karta`);
  await page.getByRole('heading', { name: 'Bakgrundskarta' }).waitFor();
  await assert.doesNotReject(page.getByText('Ingen bakgrundskarta').waitFor());

  // Refused first: no attribution (client) and an unknown placeholder (server, in words).
  await page.getByLabel('Adress till kartbilderna').fill(TILE_URL);
  await page.getByRole('button', { name: 'Spara bakgrundskartan' }).click();
  await page.getByText('Ange kartans upphov').waitFor();
  await page.getByLabel('Adress till kartbilderna').fill(TILE_URL.replace('{x}', '{Style}'));
  await page.getByLabel('Kartans upphov').fill('© Testkartan');
  await page.getByRole('button', { name: 'Spara bakgrundskartan' }).click();
  await page.locator('#basemap-url-error').getByText('okänd platshållare {Style}').waitFor();
  assert.equal(await page.locator('#basemap-url').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Adress till kartbilderna').fill(TILE_URL);
  await page.getByRole('button', { name: 'Spara bakgrundskartan' }).click();
  await page.getByText('Bakgrundskartan är sparad.').waitFor();
  await page.getByText('Nu: © Testkartan').waitFor();

  // The address register: a bad file is refused by row, the real one replaces the register.
  await page.locator('#address-file').setInputFiles({ name: 'fel.csv', mimeType: 'text/csv', buffer: Buffer.from('gatunamn,lon,lat\nMalmvägen,x,59.4\n') });
  await page.getByRole('button', { name: 'Läs in adresserna' }).click();
  await page.getByTestId('address-errors').getByText('rad 2, kolumn lon').waitFor();
  await page.getByText('0 adresser är inlästa.').waitFor();
  await page.locator('#address-file').setInputFiles({ name: 'adresser.csv', mimeType: 'text/csv', buffer: ADDRESSES });
  await page.getByRole('button', { name: 'Läs in adresserna' }).click();
  await page.getByText('18 adresser är inlästa (0 dubbletter hoppades över).').waitFor();
  await page.getByText('18 adresser är inlästa.').waitFor();
  await axe(page, 'admin map tab');
  await page.screenshot({ path: join(SHOTS, 'admin-karta.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the report map draws the basemap and the form finds an address', async () => {
  const { context, page } = await newPage(PHONE);
  const before = served.length;  // a reporter's login lands on the report form
  await login(page, 'rapportor.hem');
  await page.goto(`${BASE}/#/rapportera`);
  const n = await loadedTiles(page);
  assert.ok(n >= 2, `tiles drawn: ${n}`);
  assert.ok(served.length > before, 'the tiles came from the loopback tile server');
  await page.locator('.leaflet-control-attribution').getByText('© Testkartan').waitFor();
  // The tiles lie under the areas (the tile pane below the overlay pane).
  const z = await page.evaluate(() => getComputedStyle(document.querySelector('.leaflet-tile-pane')).zIndex);
  assert.equal(z, '200');

  await page.getByLabel('Sök plats').fill('malmvagen 3');
  const hits = page.getByTestId('address-hit');
  await hits.first().waitFor();
  assert.deepEqual(await hits.allTextContents(), ['Malmvägen 3, Sollentuna (adress)', 'Malmvägen 3B, Sollentuna (adress)']);
  await page.getByLabel('Sök plats').fill('MALMV');
  await page.getByTestId('address-hit').first().getByText('Malmvägen, Sollentuna (gata)').waitFor();
  await page.getByLabel('Sök plats').fill('malmvagen 3');
  await page.getByTestId('address-hit').first().getByText('Malmvägen 3, Sollentuna').waitFor();
  await page.getByTestId('address-hit').first().click();
  await page.getByText('Adressen Malmvägen 3, Sollentuna').waitFor();
  await page.screenshot({ path: join(SHOTS, 'rapportera-adress-bakgrundskarta.png') });
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the lägesbild draws the same basemap, and removing it brings back the outline map', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.goto(`${BASE}/#/lagesbild`);
  assert.ok((await loadedTiles(page)) >= 2);
  await page.locator('.leaflet-control-attribution').getByText('© Testkartan').first().waitFor();
  await page.locator('.leaflet-container').first().screenshot({ path: join(SHOTS, 'lagesbild-bakgrundskarta.png') });
  // A coordinator sees the basemap but cannot change it.
  await page.goto(`${BASE}/#/admin?tab=karta`);
  await page.getByText('Nu: © Testkartan').waitFor();
  assert.equal(await page.getByLabel('Adress till kartbilderna').count(), 0);
  await context.close();

  const admin = await newPage(DESKTOP);
  await login(admin.page, 'admin');
  await admin.page.goto(`${BASE}/#/admin?tab=karta`);
  await admin.page.getByRole('button', { name: 'Ta bort bakgrundskartan' }).click();
  await admin.page.getByText('Bakgrundskartan är borttagen.').waitFor();
  await admin.page.goto(`${BASE}/#/lagesbild`);
  await admin.page.locator('.leaflet-interactive').first().waitFor();
  assert.equal(await admin.page.locator('.basemap-tiles').count(), 0);
  assert.deepEqual(admin.page.problems, []);
  await admin.context.close();
});

test('the coordinator changes which category a police event type becomes', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.goto(`${BASE}/#/admin?tab=polistyper`);
  await page.getByRole('heading', { name: 'Polisens händelsetyper' }).waitFor();
  const rows = page.locator('#panel-polistyper tbody tr');
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= 40, 'the shipped defaults for the police types are listed');
  await page.getByLabel('Sök typ').fill('Rån');
  const pick = page.getByRole('combobox', { name: 'Kategori för Rån', exact: true });
  const before = await pick.inputValue();
  assert.notEqual(before, '', 'Rån is imported by default');
  await pick.selectOption('');
  await page.getByTestId('police-type-message').getByText('Rån importeras inte längre.').waitFor();
  await page.locator('tr', { has: page.getByRole('rowheader', { name: 'Rån', exact: true }) }).getByText('Ändrad').waitFor();
  const stored = await page.evaluate(async () => (await (await fetch('/api/v1/police-types')).json()).items.find((x) => x.type === 'Rån'));
  assert.deepEqual(stored, { type: 'Rån', category: null, default: false });
  await axe(page, 'admin police types');
  await page.screenshot({ path: join(SHOTS, 'admin-polistyper.png'), fullPage: false });
  // Back to the shipped category (the other files' police figures stay as they were).
  await pick.selectOption(before);
  await page.getByTestId('police-type-message').getByText(/^Rån blir nu /).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});
