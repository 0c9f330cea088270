import { readFileSync, statSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/**
 * What the app keeps and says between runs (issue 19): results a cancel or a
 * bad file must not throw away, the notices for stale results, the language
 * notice, the WebGPU note, the timings, and the compare table at phone width.
 */

test.describe.configure({ timeout: 120_000 }); // each test loads the model in a fresh worker

const ENGLISH = 'The notes bear interest at 5.25% per annum. The credit facility provides for borrowings of up to $500 million.';
const FIXTURE = readFileSync(new URL('./fixtures/tiny-10q.htm', import.meta.url));

async function tag(page: Page, text: string): Promise<void> {
  await page.locator('#tag-text').fill(text);
  await page.getByRole('button', { name: 'Tag', exact: true }).click();
}

test('timings: the model load apart from tagging, the counts say what they count; no WebGPU is a quiet note', async ({ page }) => {
  // a connection that asks to save data: no warm-up, so the first Tag loads the model itself
  await page.addInitScript(() => Object.defineProperty(navigator, 'connection', { value: { saveData: true } }));
  await page.goto('./');
  await page.waitForTimeout(3000); // the warm-up would have started by now
  await expect(page.getByTestId('model-load')).toHaveCount(0);
  await tag(page, `${ENGLISH} The board met in the spring.`);
  const summary = page.locator('.backend-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  expect(Number(await summary.getAttribute('data-load-ms'))).toBeGreaterThan(0);
  await expect(page.getByTestId('text-counts')).toHaveText(/^3 sentences, \d+ words$/);
  await expect(page.getByTestId('model-counts')).toHaveText(/^2 sentences with a digit, \d+ words, \d+ sub-tokens in \d+ windows?$/);
  // headless Chromium without a GPU: WASM, and a plain-language note that is not a warning
  await expect(page.getByTestId('provider')).toHaveText(/^WASM/);
  const note = page.getByTestId('webgpu-note');
  await expect(note).toHaveAttribute('data-reason', /^(absent|software)$/);
  await expect(note).toHaveClass(/\bhint\b/);
  await expect(note).not.toHaveClass(/\bnotice\b/);
  await expect(note).not.toContainText('navigator.gpu');

  // a second run loads nothing: its tagging time is its own
  await summary.evaluate((el) => el.setAttribute('data-old', '1'));
  await page.getByRole('button', { name: 'Tag', exact: true }).click();
  await expect(page.locator('.backend-summary:not([data-old])')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('load-time')).toHaveText('already loaded');
  expect(Number(await page.locator('.backend-summary').getAttribute('data-load-ms'))).toBe(0);
});

test("warm-up: once the page is idle the model loads, its file's download shown; the first Tag finds it already loaded", async ({ page }) => {
  // every state the model-load line goes through, recorded in the page (the download of a local file is quick)
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { modelLoadSeen: seen });
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="model-load"]');
      const state = el ? `${el.getAttribute('data-status')}: ${el.textContent}` : '';
      if (state && seen.at(-1) !== state) seen.push(state);
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  // the model file held back until the test has seen the load start, with nobody pressing Tag
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/models/finer-lens-small/onnx/model_quantized.onnx', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('./');
  const load = page.getByTestId('model-load');
  await expect(load).toHaveAttribute('data-status', 'loading', { timeout: 15_000 });
  await expect(load).toContainText('Loading the model (ONNX (onnxruntime-web) int8)');
  await expect(page.locator('.tag-progress')).toHaveCount(0);
  release();
  await expect(load).toHaveAttribute('data-status', 'loaded', { timeout: 60_000 });
  await expect(load).toContainText('ONNX (onnxruntime-web) int8 is loaded');
  const mb = (statSync(new URL('../public/models/finer-lens-small/onnx/model_quantized.onnx', import.meta.url)).size / 1e6).toFixed(1);
  const seen = (await page.evaluate(() => (window as unknown as { modelLoadSeen: string[] }).modelLoadSeen)).join('\n');
  expect(seen).toMatch(new RegExp(`^loading: Loading the model .*: onnx/model_quantized\\.onnx: [\\d.]+ (of ${mb.replace('.', '\\.')} )?MB$`, 'm'));

  await tag(page, ENGLISH);
  await expect(page.locator('.backend-summary')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('load-time')).toHaveText('already loaded');
  expect(Number(await page.locator('.backend-summary').getAttribute('data-load-ms'))).toBe(0);
});

test('switching the backend says the results are stale; cancelling the HF re-run keeps the ONNX results', async ({ page }) => {
  await page.goto('./');
  await tag(page, ENGLISH);
  await expect(page.getByTestId('backend')).toHaveText('ONNX int8', { timeout: 60_000 });
  await expect(page.getByTestId('run-notice')).toHaveCount(0);

  await page.getByLabel('HF (transformers.js)').check();
  await expect(page.getByTestId('run-notice')).toContainText('The results below are from ONNX (onnxruntime-web) int8; HF (transformers.js) int8 is chosen now');

  // hold transformers.js's model file back, so the run is still loading when Cancel is pressed
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/models/finer-lens-small/onnx/model_quantized.onnx', async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Tag', exact: true }).click();
  await expect(page.locator('.tag-progress')).toContainText('HF (transformers.js)');
  await page.getByRole('button', { name: 'Cancel' }).click();
  release();
  await expect(page.getByTestId('run-notice')).toContainText('Tagging with HF (transformers.js) was cancelled: the results below are the earlier ones, from ONNX', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('backend')).toHaveText('ONNX int8');
  await expect(page.getByTestId('tagged-text')).toBeVisible();
});

test('text that is not English: a notice and no tagging until "Tag anyway"', async ({ page }) => {
  await page.goto('./');
  const chinese = '公司于2023年发行了本金总额为5亿美元、利率为5.25%的优先票据，该票据将于2030年到期。';
  await tag(page, chinese);
  const notice = page.getByTestId('language-notice');
  await expect(notice).toContainText('This text does not look like English');
  await expect(notice).toContainText('Chinese or Japanese');
  await page.waitForTimeout(500);
  await expect(page.locator('.backend-summary')).toHaveCount(0);
  await expect(page.locator('.tag-progress')).toHaveCount(0);

  await notice.getByRole('button', { name: 'Tag anyway' }).click();
  await expect(notice).toHaveCount(0);
  await expect(page.locator('.backend-summary')).toBeVisible({ timeout: 60_000 });

  // English goes straight to the model
  await tag(page, ENGLISH);
  await expect(page.getByTestId('language-notice')).toHaveCount(0);
});

test('a file that cannot be opened leaves the open filing, with a one-line error', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Filing' }).click();
  const input = page.getByLabel('Open an inline-XBRL 10-K or 10-Q');
  await input.setInputFiles({ name: 'tiny-10q.htm', mimeType: 'text/html', buffer: FIXTURE });
  await expect(page.getByRole('heading', { name: 'Tiny Lending Corp.' })).toBeVisible();

  await input.setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n1 0 obj\n') });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('report.pdf does not look like HTML');
  await expect(page.getByRole('heading', { name: 'Tiny Lending Corp.' })).toBeVisible();
  await expect(page.locator('.sentence-list mark.entity').first()).toBeVisible();
});

test('390 px wide: the compare latency table stays inside the page', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('./');
  await page.locator('#tag-text').fill(ENGLISH);
  await page.getByRole('button', { name: 'Compare both backends' }).click();
  await expect(page.getByTestId('agreement')).toBeVisible({ timeout: 100_000 });
  await expect(page.locator('.compare-speed')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // the table is wider than a phone (it made the page 597 px wide): it scrolls in its own box
  const table = await page.locator('.compare-speed').evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement!.clientWidth }));
  expect(table.table).toBeGreaterThan(table.box);
  expect(await page.locator('.compare-speed').evaluate((t) => getComputedStyle(t.parentElement!).overflowX)).toBe('auto');
});

test('a software WebGPU adapter (SwiftShader): the app prefers WASM and says why, quietly', async ({ playwright, baseURL }) => {
  // Chromium hands out its CPU-emulated WebGPU adapter with these flags; the model ran 13 times slower on it than on WASM
  const browser = await playwright.chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader'],
  });
  try {
    const page = await browser.newPage({ baseURL });
    await page.goto('./');
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { architecture?: string } } | null> } }).gpu;
      return (await gpu?.requestAdapter())?.info?.architecture ?? 'none';
    });
    expect(adapter, 'Chromium gave no SwiftShader adapter: this test needs --enable-unsafe-swiftshader to work').toBe('swiftshader');
    await tag(page, ENGLISH);
    await expect(page.getByTestId('provider')).toHaveText(/^WASM/, { timeout: 60_000 });
    const note = page.getByTestId('webgpu-note');
    await expect(note).toHaveAttribute('data-reason', 'software');
    await expect(note).toHaveClass(/\bhint\b/);
    await expect(note).toContainText('software emulation');
  } finally {
    await browser.close();
  }
});
