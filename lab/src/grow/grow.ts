/**
 * Growing an encoder deeper by copying layers (progressive stacking, Gong
 * et al. 2019): layer k of the grown model starts as layer map[k] of the
 * old one; embeddings and the MLM head are kept. Pretraining then continues
 * from the grown encoder (`finer pretrain --init`), far cheaper than
 * pretraining the deeper model from random weights.
 */
import type { Tensor } from '@finer-lens/training/train/safetensors.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';

const LAYER = /^(distilbert\.)?transformer\.layer\.(\d+)\.(.+)$/;

/**
 * The default map from `from` layers to `to` layers: the old layers in
 * order, then the top ones again (4 -> 6: 0 1 2 3 2 3); twice the depth is
 * Gong et al.'s stacking (4 -> 8: 0 1 2 3 0 1 2 3).
 */
export function stackingMap(from: number, to: number): number[] {
  if (!Number.isInteger(from) || from < 1 || !Number.isInteger(to) || to < from || to > 2 * from) {
    throw new FinerError(`--layers ${to}: expected a depth from ${from} (the encoder's) to ${2 * from} (twice it)`);
  }
  return Array.from({ length: to }, (_, k) => (k < from ? k : from - (to - k)));
}

/** Check a user's map: one old layer index (0..from-1) per new layer. */
export function checkMap(map: readonly number[], from: number, to: number): void {
  if (map.length !== to) throw new FinerError(`--map ${map.join(',')}: ${map.length} entries; expected one per layer of the grown model (${to})`);
  const bad = map.find((m) => !Number.isInteger(m) || m < 0 || m >= from);
  if (bad !== undefined) throw new FinerError(`--map ${map.join(',')}: ${bad} is not a layer of the encoder; expected 0..${from - 1}`);
}

/** The grown model's tensors: every layer tensor of new layer k copied from old layer map[k], the rest as they were. */
export function growLayers(tensors: ReadonlyMap<string, Tensor>, from: number, map: readonly number[]): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  const layerTensors = new Map<number, Array<{ prefix: string; rest: string; t: Tensor }>>();
  for (const [name, t] of tensors) {
    const m = LAYER.exec(name);
    if (!m) {
      out.set(name, t);
      continue;
    }
    const layer = Number(m[2]);
    if (layer >= from) throw new FinerError(`tensor "${name}": layer ${layer}, but config.json says ${from} layers`);
    if (!layerTensors.has(layer)) layerTensors.set(layer, []);
    layerTensors.get(layer)!.push({ prefix: m[1] ?? '', rest: m[3]!, t });
  }
  for (let l = 0; l < from; l++) if (!layerTensors.has(l)) throw new FinerError(`no tensors of layer ${l}; expected ${from} layers as config.json says`);
  map.forEach((src, k) => {
    for (const { prefix, rest, t } of layerTensors.get(src)!) out.set(`${prefix}transformer.layer.${k}.${rest}`, { shape: [...t.shape], data: Float32Array.from(t.data) });
  });
  return out;
}
