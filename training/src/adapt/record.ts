/** adapt.json: what `finer adapt` did, written into its run folder and carried by `finer export` to the model folder and its card. */
export const ADAPT_FILE = 'adapt.json';

export interface AdaptRecord {
  schema: 1;
  /** The model folder it started from. */
  model: string;
  /** The filings' names, as `finer ixbrl` calls them (source). */
  filings: string[];
  skipped: string[];
  /** The company's sentences (with a target; negatives), and the sentences of --replay mixed in. */
  sentences: { targets: number; negatives: number; replayed: number };
  /** The --replay folder, when one was given. */
  replay?: string;
  /** Entities per type (B- tags) in those sentences. */
  entities: Record<string, number>;
  options: { epochs: number; batchSize: number; lr: number; warmup: number; negatives: number; seed: number; maxLength: number; replayRatio: number };
}
