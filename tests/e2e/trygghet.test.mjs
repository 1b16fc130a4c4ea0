// Browser test of the Trygghet page in real Chromium: a viewer reads säkerhet vs trygghet per
// area (Tureberg classed as both high), switches indicator and opens the 2030 goal (Tureberg with
// its reports per year); a coordinator imports a good survey file (the count is shown) and a bad
// one (the Swedish row errors are shown, nothing is imported, the chosen file and text stay), and
// a bad police list is refused the same way. Axe finds no WCAG 2.1 A/AA violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, SHOTS, PHONE, DESKTOP, newPage, login, axe, setupBrowser } from './helpers.mjs';

setupBrowser();

const row = (page, code) => page.getByTestId('safety-table').locator(`tr[data-area="${code}"]`);
const surveyCount = (page) =>
  page.evaluate(async () => (await (await fetch('/api/v1/surveys', { credentials: 'same-origin' })).json()).items.length);

test('a viewer compares säkerhet and trygghet per area, switches indicator and follows the 2030 goal', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'lasare');
  await page.getByRole('link', { name: 'Trygghet' }).click();
  await page.getByRole('heading', { name: 'Trygghet', level: 1 }).waitFor();
  await page.getByTestId('safety-table').waitFor();

  // The page opens on the latest year with survey results (2025 in the demo) and its first indicator.
  assert.equal(await page.getByLabel('År').inputValue(), '2025');
  assert.equal(await page.getByLabel('Enkätindikator').inputValue(), 'andel_otrygga');
  await page.getByRole('columnheader', { name: 'Andel otrygga (%)' }).waitFor();
  const tureberg = row(page, 'tureberg');
  assert.match(await tureberg.locator('th').textContent(), /Tureberg/);
  assert.equal(await tureberg.locator('[data-class]').getAttribute('data-class'), 'both');
  assert.match(await tureberg.textContent(), /Båda höga/);
  assert.match(await page.getByTestId('tryg-summary').textContent(), /Både hög otrygghet och hög brottslighet: .*Tureberg/);
  // The classes are explained in plain Swedish, with z > 1,96 spelled out.
  assert.match(await page.getByTestId('tryg-classes').textContent(), /Hög otrygghet, låg brottslighet.*otrygga/);
  await page.getByText(/z är större än 1,96/).waitFor();
  // The map draws the areas, each filled with its class pattern; the legend names the classes.
  await page.locator('[data-testid="class-map"] path[fill="url(#tryg-pat-both)"]').first().waitFor();
  assert.match(await page.locator('.tryg-legend').first().textContent(), /Båda höga.*Inom normalvariation.*Enkät saknas/);
  // Viewers read but do not import.
  assert.equal(await page.getByRole('button', { name: 'Importera enkätresultat' }).count(), 0);
  await axe(page, 'trygghet (säkerhet och trygghet)');

  // Another indicator: the column and Rotebro's class follow; the choice is in the address.
  assert.equal(await row(page, 'rotebro').locator('[data-class]').getAttribute('data-class'), 'both');
  await page.getByLabel('Enkätindikator').selectOption('problemindex');
  await page.getByRole('columnheader', { name: 'Problemindex' }).waitFor();
  await page.waitForFunction(() => document.querySelector('tr[data-area="rotebro"] [data-class]')?.getAttribute('data-class') === 'crime');
  assert.match(await row(page, 'rotebro').textContent(), /Låg otrygghet, hög brottslighet/);
  assert.match(page.url(), /indicator=problemindex/);
  assert.match(await row(page, 'tureberg').textContent(), /2,6/); // the problem index value

  // The goal: Tureberg on the police lists 2023 and 2025, with its reports per year.
  await page.getByRole('tab', { name: 'Mål 2030: inga utsatta områden' }).click();
  const area = page.getByTestId('goal-area').filter({ hasText: 'Tureberg' });
  await area.waitFor();
  assert.match(await area.getByRole('heading', { level: 2 }).textContent(), /Tureberg.*Utsatt område/);
  assert.equal((await area.getByTestId('years-listed').textContent()).trim(), '2023, 2025');
  assert.match(await area.textContent(), /1 oktober 2018/);
  const yearsLeft = Math.max(0, 2030 - new Date().getFullYear());
  assert.match(await page.getByTestId('years-left').textContent(), new RegExp(`^${yearsLeft}\\s+år kvar till 2030`));
  const counts = area.getByTestId('goal-counts').locator('tbody tr');
  assert.equal(await counts.count(), 4);
  for (let i = 0; i < 4; i++) {
    const cells = (await counts.nth(i).locator('td').allTextContents()).map((s) => Number(s.replace(/\s/g, '')));
    assert.equal(cells[0] + cells[1], cells[2], 'säkerhet + trygghet = total');
  }
  assert.ok((await counts.nth(1).locator('td').last().textContent()).trim() !== '0', 'reports in Tureberg');
  assert.match(await counts.last().textContent(), /hittills/);
  await area.getByRole('img', { name: /Stapeldiagram: rapporter per år i Tureberg/ }).waitFor();
  assert.match(await area.getByTestId('goal-trend').textContent(), /(Ökning|Minskning|Ingen säker förändring)/);
  // The district's survey values are shown for the listed area.
  assert.match(await area.getByTestId('goal-surveys').textContent(), /Andel otrygga \(%\).*2025/);
  await page.locator('[data-testid="goal-map"] path[fill="url(#tryg-pat-utsatt)"]').first().waitFor();
  assert.match(page.url(), /del=mal/);
  await axe(page, 'trygghet (mål 2030)');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a coordinator imports survey results: a good file is counted, a bad one shows Swedish row errors and imports nothing', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.goto(`${BASE}/#/trygghet`);
  await page.getByTestId('safety-table').waitFor();
  const before = await surveyCount(page);

  const good = 'area,indicator,period,source,value,n\ntureberg,andel_otrygga,2023,Polisens trygghetsmätning,33.5,398\nrotebro,andel_otrygga,2023,Polisens trygghetsmätning,24.1,371\nViby,andel_otrygga,2023,Polisens trygghetsmätning,"9,8",310\n';
  await page.locator('#survey-file').setInputFiles({ name: 'enkat-2023.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByTestId('survey-file-name').filter({ hasText: 'enkat-2023.csv' }).waitFor();
  await page.waitForFunction(() => document.querySelector('#survey-text')?.value.includes('rotebro'));
  await page.getByRole('button', { name: 'Importera enkätresultat' }).click();
  const ok = page.getByTestId('survey-message');
  await ok.filter({ hasText: 'Importerade rader: 3 – nya: 3, uppdaterade: 0.' }).waitFor();
  assert.equal(await surveyCount(page), before + 3);
  assert.equal(await page.locator('#survey-text').inputValue(), '', 'the form is emptied after an import');
  // The new year can be chosen and shows the imported values.
  await page.getByLabel('År').selectOption('2023');
  await page.waitForFunction(() => /33,5/.test(document.querySelector('tr[data-area="tureberg"]')?.textContent ?? ''));
  assert.match(await row(page, 'viby').textContent(), /9,8/);
  assert.match(await row(page, 'edsberg').textContent(), /Enkät saknas/);

  // A bad file: every bad row is listed in Swedish next to the form, nothing is imported.
  const bad = 'area,indicator,period,source,value,n\ntureberg,andel_otrygga,2023,Polisens trygghetsmätning,30,398\nAtlantis,andel_otrygga,2023,Polisens trygghetsmätning,x,10\nviby,andel_otrygga,2023-13,Polisens trygghetsmätning,9,-4\n';
  await page.locator('#survey-file').setInputFiles({ name: 'enkat-fel.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.waitForFunction(() => document.querySelector('#survey-text')?.value.includes('Atlantis'));
  await page.getByRole('button', { name: 'Importera enkätresultat' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'ingenting importerades' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /Enkätfilen har fel; ingenting importerades \(4 fel\)\. Rätta felen/);
  const errors = page.getByTestId('survey-errors');
  assert.deepEqual(await errors.locator('li').allTextContents(), [
    'Rad 3, kolumnen area: okänt område "Atlantis"',
    'Rad 3, kolumnen value: måste vara ett tal ("x")',
    'Rad 4, kolumnen period: måste vara en period som 2025, 2025-T1 eller 2025-11',
    'Rad 4, kolumnen n: måste vara ett heltal ≥ 0',
  ]);
  assert.equal(await surveyCount(page), before + 3, 'nothing imported');
  assert.match(await row(page, 'tureberg').textContent(), /33,5/, 'the good row of the bad file was not stored either');
  // What the user chose is kept: the file name and the text, ready to correct.
  assert.equal(await page.getByTestId('survey-file-name').textContent(), 'enkat-fel.csv');
  assert.equal(await page.locator('#survey-text').inputValue(), bad);
  assert.equal(await page.locator('#survey-text').getAttribute('aria-invalid'), 'true');
  await page.screenshot({ path: join(SHOTS, 'trygghet-import-error-desktop.png'), fullPage: true });
  await axe(page, 'trygghet (import error)');

  // Correcting the text in place and sending again works.
  await page.locator('#survey-text').fill('area,indicator,period,source,value,n\nviby,andel_otrygga,2023,Polisens trygghetsmätning,9.9,310\n');
  await page.getByRole('button', { name: 'Importera enkätresultat' }).click();
  await ok.filter({ hasText: 'Importerade rader: 1 – nya: 0, uppdaterade: 1.' }).waitFor();
  assert.equal(await page.getByTestId('survey-errors').count(), 0);

  // Back to the latest year for the overview screenshot.
  await page.getByLabel('År').selectOption('2025');
  await page.waitForFunction(() => /31,0/.test(document.querySelector('tr[data-area="tureberg"]')?.textContent ?? ''));
  await page.locator('[data-testid="class-map"] path[fill="url(#tryg-pat-both)"]').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, 'trygghet-desktop.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a coordinator’s bad police list is refused with the feature named; the goal is unchanged', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.goto(`${BASE}/#/trygghet?del=mal`);
  await page.getByTestId('goal-area').first().waitFor();
  const bad = JSON.stringify({
    type: 'FeatureCollection',
    features: [{
      type: 'Feature',
      properties: { NAMN: 'Testområdet', OMRADESKOD: '999001' },
      geometry: { type: 'Polygon', coordinates: [[[17.94, 59.43], [17.945, 59.43], [17.945, 59.433], [17.94, 59.433], [17.94, 59.43]]] },
    }],
  });
  // A year outside 2000–2100 is caught before sending.
  await page.getByLabel('Listans år').fill('1990');
  await page.getByRole('button', { name: 'Importera listan' }).click();
  await page.locator('#police-year-error').filter({ hasText: 'Ange ett år mellan 2000 och 2100.' }).waitFor();
  await page.locator('#police-file-error').filter({ hasText: 'Välj polisens GeoJSON-fil.' }).waitFor();

  await page.getByLabel('Listans år').fill('2024');
  await page.locator('#police-file').setInputFiles({ name: 'polisen-2024.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Importera listan' }).click();
  await page.getByRole('alert').filter({ hasText: 'Polisens lista har fel; ingenting importerades' }).waitFor();
  assert.match(await page.getByTestId('police-errors').textContent(), /Område 1 i filen \(Testområdet\), KATEGORI: okänt värde/);
  assert.equal(await page.getByLabel('Listans år').inputValue(), '2024');
  assert.equal(await page.getByTestId('police-file-name').textContent(), 'polisen-2024.geojson');
  const list = await page.evaluate(async () => (await (await fetch('/api/v1/vulnerable-areas')).json()).items.map((v) => v.year));
  assert.deepEqual(list.sort(), [2023, 2025]);
  await axe(page, 'trygghet (police import error)');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the Trygghet page reads well on a phone', async () => {
  const { context, page } = await newPage(PHONE);
  await login(page, 'lasare');
  await page.goto(`${BASE}/#/trygghet?year=2025&indicator=andel_otrygga`);
  await page.getByTestId('safety-table').waitFor();
  await page.locator('[data-testid="class-map"] path[fill="url(#tryg-pat-both)"]').first().waitFor();
  // No sideways scrolling of the page.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
  // The viewport shot starts at the summary: the map and its legend are what a phone shows first below the filters.
  await page.evaluate(() => document.querySelector('[data-testid="tryg-summary"]').scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, 'trygghet-phone.png') });
  await page.screenshot({ path: join(SHOTS, 'trygghet-phone-full.png'), fullPage: true });
  await axe(page, 'trygghet (phone)');
  await page.getByRole('tab', { name: 'Mål 2030: inga utsatta områden' }).click();
  await page.getByTestId('goal-area').first().waitFor();
  await page.waitForTimeout(300);
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow2 <= 1, `goal page scrolls sideways by ${overflow2}px`);
  await page.screenshot({ path: join(SHOTS, 'trygghet-goal-phone-full.png'), fullPage: true });
  await axe(page, 'trygghet goal (phone)');
  assert.deepEqual(page.problems, []);
  await context.close();
});
