/**
 * The folders the lab's commands write, each recognised as the command's own
 * earlier output by what it holds (training/src/util/output.ts checks them
 * before the work starts, as for the `finer` commands).
 */
import { join } from 'node:path';
import { builtBy, DATASET_FILES, hasFile, MODEL_FILES, readJsonObject, type CommandOutput } from '@finer-lens/training/util/output.ts';

const isObject = (v: unknown) => typeof v === 'object' && v !== null;

export const LAB_OUTPUTS = {
  concepts: { command: 'lab concepts', layout: { names: DATASET_FILES, mark: builtBy((i) => isObject(i.concepts)), replaced: true } },
  calibrate: { command: 'lab calibrate', layout: { names: [...MODEL_FILES, 'trainer_state.json', 'calibration.json'], mark: hasFile('calibration.json'), replaced: true } },
  average: { command: 'lab average', layout: { names: [...MODEL_FILES, 'trainer_state.json', 'average.json'], mark: hasFile('average.json'), replaced: true } },
  grow: {
    command: 'lab grow',
    layout: {
      names: [...MODEL_FILES, 'pretraining.json'],
      mark: async (dir: string) => ((await readJsonObject(join(dir, 'config.json')))?.architectures as unknown[] | undefined)?.includes('DistilBertForMaskedLM') ?? false,
      replaced: true,
    },
  },
} as const satisfies Record<string, CommandOutput>;
