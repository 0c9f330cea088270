/**
 * Learning the context check (core/src/ner/verifier.ts) from a model's own
 * predictions on whole filings, and fitting its cut on a densely labelled
 * set. Each entity the model predicts in a sentence with a digit is one
 * example:
 * - in a sentence the filer tagged: right (1) when the filer tagged that
 *   word with that type, else wrong (0);
 * - in an untagged sentence: right when the word repeats the displayed value
 *   of a target fact the same filing tags (the sentence's `repeats`: "our
 *   $ 750.0 million revolving credit facility" in MD&A), else wrong.
 * The weights are a logistic regression (AdaGrad, a few passes in a seeded
 * order); `fitCut` then picks the cut and the confident score of best micro
 * F1 on the dev set, with the model folder's thresholds applied first. The
 * definitions' rules the check names (core/src/ner/definitions.ts) are not
 * learned: they drop their entities at every cut.
 */
import { entityTypes } from '@finer-lens/core/ner/labels.ts';
import { scoreSequences, type EntityMetrics } from '@finer-lens/core/ner/metrics.ts';
import { entities } from '@finer-lens/core/ner/spans.ts';
import type { WordPrediction } from '@finer-lens/core/ner/tagger.ts';
import type { TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { checkEntity, keptPredictions, sigmoid, linear, verifierFeatures, type Verifier } from '@finer-lens/core/ner/verifier.ts';
import { hasDebtWords } from '@finer-lens/core/ner/debt-words.ts';
import { applyThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { mulberry32, shuffleInPlace } from '../util/rng.ts';

export interface VerifierExample { features: Map<string, number>; y: 0 | 1 }

/**
 * The examples of one sentence: each entity of the model's raw predictions
 * whose type is one of `types`; `gold` is the filer's labels (the model's
 * label names) or undefined when the sentence holds no tag, `repeats` the
 * words that repeat a target value of the filing.
 */
export function sentenceExamples(words: readonly string[], predictions: readonly WordPrediction[], gold: readonly string[] | undefined, repeats: ReadonlySet<number>, types: readonly string[]): VerifierExample[] {
  const goldSpans = new Set(gold ? entities(gold).map((s) => `${s.type}:${s.start}:${s.end}`) : []);
  const out: VerifierExample[] = [];
  for (const span of entities(predictions.map((p) => p.label))) {
    const index = types.indexOf(span.type);
    if (index < 0) continue;
    let sum = 0;
    for (let i = span.start; i < span.end; i++) sum += predictions[i]!.score;
    const right = gold ? goldSpans.has(`${span.type}:${span.start}:${span.end}`) : repeats.has(span.start);
    out.push({ features: verifierFeatures(words, span.start, index, sum / (span.end - span.start)), y: right ? 1 : 0 });
  }
  return out;
}

export interface LogisticOptions { epochs: number; learningRate: number; l2: number; seed: number }

export const LOGISTIC_DEFAULTS: LogisticOptions = { epochs: 5, learningRate: 0.1, l2: 1e-6, seed: 1 };

/** Logistic regression by AdaGrad, one example at a time in a seeded order per pass; weights rounded to 4 decimals, zeros left out. */
export function trainLogistic(examples: readonly VerifierExample[], o: LogisticOptions = LOGISTIC_DEFAULTS): Map<string, number> {
  const w = new Map<string, number>();
  const g2 = new Map<string, number>();
  const order = examples.map((_, i) => i);
  const random = mulberry32(o.seed);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const k of order) {
      const { features, y } = examples[k]!;
      const g = sigmoid(linear(w, features)) - y;
      for (const [name, value] of features) {
        const wi = w.get(name) ?? 0;
        const gi = g * value + o.l2 * wi;
        const acc = (g2.get(name) ?? 1e-8) + gi * gi;
        g2.set(name, acc);
        w.set(name, wi - (o.learningRate * gi) / Math.sqrt(acc));
      }
    }
  }
  const rounded = new Map<string, number>();
  for (const [name, value] of [...w].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const r = Math.round(value * 1e4) / 1e4;
    if (r !== 0) rounded.set(name, r);
  }
  return rounded;
}

/** A set the cut is scored on: words, the model's raw predictions and dense gold per sentence. */
export interface ScoredSet { words: readonly (readonly string[])[]; predictions: readonly (readonly WordPrediction[])[]; gold: readonly (readonly string[])[] }

/** Candidate cuts (0.05 to 0.60) and confident scores (0.60 to 0.95, and 1.01: never). */
export const CUT_GRID: readonly number[] = Array.from({ length: 12 }, (_, i) => Math.round((i + 1) * 5) / 100);
export const CONFIDENT_GRID: readonly number[] = [...Array.from({ length: 8 }, (_, i) => Math.round(60 + i * 5) / 100), 1.01];

/** Entity metrics of a set with the thresholds and the check (or none) applied. */
export function scoreWith(set: ScoredSet, labels: readonly string[], thresholds: TypeThresholds | undefined, verifier: Verifier | undefined): EntityMetrics {
  const pred = set.predictions.map((p, i) => keptPredictions(set.words[i]!, p, thresholds, verifier).map((x) => x.label));
  return scoreSequences(set.gold, pred, entityTypes(labels));
}

/**
 * A scored set with the thresholds applied and each entity left judged once:
 * its probability, its score and whether its sentence has debt words. The
 * grid of `fitCut` then only compares numbers (the rule of `checkEntity`).
 */
interface JudgedSet {
  gold: readonly (readonly string[])[];
  labels: string[][];
  spans: Array<{ sentence: number; start: number; end: number; probability: number; score: number; debt: boolean; ruled: boolean }>;
}

/** The check's learned part: what `fitCut` fits the cut and confident score of. */
export type VerifierWeights = Pick<Verifier, 'types' | 'weights' | 'rules'>;

function judge(set: ScoredSet, thresholds: TypeThresholds | undefined, weights: VerifierWeights): JudgedSet {
  const judged: JudgedSet = { gold: set.gold, labels: [], spans: [] };
  set.predictions.forEach((raw, i) => {
    const p = applyThresholds(raw, thresholds);
    judged.labels.push(p.map((w) => w.label));
    const words = set.words[i]!;
    for (const span of entities(judged.labels[i]!)) {
      let sum = 0;
      for (let k = span.start; k < span.end; k++) sum += p[k]!.score;
      const score = sum / (span.end - span.start);
      const { probability, ruledOut } = checkEntity({ ...weights, cut: 0, confident: 1.01 }, words, span.start, span.type, score);
      judged.spans.push({ sentence: i, start: span.start, end: span.end, probability, score, debt: hasDebtWords(words), ruled: ruledOut !== undefined });
    }
  });
  return judged;
}

/** Micro F1 of a judged set under one cut and confident score (`checkEntity`'s rule). */
function judgedF1(j: JudgedSet, types: readonly string[], cut: number, confident: number): number {
  const labels = j.labels.map((l) => l.slice());
  for (const s of j.spans) {
    if (!s.ruled && (s.probability >= cut || (s.score >= confident && s.debt))) continue;
    for (let k = s.start; k < s.end; k++) labels[s.sentence]![k] = 'O';
  }
  return scoreSequences(j.gold, labels, types).micro.f1;
}

/**
 * The cut and confident score of best micro F1 on `dev` (the first of the
 * grid on a tie), among those that keep the guard's micro F1 within
 * `maxLoss` of its F1 with the check's rules alone (the rules are
 * definitions, not fitted: the guard bounds what the cut costs).
 */
export function fitCut(
  dev: ScoredSet,
  labels: readonly string[],
  weights: VerifierWeights,
  thresholds: TypeThresholds | undefined,
  guard?: { set: ScoredSet; maxLoss: number },
): { cut: number; confident: number } {
  const types = entityTypes(labels);
  const d = judge(dev, thresholds, weights);
  const g = guard && judge(guard.set, thresholds, weights);
  const floor = g ? judgedF1(g, types, 0, 1.01) - guard!.maxLoss : -Infinity;
  let best = { cut: 0, confident: 1.01, f1: judgedF1(d, types, 0, 1.01) };
  for (const cut of CUT_GRID) {
    for (const confident of CONFIDENT_GRID) {
      if (g && judgedF1(g, types, cut, confident) < floor - 1e-12) continue;
      const f1 = judgedF1(d, types, cut, confident);
      if (f1 > best.f1 + 1e-12) best = { cut, confident, f1 };
    }
  }
  return { cut: best.cut, confident: best.confident };
}

/**
 * The honest dev figure: each group (filing) of `dev` scored with the cut
 * fitted on the other groups, pooled; undefined with fewer than two groups
 * or a sentence without one.
 */
export function crossValidateCut(
  dev: ScoredSet & { groups: readonly (string | undefined)[] },
  labels: readonly string[],
  weights: VerifierWeights,
  thresholds: TypeThresholds | undefined,
  guard?: { set: ScoredSet; maxLoss: number },
): { groups: number; metrics: EntityMetrics } | undefined {
  const groups = [...new Set(dev.groups)];
  if (groups.length < 2 || groups.includes(undefined)) return undefined;
  const pick = (keep: (g: string | undefined) => boolean): ScoredSet & { index: number[] } => {
    const index = dev.groups.flatMap((g, i) => (keep(g) ? [i] : []));
    return { index, words: index.map((i) => dev.words[i]!), predictions: index.map((i) => dev.predictions[i]!), gold: index.map((i) => dev.gold[i]!) };
  };
  const held: string[][] = dev.gold.map(() => []);
  for (const group of groups) {
    const fit = fitCut(pick((g) => g !== group), labels, weights, thresholds, guard);
    const part = pick((g) => g === group);
    part.predictions.forEach((p, k) => {
      held[part.index[k]!] = keptPredictions(part.words[k]!, p, thresholds, { ...weights, ...fit }).map((w) => w.label);
    });
  }
  return { groups: groups.length, metrics: scoreSequences(dev.gold, held, entityTypes(labels)) };
}
