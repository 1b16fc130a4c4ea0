// Changing one's own password in the web UI: the current one is checked, the new one follows the
// rules (the server's Swedish reason at the field), and afterwards only the new one logs in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PASSWORD, newPage, login, axe, setupBrowser } from './helpers.mjs';

setupBrowser();
const LOGIN = `e2e.byte.${Date.now().toString(36)}`;
const FIRST = 'Trygghet-Sollentuna-49!';
const NEXT = 'Kvällssol-över-Edsviken-8';

test('a user changes their own password; the rules and the current password are checked', async () => {
  const { context, page } = await newPage(DESKTOP);
  // A fresh account (created by the demo admin through the API) so no other test is affected.
  const admin = await context.request.post(`${BASE}/api/v1/auth/login`, { data: { login: 'admin', password: PASSWORD } });
  assert.equal(admin.status(), 200);
  const { csrf_token } = await admin.json();
  const weak = await context.request.post(`${BASE}/api/v1/users`, {
    headers: { 'X-CSRF-Token': csrf_token },
    data: { login: LOGIN, password: 'abbreviations', role: 'viewer' },
  });
  assert.equal(weak.status(), 400);
  assert.match(JSON.stringify(await weak.json()), /"field":"password".*ordboksord/);
  const made = await context.request.post(`${BASE}/api/v1/users`, {
    headers: { 'X-CSRF-Token': csrf_token },
    data: { login: LOGIN, password: FIRST, role: 'viewer' },
  });
  assert.equal(made.status(), 201, await made.text());
  await context.clearCookies();

  await login(page, LOGIN, FIRST);
  await page.getByRole('link', { name: 'Byt lösenord' }).click();
  await page.getByRole('heading', { name: 'Byt lösenord' }).waitFor();
  await page.getByLabel('Nuvarande lösenord').fill('gissat-fel-lösen');
  await page.getByLabel('Nytt lösenord', { exact: true }).fill(NEXT);
  await page.getByLabel('Upprepa det nya lösenordet').fill(NEXT);
  await page.getByRole('button', { name: 'Byt lösenordet' }).click();
  await page.locator('#pw-current-error').filter({ hasText: 'stämmer inte' }).waitFor();

  await page.getByLabel('Nuvarande lösenord').fill(FIRST);
  await page.getByLabel('Nytt lösenord', { exact: true }).fill(`${LOGIN}-2026`);
  await page.getByLabel('Upprepa det nya lösenordet').fill(`${LOGIN}-2026`);
  await page.getByRole('button', { name: 'Byt lösenordet' }).click();
  await page.locator('#pw-new-error').filter({ hasText: 'får inte innehålla användarnamnet' }).waitFor();
  await axe(page, 'byt lösenord med fel');

  await page.getByLabel('Nytt lösenord', { exact: true }).fill(NEXT);
  await page.getByLabel('Upprepa det nya lösenordet').fill(NEXT);
  await page.getByRole('button', { name: 'Byt lösenordet' }).click();
  await page.getByText('Lösenordet är bytt.').waitFor();
  await page.getByRole('button', { name: 'Logga in igen' }).click();

  await page.getByLabel('Användarnamn').fill(LOGIN);
  await page.getByLabel('Lösenord').fill(FIRST);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.locator('#login-error').waitFor();
  await login(page, LOGIN, NEXT);
  assert.deepEqual(page.problems.filter((p) => !/401|403|400/.test(p)), []);
  await context.close();
});
