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
  const chart = page.locator('figure.chart');
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

  await expect(page.getByText('No evaluation report yet.')).toBeVisible();
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
  await expect(page.locator('figure.chart')).toHaveCount(0);
});
