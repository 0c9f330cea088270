/**
 * Browser benchmark of the Tag text screen: the prose of a whole 10-K
 * (extracted at run time from ../shared/data/ixbrl by core/src/ixbrl/) pasted into
 * the built app in headless Chromium and tagged in the worker; main-thread
 * long tasks (> 50 ms) are recorded from the click on Tag to the results on
 * the page. Prints one JSON line.
 *
 *   npm run bench:tag [-- --file F.htm.gz] [-- --runs onnx:int8,onnx:fp32,hf:fp32] [-- --chars 1000000] [-- --cold-only]
 *
 * --chars repeats the prose up to that many characters (the 1 MB paste).
 * Each run is cold (fresh page: model and WebAssembly loaded) then warm (the
 * same text again); the warm run gives sub-tokens/s (--cold-only: the cold
 * run gives them, model loading left out).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { startPreview } from '../preview-server.ts';
import config from '../../playwright.config.ts';
import { extractIxbrl } from '@finer-lens/core/ixbrl/extract.ts';

const PORT = 4174;
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
};
const file = option('file', '../shared/data/ixbrl/Tesla_Inc._10-K_December-31-2021.htm.gz');
const runs = option('runs', 'onnx:int8').split(',');
const chars = Number(option('chars', '0'));
const coldOnly = args.includes('--cold-only');

const html = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
let text = extractIxbrl(html).text;
if (chars > text.length) text = Array.from({ length: Math.ceil(chars / (text.length + 1)) }, () => text).join('\n').slice(0, chars);

interface Shown {
  totalMs: number;
  inferenceMs: number;
  subTokens: number;
  sentences: number;
  provider: string;
  threads: number;
  loadMs: number;
  entities: number;
  clickToShownMs: number;
  longestTaskMs: number;
  longTasksOver50ms: number;
}

async function tagOnce(page: Page): Promise<Shown> {
  await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks.length = 0));
  // a result already shown is marked, so this run waits for its own
  await page.locator('.backend-summary').evaluateAll((els) => els.forEach((el) => ((el as HTMLElement).dataset.old = '1')));
  const started = Date.now();
  await page.getByRole('button', { name: 'Tag', exact: true }).click();
  const summary = page.locator('.backend-summary:not([data-old])');
  await summary.waitFor({ timeout: 600_000 });
  const clickToShownMs = Date.now() - started;
  await page.waitForTimeout(300); // long tasks are reported after they end
  const data = await summary.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const entities = Number((await page.locator('#entities-heading .count').textContent())?.replace(/[^\d]/g, '') ?? 0);
  return {
    totalMs: Number(data.totalMs),
    inferenceMs: Number(data.inferenceMs),
    subTokens: Number(data.subTokens),
    sentences: Number(data.sentences),
    provider: data.provider ?? '',
    threads: Number(data.threads),
    loadMs: Number(data.loadMs),
    entities,
    clickToShownMs,
    longestTaskMs: Math.round(Math.max(0, ...longTasks)),
    longTasksOver50ms: longTasks.length,
  };
}

const { url, server } = await startPreview(PORT);
try {
  const browser = await chromium.launch(config.use?.launchOptions);
  const results = [];
  for (const run of runs) {
    const [backend, precision] = run.split(':') as ['onnx' | 'hf', 'int8' | 'fp32'];
    const page = await browser.newPage();
    // Save-Data: no warm-up, so the cold run loads the model itself, as it is timed
    await page.addInitScript(() => Object.defineProperty(navigator, 'connection', { value: { saveData: true } }));
    await page.goto(url);
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
    });
    await page.getByLabel(backend === 'onnx' ? 'ONNX (onnxruntime-web)' : 'HF (transformers.js)').check();
    await page.getByLabel('Precision').selectOption(precision);
    // pasted, as the analyst does (a long paste is taken by the app's paste handler, not the text area's editor)
    await page.locator('#tag-text').evaluate((area, t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      (area as HTMLTextAreaElement).select();
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
    await page.locator('#tag-text-help').filter({ hasText: `${text.length.toLocaleString('en-US')} characters` }).waitFor();
    const cold = await tagOnce(page);
    const warm = coldOnly ? cold : await tagOnce(page);
    results.push({
      backend,
      precision,
      provider: warm.provider,
      threads: warm.threads,
      subTokens: warm.subTokens,
      sentences: warm.sentences,
      entities: warm.entities,
      load_ms: cold.loadMs,
      cold_seconds: +(cold.totalMs / 1000).toFixed(2),
      seconds: +(warm.totalMs / 1000).toFixed(2),
      tokens_per_s: Math.round(warm.subTokens / (warm.inferenceMs / 1000)),
      click_to_shown_ms: warm.clickToShownMs,
      longest_main_thread_task_ms: Math.max(cold.longestTaskMs, warm.longestTaskMs),
      long_tasks_over_50ms: cold.longTasksOver50ms + warm.longTasksOver50ms,
    });
    await page.close();
  }
  await browser.close();
  console.log(JSON.stringify({ bench: 'app-tag-text', browser: 'chromium (headless)', file: basename(file), chars: text.length, results }));
} finally {
  server.kill();
}
