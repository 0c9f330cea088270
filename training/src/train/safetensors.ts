/**
 * safetensors read/write (https://github.com/huggingface/safetensors#format):
 *
 *   [u64 little-endian N][N bytes JSON header][raw little-endian tensor data]
 *   header = { "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, "__metadata__"?: {str: str} }
 *
 * Offsets are relative to the start of the data section. Written here because
 * the only npm package of that name is an unmaintained 0.0.1. We write F32
 * (or F16, for a pretrained encoder kept in the repository: half the bytes)
 * and read F32, F16, BF16 and F64 as F32, which
 * covers the Hugging Face checkpoints `finer train --init` reads. Tensors of
 * other dtypes (e.g. an I64 `position_ids` buffer) are listed but only fail
 * when someone asks for their values.
 */
import { readFile } from 'node:fs/promises';
import { FinerError } from '../util/errors.ts';
import { writeFileAtomic } from '../util/atomic.ts';

/** Bytes per element of every dtype the format defines. */
const DTYPE_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
  F8_E4M3: 1, F8_E5M2: 1,
};

export interface TensorInfo { dtype: string; shape: number[]; begin: number; end: number }

/** A named F32 tensor: `data.length` is the product of `shape`. */
export interface Tensor { shape: number[]; data: Float32Array }

/** A parsed file: the header is validated; tensor values are decoded on request. */
export class SafetensorsFile {
  constructor(
    readonly where: string,
    readonly tensors: ReadonlyMap<string, TensorInfo>,
    readonly metadata: Record<string, string>,
    private readonly data: Uint8Array,
  ) {}

  /** The tensor's values converted to F32; FinerError naming file and tensor if absent or of another dtype. */
  get(name: string): Tensor {
    const info = this.tensors.get(name);
    if (!info) throw new FinerError(`${this.where}: no tensor "${name}"`);
    const bytes = this.data.subarray(info.begin, info.end);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = numel(info.shape);
    const out = new Float32Array(n);
    switch (info.dtype) {
      case 'F32':
        // Byte copy: the file bytes need not be 4-byte aligned.
        new Uint8Array(out.buffer).set(bytes);
        break;
      case 'F64':
        for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
        break;
      case 'F16':
        for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
        break;
      case 'BF16': {
        // bf16 is the top half of an f32.
        const u32 = new Uint32Array(out.buffer);
        for (let i = 0; i < n; i++) u32[i] = view.getUint16(i * 2, true) << 16;
        break;
      }
      default:
        throw new FinerError(`${this.where}: tensor "${name}" has dtype ${info.dtype}; expected F32, F16, BF16 or F64`);
    }
    return { shape: info.shape, data: out };
  }
}

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Parse and validate a whole file held in memory; `where` names it in errors. */
export function parseSafetensors(bytes: Uint8Array, where: string): SafetensorsFile {
  const bad = (msg: string) => new FinerError(`${where}: corrupt safetensors: ${msg}`);
  if (bytes.byteLength < 8) throw bad(`file is ${bytes.byteLength} bytes; expected at least the 8-byte header length`);
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLen > BigInt(bytes.byteLength - 8)) {
    throw bad(`header length ${headerLen} exceeds the ${bytes.byteLength - 8} bytes after it`);
  }
  const hlen = Number(headerLen);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + hlen)));
  } catch (err) {
    throw bad(`header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad('header is not a JSON object');
  const data = bytes.subarray(8 + hlen);
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || !Object.values(entry).every((v) => typeof v === 'string')) {
        throw bad('__metadata__ must be an object of string values');
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const at = `tensor "${name}"`;
    if (typeof e !== 'object' || e === null) throw bad(`${at}: entry is not an object`);
    if (typeof e.dtype !== 'string' || !(e.dtype in DTYPE_BYTES)) throw bad(`${at}: dtype ${JSON.stringify(e.dtype)} is not a safetensors dtype`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw bad(`${at}: shape ${JSON.stringify(e.shape)}; expected an array of non-negative integers`);
    }
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0) || off[0] > off[1]) {
      throw bad(`${at}: data_offsets ${JSON.stringify(off)}; expected [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = off as [number, number];
    if (end > data.byteLength) throw bad(`${at}: data_offsets end ${end} is past the ${data.byteLength} data bytes`);
    const expected = numel(e.shape) * DTYPE_BYTES[e.dtype]!;
    if (end - begin !== expected) {
      throw bad(`${at}: data_offsets span ${end - begin} bytes; expected ${expected} for ${e.dtype} ${JSON.stringify(e.shape)}`);
    }
    tensors.set(name, { dtype: e.dtype, shape: e.shape as number[], begin, end });
  }
  const sorted = [...tensors.entries()].sort((a, b) => a[1].begin - b[1].begin);
  for (let i = 1; i < sorted.length; i++) {
    const [prevName, prev] = sorted[i - 1]!;
    const [name, cur] = sorted[i]!;
    if (cur.begin < prev.end) throw bad(`tensor "${name}" overlaps tensor "${prevName}"`);
  }
  return new SafetensorsFile(where, tensors, metadata, data);
}

export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new FinerError(`${path}: cannot read safetensors file (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  return parseSafetensors(bytes, path);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** An f32 value's nearest IEEE half (ties to even, as numpy's and torch's .half()), as its 16 bits. */
export function floatToHalf(x: number): number {
  f32Scratch[0] = x;
  const bits = u32Scratch[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf, NaN
  const e = exp - 127 + 15; // the half's biased exponent
  if (e >= 0x1f) return sign | 0x7c00; // too large: Inf
  // keep the top bits of the significand, round the dropped ones to nearest, ties to even;
  // a carry out of the mantissa correctly bumps the exponent (up to Inf)
  const round = (significand: number, shift: number): number => {
    if (shift > 24) return 0;
    const kept = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return rest > halfway || (rest === halfway && (kept & 1) === 1) ? kept + 1 : kept;
  };
  if (e <= 0) return sign | round(mant | 0x800000, 14 - e); // subnormal half: units of 2^-24
  return sign | ((e << 10) + round(mant, 13));
}

export interface SerializeOptions {
  /** Element type written: F32 (default, exact) or F16 (nearest half, ties to even). */
  dtype?: 'F32' | 'F16';
}

/** Serialise F32 tensors (as F32, or F16 when asked), in name order, with the header padded to 8 bytes so data stays aligned. */
export function serializeSafetensors(tensors: ReadonlyMap<string, Tensor>, metadata?: Record<string, string>, opts: SerializeOptions = {}): Uint8Array {
  const dtype = opts.dtype ?? 'F32';
  const width = DTYPE_BYTES[dtype]!;
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    if (t.data.length !== numel(t.shape)) {
      throw new Error(`tensor "${name}" has ${t.data.length} values; shape ${JSON.stringify(t.shape)} needs ${numel(t.shape)}`);
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + width * t.data.length] };
    offset += width * t.data.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.byteLength;
  for (const name of names) {
    const d = tensors.get(name)!.data;
    if (dtype === 'F32') out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), pos);
    else for (let i = 0; i < d.length; i++) view.setUint16(pos + 2 * i, floatToHalf(d[i]!), true);
    pos += width * d.length;
  }
  return out;
}

export async function writeSafetensors(path: string, tensors: ReadonlyMap<string, Tensor>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}
