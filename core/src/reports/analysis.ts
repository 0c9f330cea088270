/**
 * The schema of `analysis.json`: written by `finer analyze`
 * (training/src/data/analyze.ts), read by the dashboard (src/app/reports.ts).
 * Bump ANALYSIS_SCHEMA when a field changes meaning or goes away.
 */
import type { SplitName } from '../ner/splits.ts';

export const ANALYSIS_SCHEMA = 1;

export interface LabelCount {
  id: number;
  label: string;
  /** Tokens tagged with this label. */
  tokens: number;
  /** Sentences with at least one token tagged with this label. */
  sentences: number;
}

export interface Distribution {
  sentences: number;
  tokens: number;
  /** Tokens with a label other than `O` (id 0). */
  taggedTokens: number;
  /** Entity mentions: tokens whose label starts with `B-`. */
  entities: number;
  sentencesWithEntities: number;
  /** Every label, in id order. */
  labels: LabelCount[];
}

/** What the dashboard needs; the writer's report carries more (`D` adds its fields per distribution). */
export interface AnalysisReport<D extends Distribution = Distribution> {
  schema: typeof ANALYSIS_SCHEMA;
  dataset: string;
  labelNames: string[];
  splits: Partial<Record<SplitName, D>>;
  overall: D;
}
