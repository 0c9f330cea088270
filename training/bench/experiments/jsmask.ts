// Cost of generating dropout keep-masks (0 or 1/(1-p) as float32) in JS with a xorshift128+ style PRNG.
export {};
const N = 9_000_000, p = 0.1, scale = 1 / (1 - p), thr = Math.round(p * 65536);
const out = new Float32Array(N);
function gen(seed: number): void {
  let s0 = seed | 0 || 1, s1 = 0x9e3779b9;
  for (let i = 0; i < N; i += 2) {
    // xorshift64-ish on two 32-bit words; two 16-bit uniforms per draw
    let t = s0; const s = s1; s0 = s; t ^= t << 11; t ^= t >>> 8; s1 = t ^ s ^ (s >>> 19);
    const r = s1 >>> 0;
    out[i] = (r & 0xffff) < thr ? 0 : scale;
    out[i + 1] = (r >>> 16) < thr ? 0 : scale;
  }
}
for (let k = 0; k < 5; k++) { const t = performance.now(); gen(k + 1); console.log(`9M mask floats: ${(performance.now() - t).toFixed(1)} ms`); }
let z = 0; for (let i = 0; i < N; i++) if (out[i] === 0) z++; console.log('drop fraction', z / N);
