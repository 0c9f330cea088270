/**
 * Per-type logit offsets: a constant added to the logits of an entity type's
 * labels (B- and I- alike), fitted by coordinate ascent on a split's entity
 * micro F1 and then folded into the classifier's bias, so that every backend
 * (the checkpoint, ONNX, transformers.js) serves the calibrated model
 * without knowing about it. The model runs once over the split; every
 * candidate is scored on the recorded logits.
 */
import type { InputBatch, LogitsRunner } from '@finer-lens/core/ner/tagger.ts';

/** The report `lab calibrate` writes next to the calibrated weights. */
export const CALIBRATION_FILE = 'calibration.json';

/** Offset per entity type (label name without B-/I-). */
export type TypeOffsets = Record<string, number>;

/** The offset of every label: its type's, 0 for O and for types not given. */
export function labelOffsets(labels: readonly string[], offsets: TypeOffsets): Float32Array {
  return Float32Array.from(labels, (l) => (l === 'O' ? 0 : offsets[l.replace(/^[BIES]-/, '')] ?? 0));
}

/** Records the logits of each call; `replay` serves them again, in the same order, plus label offsets. */
export class LogitsRecording {
  private readonly calls: Array<{ shape: string; logits: Float32Array }> = [];

  constructor(private readonly run: LogitsRunner) {}

  readonly record: LogitsRunner = async (b: InputBatch) => {
    const logits = await this.run(b);
    this.calls.push({ shape: `${b.batchSize}x${b.seqLen}`, logits });
    return logits;
  };

  /** A runner for one more pass over the same batches; a batch of another shape than recorded is an error. */
  replay(offsets: Float32Array): LogitsRunner {
    let i = 0;
    const n = offsets.length;
    return async (b: InputBatch) => {
      const call = this.calls[i++];
      if (!call || call.shape !== `${b.batchSize}x${b.seqLen}`) {
        throw new Error(`replay call ${i}: batch ${b.batchSize}x${b.seqLen}; recorded ${call ? call.shape : 'none'} (the replay must ask for the recorded batches in order)`);
      }
      const out = Float32Array.from(call.logits);
      for (let j = 0; j < out.length; j++) out[j]! += offsets[j % n]!;
      return out;
    };
  }
}

export interface FitOptions {
  /** Candidate values of each offset. */
  grid: readonly number[];
  /** Most passes over the types; a pass that changes nothing ends the fit. */
  rounds: number;
}

export interface FitResult { offsets: TypeOffsets; base: number; score: number; evaluations: number }

/** Offsets grid from -range to +range in steps of `step`, 0 included. */
export function offsetGrid(range: number, step: number): number[] {
  const n = Math.round(range / step);
  return Array.from({ length: 2 * n + 1 }, (_, i) => Number(((i - n) * step).toFixed(6)));
}

/**
 * Coordinate ascent from all-zero offsets: each type in turn takes the grid
 * value of the best score, the others held. A move needs a strictly better
 * score, and among equal scores the value nearest 0 wins, so offsets stay
 * 0 unless they help.
 */
export async function fitOffsets(types: readonly string[], score: (o: TypeOffsets) => Promise<number>, opts: FitOptions): Promise<FitResult> {
  const offsets: TypeOffsets = Object.fromEntries(types.map((t) => [t, 0]));
  const base = await score(offsets);
  let best = base;
  let evaluations = 1;
  const grid = [...opts.grid].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
  for (let round = 0; round < opts.rounds; round++) {
    let moved = false;
    for (const t of types) {
      let bestValue = offsets[t]!;
      for (const v of grid) {
        if (v === offsets[t]) continue;
        const s = await score({ ...offsets, [t]: v });
        evaluations++;
        if (s > best + 1e-12 || (Math.abs(s - best) <= 1e-12 && Math.abs(v) < Math.abs(bestValue))) {
          if (s > best + 1e-12) moved = true;
          best = Math.max(best, s);
          bestValue = v;
        }
      }
      offsets[t] = bestValue;
    }
    if (!moved) break;
  }
  return { offsets, base, score: best, evaluations };
}
