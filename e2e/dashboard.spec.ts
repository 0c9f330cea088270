import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/** The report the built app serves (public/reports/analysis.json, written by `finer analyze`). */
interface LabelCount {
  id: number;
  label: string;
  tokens: number;
  sentences: number;
}
interface Distribution {
  sentences: number;
  tokens: number;
  entities: number;
  labels: LabelCount[];
}
interface Report {
  schema: number;
  labelNames: string[];
  splits: Record<string, Distribution>;
  overall: Distribution;
}
const REPORT: Report = JSON.parse(readFileSync(new URL('../public/reports/analysis.json', import.meta.url), 'utf8'));
const COLUMNS = ['train', 'validation', 'test', 'overall'].filter((c) => c === 'overall' || REPORT.splits[c]);
const dist = (c: string) => (c === 'overall' ? REPORT.overall : REPORT.splits[c]);
const fmt = (n: number) => n.toLocaleString('en-US');

test('the dashboard shows analysis.json as a chart and tables with the report figures', async ({ page }, info) => {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Dashboard' }).click();

  // Table: every label, tokens and sentences per split and overall.
  const rows = page.locator('table.label-distribution tbody tr');
  await expect(rows).toHaveCount(REPORT.labelNames.length);
  const shown = await rows.evaluateAll((trs) =>
    trs.map((tr) => [tr.getAttribute('data-label'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]),
  );
  const expected = REPORT.labelNames.map((label, id) => [
    label,
    ...COLUMNS.flatMap((c) => {
      const count = dist(c).labels.find((l) => l.id === id)!;
      return [fmt(count.tokens), fmt(count.sentences)];
    }),
  ]);
  expect(shown).toEqual(expected);
  for (const c of COLUMNS) {
    await expect(page.locator(`.split-totals tr[data-measure="sentences"] td[data-column="${c}"]`)).toHaveText(fmt(dist(c).sentences));
    await expect(page.locator(`.split-totals tr[data-measure="entities"] td[data-column="${c}"]`)).toHaveText(fmt(dist(c).entities));
  }

  // Chart: one bar per entity type and column, the display names on the axis.
  const entities = REPORT.labelNames.filter((l) => l.startsWith('B-'));
  const chart = page.locator('figure.distribution-chart');
  await expect(chart.locator('.recharts-bar-rectangle')).toHaveCount(Math.min(entities.length, 10) * COLUMNS.length);
  await expect(chart.locator('.recharts-xAxis-tick-labels')).toContainText('Face amount');
  await expect(chart.locator('.recharts-xAxis-tick-labels')).toContainText('Interest rate');
  expect(await chart.locator('.recharts-legend-item-text').allTextContents()).toEqual(
    COLUMNS.map((c) => c[0].toUpperCase() + c.slice(1)),
  );
  // Bar heights follow the report: the tallest overall bar is the most frequent entity overall
  // (with more than 10 entity types the chart keeps the 10 most frequent, tallest first).
  const overall = entities.map((label) => REPORT.overall.labels.find((l) => l.label === label)!.tokens);
  const bars = chart.locator('.recharts-bar').nth(COLUMNS.length - 1).locator('.recharts-bar-rectangle path');
  const heights = await bars.evaluateAll((paths) => paths.map((p) => (p as SVGGraphicsElement).getBBox().height));
  const tallest = entities.length > 10 ? 0 : overall.indexOf(Math.max(...overall));
  expect(heights.indexOf(Math.max(...heights))).toBe(tallest);

  await page.screenshot({ path: info.outputPath('dashboard.png'), fullPage: true });
});

test('a missing analysis report says which command writes it', async ({ page }) => {
  await page.route('**/reports/analysis.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('./');
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  await expect(page.getByRole('alert')).toContainText('No analysis report yet.');
  await expect(page.getByRole('alert')).toContainText('finer -- analyze');
});

test('a report of another schema version is refused with a clear message', async ({ page }) => {
  await page.route('**/reports/analysis.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...REPORT, schema: 2 }) }),
  );
  await page.goto('./');
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  await expect(page.getByRole('alert')).toContainText('reports/analysis.json: schema 2, but this app reads schema 1');
  await expect(page.locator('figure.distribution-chart')).toHaveCount(0);
});

/** Authored reports of the shapes the training CLI writes (e2e/fixtures/reports), served instead of public/reports. */
const FIXTURES = ['eval.json', 'train.json', 'compare.json', 'ablation.json'] as const;
const fixture = (name: string) => readFileSync(new URL(`./fixtures/reports/${name}`, import.meta.url), 'utf8');

async function serveFixtures(page: import('@playwright/test').Page, missing: readonly string[] = []): Promise<void> {
  for (const name of FIXTURES) {
    await page.route(`**/reports/${name}`, (route) =>
      missing.includes(name)
        ? route.fulfill({ status: 404, body: 'not found' })
        : route.fulfill({ status: 200, contentType: 'application/json', body: fixture(name) }),
    );
  }
}

test('the dashboard shows eval.json, train.json and compare.json: metrics per type, confusion heatmap, curves, comparison', async ({ page }, info) => {
  const evalReport = JSON.parse(fixture('eval.json'));
  const train = JSON.parse(fixture('train.json'));
  const compare = JSON.parse(fixture('compare.json'));
  await serveFixtures(page);
  await page.goto('./');
  await page.getByRole('tab', { name: 'Dashboard' }).click();

  // Metrics per type: one table per data set, F1 as in the report; one F1 bar per type and data set.
  const types: string[] = evalReport.datasets[0].metrics.types;
  for (const d of evalReport.datasets) {
    const table = page.locator(`table.metrics-table[data-dataset="${d.name}"]`);
    for (const t of types) {
      await expect(table.locator(`tr[data-type="${t}"] td[data-metric="f1"]`)).toHaveText((d.metrics.perType[t].f1 * 100).toFixed(1));
    }
    await expect(table.locator('tr[data-type="micro"] td[data-metric="f1"]')).toHaveText((d.metrics.micro.f1 * 100).toFixed(1));
  }
  await expect(page.locator('figure.metrics-chart .recharts-bar-rectangle')).toHaveCount(types.length * evalReport.datasets.length);

  // Confusion matrix: 5 x 5 cells of counts, then row-normalised; the other data set on request.
  const matrix: number[][] = evalReport.datasets[0].metrics.confusion.matrix;
  const cells = page.locator('table.confusion tbody td');
  await expect(cells).toHaveCount(25);
  expect(await cells.allTextContents()).toEqual(matrix.flat().map((n) => n.toLocaleString('en-US')));
  await page.getByLabel('Row-normalised').check();
  const rowShares = matrix.flatMap((row) => row.map((n) => `${((n / row.reduce((a, b) => a + b, 0)) * 100).toFixed(1)}%`));
  expect(await cells.allTextContents()).toEqual(rowShares);
  await page.getByLabel('Data set', { exact: true }).selectOption({ label: evalReport.datasets[1].name });
  await expect(cells.first()).toHaveText(`${((evalReport.datasets[1].metrics.confusion.matrix[0][0] / evalReport.datasets[1].metrics.confusion.matrix[0].reduce((a: number, b: number) => a + b, 0)) * 100).toFixed(1)}%`);

  // Training curves: the loss line has a point per history step; the evaluation table a row per evaluation.
  await expect(page.locator('figure.loss-chart .recharts-line')).toHaveCount(2);
  await expect(page.locator('figure.eval-chart .recharts-line')).toHaveCount(2);
  await expect(page.locator('figure.eval-chart .recharts-line-dot')).toHaveCount(2 * train.evals.length);
  await expect(page.locator('table.evals-table tbody tr')).toHaveCount(train.evals.length);
  await expect(page.locator('table.evals-table tbody tr').last()).toContainText((train.evals.at(-1).f1 * 100).toFixed(2));

  // Comparison: a row and a speed bar per path, the checks with their outcome.
  for (const p of compare.paths) {
    await expect(page.locator(`table.compare-paths tr[data-path="${p.path}"] td[data-metric="speed"]`)).toHaveText(Math.round(p.speed.subTokensPerSecond).toLocaleString('en-US'));
  }
  await expect(page.locator('figure.speed-chart .recharts-bar-rectangle')).toHaveCount(compare.paths.length);
  await expect(page.locator('ul.checks li')).toHaveCount(compare.checks.length);
  await expect(page.locator('ul.checks li[data-ok="false"]')).toHaveCount(compare.checks.filter((c: { ok: boolean }) => !c.ok).length);
  await page.screenshot({ path: info.outputPath('dashboard-model.png'), fullPage: true });

  // The hand-labelled whole-document dev set by its title; the thresholds the scores are after.
  const wholeDocSet = page.locator('table.metrics-table[data-dataset="whole-doc"] caption');
  await expect(wholeDocSet).toContainText('Whole-document dev set (hand-labelled)');
  await expect(page.locator('#confusion-dataset option')).toContainText(['test', 'finer139_sample', 'Whole-document dev set (hand-labelled)']);
  await expect(page.getByTestId('eval-thresholds')).toContainText('Face amount 0.90');

  // Whole documents: filings, tagged-sentence scores, entities per filing and per type, the false alarms.
  const whole = evalReport.wholeDocument;
  const section = page.getByTestId('whole-documents');
  await expect(section.getByRole('heading', { name: 'Whole documents' })).toBeVisible();
  await expect(section).toContainText('Predictions are after the per-type thresholds and the context check.');
  await expect(section.locator('[data-metric="filings"]')).toHaveText(String(whole.filings));
  await expect(section.locator('[data-metric="tagged-f1"]')).toContainText((whole.tagged.micro.f1 * 100).toFixed(1));
  await expect(section.locator('[data-metric="others-no-debt-per-filing"]')).toHaveText(whole.perFiling.othersNoDebt.toFixed(2));
  for (const t of types) {
    const tr = section.locator(`table.whole-doc-table tbody tr[data-type="${t}"]`);
    await expect(tr.locator('td[data-metric="f1"]')).toHaveText((whole.tagged.perType[t].f1 * 100).toFixed(1));
    await expect(tr.locator('td[data-metric="others"]')).toHaveText(whole.untagged.others.perType[t].toLocaleString('en-US'));
  }
  await expect(section.locator('table.whole-doc-table tr[data-type="per-filing"] td[data-metric="repeats"]')).toHaveText(whole.perFiling.repeats.toFixed(2));
  const alarms = section.locator('table.false-alarms-table tbody tr');
  await expect(alarms).toHaveCount(whole.examples.length);
  await expect(alarms.first()).toContainText(whole.examples[0].text);
  await expect(alarms.first()).toContainText(whole.examples[0].source);
  await expect(alarms.first().locator('mark')).toHaveText(whole.examples[0].text);
  await section.screenshot({ path: info.outputPath('dashboard-whole-documents.png') });

  // At 390 px the page does not scroll sideways: wide tables scroll inside their box.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await section.screenshot({ path: info.outputPath('dashboard-whole-documents-390.png') });
});

test('missing model reports are said so, each with the command that writes it', async ({ page }) => {
  await serveFixtures(page, FIXTURES);
  await page.goto('./');
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  await expect(page.locator('.report-missing[data-report="eval.json"]')).toContainText('No evaluation report yet.');
  await expect(page.locator('.report-missing[data-report="eval.json"]')).toContainText('finer -- evaluate');
  await expect(page.locator('.report-missing[data-report="train.json"]')).toContainText('--report public/reports/train.json');
  await expect(page.locator('.report-missing[data-report="compare.json"]')).toContainText('finer -- compare');
  await expect(page.locator('.report-missing[data-report="ablation.json"]')).toContainText('No ablation report yet.');
  await expect(page.locator('.report-missing[data-report="ablation.json"]')).toContainText('lab -- ablation --runs');
  await expect(page.locator('table.ablation-table')).toHaveCount(0);
  await expect(page.locator('table.confusion')).toHaveCount(0);
  await expect(page.locator('figure.distribution-chart')).toBeVisible(); // the distribution still shows
});

test('the ablation section shows the F1-vs-pretraining plot and a row per model of ablation.json', async ({ page }, info) => {
  const ablation = JSON.parse(fixture('ablation.json'));
  await serveFixtures(page);
  await page.route('**/reports/f1-vs-pretraining.svg', (route) =>
    route.fulfill({ status: 200, contentType: 'image/svg+xml', body: fixture('f1-vs-pretraining.svg') }),
  );
  await page.goto('./');
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Model quality: ablation' })).toBeVisible();

  // The plot `lab ablation` drew, loaded as an image.
  const img = page.locator('figure.ablation-plot img');
  await expect(img).toHaveAttribute('src', /reports\/f1-vs-pretraining\.svg$/);
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

  // The table: a row per model, F1 per type and micro as in the report, "–" where the report has none.
  const pct = (f1: number | undefined) => (f1 === undefined ? '–' : (f1 * 100).toFixed(1));
  await expect(page.locator('table.ablation-table tbody tr')).toHaveCount(ablation.rows.length);
  for (const r of ablation.rows) {
    const tr = page.locator(`table.ablation-table tr[data-row="${r.name}"]`);
    for (const t of ablation.types) await expect(tr.locator(`td[data-metric="f1-${t}"]`)).toHaveText(pct(r.test?.perTypeF1[t]));
    await expect(tr.locator('td[data-metric="test-micro"]')).toHaveText(pct(r.test?.microF1));
    await expect(tr.locator('td[data-metric="sample-micro"]')).toHaveText(pct(r.finerSample?.microF1));
    await expect(tr.locator('td[data-metric="stage139-val"]')).toHaveText(pct(r.stage139?.validationF1));
  }
  await expect(page.locator('table.ablation-table tr[data-row="electra 2M"]')).toContainText('electra, 2.00M sub-tokens');
  await expect(page.locator('table.ablation-table tr[data-row="scratch"]')).toContainText('none (random init)');
  await page.locator('figure.ablation-plot').screenshot({ path: info.outputPath('dashboard-ablation.png') });
});

/** The reports the built app serves (public/reports), as the dashboard reads them by default. */
const shipped = (name: string) => JSON.parse(readFileSync(new URL(`../public/reports/${name}`, import.meta.url), 'utf8'));

test('the dashboard says when the distribution and the metrics count different test sets, and writes figures one way', async ({ page }) => {
  const evalReport = shipped('eval.json');
  const compare = shipped('compare.json');
  const train = shipped('train.json');
  await page.goto('./');
  await page.getByRole('tab', { name: 'Dashboard' }).click();

  // Distribution of one data set, metrics of another: said, with both sizes.
  const scored = evalReport.datasets.find((d: { name: string }) => d.name === 'test');
  const note = page.getByTestId('test-sets-note');
  if (REPORT.splits.test && scored && (scored.source !== (REPORT as unknown as { dataset: string }).dataset || scored.sentences !== REPORT.splits.test.sentences)) {
    await expect(note).toContainText(`${fmt(REPORT.splits.test.sentences)} sentences`);
    await expect(note).toContainText(`${fmt(scored.sentences)} sentences`);
    await expect(note).toContainText(scored.source);
  } else {
    await expect(note).toHaveCount(0);
  }

  // No rate rounds to 100 while words differ; the slower paths say "slower", never "as fast".
  for (const p of compare.paths) {
    const row = page.locator(`table.compare-paths tr[data-path="${p.path}"]`);
    const agreement = (await row.locator('td[data-metric="agreement"]').textContent())!;
    if (p.agreement.different > 0) expect(agreement).not.toMatch(/^100\.00%/);
    const relative = row.locator('td[data-metric="relative-speed"]');
    if (p.path === compare.fastest.path) await expect(relative).toHaveText('fastest');
    else await expect(relative).toHaveText(/slower|as fast \(within 0\.5%\)/);
  }
  await expect(page.locator('table.compare-paths')).not.toContainText('× as fast');

  // The speed chart: its axis says what and where; its caption, where the browser's figures are.
  const speed = page.locator('figure.speed-chart');
  await expect(speed.locator('.recharts-label')).toHaveText('Sub-tokens/s in Node');
  await expect(speed.locator('figcaption')).toContainText('Node');
  await expect(speed.locator('figcaption')).toContainText('Tag text');

  // The best validation F1 in the text is written as in the table (percent, two decimals), the F1 axis ticks are the evaluation steps.
  if (train.best?.metric === 'eval_f1') {
    const hint = page.locator('section[aria-labelledby="training-heading"] p.hint').first();
    await expect(hint).toContainText(`validation entity F1 ${(train.best.value * 100).toFixed(2)}%`);
    await expect(hint).not.toContainText(train.best.value.toFixed(4));
  }
  if (train.evals.length <= 12) {
    const ticks = await page.locator('figure.eval-chart .recharts-xAxis-tick-labels text').allTextContents();
    expect(ticks).toEqual(train.evals.map((e: { step: number }) => fmt(e.step)));
  }
});

test('XBRL names wrap only between their words, at desktop and phone widths', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  const names = page.locator('table.label-distribution .label-name');
  await expect(names.first()).toBeVisible();
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    // Per name: the characters that start a new line; each must begin a word (a capital after a lower-case letter or a digit, or after "-").
    const breaks = await names.evaluateAll((els) =>
      els.flatMap((el) => {
        const text = el.textContent ?? '';
        const found: string[] = [];
        let offset = 0;
        let lastTop: number | undefined;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.textContent!.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const top = Math.round(range.getBoundingClientRect().top);
            if (lastTop !== undefined && top > lastTop + 2) found.push(`${text.slice(0, offset + i)}|${text.slice(offset + i)}`);
            lastTop = top;
          }
          offset += node.textContent!.length;
        }
        return found;
      }),
    );
    for (const b of breaks) expect(b, `line break at ${width} px`).toMatch(/(?:[a-z0-9]\|[A-Z]|-\|)/);
  }
});

test('the ablation rows are folded, and no chart is an unnamed keyboard stop', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Model quality: ablation' })).toBeVisible();
  const ablation = shipped('ablation.json');
  const section = page.locator('section[aria-labelledby="ablation-heading"]');
  const details = section.locator('details.ablation-rows');
  await expect(details.locator('summary')).toContainText(`${ablation.rows.length} models`);
  await expect(page.locator('table.ablation-table')).toBeHidden();
  const folded = await page.evaluate(() => document.documentElement.scrollHeight);
  await details.locator('summary').click();
  await expect(page.locator('table.ablation-table')).toBeVisible();
  // Opened, the rows scroll in a box of their own: the page grows by at most the viewport.
  const opened = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(opened - folded).toBeLessThanOrEqual(page.viewportSize()!.height);
  await expect(page.locator('table.ablation-table tbody tr')).toHaveCount(ablation.rows.length);

  // Tab through the whole page: every stop inside a chart's SVG has a name, or there is none.
  await page.locator('#dashboard-heading').evaluate((h) => {
    h.setAttribute('tabindex', '-1');
    (h as HTMLElement).focus();
  });
  const unnamed: string[] = [];
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { done: true, svg: false, named: true, what: '' };
      const svg = el instanceof SVGElement || el.closest('svg') !== null;
      const named = !!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.querySelector(':scope > title'));
      return { done: false, svg, named, what: el.outerHTML.slice(0, 80) };
    });
    if (stop.done) break;
    if (stop.svg && !stop.named) unnamed.push(stop.what);
  }
  expect(unnamed).toEqual([]);
  expect(await page.locator('svg[tabindex="0"], .recharts-wrapper [tabindex="0"]').count()).toBe(0);
});
