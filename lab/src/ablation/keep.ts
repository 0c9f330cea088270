/**
 * `lab ablation --keep <dir>`: copies of the eval.json and train.json of
 * each row built from files, and of its 139-tag stage's train.json, as
 * `<dir>/<slug of the row name>/eval.json`, `train.json` and
 * `stage139.train.json`, so that the report can be rebuilt after runs/ is
 * gone (point the manifest's rows there). Small aggregate reports only, never data.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { AblationReport } from '@finer-lens/core/reports/ablation.ts';
import { writeFileAtomic } from '@finer-lens/training/util/atomic.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';

/** A row name as a folder name: lower case ASCII letters and digits, runs of anything else as one "-". */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A file to keep: its content, read before anything is written. */
export interface KeptFile {
  row: string;
  from: string;
  to: string;
  content: Buffer;
}

/** The files a row keeps: the manifest's field (in row.files) and the name of its copy. */
const KEPT = [['eval', 'eval.json'], ['train', 'train.json'], ['stage139', 'stage139.train.json']] as const;

/**
 * Read the eval.json, train.json and stage139 train.json of every row of `report` that was built
 * from files (not carried). Nothing is written: a missing file or two rows
 * with one slug is an error before any output.
 */
export async function readKept(report: AblationReport, manifestPath: string, dir: string): Promise<KeptFile[]> {
  const base = dirname(manifestPath);
  const slugs = new Map<string, string>();
  const files: KeptFile[] = [];
  for (const row of report.rows) {
    if (row.carried) continue;
    const slug = slugOf(row.name);
    if (slug === '') throw new FinerError(`--keep: row "${row.name}": no letter or digit to name its folder by; expected a row name with one`);
    const other = slugs.get(slug);
    if (other !== undefined) throw new FinerError(`--keep: rows "${other}" and "${row.name}" would both be kept in ${join(dir, slug)}; expected row names that differ in their letters or digits`);
    slugs.set(slug, row.name);
    for (const [field, name] of KEPT) {
      const named = row.files[field];
      if (named === undefined) continue;
      const from = resolve(base, named);
      files.push({ row: row.name, from, to: join(dir, slug, name), content: await readFile(from) });
    }
  }
  return files;
}

/** Write the kept files (each atomically); returns a line per row saying what was kept. */
export async function writeKept(files: KeptFile[], manifestPath: string): Promise<string[]> {
  const lines = new Map<string, string[]>();
  for (const f of files) {
    await writeFileAtomic(f.to, f.content);
    lines.set(f.row, [...(lines.get(f.row) ?? []), f.to]);
  }
  const base = dirname(manifestPath);
  return [...lines].map(([row, paths]) => `kept "${row}": ${paths.join(', ')} (from the manifest: "${relative(base, paths[0]!)}")`);
}
