/**
 * The context check: a second pass over the entities the model (and its
 * thresholds) kept, which asks whether the sentence around each number is one
 * where a filer would tag it. The model learned from the sentences filers
 * tag, the debt notes; in the rest of a 10-K (MD&A, risk factors, cover
 * pages, exhibit lists) it finds numbers that look like its four types:
 * margins, page numbers, doses, addresses. The check is a logistic
 * regression over the words around the number (`verifierFeatures`), learned
 * by `finer verifier` from the train filings' sentences as the model tags
 * them: an entity in a tagged sentence is right when the filer tagged it
 * there, an entity in an untagged sentence is right when it repeats a target
 * value the filing tags, wrong otherwise.
 *
 * An entity passes when its probability is at least `cut`, or when the model
 * is sure of it (score at least `confident`) in a sentence with debt words,
 * and no rule of the definitions it names (`rules`, core/src/ner/definitions.ts)
 * rules it out.
 * Stored in the model folder as `verifier.json`, applied after the
 * thresholds by `finer evaluate`, `finer predict` and both backends of the
 * app.
 *
 * No DOM and no Node APIs.
 */
import { InputError } from './errors.ts';
import { hasDebtWords } from './debt-words.ts';
import { ruledOut, type DefinitionRule } from './definitions.ts';
import { isOutsideLabel, labelType } from './labels.ts';
import { entities } from './spans.ts';
import type { WordPrediction } from './tagger.ts';
import { applyThresholds, type TypeThresholds } from './thresholds.ts';
import { check, found } from '../reports/schema.ts';
import { VERIFIER_SCHEMA, verifierFileSchema } from '../reports/verifier.ts';

export const VERIFIER_FILE = 'verifier.json';
export { VERIFIER_SCHEMA, type VerifierReport } from '../reports/verifier.ts';

/** A loaded context check. */
export interface Verifier {
  /** Entity types in the order features name them. */
  types: readonly string[];
  weights: ReadonlyMap<string, number>;
  cut: number;
  confident: number;
  /** Definitions' rules that drop an entity whatever its probability (none in a verifier.json without `rules`). */
  rules: readonly DefinitionRule[];
}

/** Words a side of the number whose presence counts (`n:`). */
const NEAR = 10;
/** Words a side of the number counted by their position (`-3:` .. `3:`). */
const OFFSETS = [-3, -2, -1, 1, 2, 3] as const;
const DIGITS = /\p{Nd}/gu;
const HAS_DIGIT = /\p{Nd}/u;
const WORD = /^\p{Ll}[\p{Ll}-]+$/u;

/** A word as the features see it: lower case, every digit 0 (`$ 4.375` -> `0.000`). */
export function wordShape(word: string): string {
  return word.toLowerCase().replace(DIGITS, '0');
}

/**
 * The features of an entity of type `typeIndex` at word `at` of `words` with
 * `score` (its words' mean score): each name with its value (1 but for the
 * score). Every name but the bias starts with the type's index, so each type
 * weighs its own context.
 */
export function verifierFeatures(words: readonly string[], at: number, typeIndex: number, score: number): Map<string, number> {
  const t = String(typeIndex);
  const f = new Map<string, number>([['b', 1], [`${t}`, 1], [`${t}|sc`, score], [`${t}|scb:${Math.floor(score * 10)}`, 1]]);
  const lower = words.map((w) => w.toLowerCase());
  for (const d of OFFSETS) {
    const j = at + d;
    f.set(`${t}|${d}:${j < 0 ? '<s>' : j >= words.length ? '</s>' : wordShape(words[j]!)}`, 1);
  }
  for (let j = Math.max(0, at - NEAR); j < Math.min(words.length, at + NEAR + 1); j++) {
    if (j !== at && WORD.test(lower[j]!)) f.set(`${t}|n:${lower[j]}`, 1);
  }
  f.set(`${t}|shape:${wordShape(words[at]!)}`, 1);
  f.set(`${t}|debt:${hasDebtWords(words)}`, 1);
  const numbers = words.filter((w) => HAS_DIGIT.test(w)).length;
  f.set(`${t}|nnum:${Math.floor(Math.min(numbers, 12) / 3)}`, 1);
  f.set(`${t}|len:${Math.floor(Math.min(words.length, 120) / 20)}`, 1);
  return f;
}

/** The logistic function, its argument clamped to +-30. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));
}

/** The weighted sum of features. */
export function linear(weights: ReadonlyMap<string, number>, features: ReadonlyMap<string, number>): number {
  let z = 0;
  for (const [name, value] of features) z += (weights.get(name) ?? 0) * value;
  return z;
}

/** The check's rule without its weights: what the app shows and exports and eval.json records. */
export function checkRule(verifier: Verifier): { cut: number; confident: number; rules: DefinitionRule[] } {
  return { cut: verifier.cut, confident: verifier.confident, rules: [...verifier.rules] };
}

/** What the check says of one entity: its probability of being right, whether it passes, and the definitions' rule that ruled it out. */
export interface ContextVerdict {
  probability: number;
  passes: boolean;
  ruledOut?: DefinitionRule;
}

/** The check on the entity of `type` starting at word `at` with mean word score `score`; a type the check does not know passes. */
export function checkEntity(verifier: Verifier, words: readonly string[], at: number, type: string, score: number): ContextVerdict {
  const index = verifier.types.indexOf(type);
  if (index < 0) return { probability: 1, passes: true };
  const probability = sigmoid(linear(verifier.weights, verifierFeatures(words, at, index, score)));
  const rule = ruledOut(verifier.rules, words, at, type);
  if (rule) return { probability, passes: false, ruledOut: rule };
  return { probability, passes: probability >= verifier.cut || (score >= verifier.confident && hasDebtWords(words)) };
}

/** The predictions of one sentence with every entity the check refuses turned to O (score 1 - its score, as the thresholds do). */
export function applyVerifier(words: readonly string[], predictions: readonly WordPrediction[], verifier: Verifier | undefined): WordPrediction[] {
  const out = predictions.slice();
  if (!verifier) return out;
  for (const span of entities(predictions.map((p) => p.label))) {
    let sum = 0;
    for (let i = span.start; i < span.end; i++) sum += predictions[i]!.score;
    if (checkEntity(verifier, words, span.start, span.type, sum / (span.end - span.start)).passes) continue;
    for (let i = span.start; i < span.end; i++) out[i] = { label: 'O', score: 1 - predictions[i]!.score };
  }
  return out;
}

/** The predictions the user sees: the thresholds, then the context check (each only when given). */
export function keptPredictions(words: readonly string[], predictions: readonly WordPrediction[], thresholds: TypeThresholds | undefined, verifier: Verifier | undefined): WordPrediction[] {
  return applyVerifier(words, applyThresholds(predictions, thresholds), verifier);
}

/**
 * The check of a parsed verifier.json, its types checked against the model's
 * labels; `where` names the file in the message of the error `fail` makes
 * (an InputError by default: the CLI prints it on one line, the app shows it).
 */
export function verifierOfJson(json: unknown, labels: readonly string[], where: string, fail: (message: string) => Error = (m) => new InputError(m)): Verifier {
  const schema = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>).schema : undefined;
  if (schema !== VERIFIER_SCHEMA) throw fail(`${where}: "schema" is ${found(schema)}; expected ${VERIFIER_SCHEMA} (rewrite it with this version of \`finer verifier\`)`);
  const read = check(verifierFileSchema, json, (line) => fail(`${where}: ${line}`));
  const known = new Set(labels.filter((l) => !isOutsideLabel(l)).map(labelType));
  const stranger = read.types.find((t) => !known.has(t));
  if (stranger !== undefined) throw fail(`${where}: "types" names ${stranger}, not an entity type of the model (${[...known].join(', ')})`);
  return { types: read.types, weights: new Map(Object.entries(read.weights)), cut: read.cut, confident: read.confident, rules: read.rules ?? [] };
}
