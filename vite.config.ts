import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Connect, Plugin } from 'vite';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Cross-origin isolation (COOP + COEP): SharedArrayBuffer, so onnxruntime-web
 * runs multi-threaded WebAssembly. Served by the dev and the preview server.
 */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built app loads nothing but its own files: scripts, workers, the model
 * and reports from its origin, WebAssembly compiled from them. (Not for the
 * dev server: its hot reload injects inline scripts.)
 */
const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];
export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join('; ');

/**
 * The same policy in a `<meta>` of the built page, so that it holds on a
 * static host that sends no headers. A meta cannot carry frame-ancestors
 * (browsers ignore it there): only a header refuses framing.
 */
export const META_CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');

/** Every response of the built app (vite preview here; public/_headers says the same to a static host). */
export const PREVIEW_HEADERS = {
  ...ISOLATION,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** What the model files are served as: nosniff needs a type, and sirv knows none for .onnx. */
export const ONNX_CONTENT_TYPE = 'application/octet-stream';

/** The CSP meta in the built page (not the dev server's), and a content type for .onnx on both servers. */
export function deployment(): Plugin {
  const onnxType = (server: { middlewares: Connect.Server }) => {
    server.middlewares.use((req, res, next) => {
      if (/\.onnx(\?|$)/.test(req.url ?? '')) res.setHeader('Content-Type', ONNX_CONTENT_TYPE);
      next();
    });
  };
  return {
    name: 'finer-lens:deployment',
    transformIndexHtml: (_html, ctx) =>
      ctx.server ? [] : [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
    configureServer: onnxType,
    configurePreviewServer: onnxType,
  };
}

/**
 * Whether a model folder under `models` needs `finer derive`: it holds F16
 * weights (config.json's torch_dtype), whose fp32 ONNX git does not keep and
 * may be missing or built from other weights, or it has no fp32 ONNX at all.
 */
export function needsDerive(models: string): boolean {
  if (!existsSync(models)) return false;
  return readdirSync(models, { withFileTypes: true }).some((e) => {
    const dir = join(models, e.name);
    if (!e.isDirectory() || !existsSync(join(dir, 'model.safetensors'))) return false;
    if (!existsSync(join(dir, 'onnx', 'model.onnx'))) return true;
    try {
      return (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { torch_dtype?: unknown }).torch_dtype === 'float16';
    } catch {
      return false;
    }
  });
}

/** The repository: where this file is, whatever root vite was given. */
const REPOSITORY = fileURLToPath(new URL('.', import.meta.url));

/**
 * The model folders' derived files (onnx/model.onnx from the F16 weights:
 * training/src/export/layout.ts) written before the app is built or served,
 * and before vitest runs, by `finer derive public/models` in a child process
 * (the training workspace's TypeScript is not bundled into this config).
 */
export function modelFiles(): Plugin {
  let models = join(REPOSITORY, 'public', 'models');
  return {
    name: 'finer-lens:model-files',
    configResolved(config) {
      models = join(config.publicDir, 'models');
    },
    buildStart() {
      if (!needsDerive(models)) return;
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'training/src/cli.ts', 'derive', models], { cwd: REPOSITORY, stdio: 'inherit' });
      if (r.status !== 0) this.error(`finer derive ${relative(REPOSITORY, models)} failed (exit code ${r.status}); the app needs each model folder's onnx/model.onnx`);
    },
  };
}

export default defineConfig({
  plugins: [react(), deployment(), modelFiles()],
  worker: { format: 'es' },
  // htmlparser2: imported only by the filing worker, so the dev server would find it late and reload the page.
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['htmlparser2'] },
  server: { headers: ISOLATION },
  preview: { headers: PREVIEW_HEADERS },
  test: {
    include: ['core/src/**/*.test.ts', 'src/**/*.test.ts', 'training/test/**/*.test.ts', 'lab/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on a 2-core machine one
    // worker, and the suite's process-spawning and onnxruntime tests ran one at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
