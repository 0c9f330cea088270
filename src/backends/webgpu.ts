/**
 * Is a WebGPU adapter worth using? A browser without a GPU (a server, a VM,
 * headless Chromium with --enable-unsafe-swiftshader) can still hand out an
 * adapter that emulates one on the CPU (SwiftShader, llvmpipe). The model ran
 * 13 times slower on such an adapter than on onnxruntime's WASM provider, so
 * the backends take WASM then, and say why.
 */

/** What a GPUAdapter tells about itself: `adapter.info` (older Chromium: `requestAdapterInfo()`) and `isFallbackAdapter`. */
export interface AdapterFacts {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** The spec's own flag for an adapter with "significant performance caveats" (a software one). */
  isFallbackAdapter?: boolean;
}

const SOFTWARE_RE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/** A name for the adapter when it emulates a GPU on the CPU (`SwiftShader`), else undefined. */
export function softwareAdapter(facts: AdapterFacts): string | undefined {
  const named = [facts.vendor, facts.architecture, facts.device, facts.description].find((s) => s !== undefined && SOFTWARE_RE.test(s));
  if (named !== undefined) return /swiftshader/i.test(named) ? 'SwiftShader' : named.trim();
  return facts.isFallbackAdapter ? 'a fallback adapter' : undefined;
}
