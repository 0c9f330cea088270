/**
 * NER evaluation: entity-level precision/recall/F1 as seqeval computes them,
 * word-level label accuracy, a word confusion matrix by entity type, and the
 * token-level scoring of FiNER-139's sparse-gold samples.
 *
 * Entity scores follow seqeval 1.x in its default (non-strict) mode, the one
 * `seqeval.metrics.classification_report` uses and the FiNER papers report:
 * an entity counts as found only when its type, first word and last word all
 * match a gold entity of the same sentence. Pure TypeScript, shared by the
 * browser and the training CLI: nothing here touches Node or the DOM.
 */
import { entities, labelClass, OUTSIDE, type Span } from './spans.ts';

/** Scores of one entity type, or of all of them together (micro). */
export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  /** Predicted entities (tokens, in sparse scoring) that match the gold. */
  tp: number;
  /** Predicted entities that match no gold one. */
  fp: number;
  /** Gold entities that no prediction matches. */
  fn: number;
  /** Gold entities (tp + fn). */
  support: number;
}

/** Unweighted mean of the per-type scores (seqeval's and sklearn's "macro avg"). */
export interface MacroScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Word counts by (gold type, predicted type); 'O' is `labels[0]`. */
export interface ConfusionMatrix {
  /** 'O', then the entity types in the order of `types`. */
  labels: string[];
  /** `matrix[gold][predicted]`, indices into `labels`. */
  matrix: number[][];
}

export interface EntityMetrics {
  /** Entity types (B-/I- stripped): the ones given, then any others in order of first appearance. */
  types: string[];
  perType: Record<string, Scores>;
  /** All entities pooled: seqeval's "micro avg". */
  micro: Scores;
  /** Mean over the types that occur in the gold or the predictions (see {@link macroAverage}). */
  macro: MacroScores;
  /** Fraction of words whose predicted label string equals the gold one (0 when there are no words). */
  tokenAccuracy: number;
  /** Words compared. */
  tokens: number;
  /** Over all words, by type (B-/I- merged): rows gold, columns predicted. */
  confusion: ConfusionMatrix;
}

/** A FiNER-139 sample with sparse gold: only some of its words are labelled. */
export interface SparseItem {
  /** Word index -> FiNER-139 tag name without B-/I- prefix; words not listed are unlabelled. */
  gold: Readonly<Record<number, string>>;
  /** Predicted IOB label of every word of the sample. */
  pred: readonly string[];
}

export interface SparseMetrics {
  /** The target types, as given. */
  types: string[];
  /** Token counts: tp/fp/fn/support count labelled words, not entities. */
  perType: Record<string, Scores>;
  micro: Scores;
  /** Mean over the types with any tp, fp or fn (see {@link macroAverage}). */
  macro: MacroScores;
  /** Labelled words scored, whatever their tag. */
  labelledTokens: number;
  /** Over labelled words only: rows truth (target type or O), columns predicted (target type or O). */
  confusion: ConfusionMatrix;
}

/** `num / den`, or 0 when `den` is 0 (seqeval's `zero_division` default, without its warning). */
function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

/**
 * Scores from counts. F1 is computed from precision and recall (2pr/(p+r)),
 * the way seqeval and sklearn do, so the floats match theirs.
 */
export function scoresFromCounts(tp: number, fp: number, fn: number): Scores {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = ratio(2 * precision * recall, precision + recall);
  return { precision, recall, f1, tp, fp, fn, support: tp + fn };
}

/**
 * Unweighted mean of precision, recall and F1 (each averaged on its own; the
 * F1 is not recomputed from the mean precision and recall) over the types
 * that occur in the gold or the predictions (tp + fp + fn > 0). That is the
 * label set seqeval averages over (the union of gold and predicted types), so
 * a type that is asked for but never seen does not pull the mean down. All 0
 * when no type occurs.
 */
export function macroAverage(perType: Readonly<Record<string, Scores>>, types: readonly string[]): MacroScores {
  const seen = types.map((t) => perType[t]).filter((s) => s.tp + s.fp + s.fn > 0);
  const mean = (pick: (s: Scores) => number): number =>
    ratio(seen.reduce((sum, s) => sum + pick(s), 0), seen.length);
  return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) };
}

/** A copy of caller-given types; rejects 'O' and duplicates, which would make the matrix ambiguous. */
function checkTypes(types: readonly string[], fn: string): string[] {
  const seen = new Set<string>();
  for (const t of types) {
    if (t === OUTSIDE) throw new Error(`${fn}: 'O' is not an entity type`);
    if (seen.has(t)) throw new Error(`${fn}: entity type ${JSON.stringify(t)} given twice`);
    seen.add(t);
  }
  return [...types];
}

function zeroMatrix(n: number): number[][] {
  return Array.from({ length: n }, () => new Array<number>(n).fill(0));
}

/**
 * Score predicted IOB label sequences against gold ones, sentence by
 * sentence: seqeval's per-type, micro and macro entity scores, word-level
 * label accuracy and a word confusion matrix by type.
 *
 * `types` fixes the order of the report (and keeps types with no entity in
 * `perType`, all zero); types found in the data but not given are appended,
 * gold ones first, in order of first appearance. Throws an Error naming the
 * sentence when a gold and a predicted sentence differ in length.
 */
export function scoreSequences(
  gold: readonly (readonly string[])[],
  pred: readonly (readonly string[])[],
  types?: readonly string[],
): EntityMetrics {
  if (gold.length !== pred.length) {
    throw new Error(`scoreSequences: ${gold.length} gold sentences but ${pred.length} predicted ones`);
  }
  const typeList = checkTypes(types ?? [], 'scoreSequences');
  const typeIndex = new Map(typeList.map((t, i) => [t, i]));
  const register = (spans: readonly Span[]): void => {
    for (const { type } of spans) {
      if (!typeIndex.has(type)) {
        typeIndex.set(type, typeList.length);
        typeList.push(type);
      }
    }
  };

  const goldSpans: Span[][] = [];
  const predSpans: Span[][] = [];
  for (let s = 0; s < gold.length; s++) {
    if (gold[s].length !== pred[s].length) {
      throw new Error(
        `scoreSequences: sentence ${s} has ${gold[s].length} gold labels but ${pred[s].length} predicted ones`,
      );
    }
    goldSpans.push(entities(gold[s]));
    predSpans.push(entities(pred[s]));
  }
  goldSpans.forEach(register);
  predSpans.forEach(register);

  const n = typeList.length;
  const tp = new Array<number>(n).fill(0);
  const goldCount = new Array<number>(n).fill(0);
  const predCount = new Array<number>(n).fill(0);
  const key = (e: Span): string => `${e.start}:${e.end}:${e.type}`;
  for (let s = 0; s < gold.length; s++) {
    const predicted = new Set(predSpans[s].map(key));
    for (const e of goldSpans[s]) {
      const t = typeIndex.get(e.type)!;
      goldCount[t]++;
      if (predicted.has(key(e))) tp[t]++;
    }
    for (const e of predSpans[s]) predCount[typeIndex.get(e.type)!]++;
  }

  const perType: Record<string, Scores> = {};
  typeList.forEach((t, i) => (perType[t] = scoresFromCounts(tp[i], predCount[i] - tp[i], goldCount[i] - tp[i])));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const tpAll = sum(tp);
  const micro = scoresFromCounts(tpAll, sum(predCount) - tpAll, sum(goldCount) - tpAll);

  // Row/column 0 is O; type i is i + 1. Every non-O label has a type in
  // typeIndex, since every non-O word lies in an entity.
  const matrix = zeroMatrix(n + 1);
  const classOf = (label: string): number => {
    const c = labelClass(label);
    return c === OUTSIDE ? 0 : typeIndex.get(c)! + 1;
  };
  let tokens = 0;
  let correct = 0;
  for (let s = 0; s < gold.length; s++) {
    const g = gold[s];
    const p = pred[s];
    for (let w = 0; w < g.length; w++) {
      tokens++;
      if (g[w] === p[w]) correct++;
      matrix[classOf(g[w])][classOf(p[w])]++;
    }
  }

  return {
    types: typeList,
    perType,
    micro,
    macro: macroAverage(perType, typeList),
    tokenAccuracy: ratio(correct, tokens),
    tokens,
    confusion: { labels: [OUTSIDE, ...typeList], matrix },
  };
}

/**
 * Score FiNER-139 samples whose gold labels only some words, by the
 * dataset's rule, word by word over the labelled words:
 * - the truth is the word's gold tag if it is one of `types`, else O;
 * - the prediction is the word's predicted type (B-/I- stripped), or O, and
 *   O too when it is not one of `types` (both sides see only the targets);
 * - truth = prediction != O: a true positive of that type; otherwise a false
 *   positive of the predicted type unless it is O, and a false negative of
 *   the true type unless it is O.
 * Unlabelled words are ignored, whatever is predicted there. Gold tags are
 * FiNER tag names without prefix; a stray B-/I- prefix is stripped.
 * Throws an Error naming the sample when a labelled word index is not a word
 * of its prediction.
 */
export function scoreSparse(items: readonly SparseItem[], types: readonly string[]): SparseMetrics {
  const typeList = checkTypes(types, 'scoreSparse');
  const n = typeList.length;
  // 0 is O, type i is i + 1, as in the confusion matrix.
  const classIndex = new Map(typeList.map((t, i) => [t, i + 1]));
  const classOf = (type: string): number => classIndex.get(type) ?? 0;

  const tp = new Array<number>(n + 1).fill(0);
  const fp = new Array<number>(n + 1).fill(0);
  const fn = new Array<number>(n + 1).fill(0);
  const matrix = zeroMatrix(n + 1);
  let labelledTokens = 0;

  items.forEach((item, k) => {
    for (const [index, tag] of Object.entries(item.gold)) {
      const w = Number(index);
      if (!Number.isInteger(w) || w < 0 || w >= item.pred.length) {
        throw new Error(
          `scoreSparse: sample ${k} labels word ${JSON.stringify(index)} but has ${item.pred.length} predicted words`,
        );
      }
      const truth = classOf(/^[BI]-/.test(tag) ? tag.slice(2) : tag);
      const guess = classOf(labelClass(item.pred[w]));
      labelledTokens++;
      matrix[truth][guess]++;
      if (truth === guess) {
        if (truth !== 0) tp[truth]++;
      } else {
        if (guess !== 0) fp[guess]++;
        if (truth !== 0) fn[truth]++;
      }
    }
  });

  const perType: Record<string, Scores> = {};
  typeList.forEach((t, i) => (perType[t] = scoresFromCounts(tp[i + 1], fp[i + 1], fn[i + 1])));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  return {
    types: typeList,
    perType,
    micro: scoresFromCounts(sum(tp), sum(fp), sum(fn)),
    macro: macroAverage(perType, typeList),
    labelledTokens,
    confusion: { labels: [OUTSIDE, ...typeList], matrix },
  };
}
