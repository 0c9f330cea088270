import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Connect, Plugin } from 'vite';

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

export default defineConfig({
  plugins: [react(), deployment()],
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
  },
});
