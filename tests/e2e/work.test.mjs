// Browser test of the work after the picture in real Chromium: a coordinator writes a problem,
// an action that answers it and follows it through ongoing to done with a result; the demo's
// finished action is evaluated against comparison areas (and they can be changed); the overdue
// filter; an organisation lead edits only its own actions, and there only status and result;
// documents are downloaded and published.
// Every new page is scanned with axe (WCAG 2.1 A/AA) on a phone and a desktop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BASE, SHOTS, PHONE, DESKTOP, newPage, login, axe, setupBrowser } from './helpers.mjs';

const FINISHED = 'Belysning och klotterskydd i gångtunnlarna vid Sollentuna station';
const OVERDUE = ['Vuxennärvaro vid Turebergs torg fredag och lördag kväll', 'Polisen prioriterar Rotebro station fredagskvällar under fyra veckor'];
const PROBLEM = 'Samlingar vid Rotebro torg 21–24 fre–lör med smällare mot fönster';
const ACTION = 'Fältgruppen och väktarna vid Rotebro torg fre–lör kväll';

setupBrowser();

/** Opens a folded checkbox group (legend `group`) and checks `label` in it. */
async function pick(page, group, label) {
  const g = page.getByRole('group', { name: group, exact: true });
  const details = g.locator('details.multi-pick');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await g.getByLabel(label, { exact: true }).check();
}

test('a coordinator writes a problem, an action answering it, and follows the action to done', async () => {
  const { context, page } = await newPage(DESKTOP, { acceptDownloads: true });
  await login(page, 'samordnare');
  // Two real reports from Rotebro to link to the problem.
  const res = await page.request.get(`${BASE}/api/v1/reports?area=rotebro&limit=2`);
  assert.equal(res.status(), 200);
  const ids = (await res.json()).items.map((r) => r.id);
  assert.equal(ids.length, 2);

  await page.getByRole('link', { name: 'Problem', exact: true }).click();
  await page.getByRole('heading', { name: 'Problem', level: 1 }).waitFor();
  await page.getByTestId('problem-list').locator('li').nth(3).waitFor(); // the demo's four problems
  await page.screenshot({ path: join(SHOTS, 'problem-desktop.png'), fullPage: true });
  await axe(page, 'problem list');

  await page.getByRole('link', { name: 'Nytt problem' }).click();
  await page.getByRole('heading', { name: 'Nytt problem', level: 1 }).waitFor();
  // The title hint shows how to write a problem: behaviour + place + time.
  await page.getByText(/Samlingar vid torget 21–24 fre–lör med smällare mot fönster/).waitFor();
  // A bad report number is refused next to its field; nothing typed is lost.
  await page.getByLabel('Rubrik: beteende + plats + tid').fill(PROBLEM);
  await page.getByLabel('Rapportnummer').fill(`${ids[0]}, tvåhundra`);
  await page.getByRole('button', { name: 'Skapa problemet' }).click();
  await page.locator('#p-reports-error').waitFor();
  assert.match(await page.locator('#p-reports-error').textContent(), /tvåhundra/);
  assert.equal(await page.getByLabel('Rubrik: beteende + plats + tid').inputValue(), PROBLEM);

  await page.getByLabel('Beskrivning').fill('Grupper samlas vid torget och kastar smällare mot fönster, mest fredag och lördag kväll.');
  await pick(page, 'Områden', 'Rotebro');
  await pick(page, 'Platser', 'Rotebro centrum');
  await pick(page, 'Kategorier', 'Störande samling');
  await page.getByLabel('Rapportnummer').fill(ids.join(', '));
  await page.getByRole('button', { name: 'Skapa problemet' }).click();
  await page.getByRole('heading', { name: PROBLEM, level: 1 }).waitFor();
  await page.getByText('Problemet är skapat.').waitFor();
  // Each linked report shows its date, category and area.
  const linked = page.getByTestId('linked-reports');
  await linked.getByText('Rotebro').first().waitFor();
  assert.equal(await linked.locator('tbody tr').count(), 2);
  await page.getByTestId('answers').getByText('Ingen insats svarar på problemet ännu.').waitFor();
  await page.screenshot({ path: join(SHOTS, 'problem-detalj-desktop.png'), fullPage: true });
  await axe(page, 'problem detail');

  // A new action for the problem, from the problem.
  await page.getByRole('link', { name: 'Ny insats för problemet' }).click();
  await page.getByRole('heading', { name: 'Ny insats', level: 1 }).waitFor();
  assert.ok(await page.getByRole('group', { name: 'Problem som insatsen svarar på' }).getByLabel(new RegExp(PROBLEM)).isChecked());
  await page.getByLabel('Rubrik', { exact: true }).fill(ACTION);
  // Without an owner the form says so next to the field and keeps what was typed.
  await page.getByRole('button', { name: 'Skapa insatsen' }).click();
  await page.getByText('Välj vilken organisation som äger insatsen.').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'a-owner');
  assert.equal(await page.getByLabel('Rubrik', { exact: true }).inputValue(), ACTION);

  await page.getByLabel('Beskrivning').fill('Fältgruppen och väktarna finns vid torget 20–24 fredag och lördag.');
  await page.getByRole('radio', { name: 'Social (människor, vuxennärvaro)' }).check();
  await page.getByLabel('Ansvarig organisation (ägare)').selectOption('bun');
  await pick(page, 'Samverkanspartner', 'Bevakningsbolaget (väktare)');
  await pick(page, 'Områden där insatsen görs', 'Rotebro');
  await pick(page, 'Platser', 'Rotebro centrum');
  await page.getByLabel('Mått på effekt').fill('Rapporter per vecka i Rotebro');
  await pick(page, 'Kategorier som mäter effekten', 'Störande samling');
  await page.getByLabel('Start', { exact: true }).fill('2026-10-01');
  await page.getByLabel('Uppföljning', { exact: true }).fill('2027-01-15');
  await page.getByLabel('Kostnad (kronor)').fill('80 000');
  await page.screenshot({ path: join(SHOTS, 'insatser-ny-desktop.png'), fullPage: true });
  await axe(page, 'new action');
  await page.getByRole('button', { name: 'Skapa insatsen' }).click();
  await page.getByRole('heading', { name: ACTION, level: 1 }).waitFor();
  await page.getByText('Insatsen är skapad.').waitFor();
  const baseline = page.locator('.baseline');
  await baseline.getByText('Sätts när insatsen startar').waitFor();
  // Start and areas are set, so the evaluation is already there (preliminary).
  await page.getByTestId('evaluation').locator('.verdict').waitFor();

  // Ongoing: the baseline is frozen.
  await page.getByRole('radio', { name: 'Pågående' }).check();
  await page.getByRole('button', { name: 'Spara ändringarna' }).click();
  await page.getByText('Insatsen är sparad.').waitFor();
  await baseline.getByText(/rapporter per vecka/).waitFor();
  assert.match(await page.locator('.detail-sub').textContent(), /Pågående/);

  // Done, with the result at follow-up.
  await page.getByRole('radio', { name: 'Klar' }).check();
  await page.getByLabel('Resultat vid uppföljning').fill('Vuxennärvaro alla helger i oktober–december. Färre smällare enligt väktarna.');
  await page.getByRole('button', { name: 'Spara ändringarna' }).click();
  await page.getByText('Insatsen är sparad.').waitFor();
  assert.match(await page.locator('.detail-sub').textContent(), /Klar/);
  await page.reload();
  await page.getByRole('heading', { name: ACTION, level: 1 }).waitFor();
  assert.match(await page.getByLabel('Resultat vid uppföljning').inputValue(), /Vuxennärvaro alla helger/);
  assert.ok(await page.getByRole('radio', { name: 'Klar' }).isChecked());
  assert.equal(await page.getByLabel('Kostnad (kronor)').inputValue(), '80000');

  // The problem lists the action that answers it.
  await page.getByRole('link', { name: PROBLEM }).click();
  await page.getByRole('heading', { name: PROBLEM, level: 1 }).waitFor();
  await page.getByTestId('answers').getByRole('link', { name: ACTION }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the demo’s finished action is evaluated, and its comparison areas can be changed', async () => {
  const { context, page } = await newPage(DESKTOP, { acceptDownloads: true });
  await login(page, 'samordnare');
  await page.goto(`${BASE}/#/insatser`);
  await page.getByTestId('action-list').waitFor();
  await page.screenshot({ path: join(SHOTS, 'insatser-desktop.png'), fullPage: true });
  await axe(page, 'actions list');
  await page.getByRole('link', { name: FINISHED }).click();
  await page.getByRole('heading', { name: FINISHED, level: 1 }).waitFor();
  const ev = page.getByTestId('evaluation');
  await ev.locator('.verdict').waitFor();
  assert.match(await ev.locator('.verdict').textContent(), /insatsområdet/);
  for (const row of ['Insatsområde', 'Jämförelseområden', 'Grannområden']) await ev.getByRole('rowheader', { name: new RegExp(row) }).waitFor();
  assert.match(await ev.locator('.wdd').textContent(), /95 % konfidensintervall −?\d+,\d till −?\d+,\d/);
  assert.match(await ev.locator('.wdd').textContent(), /z = −?\d+,\d\d/);
  assert.ok((await ev.locator('.caveats li').count()) >= 1);
  await ev.locator('.controls-box').getByText('Jämförelseområdena är föreslagna av systemet', { exact: false }).waitFor();
  await page.getByText(/rapporter per vecka/).first().waitFor(); // the frozen baseline
  await page.screenshot({ path: join(SHOTS, 'insatser-utvardering-desktop.png'), fullPage: true });
  await axe(page, 'action with evaluation');

  // Choose the comparison areas: the evaluation is computed again with them.
  const before = await ev.locator('.controls-names').textContent();
  await ev.getByText('Byt jämförelseområden').click();
  const group = ev.getByRole('group', { name: 'Jämförelseområden', exact: true });
  // The action's own area is never offered as a comparison.
  assert.equal(await group.getByLabel('Tureberg', { exact: true }).count(), 0);
  for (const box of await group.getByRole('checkbox').all()) await box.uncheck();
  await group.getByLabel('Viby', { exact: true }).check();
  await group.getByLabel('Rotebro', { exact: true }).check();
  await ev.getByRole('button', { name: 'Spara jämförelseområdena' }).click();
  await ev.getByText('Jämförelseområdena är sparade och utvärderingen är omräknad.').waitFor();
  await ev.getByText('Jämförelseområdena är valda för den här insatsen.').waitFor();
  await ev.getByRole('rowheader', { name: /Jämförelseområden.*(Viby, Rotebro|Rotebro, Viby)/ }).waitFor();
  // The verdict names the scaling of the comparison to the treated area's level.
  assert.match(await ev.locator('.verdict').textContent(), /skalad till insatsområdets nivå före \(faktor \d+,\d\d\)/);
  // Back to the system's proposal.
  await ev.getByRole('button', { name: 'Använd systemets förslag' }).click();
  await ev.locator('.controls-box').getByText('Jämförelseområdena är föreslagna av systemet', { exact: false }).waitFor();
  assert.equal(await ev.locator('.controls-names').textContent(), before);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the overdue filter shows the demo’s overdue actions, flagged; the list reads well on a phone', async () => {
  const { context, page } = await newPage(PHONE, { acceptDownloads: true });
  await login(page, 'lasare');
  await page.goto(`${BASE}/#/insatser`);
  await page.getByRole('heading', { name: 'Insatser', level: 1 }).waitFor();
  await page.getByTestId('action-list').waitFor();
  // A viewer reads but cannot create.
  assert.equal(await page.getByRole('link', { name: 'Ny insats' }).count(), 0);
  await page.getByLabel('Status').selectOption('overdue');
  await page.waitForFunction(() => location.hash.includes('status=overdue'));
  await page.getByRole('status').filter({ hasText: /insats/ }).waitFor();
  const cards = page.getByTestId('action-list').locator('li');
  await cards.first().waitFor();
  const titles = await cards.locator('.wc-title').allTextContents();
  for (const t of OVERDUE) assert.ok(titles.includes(t), `${t} in ${titles}`);
  assert.ok(!titles.includes(FINISHED));
  for (const card of await cards.all()) assert.match(await card.textContent(), /Försenad uppföljning/);
  await page.screenshot({ path: join(SHOTS, 'insatser-phone.png') });
  await axe(page, 'actions list (phone)');

  // An overdue action reads on a phone, with its evaluation.
  await page.getByRole('link', { name: OVERDUE[0] }).click();
  await page.getByRole('heading', { name: OVERDUE[0], level: 1 }).waitFor();
  await page.getByText('Du kan läsa insatsen men inte ändra den', { exact: false }).waitFor();
  await page.getByTestId('evaluation').locator('.verdict').waitFor();
  await page.getByRole('button', { name: 'Gå till utvärderingen' }).click();
  await page.screenshot({ path: join(SHOTS, 'insatser-utvardering-phone.png') });
  await axe(page, 'action detail (viewer, phone)');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('an organisation lead edits its own organisation’s actions only', async () => {
  const { context, page } = await newPage(DESKTOP, { acceptDownloads: true });
  await login(page, 'chef.bun');
  // Problems are for coordinators and viewers; the lead has actions and documents.
  assert.equal(await page.getByRole('link', { name: 'Problem', exact: true }).count(), 0);
  await page.getByRole('link', { name: 'Insatser' }).click();
  await page.getByRole('heading', { name: 'Insatser', level: 1 }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Ny insats' }).count(), 0);

  await page.getByRole('link', { name: FINISHED }).click();
  await page.getByRole('heading', { name: FINISHED, level: 1 }).waitFor();
  await page.getByText('Du kan läsa insatsen men inte ändra den – den ägs av Trafik- och fastighetsnämnden.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Spara ändringarna' }).count(), 0);
  assert.equal(await page.getByLabel('Rubrik', { exact: true }).count(), 0);
  await page.getByTestId('evaluation').locator('.verdict').waitFor();
  assert.equal(await page.getByText('Byt jämförelseområden').count(), 0);

  // Its own organisation's action (created above, owner Barn- och ungdomsnämnden) is editable.
  await page.goto(`${BASE}/#/insatser?owner=bun`);
  await page.getByRole('link', { name: ACTION }).click();
  await page.getByRole('heading', { name: ACTION, level: 1 }).waitFor();
  await page.getByLabel('Resultat vid uppföljning').fill('Uppföljt av nämnden: lugnare helger i december.');
  await page.getByRole('button', { name: 'Spara ändringarna' }).click();
  await page.getByText('Insatsen är sparad.').waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('an organisation lead’s form changes status and result only; the rest is read-only', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'chef.bun');
  await page.goto(`${BASE}/#/insatser?owner=bun`);
  await page.getByRole('link', { name: ACTION }).click();
  await page.getByRole('heading', { name: ACTION, level: 1 }).waitFor();
  await page.getByText('Som organisationsansvarig för Barn- och ungdomsnämnden ändrar du insatsens status och resultat.').waitFor();
  // Status and result are the form; owner, cost, areas and dates are facts, not inputs.
  const form = page.locator('form.lead-form');
  await form.getByRole('group', { name: 'Status', exact: true }).waitFor();
  for (const label of ['Rubrik', 'Ansvarig organisation (ägare)', 'Kostnad (kronor)', 'Start']) {
    assert.equal(await page.getByLabel(label, { exact: true }).count(), 0, label);
  }
  const facts = page.getByRole('region', { name: 'Om insatsen' });
  await facts.getByText('Barn- och ungdomsnämnden').first().waitFor();
  assert.equal(await page.getByText('Byt jämförelseområden').count(), 0);

  // Only the version, the status and the result are sent.
  const patch = page.waitForRequest((r) => r.method() === 'PATCH' && /\/api\/v1\/actions\/\d+$/.test(r.url()));
  await form.getByLabel('Resultat vid uppföljning').fill('Nämnden följde upp: färre samlingar efter kl. 22.');
  await form.getByRole('button', { name: 'Spara ändringarna' }).click();
  const body = JSON.parse((await patch).postData());
  assert.deepEqual(Object.keys(body).sort(), ['result', 'status', 'version']);
  assert.equal(body.result, 'Nämnden följde upp: färre samlingar efter kl. 22.');
  await page.getByText('Insatsen är sparad.').waitFor();
  await facts.getByText('Barn- och ungdomsnämnden').first().waitFor();
  await axe(page, 'action (organisation lead)');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('documents: a weekly draft downloads as PDF, publishing gives version 1 in the list', async () => {
  const { context, page } = await newPage(DESKTOP, { acceptDownloads: true });
  await login(page, 'samordnare');
  await page.getByRole('link', { name: 'Dokument' }).click();
  await page.getByRole('heading', { name: 'Dokument', level: 1 }).waitFor();
  const week = await page.getByLabel('Vecka', { exact: true }).inputValue();
  assert.match(week, /^\d{4}-W\d{2}$/);
  const title = await page.getByTestId('doc-chosen').textContent();
  assert.match(title, /^Lägesbild vecka \d+ \d{4}$/);

  const pdf = page.getByTestId('draft-downloads').getByRole('link', { name: /^PDF/ });
  const href = await pdf.getAttribute('href');
  assert.equal(href, `/api/v1/documents/draft?kind=weekly&period=${week}&format=pdf`);
  const [download] = await Promise.all([page.waitForEvent('download'), pdf.click()]);
  assert.match(download.suggestedFilename(), /\.pdf$/);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  const res = await page.request.get(new URL(href, BASE).toString());
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /^application\/pdf/);

  // The annual report needs an organisation before it can be downloaded.
  await page.getByLabel('Årsrapport för en organisation').check();
  await page.getByTestId('draft-downloads').getByText('Rätta uppgifterna ovan först.').waitFor();
  await page.getByLabel('Organisation', { exact: true }).selectOption('bun');
  const xlsx = await page.getByTestId('draft-downloads').getByRole('link', { name: /^Excel/ }).getAttribute('href');
  assert.match(xlsx, /kind=annual&year=\d{4}&org=bun&format=xlsx$/);
  const x = await page.request.get(new URL(xlsx, BASE).toString());
  assert.match(x.headers()['content-type'], /spreadsheetml/);

  // Publish the week's picture.
  await page.getByLabel('Veckans lägesbild').check();
  await page.getByRole('button', { name: 'Publicera' }).click();
  await page.getByText(`Publicerat: ${title}, version 1.`).waitFor();
  const row = page.getByTestId('published').locator('tbody tr').filter({ hasText: title });
  assert.equal(await row.count(), 1);
  assert.equal((await row.locator('td.version').textContent()).trim(), '1');
  const doc = await row.getByRole('link', { name: /^PDF/ }).getAttribute('href');
  const d = await page.request.get(new URL(doc, BASE).toString());
  assert.match(d.headers()['content-type'], /^application\/pdf/);
  await page.screenshot({ path: join(SHOTS, 'dokument-desktop.png'), fullPage: true });
  await axe(page, 'documents');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a viewer reads documents and problems on a phone without publishing or editing', async () => {
  const { context, page } = await newPage(PHONE, { acceptDownloads: true });
  await login(page, 'lasare');
  await page.goto(`${BASE}/#/dokument`);
  await page.getByRole('heading', { name: 'Dokument', level: 1 }).waitFor();
  await page.getByTestId('published').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Publicera' }).count(), 0);
  await page.screenshot({ path: join(SHOTS, 'dokument-phone.png') });
  await axe(page, 'documents (viewer, phone)');

  await page.goto(`${BASE}/#/problem`);
  await page.getByRole('heading', { name: 'Problem', level: 1 }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Nytt problem' }).count(), 0);
  await page.getByRole('link', { name: PROBLEM }).click();
  await page.getByRole('heading', { name: PROBLEM, level: 1 }).waitFor();
  await page.getByText('Du kan läsa problemet men inte ändra det.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Spara ändringarna' }).count(), 0);
  await page.getByTestId('answers').getByRole('link', { name: ACTION }).waitFor();
  // A viewer without an organisation sees no single report of any organisation (point level).
  await page.getByTestId('linked-reports').getByText('finns inte eller är inte åtkomlig').first().waitFor();
  assert.equal(await page.getByTestId('linked-reports').getByText('Rotebro').count(), 0);
  await page.screenshot({ path: join(SHOTS, 'problem-phone.png') });
  await axe(page, 'problem (viewer, phone)');
  assert.deepEqual(page.problems, []);
  await context.close();
});
