/**
 * The schema of a model folder's `verifier.json`: written by `finer
 * verifier` (training/src/verifier/), read by `finer evaluate`, `finer
 * predict` and both backends of the app (core/src/ner/verifier.ts's
 * verifierOfJson, which needs only `verifierFileSchema`).
 */
import * as v from 'valibot';
import { DEFINITION_RULES } from '../ner/definitions.ts';
import { pooledScores } from './metrics.ts';
import { count, expecting, list, num, object, recordOf, score, str, strings } from './schema.ts';
import { crossValidatedScores, guardScores } from './thresholds.ts';

export const VERIFIER_SCHEMA = 1;

const model = {
  schema: v.literal(VERIFIER_SCHEMA),
  // the entity types in the order the features name them (`<index>|...`)
  types: strings,
  // logistic regression over the features of core/src/ner/verifier.ts; a feature not named weighs 0
  weights: recordOf(num, '{"<feature>": <weight>}'),
  // an entity passes when its probability is at least `cut`, or when its score is at least `confident` in a sentence with debt words
  cut: score,
  confident: num,
  // rules of the types' definitions (core/src/ner/definitions.ts) that drop an entity whatever its probability; absent: none
  rules: v.optional(list(v.picklist(DEFINITION_RULES, expecting(`one of ${DEFINITION_RULES.join(', ')}`)), 'rule names')),
};

/** What the backends read. */
export const verifierFileSchema = object(model, 'a JSON object with "weights", "cut" and "confident"');

export const verifierReportSchema = object(
  {
    ...model,
    // what it learned from: the untagged and tagged sentences of these filings, as the model predicted them
    trainedOn: object({ source: str, split: str, filings: count, sentences: count, examples: count, positives: count, backend: str, seed: num }, '{source, split, filings, sentences, examples, positives, backend, seed}'),
    // where `cut` and `confident` were fitted (the whole-document dev set), with the model folder's thresholds applied first
    fittedOn: str,
    before: pooledScores,
    after: pooledScores,
    // `after` is in sample; each dev filing scored with the cut fitted on the others, pooled (absent with fewer than two filings)
    crossValidated: v.optional(crossValidatedScores),
    // the sets it must not hurt, and by how much their micro F1 may fall
    guard: v.optional(guardScores),
  },
  'a JSON object with "weights", "cut" and "confident"',
);

export type VerifierReport = v.InferOutput<typeof verifierReportSchema>;
