import { describe, expect, it } from 'vitest';
import type { Entity, ProviderInfo } from '../backends/types.ts';
import { csvField, entitiesToCsv, entitiesToJson } from './export.ts';

const PROVIDER: ProviderInfo = { backend: 'onnx', precision: 'int8', provider: 'wasm', threads: 2, model: 'finer-lens-small', modelFile: 'onnx/model_quantized.onnx', loadMs: 10 };
const TEXT = 'Notes of $500.0 million bear 4.25% ("the, rate").';
const ENTITIES: Entity[] = [
  { start: 10, end: 15, text: '500.0', label: 'DebtInstrumentFaceAmount', score: 0.91234 },
  { start: 29, end: 33, text: '4.25', label: 'DebtInstrumentInterestRateStatedPercentage', score: 0.5 },
  { start: 36, end: 47, text: '"the, rate"', label: 'Odd', score: 1 },
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
  });

  it('writes CSV that reads back to the entities, with display names', () => {
    const rows = parseCsv(entitiesToCsv(ENTITIES));
    expect(rows[0]).toEqual(['start', 'end', 'text', 'label', 'type', 'score']);
    expect(rows.slice(1)).toEqual([
      ['10', '15', '500.0', 'DebtInstrumentFaceAmount', 'Face amount', '0.9123'],
      ['29', '33', '4.25', 'DebtInstrumentInterestRateStatedPercentage', 'Interest rate', '0.5000'],
      ['36', '47', '"the, rate"', 'Odd', 'Odd', '1.0000'],
    ]);
    for (const [start, end, text] of rows.slice(1)) expect(TEXT.slice(+start, +end)).toBe(text);
  });

  it('writes JSON with the text, the model and the entities', () => {
    const json = JSON.parse(entitiesToJson(TEXT, ENTITIES, PROVIDER));
    expect(json.text).toBe(TEXT);
    expect(json.model).toEqual({ name: 'finer-lens-small', backend: 'onnx', precision: 'int8', provider: 'wasm', modelFile: 'onnx/model_quantized.onnx' });
    expect(json.entities).toEqual(ENTITIES);
  });

  it("names the model folder's per-type thresholds in the JSON when it has them", () => {
    const thresholds = { DebtInstrumentFaceAmount: 0.8, DebtInstrumentInterestRateStatedPercentage: 0.55 };
    const json = JSON.parse(entitiesToJson(TEXT, ENTITIES, { ...PROVIDER, thresholds }));
    expect(json.model.thresholds).toEqual(thresholds);
    expect(JSON.parse(entitiesToJson(TEXT, ENTITIES, PROVIDER)).model).not.toHaveProperty('thresholds');
  });

  it('writes a header-only CSV for no entities', () => {
    expect(entitiesToCsv([])).toBe('start,end,text,label,type,score\r\n');
  });
});
