/** Which files the corpus builder reads: named files, and iXBRL documents found under named folders. */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FinerError } from '../../util/errors.ts';

export interface FilingInput {
  path: string;
  /** True when found by scanning a folder (a bad one is skipped with a warning), false when named. */
  fromFolder: boolean;
}

const FILING_RE = /\.(?:htm|html|xhtml)(?:\.gz)?$/i;

export function isFilingName(name: string): boolean {
  return FILING_RE.test(name);
}

async function scan(dir: string, into: FilingInput[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await scan(path, into);
    else if (entry.isFile() && isFilingName(entry.name)) into.push({ path, fromFolder: true });
  }
}

/** Expand files and folders (recursively) into the filings to read, sorted by path so that the order never matters. */
export async function listFilings(paths: readonly string[]): Promise<FilingInput[]> {
  if (paths.length === 0) throw new FinerError('no input: expected iXBRL files (.htm, .html, .htm.gz) or folders of them');
  const found: FilingInput[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) {
      throw new FinerError(`${path}: no such file or folder (expected an iXBRL .htm, .html or .htm.gz file, or a folder of them)`);
    }
    if (info.isDirectory()) {
      const before = found.length;
      await scan(path, found);
      if (found.length === before) throw new FinerError(`${path}: folder holds no .htm, .html or .htm.gz file`);
    } else if (isFilingName(path)) {
      found.push({ path, fromFolder: false });
    } else {
      throw new FinerError(`${path}: not an iXBRL document (expected a .htm, .html or .htm.gz file name)`);
    }
  }
  const byPath = new Map<string, FilingInput>();
  for (const input of found) if (!byPath.has(resolve(input.path))) byPath.set(resolve(input.path), input);
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
