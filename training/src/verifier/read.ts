/** A model folder's context check (verifier.json), checked against its labels; undefined when it has none. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { VERIFIER_FILE, verifierOfJson, type Verifier } from '@finer-lens/core/ner/verifier.ts';
import { readJsonFile, type ModelFolder } from '../infer/model-folder.ts';
import { FinerError } from '../util/errors.ts';

export async function readVerifier(folder: Pick<ModelFolder, 'dir' | 'labels'>): Promise<Verifier | undefined> {
  const path = join(folder.dir, VERIFIER_FILE);
  if (!existsSync(path)) return undefined;
  const json = await readJsonFile(path, 'context check (finer verifier)');
  return verifierOfJson(json, folder.labels, path, (m) => new FinerError(m));
}
