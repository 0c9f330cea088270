/**
 * A recipe file (training/recipes/*.json): what `finer recipe` builds a
 * shipped model from. Every path is relative to the folder the command runs
 * in (`npm run train:default`: the repository root).
 *
 *   {
 *     "name": "finer-lens-small",                 the run runs/<name> and the model public/models/<name>
 *     "filings": "../shared/data/ixbrl",          iXBRL filings (finer ixbrl)
 *     "sample": "...finer139_train_sample.jsonl", the FiNER-139 sample that finer evaluate scores
 *     "devSet": "training/devset/whole-doc/whole-doc.jsonl",  the dev set of the thresholds
 *     "encoder": "models/pretrained/finer-mlm-4x256",         the pretrained encoder (with pretraining.json)
 *     "prose": 0, "proseDebt": 0,                 untagged prose sentences per target sentence (finer subset)
 *     "stage1Epochs": 0,                          > 0: a stage on all 139 FiNER tags before the 4 types
 *     "seeds": [7],                               one run per seed; several: the best on validation is kept
 *     "train": { "epochs": 3, ... },              the 4-type fine-tune's training config (config/train.ts)
 *     "folders": { "data": "data", "runs": "runs", "reports": "public/reports", "models": "public/models" }
 *   }
 */
import { parseTrainConfig, type TrainConfig } from '../config/train.ts';
import { readJsonFile } from '../infer/model-folder.ts';
import { FinerError } from '../util/errors.ts';
import { NUMBER_KINDS } from '../util/flags.ts';

/** Where the recipe writes: datasets, runs, the dashboard's reports, the exported model. */
export interface RecipeFolders { data: string; runs: string; reports: string; models: string }

export interface Recipe {
  name: string;
  filings: string;
  sample: string;
  devSet: string;
  encoder: string;
  prose: number;
  proseDebt: number;
  stage1Epochs: number;
  seeds: number[];
  train: Partial<TrainConfig>;
  folders: RecipeFolders;
}

export const DEFAULT_FOLDERS: RecipeFolders = { data: 'data', runs: 'runs', reports: 'public/reports', models: 'public/models' };

const PATHS = ['name', 'filings', 'sample', 'devSet', 'encoder'] as const;
const NUMBERS = { prose: 'num', proseDebt: 'num', stage1Epochs: 'int' } as const;
const FIELDS = [...PATHS, ...Object.keys(NUMBERS), 'seeds', 'train', 'folders'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A recipe from its JSON; a missing, misspelled or mistyped field is one line naming `file` and the field. */
export function parseRecipe(json: unknown, file: string): Recipe {
  if (!isObject(json)) throw new FinerError(`${file}: holds ${JSON.stringify(json)}; expected a JSON object (a recipe)`);
  const bad = (field: string, value: unknown, expected: string) =>
    new FinerError(`${file}: field "${field}" ${value === undefined ? 'is missing' : `is ${JSON.stringify(value)}`}; expected ${expected}`);
  const unknown = Object.keys(json).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) throw new FinerError(`${file}: field "${unknown}" is not a recipe field; expected ${FIELDS.join(', ')}`);
  for (const f of PATHS) if (typeof json[f] !== 'string' || json[f] === '') throw bad(f, json[f], 'a non-empty string');
  for (const [f, kind] of Object.entries(NUMBERS)) {
    if (typeof json[f] !== 'number' || !NUMBER_KINDS[kind].test(json[f])) throw bad(f, json[f], NUMBER_KINDS[kind].expected);
  }
  const seeds = json.seeds;
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every((s) => typeof s === 'number' && NUMBER_KINDS.int.test(s))) {
    throw bad('seeds', seeds, 'a non-empty array of non-negative integers');
  }
  if (!isObject(json.train)) throw bad('train', json.train, 'a JSON object of training options');
  const train = parseTrainConfig(json.train, file, 'train');
  const folders = { ...DEFAULT_FOLDERS };
  if (json.folders !== undefined) {
    if (!isObject(json.folders)) throw bad('folders', json.folders, 'a JSON object of folders (data, runs, reports, models)');
    for (const [k, v] of Object.entries(json.folders)) {
      if (!Object.hasOwn(DEFAULT_FOLDERS, k)) throw new FinerError(`${file}: field "folders.${k}" is not a recipe folder; expected ${Object.keys(DEFAULT_FOLDERS).join(', ')}`);
      if (typeof v !== 'string' || v === '') throw bad(`folders.${k}`, v, 'a non-empty string');
      folders[k as keyof RecipeFolders] = v;
    }
  }
  return {
    name: json.name as string, filings: json.filings as string, sample: json.sample as string, devSet: json.devSet as string,
    encoder: json.encoder as string, prose: json.prose as number, proseDebt: json.proseDebt as number,
    stage1Epochs: json.stage1Epochs as number, seeds: seeds as number[], train, folders,
  };
}

export async function readRecipe(path: string): Promise<Recipe> {
  return parseRecipe(await readJsonFile(path, 'recipe (a JSON object, e.g. training/recipes/default.json)'), path);
}
