/**
 * The dashboard's ablation table on the e2e fixture: a carried row has a visible mark whose title says where its figures come from;
 * the 139-tag stage's validation F1 has a column; a row without a test split shows – for it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { parseAblationReport } from '@finer-lens/core/reports/parse.ts';
import { AblationTable } from './AblationTable.tsx';

const FIXTURE = new URL('../../e2e/fixtures/reports/ablation.json', import.meta.url);
const fixture = () => parseAblationReport(JSON.parse(readFileSync(FIXTURE, 'utf8')), 'ablation.json');
const render = (report: ReturnType<typeof fixture>) => renderToStaticMarkup(createElement(AblationTable, { report, plotUrl: 'plot.svg', labelledPlotUrl: 'labelled.svg' }));

/** The markup of the `<th>` of the row named `name`. */
const rowHead = (html: string, name: string) => new RegExp(`<tr data-row="${name}"[^>]*><th scope="row">(.*?)</th>`).exec(html)?.[1];

/** The text of the cell `metric` (its data-metric) of the row named `name`. */
const cell = (html: string, name: string, metric: string) => {
  const row = new RegExp(`<tr data-row="${name}"[^>]*>(.*?)</tr>`).exec(html)?.[1] ?? '';
  return new RegExp(`<td data-metric="${metric}">([^<]*)</td>`).exec(row)?.[1];
};

describe('AblationTable', () => {
  it('marks a carried row, with a title saying its figures come from an earlier report', () => {
    const report = fixture();
    const [first, second] = report.rows;
    first!.carried = { from: 'public/reports/ablation.json', date: '2026-11-29T14:46:56.328Z', missing: ['../../runs/abl/scratch3/eval.json'] };
    const html = render(report);
    const head = rowHead(html, first!.name)!;
    expect(head).toContain(
      '<abbr class="carried-mark" title="Figures from an earlier report, public/reports/ablation.json (2026-11-29): the run&#x27;s files were not kept (../../runs/abl/scratch3/eval.json)" aria-hidden="true">†</abbr>',
    );
    expect(head).toContain('<span class="visually-hidden"> (Figures from an earlier report, public/reports/ablation.json (2026-11-29)');
    expect(rowHead(html, second!.name)).not.toContain('†');
    expect(html).toContain('<p class="hint carried-note">† Figures carried from an earlier report, <code>public/reports/ablation.json</code> (2026-11-29): the run&#x27;s files were not kept.</p>');
  });

  it("has a 139-tag val F1 column: the 139-tag stage's validation F1, – in a row without one", () => {
    const report = fixture();
    const [first, second] = report.rows;
    first!.stage139 = { validationF1: 0.6030173903028907, epochs: 2, minutes: 12.9, labels: 139 };
    const html = render(report);
    expect(html).toContain('>139-tag val F1 %</th>');
    expect(cell(html, first!.name, 'stage139-val')).toBe('60.3');
    expect(cell(html, second!.name, 'stage139-val')).toBe('–');
    expect(cell(html, first!.name, 'test-micro')).toBe((100 * first!.test!.microF1).toFixed(1));
  });

  it('shows – for the test split and the FiNER sample in a row of the 139-tag stage alone', () => {
    const report = fixture();
    const first = report.rows[0]!;
    first.test = null;
    first.finerSample = null;
    first.stage139 = { validationF1: 0.4522, epochs: 2 };
    const html = render(report);
    for (const t of report.types) expect(cell(html, first.name, `f1-${t}`)).toBe('–');
    expect(cell(html, first.name, 'test-micro')).toBe('–');
    expect(cell(html, first.name, 'sample-micro')).toBe('–');
    expect(cell(html, first.name, 'stage139-val')).toBe('45.2');
  });

  it('shows no mark when no row is carried', () => {
    const html = render(fixture());
    expect(html).not.toContain('carried');
    expect(html).not.toContain('†');
  });

  it('shows the labelled-data plot only when rows have labelled data, its alt naming their companies', () => {
    const report = fixture();
    expect(render(report)).not.toContain('labelled.svg');
    const [first, second] = report.rows;
    first!.labelled = { companies: 105, targetSentences: 925 };
    second!.labelled = { companies: 52, targetSentences: 467 };
    const html = render(report);
    expect(html).toContain('src="labelled.svg"');
    expect(html).toContain('against the labelled train companies the fine-tune saw (2 rows: 52, 105 companies)');
  });
});
