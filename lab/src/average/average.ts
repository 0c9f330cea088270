/**
 * Weight averaging ("model soup"): the element-wise mean of several
 * fine-tunes of one model, e.g. the same stage run with other seeds from
 * the same initialisation. One model's cost at inference; whether it beats
 * its ingredients is for the validation split to say.
 */
import type { Tensor } from '@finer-lens/training/train/safetensors.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';

/** The mean of every tensor over the models; every model must hold the same names with the same shapes. */
export function averageTensors(models: ReadonlyArray<{ where: string; tensors: ReadonlyMap<string, Tensor> }>): Map<string, Tensor> {
  if (models.length < 2) throw new FinerError(`expected at least 2 models to average; got ${models.length}`);
  const [first, ...rest] = models;
  const out = new Map<string, Tensor>();
  for (const [name, t] of first!.tensors) out.set(name, { shape: [...t.shape], data: Float32Array.from(t.data) });
  for (const m of rest) {
    const extra = [...m.tensors.keys()].filter((n) => !out.has(n));
    if (extra.length) throw new FinerError(`${m.where}: tensor "${extra[0]}" is not in ${first!.where}; expected the same tensors in every model`);
    for (const [name, sum] of out) {
      const t = m.tensors.get(name);
      if (!t) throw new FinerError(`${m.where}: no tensor "${name}"; expected the same tensors as ${first!.where}`);
      if (JSON.stringify(t.shape) !== JSON.stringify(sum.shape)) {
        throw new FinerError(`${m.where}: tensor "${name}" has shape ${JSON.stringify(t.shape)}; expected ${JSON.stringify(sum.shape)} as in ${first!.where}`);
      }
      for (let i = 0; i < t.data.length; i++) sum.data[i]! += t.data[i]!;
    }
  }
  for (const t of out.values()) for (let i = 0; i < t.data.length; i++) t.data[i]! /= models.length;
  return out;
}
