// Shared helpers of the browser tests (run.sh provides BASE_URL and SCREENSHOTS): Debian's
// Chromium through playwright-core, a fresh context per page that collects page errors, login,
// the axe WCAG 2.1 A/AA scan and screenshots. Not a test file itself (run.sh runs *.test.mjs).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8090';
export const SHOTS = process.env.SCREENSHOTS ?? join(import.meta.dirname, 'screenshots');
export const PASSWORD = 'demo-losen-2026';
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1366, height: 900 } };

let browser;

/** Launches the browser before the file's tests and closes it after them; call at top level. */
export function setupBrowser() {
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
  });
}

/** A fresh context (Swedish locale, Stockholm time); page.problems collects page and console errors. */
export async function newPage(device, opts = {}) {
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

export async function login(page, user, password = PASSWORD) {
  await page.goto(`${BASE}/#/login`);
  await page.getByLabel('Användarnamn').fill(user);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.locator('main h1').filter({ hasNotText: 'Logga in' }).waitFor();
}

/** Fails with the list of WCAG 2.1 A/AA violations on the page. */
export async function axe(page, name) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const v = result.violations.map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(v, [], `axe violations on ${name}`);
}
