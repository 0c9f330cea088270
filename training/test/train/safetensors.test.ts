import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSafetensors, serializeSafetensors, writeSafetensors, readSafetensors } from '../../src/train/safetensors.ts';
import { FinerError } from '../../src/util/errors.ts';

/** A file with a hand-written header, for dtypes and corruptions we never write. */
function rawFile(header: object, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips F32 tensors and metadata through a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'st-'));
    const tensors = new Map([
      ['b.bias', { shape: [3], data: Float32Array.of(1.5, -2, 3e-8) }],
      ['a.weight', { shape: [2, 2], data: Float32Array.of(0.1, 0.2, 0.3, Math.PI) }],
      ['empty', { shape: [0, 4], data: new Float32Array(0) }],
    ]);
    await writeSafetensors(join(dir, 'm.safetensors'), tensors, { format: 'pt' });
    const bytes = await readFile(join(dir, 'm.safetensors'));
    expect(Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true)) % 8).toBe(0);
    const file = await readSafetensors(join(dir, 'm.safetensors'));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect([...file.tensors.keys()].sort()).toEqual(['a.weight', 'b.bias', 'empty']);
    for (const [name, t] of tensors) expect(file.get(name)).toEqual(t);
  });

  it('reads F16, BF16 and F64 as F32', () => {
    const data = new Uint8Array(2 * 2 + 2 * 2 + 8 + 8);
    const dv = new DataView(data.buffer);
    dv.setUint16(0, 0x3c00, true); // f16 1.0
    dv.setUint16(2, 0xc100, true); // f16 -2.5
    dv.setUint16(4, 0x3fc0, true); // bf16 1.5
    dv.setUint16(6, 0xc040, true); // bf16 -3.0
    dv.setFloat64(8, 0.25, true);
    const file = parseSafetensors(
      rawFile(
        {
          h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
          b: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
          d: { dtype: 'F64', shape: [1], data_offsets: [8, 16] },
          ids: { dtype: 'I64', shape: [1], data_offsets: [16, 24] },
        },
        data,
      ),
      'x.safetensors',
    );
    expect([...file.get('h').data]).toEqual([1, -2.5]);
    expect([...file.get('b').data]).toEqual([1.5, -3]);
    expect([...file.get('d').data]).toEqual([0.25]);
    expect(() => file.get('ids')).toThrow(/x\.safetensors: tensor "ids" has dtype I64/);
  });

  it.each([
    ['a header length past the end', (b: Uint8Array) => (new DataView(b.buffer).setBigUint64(0, 1n << 40n, true), b), /header length/],
    ['a header that is not JSON', (b: Uint8Array) => ((b[8] = 0x7b), (b[9] = 0x7b), b), /not valid UTF-8 JSON/],
    ['a truncated file', (b: Uint8Array) => b.subarray(0, 5), /at least the 8-byte/],
  ])('rejects %s, naming the file', (_what, corrupt, message) => {
    const good = serializeSafetensors(new Map([['w', { shape: [2], data: Float32Array.of(1, 2) }]]));
    const err = (() => {
      try {
        parseSafetensors(corrupt(good.slice()), 'bad.safetensors');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).toMatch(/^bad\.safetensors: corrupt safetensors/);
    expect((err as Error).message).toMatch(message);
  });

  it('rejects offsets inconsistent with dtype and shape, or past the data, naming the tensor', () => {
    const data = new Uint8Array(16);
    expect(() => parseSafetensors(rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, data), 'f')).toThrow(
      /tensor "w": data_offsets span 8 bytes; expected 12 for F32 \[3\]/,
    );
    expect(() => parseSafetensors(rawFile({ w: { dtype: 'F32', shape: [8], data_offsets: [0, 32] } }, data), 'f')).toThrow(
      /tensor "w": data_offsets end 32 is past the 16 data bytes/,
    );
    expect(() =>
      parseSafetensors(rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, data), 'f'),
    ).toThrow(/overlaps/);
    expect(() => parseSafetensors(rawFile({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, data), 'f')).toThrow(/tensor "w": dtype "Q4"/);
  });

  it('names a missing file', async () => {
    await expect(readSafetensors('/nonexistent/model.safetensors')).rejects.toThrow(/\/nonexistent\/model\.safetensors: cannot read/);
  });
});
