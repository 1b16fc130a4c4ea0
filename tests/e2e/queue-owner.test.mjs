// The offline queue belongs to the device, not the user (issue 15 point 10): a report that
// rapportor.hem queued offline and that was still queued at logout must not be sent when
// rapportor.polis logs in on the same phone. Polis sees it as waiting for rapportor.hem; it is
// sent, as Sollentunahem's report, when rapportor.hem logs in again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, newPage, login, axe, setupBrowser } from './helpers.mjs';

setupBrowser();
const TAG = `e2e-q-${Date.now().toString(36)}`;

async function logout(page) {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.getByRole('heading', { name: 'Logga in' }).waitFor();
}

async function mine(page) {
  await page.getByRole('link', { name: 'Mina rapporter' }).click();
  await page.getByRole('heading', { name: 'Mina rapporter' }).waitFor();
  // The list is loaded after the heading: wait for the cards (or "Inga rapporter ännu").
  await page.locator('main .report-cards, main :text("Inga rapporter ännu.")').first().waitFor();
}

test("a report queued by one reporter is never sent in another reporter's session", async () => {
  // One phone: one browser context (one localStorage) for both users.
  const { context, page } = await newPage(PHONE);
  await login(page, 'rapportor.hem');
  await page.locator('.leaflet-overlay-pane path').first().waitFor();
  await page.locator('label[for^="cat-"]', { hasText: 'Nedskräpning' }).click();
  await page.getByLabel('Sök plats').fill('station');
  await page.getByRole('button', { name: /Rotebro station/ }).click();
  await page.getByTestId('chosen-location').filter({ hasText: 'Rotebro station' }).waitFor();
  await page.getByLabel('Beskrivning').fill(`Skräp i trapphuset (${TAG}).`);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await page.getByTestId('report-message').filter({ hasText: 'sparad i webbläsaren' }).waitFor();

  // Logging out with a queued report warns how many are left.
  let warning = '';
  page.once('dialog', async (d) => {
    warning = d.message();
    await d.accept();
  });
  await logout(page);
  assert.match(warning, /1 rapporter har inte skickats/);

  // Back online. The logout never reached the server, so the session cookie is still in the
  // browser: a fresh start finishes the logout instead of showing rapportor.hem's pages again.
  await context.setOffline(false);
  await page.reload();
  await page.locator('main h1').waitFor();
  assert.equal(await page.locator('main h1').textContent(), 'Logga in');
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
  assert.equal(me, 401);

  // Another reporter logs in on the same phone.
  await login(page, 'rapportor.polis');
  const others = page.getByTestId('queue-others');
  await others.waitFor();
  assert.match(await others.textContent(), /väntar på att rapportor\.hem loggar in igen/);
  assert.equal(await page.getByTestId('queue-mine').count(), 0);
  await axe(page, 'rapportera med en annan användares kö (phone)');
  // Give the queue every chance to (wrongly) go out: the online event and the send-now path.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForTimeout(1000); // a (wrong) send would be on its way by now
  await mine(page);
  assert.equal(await page.getByText(TAG).count(), 0, "polis's list must not hold hem's report");
  await page.getByRole('link', { name: 'Rapportera' }).click();
  await page.getByTestId('queue-others').waitFor();

  // The owner logs in again: the report goes out once, as hers.
  await logout(page);
  await login(page, 'rapportor.hem');
  await page.getByTestId('queue-mine').waitFor({ state: 'detached' });
  await page.getByTestId('queue-others').waitFor({ state: 'detached' });
  await mine(page);
  await page.getByText(TAG).first().waitFor();
  assert.equal(await page.getByText(TAG).count(), 1);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("another user's queued report can be discarded, and it is then never sent", async () => {
  const { context, page } = await newPage(PHONE);
  await login(page, 'rapportor.hem');
  await page.locator('.leaflet-overlay-pane path').first().waitFor();
  await page.locator('label[for^="cat-"]', { hasText: 'Nedskräpning' }).click();
  await page.getByLabel('Sök plats').fill('station');
  await page.getByRole('button', { name: /Rotebro station/ }).click();
  await page.getByTestId('chosen-location').filter({ hasText: 'Rotebro station' }).waitFor();
  await page.getByLabel('Beskrivning').fill(`Skräp vid cykelstället (${TAG}-bort).`);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await page.getByTestId('report-message').filter({ hasText: 'sparad i webbläsaren' }).waitFor();
  page.once('dialog', (d) => d.accept());
  await logout(page);
  await context.setOffline(false);

  await login(page, 'rapportor.polis');
  await page.getByTestId('queue-others').getByRole('button', { name: /Ta bort rapporten/ }).click();
  await page.getByTestId('queue-others').waitFor({ state: 'detached' });
  await logout(page);
  await login(page, 'rapportor.hem');
  await mine(page);
  assert.equal(await page.getByText(`${TAG}-bort`).count(), 0);
  assert.deepEqual(page.problems, []);
  await context.close();
});
