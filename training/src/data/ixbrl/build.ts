/**
 * `finer ixbrl`: iXBRL 10-K/10-Q filings -> a FiNER-139 dataset folder
 * (train.jsonl, validation.jsonl, test.jsonl, dataset_info.json).
 *
 * Each JSONL line is {"id","tokens","ner_tags","repeats"?,"source","start","end"}:
 * `source` is the filing's file name, `start`/`end` the UTF-16 offsets of the
 * sentence in that filing's extracted prose text (see core/src/ixbrl/extract.ts:
 * the visible text outside tables and hidden parts, one block-level run per
 * line, whitespace collapsed to single spaces), so that
 * `extractIxbrl(html).text.slice(start, end)` is the sentence. `repeats`
 * (when there are some) lists the unlabelled words that repeat the value of a
 * target fact of the filing (core/src/ixbrl/repeats.ts).
 *
 * Files are read one at a time (streamed and gunzipped); each filing's
 * sentence lines go to a spill file in the temporary output folder, and
 * memory keeps only hashes and labels until the splits are written.
 */
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { companyKey } from '@finer-lens/core/ixbrl/company.ts';
import { labelFiling } from '@finer-lens/core/ixbrl/label.ts';
import { writeDirAtomic } from '../../util/atomic.ts';
import { FinerError } from '../../util/errors.ts';
import { assemble, DEFAULT_DEDUPE_SCOPE, type DedupeScope } from './assemble.ts';
import { toFilingRecord, type FilingRecord } from './filing.ts';
import { listFilings } from './inputs.ts';
import { readFiling } from './read.ts';
import { reconcile, type Reconciliation } from './report.ts';
import { assignSplits, type SplitName, type SplitRatios } from './split.ts';
import { writeDataset } from './write.ts';

export interface BuildOptions {
  out: string;
  seed: number;
  split: SplitRatios;
  allSentences: boolean;
  /**
   * Where exact duplicate sentences are dropped (default
   * `DEFAULT_DEDUPE_SCOPE`, 'filing': within each filing; 'split' also drops
   * a company's repeats from its other filings).
   */
  dedupe?: DedupeScope;
  onWarning?: (message: string) => void;
  /** Called after each file with the number of files done and its HTML size. */
  onFile?: (done: number, total: number, htmlBytes: number) => void;
  /** Called once the inputs are listed. */
  onStart?: (total: number) => void;
  /** Replace an existing `out` folder that is not a finer ixbrl output. */
  force?: boolean;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface BuildSummary {
  files: number;
  skipped: SkippedFile[];
  htmlBytes: number;
  sentences: Record<SplitName, number>;
  companies: Record<SplitName, number>;
  reconciliation: Reconciliation;
  /** Per filing: fact counts per target tag and place, for checking against a manifest (spill files are gone). */
  filings: FilingRecord[];
}

export async function buildIxbrlDataset(paths: readonly string[], options: BuildOptions): Promise<BuildSummary> {
  const inputs = await listFilings(paths);
  options.onStart?.(inputs.length);
  let summary: BuildSummary | undefined;
  // Everything, spill files included, happens in the temporary folder that replaces `out` at the end.
  await writeDirAtomic(options.out, async (tmp) => {
    const spillDir = join(tmp, '.sentences');
    await mkdir(spillDir);
    const filings: FilingRecord[] = [];
    const skipped: SkippedFile[] = [];
    let htmlBytes = 0;
    const sameName = new Map<string, number>();
    for (const { path } of inputs) sameName.set(basename(path), (sameName.get(basename(path)) ?? 0) + 1);
    for (const [i, input] of inputs.entries()) {
      const { filing, htmlBytes: bytes } = await readFiling(input.path);
      htmlBytes += bytes;
      if (filing.ixElements === 0) {
        const reason = 'no inline XBRL facts (no ix: elements); expected an iXBRL 10-K/10-Q document';
        if (inputs.length === 1) throw new FinerError(`${input.path}: ${reason}`);
        options.onWarning?.(`${input.path}: ${reason}; skipped`);
        skipped.push({ path: input.path, reason });
      } else {
        // the file name, or the path as given when two inputs share a name (primary-document.html)
        const source = sameName.get(basename(input.path))! > 1 ? input.path : basename(input.path);
        const labelled = labelFiling(filing, { allSentences: options.allSentences });
        const spill = join(spillDir, `${i}.jsonl`);
        filings.push(await toFilingRecord({ path: input.path, source, spill }, companyKey(filing, source), filing, labelled));
      }
      options.onFile?.(i + 1, inputs.length, bytes);
    }
    if (filings.every((f) => f.sentences.length === 0)) {
      throw new FinerError(
        `nothing to write: no sentence of ${inputs.length} file(s) holds one of the FiNER-139 tags` +
          (options.allSentences ? ' or any prose text' : ' (try --all-sentences)'),
      );
    }
    const companySplit = assignSplits(
      filings.map((f) => f.company),
      options.split,
      options.seed,
    );
    const assembly = assemble(filings, companySplit, options.dedupe ?? DEFAULT_DEDUPE_SCOPE);
    const reconciliation = reconcile(filings, assembly);
    await writeDataset(tmp, { assembly, reconciliation, filings, skipped, options });
    await rm(spillDir, { recursive: true });
    const count = (split: SplitName) => new Set(filings.filter((f) => assembly.filingSplit.get(f) === split).map((f) => f.company)).size;
    summary = {
      files: filings.length,
      skipped,
      htmlBytes,
      sentences: { train: assembly.splits.train.length, validation: assembly.splits.validation.length, test: assembly.splits.test.length },
      companies: { train: count('train'), validation: count('validation'), test: count('test') },
      reconciliation,
      filings,
    };
  }, { kind: 'ixbrl', inputs: paths, force: options.force });
  return summary!;
}
