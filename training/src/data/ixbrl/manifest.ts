/**
 * MANIFEST.tsv of ../shared/data/ixbrl: per filing, the number of
 * `ix:nonFraction` facts of each target tag. Only a check for the builder
 * (the benchmark and a test compare against it); building never needs it.
 */
import { readFileSync } from 'node:fs';
import { atLine, FinerError } from '../../util/errors.ts';

/** MANIFEST column of each target tag, in TARGET_TAGS order. */
const COLUMNS = ['n_InterestRateStated', 'n_LineOfCreditMaxBorrowing', 'n_BasisSpreadOnVariableRate', 'n_FaceAmount'];

/** file name -> fact counts per target tag (TARGET_TAGS order). */
export function readManifest(path: string): Map<string, number[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new FinerError(`${path}: cannot read the manifest`);
  }
  const lines = text.split('\n').filter((l) => l !== '');
  const header = (lines[0] ?? '').split('\t');
  const file = header.indexOf('file');
  const cols = COLUMNS.map((c) => header.indexOf(c));
  if (file < 0 || cols.some((c) => c < 0)) {
    throw atLine(path, 1, `expected a header with the columns file, ${COLUMNS.join(', ')}`);
  }
  const counts = new Map<string, number[]>();
  lines.slice(1).forEach((line, i) => {
    const cells = line.split('\t');
    const values = cols.map((c) => Number(cells[c]));
    if (values.some((v) => !Number.isInteger(v) || v < 0)) {
      throw atLine(path, i + 2, `expected whole-number counts in ${COLUMNS.join(', ')}`);
    }
    counts.set(cells[file], values);
  });
  return counts;
}
