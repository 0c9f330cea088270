/** Train / validation / test assignment by company: deterministic for a seed, whatever the file order. */
import { FinerError } from '../../util/errors.ts';
import { mulberry32, shuffleInPlace } from '../../util/rng.ts';

import { SPLITS, type SplitName } from '@finer-lens/core/ner/splits.ts';

export { SPLITS, type SplitName };

/** Relative sizes of the three splits, e.g. [80, 10, 10]. */
export type SplitRatios = readonly [number, number, number];

/** Parse `--split 80/10/10`: three non-negative numbers, train first, not all zero. */
export function parseSplit(text: string): SplitRatios {
  const parts = text.split('/');
  const nums = parts.map((p) => (/^\s*\d+(?:\.\d+)?\s*$/.test(p) ? Number(p) : NaN));
  if (nums.length !== 3 || nums.some((n) => !Number.isFinite(n)) || nums[0] + nums[1] + nums[2] <= 0 || nums[0] <= 0) {
    throw new FinerError(`--split ${JSON.stringify(text)}: expected train/validation/test as three non-negative numbers with train > 0, e.g. 80/10/10`);
  }
  return [nums[0], nums[1], nums[2]];
}

/** How many of n companies go to each split: largest remainders, and one at least for every non-zero ratio while n allows. */
export function splitSizes(n: number, ratios: SplitRatios): [number, number, number] {
  const total = ratios[0] + ratios[1] + ratios[2];
  const exact = ratios.map((r) => (n * r) / total);
  const sizes = exact.map(Math.floor) as [number, number, number];
  const order = [0, 1, 2].sort((a, b) => exact[b] - sizes[b] - (exact[a] - sizes[a]) || a - b);
  for (let left = n - sizes[0] - sizes[1] - sizes[2], k = 0; left > 0; left--, k++) sizes[order[k % 3]]++;
  for (let i = 0; i < 3; i++) {
    if (ratios[i] > 0 && sizes[i] === 0) {
      const donor = [0, 1, 2].sort((a, b) => sizes[b] - sizes[a])[0];
      if (sizes[donor] > 1) {
        sizes[donor]--;
        sizes[i]++;
      }
    }
  }
  return sizes;
}

/** Shuffle the sorted distinct companies with the seed, then cut: train first, validation, test. */
export function assignSplits(companies: Iterable<string>, ratios: SplitRatios, seed: number): Map<string, SplitName> {
  const sorted = shuffleInPlace([...new Set(companies)].sort(), mulberry32(seed));
  const [nTrain, nValidation] = splitSizes(sorted.length, ratios);
  const assignment = new Map<string, SplitName>();
  sorted.forEach((company, i) => assignment.set(company, i < nTrain ? 'train' : i < nTrain + nValidation ? 'validation' : 'test'));
  return assignment;
}
