// Browser tests of the administration page (#/admin) in Debian's Chromium via playwright-core.
// Started by run.sh, which provides BASE_URL (a fresh demo database) and SCREENSHOTS.
// What is added here stays out of the way of the other test files: the area square lies inside
// Järvafältet as its sub-area, and no name repeats a category or place the other tests look for.
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
    // a rejected save is an HTTP 4xx, which Chromium logs as a failed resource: expected here
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return { context, page };
}

async function login(page, user, password = PASSWORD) {
  await page.goto(`${BASE}/#/login`);
  await page.getByLabel('Användarnamn').fill(user);
  await page.getByLabel('Lösenord').fill(password);
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

async function openTab(page, name) {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
}

/** A closed ring of a lon/lat rectangle. */
function square(w, s, e, n) {
  return [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
}

const NEW_USER = TAG.replace('e2e-', 'test.');
const NEW_USER_PASSWORD = 'nytt-losen-2026';

test('admin adds an organisation, a category, a place on the map, a user and areas from a GeoJSON file', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'admin');
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
  assert.match(page.url(), /#\/admin/);
  const tabs = await page.getByRole('tab').allTextContents();
  assert.deepEqual(tabs, ['Organisationer', 'Kategorier', 'Områden', 'Platser', 'Karta', 'Polisens händelser', 'Offentlig sida', 'Användare', 'API-nycklar']);
  await page.getByRole('tab', { name: 'Organisationer', selected: true }).waitFor();
  await page.getByTestId('org-table').locator('tr[data-code="polis-lpo"]').waitFor();
  await axe(page, 'admin: organisationer');

  // Organisation: the code follows the name until it is edited.
  await page.getByLabel('Namn', { exact: true }).fill('Testföreningen Trygg Gata');
  assert.equal(await page.getByLabel('Kod', { exact: true }).inputValue(), 'testforeningen-trygg-gata');
  // An empty code is caught before sending, next to the field, and focus goes there.
  await page.getByLabel('Kod', { exact: true }).fill('');
  await page.getByLabel('Typ av organisation').selectOption('förening');
  await page.getByRole('button', { name: 'Lägg till organisation' }).click();
  const codeErr = page.locator('#org-code-error');
  await codeErr.waitFor();
  assert.match(await codeErr.textContent(), /Måste fyllas i/);
  assert.equal(await page.locator('#org-code').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'org-code');
  // The server's reasons come back next to the field too, and what was typed stays.
  await page.getByLabel('Kod', { exact: true }).fill('ogiltig kod!');
  await page.getByRole('button', { name: 'Lägg till organisation' }).click();
  await codeErr.filter({ hasText: 'får bara innehålla a–z' }).waitFor();
  await page.getByLabel('Kod', { exact: true }).fill('ks');
  await page.getByRole('button', { name: 'Lägg till organisation' }).click();
  await codeErr.filter({ hasText: '"ks" används redan' }).waitFor();
  await page.getByTestId('org-message').filter({ hasText: 'Organisationskoden finns redan' }).waitFor();
  assert.equal(await page.getByLabel('Namn', { exact: true }).inputValue(), 'Testföreningen Trygg Gata');
  assert.equal(await page.getByLabel('Typ av organisation').inputValue(), 'förening');
  await axe(page, 'admin: organisation with errors');
  await shot(page, 'admin-org-error-desktop');
  const orgCode = `org-${TAG}`;
  await page.getByLabel('Kod', { exact: true }).fill(orgCode);
  await page.getByLabel('Ingår i (frivilligt)').selectOption('ks');
  await page.getByRole('button', { name: 'Lägg till organisation' }).click();
  await page.getByTestId('org-message').filter({ hasText: 'är tillagd' }).waitFor();
  const orgRow = page.getByTestId('org-table').locator(`tr[data-code="${orgCode}"]`);
  await orgRow.waitFor();
  assert.match(await orgRow.textContent(), /Testföreningen Trygg Gata.*Förening.*Kommunstyrelsen/);
  assert.equal(await page.getByLabel('Namn', { exact: true }).inputValue(), '', 'the form is emptied after a save');

  // Category: a dimension has to be chosen.
  await openTab(page, 'Kategorier');
  assert.match(page.url(), /tab=kategorier/);
  await page.getByLabel('Namn på svenska').fill('Övergivna cyklar');
  assert.equal(await page.getByLabel('Kod', { exact: true }).inputValue(), 'overgivna_cyklar');
  await page.getByRole('button', { name: 'Lägg till kategori' }).click();
  await page.locator('#cat-dimension-error').filter({ hasText: 'Välj ett alternativ' }).waitFor();
  const catCode = `cyklar-${TAG}`;
  await page.getByLabel('Kod', { exact: true }).fill(catCode);
  const catName = `Övergivna cyklar (${TAG})`;
  await page.getByLabel('Namn på svenska').fill(catName);
  assert.equal(await page.getByLabel('Kod', { exact: true }).inputValue(), catCode, 'an edited code is no longer replaced');
  await page.getByLabel('Namn på engelska (frivilligt)').fill('Abandoned bicycles');
  await page.getByLabel('Grupp (frivilligt)').fill('miljö');
  await page.getByLabel('Trygghet (det som känns otryggt)').check();
  await page.getByLabel('Allvarlighet som standard').selectOption('1');
  await page.getByRole('button', { name: 'Lägg till kategori' }).click();
  await page.getByTestId('cat-message').filter({ hasText: 'är tillagd' }).waitFor();
  const catRow = page.getByTestId('cat-table').locator(`tr[data-code="${catCode}"]`);
  await catRow.waitFor();
  assert.match(await catRow.textContent(), /Övergivna cyklar.*Abandoned bicycles.*miljö.*Trygghet/);
  await axe(page, 'admin: kategorier');

  // Place: click the map inside Edsberg; the coordinates fill in and the server finds the area.
  await openTab(page, 'Platser');
  const map = page.getByTestId('place-map');
  await map.locator('.leaflet-overlay-pane path').first().waitFor();
  const label = page.locator('.area-label', { hasText: 'Edsberg' }).first();
  await label.waitFor();
  const lb = await label.boundingBox();
  const mb = await map.boundingBox();
  await map.click({ position: { x: lb.x - mb.x + lb.width / 2, y: lb.y - mb.y + lb.height + 8 } });
  await page.getByTestId('place-chosen').filter({ hasText: 'Vald punkt' }).waitFor();
  const areaPaths = await map.locator('.leaflet-overlay-pane path').count();
  const lat = Number((await page.getByLabel('Latitud (nord)').inputValue()).replace(',', '.'));
  const lon = Number((await page.getByLabel('Longitud (öst)').inputValue()).replace(',', '.'));
  assert.ok(lat > 59.40 && lat < 59.49 && lon > 17.85 && lon < 18.05, `a point in Sollentuna (${lat}, ${lon})`);
  const placeName = `Cykelparkeringen ${TAG}`;
  await page.getByLabel('Namn', { exact: true }).fill(placeName);
  await page.getByLabel('Typ av plats').fill('cykelparkering');
  await axe(page, 'admin: platser');
  await shot(page, 'admin-plats-vald-desktop');
  await page.getByRole('button', { name: 'Lägg till plats' }).click();
  await page.getByTestId('place-message').filter({ hasText: /är tillagd \(Edsberg\)/ }).waitFor();
  const placeRow = page.getByTestId('place-table').locator('tr', { hasText: placeName });
  await placeRow.waitFor();
  assert.match(await placeRow.textContent(), /cykelparkering.*Edsberg/);
  // A point typed by hand outside Sweden is refused by the server, next to the coordinates.
  await page.getByLabel('Namn', { exact: true }).fill('Fel plats');
  await page.getByLabel('Typ av plats').fill('park');
  await page.getByLabel('Latitud (nord)').fill('48,85');
  await page.getByLabel('Longitud (öst)').fill('2,35');
  await page.getByRole('button', { name: 'Lägg till plats' }).click();
  await page.locator('#place-location-error').filter({ hasText: 'utanför Sverige' }).waitFor();
  assert.equal(await page.getByLabel('Namn', { exact: true }).inputValue(), 'Fel plats');

  // User: reporters need an organisation; then the new account can log in.
  await openTab(page, 'Användare');
  await page.getByTestId('user-table').locator('tr[data-login="samordnare"]').waitFor();
  await page.getByLabel('Användarnamn').fill(NEW_USER);
  await page.getByLabel('Namn som visas (frivilligt)').fill('Testa Testsson');
  await page.getByLabel('Första lösenord').fill('kort');
  await page.getByLabel('Roll').selectOption('reporter');
  await page.getByRole('button', { name: 'Lägg till användare' }).click();
  await page.locator('#user-password-error').filter({ hasText: 'minst 12 tecken' }).waitFor();
  await page.locator('#user-org-error').filter({ hasText: 'Rollen Rapportör kräver en organisation' }).waitFor();
  await axe(page, 'admin: användare with errors');
  await page.getByLabel('Första lösenord').fill(NEW_USER_PASSWORD);
  await page.getByLabel('Organisation', { exact: true }).selectOption(orgCode);
  await page.getByRole('button', { name: 'Lägg till användare' }).click();
  await page.getByTestId('user-message').filter({ hasText: 'är tillagd' }).waitFor();
  const userRow = page.getByTestId('user-table').locator(`tr[data-login="${NEW_USER}"]`);
  await userRow.waitFor();
  assert.match(await userRow.textContent(), /Testa Testsson.*Rapportör.*Testföreningen Trygg Gata.*Aktiv/);

  // Areas: a file with a bad feature is rejected as a whole, with the feature and the reason.
  await openTab(page, 'Områden');
  await page.getByTestId('area-table').locator('tr[data-code="jarvafaltet"]').waitFor();
  const areaCode = `ruta-${TAG}`;
  const bad = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { code: areaCode, namn: 'Testrutan' }, geometry: { type: 'Polygon', coordinates: square(17.878, 59.4235, 17.882, 59.4255) } },
      { type: 'Feature', properties: { code: `${areaCode}-2`, namn: 'Punkten' }, geometry: { type: 'Point', coordinates: [17.88, 59.42] } },
    ],
  };
  await page.getByLabel('Fil med områden').setInputFiles({ name: 'fel.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
  await page.getByLabel('Områdena ligger inom (frivilligt)').selectOption('jarvafaltet');
  await page.getByRole('button', { name: 'Ladda upp och importera' }).click();
  await page.getByTestId('area-errors').filter({ hasText: 'Område 2 i filen' }).filter({ hasText: 'stöds inte' }).waitFor();
  await page.getByTestId('area-message').filter({ hasText: 'Filen avvisades och inget importerades' }).waitFor();
  assert.equal(await page.getByTestId('area-table').locator(`tr[data-code="${areaCode}"]`).count(), 0);
  await axe(page, 'admin: områden with errors');
  await shot(page, 'admin-omraden-fel-desktop');

  const good = { type: 'FeatureCollection', features: [bad.features[0]] };
  await page.getByLabel('Fil med områden').setInputFiles({ name: 'ruta.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(good)) });
  assert.equal(await page.getByLabel('Områdena ligger inom (frivilligt)').inputValue(), 'jarvafaltet', 'the options are kept after a rejected file');
  await page.getByRole('button', { name: 'Ladda upp och importera' }).click();
  await page.getByTestId('area-message').filter({ hasText: `Importerade områden: Testrutan (${areaCode})` }).waitFor();
  const areaRow = page.getByTestId('area-table').locator(`tr[data-code="${areaCode}"]`);
  await areaRow.waitFor();
  assert.match(await areaRow.textContent(), /Testrutan.*Delområde.*Järvafältet/);
  await axe(page, 'admin: områden');

  // The new area is on the places map too (the cached area layer was dropped).
  await openTab(page, 'Platser');
  await map.locator('.leaflet-overlay-pane path').first().waitFor();
  await map.locator('.leaflet-overlay-pane path').nth(areaPaths).waitFor();
  assert.equal(await map.locator('.leaflet-overlay-pane path').count(), areaPaths + 1, 'the new square is drawn');
  assert.deepEqual(page.problems, []);
  await context.close();

  // The new reporter logs in and lands on Rapportera, where the new category is offered.
  const other = await newPage(PHONE);
  await login(other.page, NEW_USER, NEW_USER_PASSWORD);
  assert.match(other.page.url(), /#\/rapportera/);
  await other.page.locator('label[for^="cat-"]', { hasText: catName }).waitFor();
  assert.equal(await other.page.getByRole('link', { name: 'Administration' }).count(), 0);
  await other.context.close();

  // The administrator makes the reporter a viewer and disables the account; it can no longer log in.
  const adm = await newPage(DESKTOP);
  await login(adm.page, 'admin');
  await adm.page.goto(`${BASE}/#/admin?tab=anvandare`);
  await adm.page.getByRole('button', { name: `Ändra ${NEW_USER}` }).click();
  const editor = adm.page.getByRole('form', { name: `Ändra användaren ${NEW_USER}` });
  await editor.getByLabel('Roll').selectOption('viewer');
  await editor.getByLabel('Avstängd (kan inte logga in)').check();
  await editor.getByRole('button', { name: 'Spara ändringen' }).click();
  await adm.page.getByTestId('user-edit-message').filter({ hasText: 'är ändrad' }).waitFor();
  const row = adm.page.getByTestId('user-table').locator(`tr[data-login="${NEW_USER}"]`);
  await row.filter({ hasText: 'Avstängd' }).waitFor();
  await axe(adm.page, 'admin: användare after a change');
  // An administrator cannot disable themselves: the server's reason is shown by the field.
  await adm.page.getByRole('button', { name: 'Ändra admin' }).click();
  const self = adm.page.getByRole('form', { name: 'Ändra användaren admin' });
  await self.getByLabel('Avstängd (kan inte logga in)').check();
  await self.getByRole('button', { name: 'Spara ändringen' }).click();
  await self.getByText('du kan inte stänga av dig själv').waitFor();
  await adm.context.close();
  const blocked = await newPage(PHONE);
  await blocked.page.goto(`${BASE}/#/login`);
  await blocked.page.getByLabel('Användarnamn').fill(NEW_USER);
  await blocked.page.getByLabel('Lösenord').fill(NEW_USER_PASSWORD);
  await blocked.page.getByRole('button', { name: 'Logga in' }).click();
  await blocked.page.getByText('Fel användarnamn eller lösenord.').waitFor();
  await blocked.context.close();
});

test('coordinator sees the administration without users; the tabs work with the keyboard', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
  assert.deepEqual(await page.getByRole('tab').allTextContents(), ['Organisationer', 'Kategorier', 'Områden', 'Platser', 'Karta', 'Polisens händelser', 'Offentlig sida']);
  // A link to the users tab falls back to the first tab.
  await page.goto(`${BASE}/#/admin?tab=anvandare`);
  await page.getByRole('tab', { name: 'Organisationer', selected: true }).waitFor();
  assert.equal(await page.getByText('Lägg till användare').count(), 0);
  // Arrow keys move between the tabs, End goes to the last one (back three: the places).
  await page.getByRole('tab', { name: 'Organisationer' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.getByRole('tab', { name: 'Kategorier', selected: true }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Kategorier');
  await page.keyboard.press('End');
  await page.getByRole('tab', { name: 'Offentlig sida', selected: true }).waitFor();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.getByRole('tab', { name: 'Platser', selected: true }).waitFor();
  await page.getByTestId('place-map').locator('.leaflet-overlay-pane path').first().waitFor();
  // Coordinators may add places: typing the coordinates is enough (no map click).
  const name = `Skolgården ${TAG}`;
  await page.getByLabel('Namn', { exact: true }).fill(name);
  await page.getByLabel('Typ av plats').fill('skola');
  await page.getByLabel('Latitud (nord)').fill('59,4335');
  await page.getByLabel('Longitud (öst)').fill('17,9405');
  await page.getByTestId('place-chosen').filter({ hasText: '59,433500 N, 17,940500 Ö' }).waitFor();
  await page.getByRole('button', { name: 'Lägg till plats' }).click();
  await page.getByTestId('place-message').filter({ hasText: 'är tillagd (Tureberg' }).waitFor();
  await axe(page, 'admin (coordinator)');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('reporters and viewers get no administration', async () => {
  for (const login_ of ['rapportor.hem', 'lasare']) {
    const { context, page } = await newPage(PHONE);
    await login(page, login_);
    assert.equal(await page.getByRole('link', { name: 'Administration' }).count(), 0, `${login_}: no nav entry`);
    await page.goto(`${BASE}/#/admin`);
    await page.getByRole('alert').filter({ hasText: 'Din roll har inte tillgång till den här sidan' }).waitFor();
    await context.close();
  }
});

test('admin makes an API token, sees it once, it works with Bearer, and revoking stops it', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'admin');
  await page.goto(`${BASE}/#/admin?tab=nycklar`);
  await page.getByRole('heading', { name: 'Skapa API-nyckel' }).waitFor();
  await page.getByRole('button', { name: 'Skapa API-nyckel' }).click();
  await page.locator('#token-login-error').filter({ hasText: 'Måste fyllas i' }).waitFor();
  await page.getByLabel('Användarnamn').fill('finns-inte');
  await page.getByRole('button', { name: 'Skapa API-nyckel' }).click();
  await page.locator('#token-login-error').filter({ hasText: 'ingen användare' }).waitFor();
  const name = `QGIS ${TAG}`;
  await page.getByLabel('Användarnamn').fill('samordnare');
  await page.getByLabel('Används till').fill(name);
  await page.getByLabel('Giltig antal dagar').fill('30');
  await page.getByRole('button', { name: 'Skapa API-nyckel' }).click();
  const once = page.getByTestId('token-once');
  await once.waitFor();
  const token = (await once.locator('code').textContent()).trim();
  assert.match(token, /^est_[0-9a-f]{64}$/);
  const row = page.getByTestId('token-table').locator('tr', { hasText: name });
  await row.waitFor();
  assert.match(await row.textContent(), /samordnare.*est_.*Aktiv/);
  assert.ok(!(await page.getByTestId('token-table').textContent()).includes(token), 'the list never shows the token');
  await axe(page, 'admin: API-nycklar');
  await shot(page, 'admin-nycklar-desktop', { full: true });
  const me = await page.request.get(`${BASE}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status(), 200);
  assert.equal((await me.json()).user.login, 'samordnare');
  await row.getByRole('button', { name: `Återkalla ${name}` }).click();
  await page.getByTestId('token-revoke-message').filter({ hasText: 'återkallad' }).waitFor();
  await page.getByTestId('token-table').locator('tr', { hasText: name }).filter({ hasText: 'Återkallad' }).waitFor();
  const after = await page.request.get(`${BASE}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(after.status(), 401);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('administration screenshots and accessibility at phone and desktop size', async () => {
  for (const [name, device] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { context, page } = await newPage(device);
    await login(page, 'admin');
    await page.goto(`${BASE}/#/admin?tab=organisationer`);
    await page.getByTestId('org-table').locator('tr').nth(3).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= device.viewport.width, `no sideways scrolling of the page (${width} px)`);
    await axe(page, `admin (${name})`);
    await shot(page, `admin-${name}`);
    await openTab(page, 'Platser');
    await page.getByTestId('place-map').locator('.leaflet-overlay-pane path').first().waitFor();
    await axe(page, `admin platser (${name})`);
    await shot(page, `admin-platser-${name}`, { at: name === 'phone' ? '[data-testid=place-map]' : undefined });
    await openTab(page, 'Användare');
    await page.getByTestId('user-table').locator('tr').nth(2).waitFor();
    await axe(page, `admin användare (${name})`);
    await shot(page, `admin-anvandare-${name}`, { full: true });
    assert.deepEqual(page.problems, []);
    await context.close();
  }
});
