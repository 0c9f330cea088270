/**
 * The schema of `analysis.json`: written by `finer analyze`
 * (training/src/data/analyze.ts), read by the dashboard (src/app/reports.ts).
 * Bump ANALYSIS_SCHEMA when a field changes meaning or goes away.
 */
import * as v from 'valibot';
import type { SplitName } from '../ner/splits.ts';
import { count, list, object, str } from './schema.ts';

export const ANALYSIS_SCHEMA = 1;

const labelCount = object(
  {
    id: count,
    label: str,
    // tokens tagged with this label
    tokens: count,
    // sentences with at least one token tagged with this label
    sentences: count,
  },
  '{id, label, tokens, sentences}',
);

const distribution = object(
  {
    sentences: count,
    tokens: count,
    // tokens with a label other than `O` (id 0)
    taggedTokens: count,
    // entity mentions: tokens whose label starts with `B-`
    entities: count,
    sentencesWithEntities: count,
    // every label, in id order
    labels: list(labelCount, '{id, label, tokens, sentences}'),
  },
  'an object with sentences, tokens and labels',
);

export const analysisReportSchema = object(
  {
    schema: v.literal(ANALYSIS_SCHEMA),
    dataset: v.fallback(v.string(), ''),
    labelNames: list(str, 'label names'),
    splits: object(
      { train: v.optional(distribution), validation: v.optional(distribution), test: v.optional(distribution) } satisfies Record<SplitName, unknown>,
      'an object with train, validation, test',
    ),
    overall: distribution,
  },
  'a JSON object',
);

export type LabelCount = v.InferOutput<typeof labelCount>;
export type Distribution = v.InferOutput<typeof distribution>;

/** What the dashboard needs; the writer's report carries more (`D` adds its fields per distribution). */
export type AnalysisReport<D extends Distribution = Distribution> = Omit<v.InferOutput<typeof analysisReportSchema>, 'splits' | 'overall'> & {
  splits: Partial<Record<SplitName, D>>;
  overall: D;
};
