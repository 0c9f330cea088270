/**
 * Browser benchmark: open real filings in the built app (headless Chromium)
 * and time the worker's parse; also record main-thread long tasks (> 50 ms)
 * during the parse, to show the page stays responsive. Prints one JSON line.
 *
 *   npm run bench:app [-- FILE ...]   (default: two of ../shared/data/ixbrl; needs dist/: the script builds it)
 */
import { basename } from 'node:path';
import { statSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startPreview } from '../preview-server.ts';
import config from '../../playwright.config.ts';

const PORT = 4174;
const DEFAULT_FILES = [
  '../shared/data/ixbrl/3M_COMPANY_10-Q_June-30-2023.htm.gz',
  '../shared/data/ixbrl/Tesla_Inc._10-K_December-31-2021.htm.gz',
];
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_FILES;

const { url, server } = await startPreview(PORT);
try {
  const browser = await chromium.launch(config.use?.launchOptions);
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByRole('tab', { name: 'Filing' }).click();
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
  });
  const results = [];
  for (const file of files) {
    await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks.length = 0));
    const started = Date.now();
    await page.getByLabel('Open an inline-XBRL 10-K or 10-Q').setInputFiles(file);
    await page.locator('.cover-facts dd', { hasText: basename(file) }).waitFor({ timeout: 60_000 });
    const parseTime = page.getByTestId('parse-time');
    const workerSeconds = parseFloat((await parseTime.textContent()) ?? 'NaN');
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    results.push({
      file: basename(file),
      bytes: statSync(file).size,
      workerMs: Math.round(workerSeconds * 1000),
      openToShownMs: Date.now() - started,
      sentences: await page.locator('.sentence-list li').count(),
      longTasksOver50ms: longTasks.length,
      longestTaskMs: Math.round(Math.max(0, ...longTasks)),
    });
  }
  await browser.close();
  console.log(JSON.stringify({ bench: 'app-parse-filing', browser: 'chromium (headless)', results }));
} finally {
  server.kill();
}
