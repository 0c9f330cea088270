/**
 * The dashboard's comparison never presents int8 as identical to itself:
 * compare.json's batch dependence is shown with its figure, and a report
 * from before it was measured says so.
 */
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseCompareReport } from '@finer-lens/core/reports/parse.ts';
import { BackendComparison } from './BackendComparison.tsx';

const FIXTURE = new URL('../../e2e/fixtures/reports/compare.json', import.meta.url);
const json = () => JSON.parse(readFileSync(FIXTURE, 'utf8'));
const render = (j: unknown) => renderToStaticMarkup(createElement(BackendComparison, { report: parseCompareReport(j, 'compare.json') }));
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('BackendComparison', () => {
  it("says how much int8's labels depend on the batch", () => {
    const html = render(json());
    expect(html).toContain('<p class="hint batch-dependence" data-path="onnx-int8">');
    expect(text(html)).toContain('onnx-int8 depends on the batch. Tagged one window per call instead of in batches of 8, 5 of 3,628 words (2 sentences) change label.');
  });

  it('says a report from before the measurement did not measure it', () => {
    const older = json();
    for (const p of older.paths) delete p.batchDependence;
    expect(text(render(older))).toContain('onnx-int8 depends on the batch. Not measured in this report: finer compare measures it now.');
  });

  it('says how much slower each other path is than the fastest, and no 100.00% while words differ', () => {
    const j = json();
    const report = parseCompareReport(j, 'compare.json');
    const slow = report.paths.find((p) => p.path !== report.fastest.path)!;
    slow.agreement = { ...slow.agreement, same: slow.agreement.words - 1, different: 1 };
    const t = text(renderToStaticMarkup(createElement(BackendComparison, { report })));
    expect(t).toContain(`${report.fastest.speedup[slow.path]!.toFixed(2)}× slower`);
    expect(t).not.toContain('as fast');
    expect(t).not.toContain('100.00% (1 differ)');
  });
});
