/**
 * Agreement of two models on one text (ONNX and transformers.js, or int8 and
 * fp32): their entity lists compared span by span. Two entities agree when
 * they cover the same characters with the same type; scores may differ (int8
 * vs fp32, float order) and are reported, not judged.
 */
import type { Entity } from '@finer-lens/core/ner/types.ts';

export type DifferenceKind =
  /** Same characters, another type. */
  | 'type'
  /** Only the first list has an entity here (none of the second overlaps it). */
  | 'only-a'
  /** Only the second list has one. */
  | 'only-b'
  /** Overlapping entities on different characters. */
  | 'span';

export interface Difference {
  kind: DifferenceKind;
  /** The characters concerned: the union of the entities involved. */
  start: number;
  end: number;
  a: Entity[];
  b: Entity[];
}

export interface Agreement {
  /** Both found exactly the same entities (characters and types). */
  identical: boolean;
  /** Entities both found. */
  same: number;
  countA: number;
  countB: number;
  differences: Difference[];
  /** Largest |score a - score b| over the entities both found (0 when none). */
  maxScoreDiff: number;
}

const key = (e: Entity) => `${e.start}:${e.end}:${e.label}`;

/** Compare entity lists `a` and `b` (each in text order, non-overlapping). */
export function compareEntities(a: readonly Entity[], b: readonly Entity[]): Agreement {
  const inB = new Map(b.map((e) => [key(e), e]));
  const inA = new Set(a.map(key));
  let same = 0;
  let maxScoreDiff = 0;
  for (const e of a) {
    const other = inB.get(key(e));
    if (other) {
      same++;
      maxScoreDiff = Math.max(maxScoreDiff, Math.abs(e.score - other.score));
    }
  }
  // The entities only one side has, grouped into clusters of overlapping ones.
  const rest = [
    ...a.filter((e) => !inB.has(key(e))).map((e) => ({ e, side: 'a' as const })),
    ...b.filter((e) => !inA.has(key(e))).map((e) => ({ e, side: 'b' as const })),
  ].sort((x, y) => x.e.start - y.e.start || x.e.end - y.e.end);
  const differences: Difference[] = [];
  for (const { e, side } of rest) {
    const last = differences.at(-1);
    if (last && e.start < last.end) {
      last[side].push(e);
      last.end = Math.max(last.end, e.end);
    } else {
      differences.push({ kind: 'only-a', start: e.start, end: e.end, a: side === 'a' ? [e] : [], b: side === 'b' ? [e] : [] });
    }
  }
  for (const d of differences) {
    if (d.b.length === 0) d.kind = 'only-a';
    else if (d.a.length === 0) d.kind = 'only-b';
    else if (d.a.length === 1 && d.b.length === 1 && d.a[0]!.start === d.b[0]!.start && d.a[0]!.end === d.b[0]!.end) d.kind = 'type';
    else d.kind = 'span';
  }
  return { identical: differences.length === 0, same, countA: a.length, countB: b.length, differences, maxScoreDiff };
}
