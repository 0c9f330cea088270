/**
 * train-companies.json of a model folder: the companies of the train split
 * of the `finer ixbrl` data the model learned from (splits are by company),
 * each with its CIK and registrant name, so the app can say whether an opened
 * filing's company was seen in training (src/app/filingSeen.ts reads it).
 *
 * The dataset folder is the `finer ixbrl` output, or a `finer subset` of one
 * (its dataset_info.json names the folder it came from). Names come from the
 * filings themselves (each company's first train filing, read from --filings).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseTrainCompanies, TRAIN_COMPANIES_FILE, type TrainCompanies, type TrainCompany } from '@finer-lens/core/reports/trainCompanies.ts';
import { DATASET_INFO, readDatasetInfo } from '../data/dataset-folder.ts';
import { readFiling } from '../data/ixbrl/read.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { FinerError } from '../util/errors.ts';

export { TRAIN_COMPANIES_FILE };

interface FilingRow {
  source: string;
  company: string;
  split?: string;
}

/** The `finer ixbrl` folder behind `dir`: itself, or the folder a `finer subset` was made from. */
async function ixbrlFolder(dir: string): Promise<{ dir: string; filings: FilingRow[] }> {
  const path = join(dir, DATASET_INFO);
  const info = await readDatasetInfo(path);
  if (!info) throw new FinerError(`${path}: not found; expected the dataset_info.json of a finer ixbrl folder (or of a finer subset of one)`);
  const filings = (info.reconciliation as { filings?: FilingRow[] } | undefined)?.filings;
  if (info.builder === 'finer ixbrl' && Array.isArray(filings)) return { dir, filings };
  const from = (info.subset as { from?: unknown } | undefined)?.from;
  if (typeof from === 'string') {
    // `from` is the path as given to finer subset: relative to where it ran, or beside this folder
    const candidate = [from, join(dirname(dir), basename(from))].find((d) => existsSync(join(d, DATASET_INFO)));
    if (candidate && resolve(candidate) !== resolve(dir)) return ixbrlFolder(candidate);
    throw new FinerError(`${path}: made by finer subset from ${from}, which has no ${DATASET_INFO} here; expected that finer ixbrl folder`);
  }
  throw new FinerError(`${path}: no reconciliation.filings (companies and splits); expected the dataset_info.json of a finer ixbrl folder (or of a finer subset of one)`);
}

/** The train companies of `datasetDir`, named from their filings under `filingsDir`. */
export async function trainCompanies(datasetDir: string, filingsDir: string): Promise<TrainCompanies> {
  const { dir, filings } = await ixbrlFolder(datasetDir);
  const byCompany = new Map<string, string[]>();
  for (const f of filings) {
    if (f.split !== 'train') continue;
    byCompany.set(f.company, [...(byCompany.get(f.company) ?? []), f.source]);
  }
  if (byCompany.size === 0) throw new FinerError(`${join(dir, DATASET_INFO)}: no filing in the train split`);
  const companies: TrainCompany[] = [];
  for (const [key, sources] of [...byCompany].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const first = [...sources].sort()[0]!;
    const path = join(filingsDir, first);
    if (!existsSync(path)) throw new FinerError(`${path}: not found; expected the filing ${first} of ${join(dir, DATASET_INFO)} under --filings`);
    const { filing } = await readFiling(path);
    const cik = key.startsWith('cik:') ? key.slice(4) : undefined;
    const name = filing.registrantName?.trim() || key.slice(key.indexOf(':') + 1);
    companies.push({ key, ...(cik ? { cik } : {}), name, filings: sources.length });
  }
  return parseTrainCompanies({ schema: 1, dataset: dir, companies }, TRAIN_COMPANIES_FILE);
}

/** Write the list as `<modelDir>/train-companies.json`. */
export async function writeTrainCompanies(modelDir: string, list: TrainCompanies): Promise<void> {
  await writeFileAtomic(join(modelDir, TRAIN_COMPANIES_FILE), JSON.stringify(list, null, 1) + '\n');
}
