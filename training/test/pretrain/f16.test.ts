/** F16 safetensors output (the pretrained encoder's weights): nearest half, ties to even, read back by our own reader. */
import { describe, expect, it } from 'vitest';
import { floatToHalf, parseSafetensors, serializeSafetensors, type Tensor } from '../../src/train/safetensors.ts';

/** IEEE half bits -> value, written out from the format's definition. */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f ? NaN : sign * Infinity;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

describe('floatToHalf', () => {
  it('maps every half value to its own bits, and each midpoint between two halves to the even one', () => {
    const wrong: string[] = [];
    const check = (x: number, expected: number, what: string) => {
      if (floatToHalf(x) !== expected) wrong.push(`${what} ${x}: got ${floatToHalf(x)}, expected ${expected}`);
    };
    for (let h = 0; h < 0x10000; h++) {
      const x = halfValue(h);
      if (Number.isNaN(x)) {
        if (!Number.isNaN(halfValue(floatToHalf(x)))) wrong.push(`NaN ${h}`);
        continue;
      }
      check(x, h, 'value');
      if ((h & 0x7fff) >= 0x7bff) continue; // the next magnitude up is Inf
      const next = halfValue(h + 1);
      const mid = (x + next) / 2; // exact in f32: a half has 11 significant bits
      check(mid, h % 2 === 0 ? h : h + 1, 'tie');
      check(mid + (next - x) / 64, h + 1, 'above the tie');
      check(mid - (next - x) / 64, h, 'below the tie');
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('overflows to Inf past 65504 (65520 is a tie that rounds up), flushes below 2^-25 to zero', () => {
    expect(floatToHalf(65519)).toBe(0x7bff);
    expect(floatToHalf(65520)).toBe(0x7c00);
    expect(floatToHalf(-1e6)).toBe(0xfc00);
    expect(floatToHalf(2 ** -25)).toBe(0); // a tie between 0 and the smallest subnormal: even is 0
    expect(floatToHalf(3e-8)).toBe(1);
    expect(floatToHalf(1e-8)).toBe(0);
    expect(floatToHalf(-0)).toBe(0x8000);
    expect(floatToHalf(1e-40)).toBe(0); // an f32 subnormal
  });
});

describe('serializeSafetensors with dtype F16', () => {
  it('writes F16 entries of half the bytes, read back as the nearest halves', () => {
    const values = Float32Array.from([0.1, -2.5, 1e-3, 70000, 3.14159, 0]);
    const tensors = new Map<string, Tensor>([['b', { shape: [2, 3], data: values }], ['a', { shape: [1], data: Float32Array.from([1 / 3]) }]]);
    const bytes = serializeSafetensors(tensors, { format: 'pt' }, { dtype: 'F16' });
    const f32 = serializeSafetensors(tensors, { format: 'pt' });
    const file = parseSafetensors(bytes, 'mem');
    expect(file.tensors.get('b')).toMatchObject({ dtype: 'F16', shape: [2, 3], begin: 2, end: 14 });
    expect(file.tensors.get('a')).toMatchObject({ dtype: 'F16', begin: 0, end: 2 });
    expect(Array.from(file.get('b').data)).toEqual(Array.from(values, (x) => halfValue(floatToHalf(x))));
    expect(file.get('b').data[3]).toBe(Infinity);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(parseSafetensors(f32, 'mem').tensors.get('b')!.dtype).toBe('F32');
    expect(bytes.byteLength).toBeLessThan(f32.byteLength);
  });
});
