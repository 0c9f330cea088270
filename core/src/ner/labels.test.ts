import { describe, expect, it } from 'vitest';
import {
  entityTypes,
  FINER139_LABELS,
  FINER139_TAGS,
  SUBSET_FINER_IDS,
  SUBSET_LABELS,
  finerBId,
  finerIId,
  finerLabelId,
  toSubsetId,
} from './labels.ts';

// The comparison with ../shared/data/finer139_labels.json lives in
// training/test/data/labels-schema.test.ts (it needs Node's fs).

describe('FiNER-139 labels', () => {
  it('has 279 unique labels, O first, one B- and one I- per tag', () => {
    expect(FINER139_LABELS).toHaveLength(279);
    expect(new Set(FINER139_LABELS).size).toBe(279);
    expect(FINER139_LABELS[0]).toBe('O');
    expect(FINER139_TAGS).toHaveLength(139);
    for (const tag of FINER139_TAGS) {
      expect(FINER139_LABELS[finerBId(tag)!]).toBe(`B-${tag}`);
      expect(FINER139_LABELS[finerIId(tag)!]).toBe(`I-${tag}`);
    }
  });

  it('looks up ids by name and names the unknown label', () => {
    expect(finerLabelId('B-DebtInstrumentFaceAmount')).toBe(37);
    expect(finerBId('DebtInstrumentFaceAmount')).toBe(37);
    expect(finerIId('DebtInstrumentFaceAmount')).toBe(38);
    expect(finerBId('NotATag')).toBeUndefined();
    expect(() => finerLabelId('B-NotATag')).toThrow(/B-NotATag/);
  });
});

describe('4-entity subset', () => {
  it('keeps the four B- labels in the documented order', () => {
    expect(SUBSET_FINER_IDS).toEqual([0, 41, 87, 34, 37]);
    SUBSET_LABELS.forEach((label, i) => expect(FINER139_LABELS[SUBSET_FINER_IDS[i]]).toBe(label));
  });

  it('maps every other id, I- labels included, to O', () => {
    const mapped = FINER139_LABELS.map((_, id) => toSubsetId(id));
    expect(mapped.filter((x) => x !== 0)).toEqual([3, 4, 1, 2]); // ids 34, 37, 41, 87 in id order
    expect(toSubsetId(41)).toBe(1);
    expect(toSubsetId(87)).toBe(2);
    expect(toSubsetId(34)).toBe(3);
    expect(toSubsetId(37)).toBe(4);
    expect(toSubsetId(finerIId('DebtInstrumentFaceAmount')!)).toBe(0);
    expect(toSubsetId(-1)).toBe(0);
    expect(toSubsetId(279)).toBe(0);
  });
});

describe('entityTypes', () => {
  it('lists the types of B-/I- labels once, in label order, without O and near-miss classes O-<concept>', () => {
    expect(entityTypes(['O', 'B-RATE', 'O-LongTermDebt', 'I-AMOUNT', 'B-AMOUNT', 'I-RATE', 'O-LineOfCredit'])).toEqual(['RATE', 'AMOUNT']);
    expect(entityTypes(SUBSET_LABELS)).toEqual(SUBSET_LABELS.slice(1).map((l) => l.slice(2)));
  });
});
