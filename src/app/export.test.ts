import { describe, expect, it } from 'vitest';
import type { Entity, ProviderInfo } from '@finer-lens/core/ner/types.ts';
import { csvField, entitiesToCsv, entitiesToJson, entitiesToTsv, tsvField } from './export.ts';

const PROVIDER: ProviderInfo = { backend: 'onnx', precision: 'int8', provider: 'wasm', threads: 2, model: 'finer-lens-small', modelFile: 'onnx/model_quantized.onnx', loadMs: 10 };
const TEXT = 'Notes of $500.0 million bear 4.25% ("the, rate").';
const SENTENCE = TEXT;
const ENTITIES: Entity[] = [
  { start: 10, end: 15, text: '500.0', label: 'DebtInstrumentFaceAmount', score: 0.91234, value: 500_000_000, unit: 'USD', sentence: SENTENCE },
  { start: 29, end: 33, text: '4.25', label: 'DebtInstrumentInterestRateStatedPercentage', score: 0.5, value: 4.25, unit: '%', sentence: SENTENCE },
  { start: 36, end: 47, text: '"the, rate"', label: 'Odd', score: 1, value: null, unit: null, sentence: 'a "quoted",\nsentence' },
];

/** A minimal RFC 4180 reader, to check the writer round-trips. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && csv[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('export', () => {
  it('quotes CSV fields only when needed', () => {
    expect(csvField('4.25')).toBe('4.25');
    expect(csvField('1,250.5')).toBe('"1,250.5"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(null)).toBe('');
  });

  it('writes CSV that reads back to the entities, with display names, values, units and sentences', () => {
    const rows = parseCsv(entitiesToCsv(ENTITIES));
    expect(rows[0]).toEqual(['start', 'end', 'text', 'type', 'name', 'score', 'value', 'unit', 'sentence']);
    expect(rows.slice(1)).toEqual([
      ['10', '15', '500.0', 'DebtInstrumentFaceAmount', 'Face amount', '0.9123', '500000000', 'USD', SENTENCE],
      ['29', '33', '4.25', 'DebtInstrumentInterestRateStatedPercentage', 'Interest rate', '0.5000', '4.25', '%', SENTENCE],
      ['36', '47', '"the, rate"', 'Odd', 'Odd', '1.0000', '', '', 'a "quoted",\nsentence'],
    ]);
    for (const [start, end, text] of rows.slice(1)) expect(TEXT.slice(+start, +end)).toBe(text);
  });

  it('writes JSON with the text, the model and the entities', () => {
    const json = JSON.parse(entitiesToJson(TEXT, ENTITIES, PROVIDER));
    expect(json.text).toBe(TEXT);
    expect(json.model).toEqual({ name: 'finer-lens-small', backend: 'onnx', precision: 'int8', provider: 'wasm', modelFile: 'onnx/model_quantized.onnx' });
    expect(json.entities).toEqual(ENTITIES.map((e) => ({ ...e, type: e.label })));
    expect(Object.keys(json.entities[0])).toEqual(['start', 'end', 'text', 'type', 'label', 'score', 'value', 'unit', 'sentence']);
    expect(json.entities[2].value).toBeNull();
  });

  it("names the model folder's per-type thresholds in the JSON when it has them", () => {
    const thresholds = { DebtInstrumentFaceAmount: 0.8, DebtInstrumentInterestRateStatedPercentage: 0.55 };
    const json = JSON.parse(entitiesToJson(TEXT, ENTITIES, { ...PROVIDER, thresholds }));
    expect(json.model.thresholds).toEqual(thresholds);
    expect(JSON.parse(entitiesToJson(TEXT, ENTITIES, PROVIDER)).model).not.toHaveProperty('thresholds');
    // the context check, when it was on (the Tag text screen leaves it out of the provider when unchecked)
    expect(JSON.parse(entitiesToJson(TEXT, ENTITIES, { ...PROVIDER, contextCheck: { cut: 0.25, confident: 0.8, rules: ['ratio'] } })).model.contextCheck).toEqual({ cut: 0.25, confident: 0.8, rules: ['ratio'] });
    expect(JSON.parse(entitiesToJson(TEXT, ENTITIES, PROVIDER)).model).not.toHaveProperty('contextCheck');
  });

  it('writes a header-only CSV for no entities', () => {
    expect(entitiesToCsv([])).toBe('start,end,text,type,name,score,value,unit,sentence\r\n');
  });

  it('writes a tab-separated table for the clipboard: one cell per field, whatever the text holds', () => {
    expect(tsvField('a\tb\r\nc')).toBe('a b c');
    expect(tsvField(null)).toBe('');
    const lines = entitiesToTsv(ENTITIES).split('\n');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(0, -1).map((l) => l.split('\t'));
    expect(rows[0]).toEqual(['text', 'type', 'value', 'unit', 'score', 'sentence']);
    expect(rows.slice(1)).toEqual([
      ['500.0', 'Face amount', '500000000', 'USD', '0.9123', SENTENCE],
      ['4.25', 'Interest rate', '4.25', '%', '0.5000', SENTENCE],
      ['"the, rate"', 'Odd', '', '', '1.0000', 'a "quoted", sentence'],
    ]);
    expect(entitiesToTsv([])).toBe('text\ttype\tvalue\tunit\tscore\tsentence\n');
  });
});
