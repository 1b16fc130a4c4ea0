// Browser tests of the public page (/offentlig, no login) in Debian's Chromium via playwright-core:
// the week's counts with small ones withheld ("färre än 3"), English with no Swedish left, axe,
// and a resident's report sent from a phone that counts only once a coordinator has approved it
// in the review queue. Started by run.sh (BASE_URL: a fresh demo database; SCREENSHOTS).
// A category of its own (made here) keeps the counts of this test apart from the demo's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, SHOTS, PASSWORD, PHONE, DESKTOP, setupBrowser, newPage, login, axe } from './helpers.mjs';

setupBrowser();

const TAG = Date.now().toString(36);
const CODE = `e2e_lekplats_${TAG}`;

async function apiSession(context, user) {
  const r = await context.request.post(`${BASE}/api/v1/auth/login`, { data: { login: user, password: PASSWORD } });
  assert.equal(r.status(), 200);
  return (await r.json()).csrf_token;
}

async function publicPicture(context, week = '') {
  const r = await context.request.get(`${BASE}/api/v1/public/lagesbild${week ? `?period=${week}` : ''}`);
  assert.equal(r.status(), 200, await r.text());
  return r.json();
}

/** "YYYY-MM-DDTHH:MM" of Stockholm time `days` days ago (the datetime-local field's format). */
function localDaysAgo(days) {
  const d = new Date(Date.now() - days * 86400_000);
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(d);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The ISO week ("2026-W47") of a "YYYY-MM-DD…" date. */
function isoWeek(day) {
  const d = new Date(`${day.slice(0, 10)}T12:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow + 3);  // the week's Thursday
  const year = d.getUTCFullYear();
  const first = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round(((d - first) / 86400_000 - 3 + ((first.getUTCDay() + 6) % 7)) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

test('the public page shows the week with small counts withheld, in Swedish and English', async () => {
  const { context, page } = await newPage(DESKTOP);
  await page.goto(`${BASE}/offentlig`);
  await page.getByRole('heading', { level: 1, name: 'Trygghet i Sollentuna kommun' }).waitFor();
  await page.locator('table.public-table').first().waitFor();
  const pic = await publicPicture(context);
  const withheld = pic.areas.reduce((n, a) => n + a.counts.filter((c) => c === null).length, 0);
  assert.ok(withheld > 0, 'the demo week has small counts');
  assert.equal(await page.locator('td.withheld').count(), withheld);
  assert.equal(await page.locator('td.withheld').first().textContent(), 'färre än 3');
  // No cell shows a 1 or a 2.
  const shown = await page.locator('table.public-table td.num').allTextContents();
  assert.ok(shown.length > 0);
  for (const s of shown) assert.ok(s === 'färre än 3' || s === '0' || Number(s.replace(/\s/g, '')) >= 3, `cell "${s}"`);
  // Only the week, at least 7 days old, and the rules said in words.
  const week = await page.getByLabel('Vecka').inputValue();
  assert.equal(week, pic.period);
  await page.getByText('Siffrorna visas tidigast 7 dagar efter veckans slut').waitFor();
  await page.getByRole('heading', { name: 'Det här gör kommunen' }).waitFor();
  assert.ok((await page.locator('.public-actions li').count()) > 0, 'the demo publishes actions');
  await axe(page, 'offentlig');
  await page.screenshot({ path: join(SHOTS, 'offentlig-desktop.png'), fullPage: true });

  await page.getByRole('button', { name: 'Byt språk till engelska' }).click();
  await page.getByRole('heading', { level: 1, name: 'Safety in Sollentuna kommun' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  const text = await page.locator('main').innerText();
  for (const sv of ['färre än', 'Säkerhet', 'Trygghet –', 'Område', 'Vecka ', 'Rapportera', 'Skicka', 'Det här gör']) {
    assert.ok(!text.includes(sv), `Swedish "${sv}" left in English mode`);
  }
  assert.ok(text.includes('fewer than 3'));
  assert.ok(text.includes('Perceived safety'));
  await axe(page, 'offentlig (en)');
  await page.getByRole('button', { name: 'Switch language to Swedish' }).click();
  await page.getByRole('heading', { level: 1, name: 'Trygghet i Sollentuna kommun' }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("a resident's report from a phone counts only after a coordinator approves it", async () => {
  // The coordinator makes a category of this test's own public.
  const admin = await newPage(DESKTOP);
  const csrf = await apiSession(admin.context, 'samordnare');
  const headers = { 'X-CSRF-Token': csrf };
  const made = await admin.context.request.post(`${BASE}/api/v1/categories`, {
    headers, data: { code: CODE, name_sv: 'Trasig lekplats', name_en: 'Broken playground', group: 'Fysisk miljö', dimension: 'trygghet' },
  });
  assert.equal(made.status(), 201, await made.text());
  const before = await (await admin.context.request.get(`${BASE}/api/v1/public/settings`, { headers })).json();
  const set = await admin.context.request.post(`${BASE}/api/v1/public/settings`, {
    headers, data: { categories: [...before.categories, CODE] },
  });
  assert.equal(set.status(), 200, await set.text());

  const { context, page } = await newPage(PHONE);
  await page.goto(`${BASE}/offentlig`);
  await page.getByRole('heading', { name: 'Rapportera en otrygg plats' }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'offentlig-phone.png'), fullPage: false });
  // The honeypot is not for people.
  const hp = await page.locator('#pub-website').boundingBox();
  assert.ok(!hp || hp.x + hp.width < 0, 'the honeypot is off screen');

  // Sent empty: the error is next to the field, in view and focused, in words.
  await page.getByRole('button', { name: 'Skicka rapporten' }).click();
  const err = page.locator('#pub-category-error');
  await err.waitFor();
  assert.match(await err.textContent(), /välj/i);
  await page.waitForFunction(() => document.activeElement?.id === 'pub-category', null, { timeout: 5000 });
  assert.ok(await err.isVisible());
  const box = await page.locator('#pub-category').boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 844, 'the field in error is in view');

  const when = localDaysAgo(20);
  const week = isoWeek(when);
  const receipts = [];
  for (let i = 0; i < 3; ++i) {
    await page.getByLabel('Vad gäller det?').selectOption(CODE);
    const map = page.locator('#pub-map');
    await map.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);  // the map has fitted the municipality
    const m = await map.boundingBox();
    await page.mouse.click(m.x + m.width / 2, m.y + m.height / 2);
    await page.getByText(/Vald plats:/).waitFor();
    await page.locator('#pub-occurred-from').fill(when);
    await page.getByLabel('Beskrivning (frivillig)').fill('Gungan är trasig och belysningen ur funktion, ring 070-123 45 67');
    await page.getByRole('button', { name: 'Skicka rapporten' }).click();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    // Focus moves to the receipt.
    await page.waitForFunction(() => document.activeElement?.id === 'h-receipt', null, { timeout: 5000 });
    const r = /M-[0-9A-F]{10}/.exec(await receipt.textContent());
    assert.ok(r, await receipt.textContent());
    receipts.push(r[0]);
    if (i === 0) {
      await page.getByText('Vi tog bort uppgifter om personer ur texten').waitFor();
      await page.screenshot({ path: join(SHOTS, 'offentlig-kvitto-phone.png'), fullPage: false });
    }
    await page.getByRole('button', { name: 'Rapportera något mer' }).click();
  }

  // Not counted while waiting for review.
  const sum = (pic) => {
    const col = pic.categories.findIndex((c) => c.code === CODE);
    assert.ok(col >= 0);
    return pic.areas.map((a) => a.counts[col]);
  };
  assert.ok(sum(await publicPicture(context, week)).every((c) => c === 0), 'nothing counted before approval');
  await page.getByLabel('Kvittonummer').fill(receipts[0]);
  await page.getByRole('button', { name: 'Visa status' }).click();
  await page.getByTestId('status').filter({ hasText: 'Mottagen – väntar på granskning' }).waitFor();
  await axe(page, 'offentlig (phone)');

  // The coordinator approves them in the review queue, filtered to residents' reports.
  await login(admin.page, 'samordnare');
  await admin.page.goto(`${BASE}/#/granskning`);
  await admin.page.getByLabel('Källa').selectOption('medborgare');
  await admin.page.getByText('3 nya rapporter (visar 3).').waitFor();
  const text = await admin.page.locator('.review-item').first().innerText();
  assert.ok(text.includes('Medborgare'), text);
  assert.ok(!text.includes('123 45 67') && text.includes('[telefonnummer borttaget]'), 'the phone number was removed');
  await admin.page.screenshot({ path: join(SHOTS, 'granskning-medborgare.png'), fullPage: false });
  for (let i = 0; i < 3; ++i) {
    await admin.page.locator('.review-item').first().getByRole('button', { name: 'Granskad', exact: true }).click();
    await admin.page.waitForFunction((n) => document.querySelectorAll('.review-item').length === n, 2 - i);
  }

  // Counted now: three in one area, shown on the page and drawn as one cell on the map.
  const fresh = await newPage(DESKTOP);
  const counts = sum(await publicPicture(fresh.context, week));
  assert.deepEqual(counts.filter((c) => c !== 0), [3], JSON.stringify(counts));
  await fresh.page.goto(`${BASE}/offentlig`);
  await fresh.page.getByLabel('Vecka').selectOption(week);
  const header = fresh.page.locator('table.public-table th', { hasText: 'Trasig lekplats' });
  await header.waitFor();
  await fresh.page.getByRole('radio', { name: 'Trygghet – hur platser upplevs' }).check();
  await fresh.page.locator('.map-picture path.leaflet-interactive').first().waitFor();
  await fresh.page.getByLabel('Kvittonummer').fill(receipts[1]);
  await fresh.page.getByRole('button', { name: 'Visa status' }).click();
  await fresh.page.getByTestId('status').filter({ hasText: 'Godkänd' }).waitFor();
  await fresh.page.screenshot({ path: join(SHOTS, 'offentlig-godkand.png'), fullPage: true });

  // Leave the page as the demo had it.
  await admin.context.request.post(`${BASE}/api/v1/public/settings`, { headers, data: { categories: before.categories } });
  assert.deepEqual(page.problems, []);
  assert.deepEqual(fresh.page.problems, []);
  await context.close();
  await fresh.context.close();
  await admin.context.close();
});

test('the coordinator chooses what the public page shows', async () => {
  const { context, page } = await newPage(DESKTOP);
  await login(page, 'samordnare');
  await page.goto(`${BASE}/#/admin?tab=offentlig`);
  await page.getByRole('heading', { name: 'Den offentliga sidan för invånare' }).waitFor();
  const klotter = page.getByRole('checkbox', { name: 'Klotter', exact: true });
  assert.equal(await klotter.isChecked(), true, 'the demo shows klotter');
  // A delay below 7 days: said next to the field, and nothing saved.
  await page.getByLabel('Dagar efter veckans slut innan den visas').fill('3');
  await page.getByRole('button', { name: 'Spara inställningarna' }).click();
  await page.locator('#public-delay_days-error').filter({ hasText: 'Minst 7' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'public-delay_days');
  assert.equal((await publicPicture(context)).delay_days, 7);
  await axe(page, 'admin: offentlig sida');

  await page.getByLabel('Dagar efter veckans slut innan den visas').fill('14');
  await klotter.uncheck();
  await page.getByRole('button', { name: 'Spara inställningarna' }).click();
  await page.getByTestId('public-message').filter({ hasText: 'sparade' }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'admin-offentlig.png'), fullPage: true });
  const pic = await publicPicture(context);
  assert.equal(pic.delay_days, 14);
  assert.ok(!pic.categories.some((c) => c.code === 'klotter'));
  const pub = await context.newPage();
  await pub.goto(`${BASE}/offentlig`);
  await pub.getByText('Siffrorna visas tidigast 14 dagar efter veckans slut').waitFor();
  assert.equal(await pub.locator('table.public-table th', { hasText: 'Klotter' }).count(), 0);

  // Back as the demo had it.
  await page.getByLabel('Dagar efter veckans slut innan den visas').fill('7');
  await klotter.check();
  await page.getByRole('button', { name: 'Spara inställningarna' }).click();
  await page.getByTestId('public-message').filter({ hasText: 'sparade' }).waitFor();
  assert.equal((await publicPicture(context)).delay_days, 7);
  assert.deepEqual(page.problems, []);
  await context.close();
});
