/** The Tag text screen's entity table: values in base units, readable and in full in a title; the entity's text a button only with onSelect. */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Entity, ProviderInfo } from '@finer-lens/core/ner/types.ts';
import { EntityTable, formatValue, valueTitle } from './EntityTable.tsx';

const PROVIDER: ProviderInfo = { backend: 'onnx', precision: 'int8', provider: 'wasm', threads: 1, model: 'finer-lens-small', modelFile: 'onnx/model_quantized.onnx', loadMs: 0 };
const SENTENCE = 'issued $ 1,938.6 million of 4.125 % notes';
const ENTITIES: Entity[] = [
  { start: 9, end: 16, text: '1,938.6', label: 'DebtInstrumentFaceAmount', score: 0.9, value: 1_938_600_000, unit: 'USD', sentence: SENTENCE },
  { start: 28, end: 33, text: '4.125', label: 'DebtInstrumentInterestRateStatedPercentage', score: 0.8, value: 4.125, unit: '%', sentence: SENTENCE },
];

describe('formatValue', () => {
  it('writes amounts below a million out, larger ones compactly, rates as percents', () => {
    expect(formatValue(9000, 'USD')).toBe('USD 9,000');
    expect(formatValue(6.7433, 'CNY')).toBe('CNY 6.7433');
    expect(formatValue(500_000_000, 'EUR')).toBe('EUR 500M');
    expect(formatValue(1_938_600_000, 'USD')).toBe('USD 1.939B');
    expect(formatValue(4.125, '%')).toBe('4.125%');
    expect(formatValue(1_250_000, null)).toBe('1.25M');
    expect(formatValue(null, null)).toBe('–');
  });

  it('gives the full figure in the title', () => {
    expect(valueTitle(1_938_600_000, 'USD')).toBe('1,938,600,000 USD');
    expect(valueTitle(2.75, '%')).toBe('2.75%');
    expect(valueTitle(1_250_000, null)).toBe('1,250,000 (no unit in the text)');
    expect(valueTitle(null, null)).toBe('no number read');
  });
});

describe('EntityTable', () => {
  const render = (onSelect?: (e: Entity) => void) => renderToStaticMarkup(createElement(EntityTable, { text: SENTENCE, entities: ENTITIES, provider: PROVIDER, onSelect }));

  it('shows each value with its full figure in a title, and marks the position column so narrow screens can hide it', () => {
    const html = render();
    expect(html).toContain('<td class="entity-number" title="1,938,600,000 USD">USD 1.939B</td>');
    expect(html).toContain('<td class="entity-number" title="4.125%">4.125%</td>');
    expect(html).toMatch(/<th scope="col" class="entity-position">Position<\/th>/);
    expect(html.match(/<td class="entity-position">/g)).toHaveLength(2);
  });

  it("makes each entity's text a button only when there is onSelect", () => {
    expect(render()).not.toContain('<button type="button" class="entity-select"');
    const html = render(() => {});
    expect(html.match(/<th scope="row" class="entity-value"><button type="button" class="entity-select"[^>]*>([^<]*)<\/button><\/th>/g)).toHaveLength(2);
    expect(html).toContain('>1,938.6</button>');
  });
});
