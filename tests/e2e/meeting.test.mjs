// Browser test of the meeting view in real Chromium: a coordinator records a meeting (attendance,
// focus, a decision that becomes an action, minutes), a bad period is refused next to its field
// without losing what was typed, and the saved meeting reads back after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, SHOTS, PHONE, DESKTOP, newPage, login, axe, setupBrowser } from './helpers.mjs';

setupBrowser();

test('a coordinator records a meeting with attendance, focus, a decision that becomes an action, and minutes', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.getByRole('link', { name: 'Möten' }).click();
  await page.getByRole('heading', { name: 'Möten', level: 1 }).waitFor();
  // The demo has meetings; the list shows them.
  await page.locator('.meeting-list li').first().waitFor(); // the list loads after the heading
  assert.ok((await page.locator('.meeting-list li').count()) >= 1);
  await page.getByRole('button', { name: 'Nytt möte' }).click();
  await page.getByRole('heading', { name: /Veckomöte/, level: 1 }).waitFor();
  await page.getByTestId('agenda').waitFor();
  // The agenda lists the demo's open actions with overdue follow-ups.
  await page.getByText(/Uppföljning försenad/).first().waitFor();

  await page.getByLabel('Polisen, lokalpolisområde Sollentuna').check();
  await page.getByLabel('AB Sollentunahem').check();
  await page.getByRole('group', { name: 'Fokusområden' }).getByLabel('Rotebro', { exact: true }).check();
  await page.getByRole('group', { name: 'Fokusplatser' }).getByLabel('Rotebro station').check();
  await page.getByRole('button', { name: 'Lägg till beslut' }).click();
  await page.getByLabel('Beslut 1', { exact: true }).fill('Väktarna går extra rundor vid Rotebro station fredag kväll');
  await page.getByLabel('Ansvarig organisation').selectOption('bevakning');
  await page.getByLabel('Protokoll').fill('Buskörningen i Rotebro diskuterades. Ring 070-123 45 67.');

  // A bad period is refused next to its field; nothing typed is lost.
  await page.getByLabel('Lägesbild för perioden').fill('vecka 99');
  await page.getByRole('button', { name: 'Spara mötet' }).click();
  await page.locator('#m-period-error').waitFor();
  assert.match(await page.locator('#m-period-error').textContent(), /period/);
  assert.equal(await page.getByLabel('Beslut 1', { exact: true }).inputValue(), 'Väktarna går extra rundor vid Rotebro station fredag kväll');
  assert.ok(await page.getByLabel('AB Sollentunahem').isChecked());

  await page.getByLabel('Lägesbild för perioden').fill('2026-W47');
  await page.getByRole('button', { name: 'Spara mötet' }).click();
  await page.getByText('Mötet är sparat.').waitFor();
  // The phone number was scrubbed from the minutes by the server.
  assert.doesNotMatch(await page.getByLabel('Protokoll').inputValue(), /070-123/);

  await page.getByRole('button', { name: 'Gör beslut 1 till insats' }).click();
  await page.getByText(/Insats #\d+ skapad/).first().waitFor();
  await page.screenshot({ path: join(SHOTS, 'meeting-desktop.png'), fullPage: true });
  await axe(page, 'meeting');

  // After a reload everything reads back, and the new action is on the agenda.
  await page.reload();
  await page.getByTestId('agenda').waitFor();
  assert.ok(await page.getByLabel('Polisen, lokalpolisområde Sollentuna').isChecked());
  assert.ok(await page.getByRole('group', { name: 'Fokusplatser' }).getByLabel('Rotebro station').isChecked());
  await page.getByTestId('agenda').getByText('Väktarna går extra rundor vid Rotebro station fredag kväll').waitFor();
  // Feedback: the week's summary to the housing company's reporters.
  await page.getByLabel('Till', { exact: true }).selectOption('sollentunahem');
  await page.getByRole('button', { name: 'Skicka sammanfattning' }).click();
  await page.getByText('Sammanfattningen skickades till 1 organisation(er).').waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();

  const rep = await newPage(PHONE);
  await login(rep.page, 'rapportor.hem');
  await rep.page.goto(`${BASE}/#/mina-rapporter`);
  const msg = rep.page.getByTestId('message').first();
  await msg.waitFor();
  assert.match(await msg.textContent(), /Veckans sammanfattning/);
  assert.match(await msg.textContent(), /AB Sollentunahem rapporterade/);
  await axe(rep.page, 'mina rapporter with messages');
  await rep.context.close();
});

test('the meeting list and a meeting read well on a phone; a viewer reads without editing', async () => {
  const { context, page } = await newPage(PHONE);
  await login(page, 'lasare');
  await page.goto(`${BASE}/#/moten`);
  await page.locator('.meeting-list li a').first().click();
  await page.getByTestId('agenda').waitFor();
  await page.getByText('Du kan läsa protokollet men inte ändra det.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Spara mötet' }).count(), 0);
  await page.screenshot({ path: join(SHOTS, 'meeting-phone.png') });
  await axe(page, 'meeting (viewer, phone)');
  assert.deepEqual(page.problems, []);
  await context.close();
});
