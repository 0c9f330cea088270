/**
 * The README's screenshots of the built app, in headless Chromium with the
 * shipped model and reports: the Tag text screen on the examples, a real
 * 10-K on the Filing screen with the model beside the filer's tags, and the
 * dashboard. Rerun after a new model or new reports:
 *
 *   npm run screenshots [-- FILING.htm.gz]   (writes docs/screenshots/*.png)
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startPreview } from './preview-server.ts';
import config from '../playwright.config.ts';

const PORT = 4175;
const OUT = 'docs/screenshots';
const filing = process.argv[2] ?? '../shared/data/ixbrl/ABM_INDUSTRIES_INC_10-K_2022-10-31.htm.gz';
const fallback = 'e2e/fixtures/tiny-10q.htm';

const { url, server } = await startPreview(PORT);
try {
  const browser = await chromium.launch(config.use?.launchOptions);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);

  // Tag text: all four examples, tagged with ONNX int8.
  const texts: string[] = [];
  for (const button of await page.locator('.example-picker button').all()) {
    await button.click();
    texts.push(await page.locator('#tag-text').inputValue());
  }
  await page.locator('#tag-text').fill(texts.join('\n\n'));
  await page.getByRole('button', { name: 'Tag', exact: true }).click();
  await page.locator('.backend-summary').waitFor({ timeout: 120_000 });
  await page.getByLabel('Show type labels in the text').check();
  await page.locator('[data-testid="tagged-text"] mark.entity').first().focus().catch(() => {});
  await page.screenshot({ path: `${OUT}/tag-text.png`, fullPage: true });

  // Filing: a real 10-K, the model run over its prose.
  await page.getByRole('tab', { name: 'Filing' }).click();
  await page.getByLabel('Open an inline-XBRL 10-K or 10-Q').setInputFiles(existsSync(filing) ? filing : fallback);
  await page.getByRole('button', { name: /^Run the model/ }).click({ timeout: 60_000 });
  await page.getByTestId('filing-score').waitFor({ timeout: 300_000 });
  await page.setViewportSize({ width: 1280, height: 1600 });
  await page.locator('.model-on-filing').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, document.querySelector('.model-on-filing')!.getBoundingClientRect().top + window.scrollY - 16));
  await page.screenshot({ path: `${OUT}/filing-model.png` });

  // Dashboard: every report there is.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  await page.locator('figure.distribution-chart, .notice').first().waitFor();
  await page.waitForTimeout(500);
  // its top: the distribution, the metrics and the confusion matrix (the whole page is a 2.5 MB image)
  await page.screenshot({ path: `${OUT}/dashboard.png`, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 2200 } });
  await browser.close();
  console.log(`wrote ${OUT}/tag-text.png, filing-model.png, dashboard.png`);
} finally {
  server.kill();
}
