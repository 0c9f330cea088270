/** The dashboard's ablation table on the e2e fixture: a carried row has a visible mark whose title says where its figures come from. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { parseAblationReport } from '../reports/parse.ts';
import { AblationTable } from './AblationTable.tsx';

const FIXTURE = new URL('../../e2e/fixtures/reports/ablation.json', import.meta.url);
const fixture = () => parseAblationReport(JSON.parse(readFileSync(FIXTURE, 'utf8')), 'ablation.json');
const render = (report: ReturnType<typeof fixture>) => renderToStaticMarkup(createElement(AblationTable, { report, plotUrl: 'plot.svg' }));

/** The markup of the `<th>` of the row named `name`. */
const rowHead = (html: string, name: string) => new RegExp(`<tr data-row="${name}"[^>]*><th scope="row">(.*?)</th>`).exec(html)?.[1];

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

  it('shows no mark when no row is carried', () => {
    const html = render(fixture());
    expect(html).not.toContain('carried');
    expect(html).not.toContain('†');
  });
});
