// Counter-based keep-mask generators: ns per element.
export {};
const N = 9_000_000, p = 0.1, scale = 1 / (1 - p);
const out = new Float32Array(N);
const thr32 = Math.floor(p * 2 ** 32);
function lowbias(seed: number, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) {
    let x = (seed + Math.imul(i, 0x9e3779b9)) | 0;
    x ^= x >>> 16; x = Math.imul(x, 0x21f0aaad); x ^= x >>> 15; x = Math.imul(x, 0x735a2d97); x ^= x >>> 15;
    out[i] = (x >>> 0) < thr32 ? 0 : scale;
  }
}
function xorshift(seed: number, out: Float32Array): void {
  let s = seed | 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = (s >>> 0) < thr32 ? 0 : scale;
  }
}
for (const [name, f] of [['lowbias32 counter', lowbias], ['xorshift32', xorshift]] as const) {
  const ts: number[] = [];
  for (let k = 0; k < 6; k++) { const t = performance.now(); f(k + 1, out); ts.push(performance.now() - t); }
  let z = 0; for (let i = 0; i < N; i++) if (out[i] === 0) z++;
  console.log(`${name}: ${ts.map((x) => x.toFixed(0)).join(' ')} ms per 9M; drop fraction ${(z / N).toFixed(5)}`);
}
