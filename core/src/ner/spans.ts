/**
 * Labels to spans: the entities of one sentence's word labels, read as
 * seqeval reads them. Used by the metrics, the tagger and the app's scoring.
 */
import { isOutsideLabel } from './labels.ts';

/** An entity: a run of words of one type. Word indices; `end` is exclusive. */
export interface Span {
  type: string;
  start: number;
  end: number;
}
export const OUTSIDE = 'O';

/** The parts of a label: its IOBES tag and its entity type ('' for O). */
interface ParsedLabel {
  tag: 'O' | 'B' | 'I' | 'E' | 'S';
  type: string;
}

const PREFIXED = /^([BIES])-(.+)$/s;

/**
 * Split a label into tag and type. `O` and a near-miss class `O-<concept>` are outside; `B-`, `I-`, `E-` and `S-`
 * prefixes are split off at the first hyphen (`B-A-B` is type `A-B`, as in
 * seqeval). Any other label is read as `I-<label>`: a run of equal bare labels
 * is one entity of that type, as in an IO scheme. seqeval instead takes the
 * first character as the tag and mangles the type (`PER` becomes tag `P`,
 * type `ER`) and can drop such chunks; its output there is not worth copying.
 */
export function parseLabel(label: string): ParsedLabel {
  if (isOutsideLabel(label)) return { tag: 'O', type: '' };
  const m = PREFIXED.exec(label);
  if (m) return { tag: m[1] as ParsedLabel['tag'], type: m[2] };
  return { tag: 'I', type: label };
}

/** The entity type of a label, or 'O' (the confusion-matrix class of a word). */
export function labelClass(label: string): string {
  return isOutsideLabel(label) ? OUTSIDE : parseLabel(label).type;
}

/** seqeval's `end_of_chunk`: does the chunk before this word end here? */
function endsChunk(prev: ParsedLabel, cur: ParsedLabel): boolean {
  if (prev.tag === 'E' || prev.tag === 'S') return true;
  if ((prev.tag === 'B' || prev.tag === 'I') && (cur.tag === 'B' || cur.tag === 'S' || cur.tag === 'O')) return true;
  return prev.tag !== 'O' && prev.type !== cur.type;
}

/** seqeval's `start_of_chunk`: does a chunk start at this word? */
function startsChunk(prev: ParsedLabel, cur: ParsedLabel): boolean {
  if (cur.tag === 'B' || cur.tag === 'S') return true;
  if ((cur.tag === 'I' || cur.tag === 'E') && (prev.tag === 'O' || prev.tag === 'E' || prev.tag === 'S')) return true;
  return cur.tag !== 'O' && prev.type !== cur.type;
}

/**
 * The entities of one sentence, in order: seqeval's `get_entities` in its
 * default (non-strict) mode, which like conlleval repairs invalid IOB2 rather
 * than dropping it:
 * - `I-X` after `O`, or after an entity of another type, starts an entity
 *   (`O I-MISC I-MISC O` is one MISC over words 1-2);
 * - `I-X` after `B-X`/`I-X` continues it; `B-X` always starts a new one;
 * - `O`, a `B-`, or a change of type ends the current entity
 *   (`B-A I-B` is two entities);
 * - IOBES `E-` and `S-` labels are read as seqeval reads them;
 * - a label without prefix (other than `O`) counts as `I-<label>`.
 * Every non-O word lies in exactly one entity.
 */
export function entities(labels: readonly string[]): Span[] {
  const spans: Span[] = [];
  let prev: ParsedLabel = { tag: 'O', type: '' };
  let begin = 0;
  // One O past the end flushes the last entity, as in seqeval.
  for (let i = 0; i <= labels.length; i++) {
    const cur = i < labels.length ? parseLabel(labels[i]) : { tag: 'O' as const, type: '' };
    if (endsChunk(prev, cur)) spans.push({ type: prev.type, start: begin, end: i });
    if (startsChunk(prev, cur)) begin = i;
    prev = cur;
  }
  return spans;
}
