import { describe, expect, it } from 'vitest';
import { averageTensors } from '../../src/average/average.ts';
import type { Tensor } from '@finer-lens/training/train/safetensors.ts';

const model = (where: string, entries: Record<string, Tensor>) => ({ where, tensors: new Map(Object.entries(entries)) });
const t = (shape: number[], values: number[]): Tensor => ({ shape, data: Float32Array.from(values) });

describe('averageTensors', () => {
  it('takes the element-wise mean of every tensor and leaves the inputs alone', () => {
    const a = model('a', { w: t([2, 2], [1, 2, 3, 4]), b: t([1], [0]) });
    const b = model('b', { w: t([2, 2], [3, 2, 1, 0]), b: t([1], [1]) });
    const c = model('c', { w: t([2, 2], [2, 2, 2, 2]), b: t([1], [2]) });
    const avg = averageTensors([a, b, c]);
    expect([...avg.get('w')!.data]).toEqual([2, 2, 2, 2]);
    expect(avg.get('w')!.shape).toEqual([2, 2]);
    expect([...avg.get('b')!.data]).toEqual([1]);
    expect([...a.tensors.get('w')!.data]).toEqual([1, 2, 3, 4]);
  });

  it('names the model and tensor that do not match', () => {
    const a = model('a.safetensors', { w: t([2], [1, 2]) });
    expect(() => averageTensors([a, model('b.safetensors', { w: t([1, 2], [1, 2]) })])).toThrow(/b\.safetensors: tensor "w" has shape \[1,2\]; expected \[2\] as in a\.safetensors/);
    expect(() => averageTensors([a, model('b.safetensors', { v: t([2], [1, 2]), w: t([2], [1, 2]) })])).toThrow(/b\.safetensors: tensor "v" is not in a\.safetensors/);
    expect(() => averageTensors([a, model('b.safetensors', {})])).toThrow(/b\.safetensors: no tensor "w"/);
    expect(() => averageTensors([a])).toThrow(/at least 2 models/);
  });
});
