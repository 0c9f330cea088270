/**
 * onnxruntime-web for both backends, one runtime per execution provider:
 *
 *   wasm    `onnxruntime-web/wasm`: the plain SIMD + threads build (14 MB of
 *           WebAssembly; loads in half the time of the WebGPU build's 27 MB)
 *   webgpu  `onnxruntime-web/webgpu`: the build transformers.js imports
 *           (WebGPU and WASM providers, asyncify): the ONNX backend's when
 *           WebGPU is used, and the HF backend's always (transformers.js
 *           4.x runs no other: an onnxruntime handed to it through
 *           `Symbol.for('onnxruntime')` gets no devices)
 *
 * Each runtime's .wasm and loader .mjs are served by the app itself (Vite
 * `?url` assets): left alone, transformers.js points the runtime at a CDN,
 * and the app makes no remote request.
 */
import * as ortWasm from 'onnxruntime-web/wasm';
import plainWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import plainMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import asyncifyMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type { WebgpuFallback } from '@finer-lens/core/ner/types.ts';
import { softwareAdapter, type AdapterFacts } from './webgpu.ts';

export type Ort = typeof ortWasm;
export type Provider = 'webgpu' | 'wasm';

/** Threads the WASM provider gets: every core up to 4 when the page is cross-origin isolated (SharedArrayBuffer), else 1. */
export function wasmThreads(): number {
  if (!self.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

const absolute = (url: string) => new URL(url, self.location.href).href;

/** The runtime files of each build, as absolute URLs (a worker has no document base). */
export const WASM_PATHS: Readonly<Record<Provider, { wasm: string; mjs: string }>> = {
  wasm: { wasm: absolute(plainWasm), mjs: absolute(plainMjs) },
  webgpu: { wasm: absolute(asyncifyWasm), mjs: absolute(asyncifyMjs) },
};

function configure(ort: Ort, provider: Provider): Ort {
  ort.env.wasm.wasmPaths = { ...WASM_PATHS[provider] };
  ort.env.wasm.numThreads = wasmThreads();
  ort.env.wasm.proxy = false; // already in a worker
  ort.env.logLevel = 'error';
  return ort;
}

const runtimes: Partial<Record<Provider, Promise<Ort>>> = {};

/** The runtime for a provider, set up on first use. */
export function runtime(provider: Provider): Promise<Ort> {
  runtimes[provider] ??=
    provider === 'wasm' ? Promise.resolve(configure(ortWasm, 'wasm')) : import('onnxruntime-web/webgpu').then((m) => configure(m, 'webgpu'));
  return runtimes[provider];
}

interface GpuAdapter extends AdapterFacts {
  info?: AdapterFacts;
  requestAdapterInfo?: () => Promise<AdapterFacts>;
}

interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<GpuAdapter | null> };
}

/**
 * Why WebGPU is not used here, or undefined when a hardware adapter exists.
 * No adapter is the usual case (most browsers without a GPU flag); a software
 * adapter is refused: WASM is faster.
 */
export async function webgpuUnavailable(): Promise<WebgpuFallback | undefined> {
  const gpu = (navigator as unknown as GpuNavigator).gpu;
  if (!gpu) return { reason: 'absent', detail: 'this browser has no WebGPU (navigator.gpu)' };
  let adapter: GpuAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    return { reason: 'absent', detail: `the WebGPU adapter request failed (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!adapter) return { reason: 'absent', detail: 'navigator.gpu.requestAdapter() gave no adapter' };
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined)) ?? {};
  const software = softwareAdapter({ ...info, isFallbackAdapter: adapter.isFallbackAdapter ?? info.isFallbackAdapter });
  return software === undefined ? undefined : { reason: 'software', detail: `the only WebGPU adapter is ${software}, a GPU emulated on the CPU` };
}

/** Resolves on the next task: lets a worker read its messages (a cancel) between two model calls. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
