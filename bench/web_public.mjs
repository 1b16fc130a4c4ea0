// The public page (/offentlig) on a slow phone: Chromium (Debian's, via playwright-core from
// tests/e2e/node_modules) with the CPU slowed 4× and a "slow 4G" network (150 ms round trip,
// 1.6 Mbit/s down, 750 kbit/s up), a cold cache each run. Prints, per run and as the median:
// first contentful paint, the first count table visible, the map drawn, and the bytes sent.
//
//   BASE_URL=http://127.0.0.1:8090 node bench/web_public.mjs [runs]
//
// Measures, asserts nothing (figures go to docs/performance.md).
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(import.meta.dirname, '../tests/e2e/package.json'));
const { chromium } = require('playwright-core');

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8090';
const RUNS = Number(process.argv[2] ?? 5);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

const rows = [];
for (let i = 0; i < RUNS; ++i) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'sv-SE' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
  const t0 = Date.now();
  await page.goto(`${BASE}/offentlig`, { waitUntil: 'commit' });
  await page.locator('table.public-table').first().waitFor({ timeout: 60000 });
  const table = Date.now() - t0;
  await page.locator('.map-picture .leaflet-overlay-pane path').first().waitFor({ timeout: 60000 });
  const map = Date.now() - t0;
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  await page.waitForLoadState('networkidle');
  rows.push({ fcp: Math.round(fcp), table, map, kb: Math.round(bytes / 1024) });
  console.log(`run ${i + 1}: first paint ${Math.round(fcp)} ms, table ${table} ms, map ${map} ms, ${Math.round(bytes / 1024)} KiB`);
  await context.close();
}
await browser.close();
const median = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
console.log(`median of ${RUNS}: first paint ${median('fcp')} ms, table ${median('table')} ms, map ${median('map')} ms, ${median('kb')} KiB`);
