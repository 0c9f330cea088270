/**
 * vite.config.ts: the headers `vite preview` sends (CSP, cross-origin
 * isolation, nosniff, referrer policy), the same headers in public/_headers
 * for static hosts, the CSP meta of the built page, and .onnx served with a
 * content type.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preview } from 'vite';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, deployment, META_CONTENT_SECURITY_POLICY, ONNX_CONTENT_TYPE, PREVIEW_HEADERS } from '../vite.config.ts';

const ROOT = new URL('..', import.meta.url).pathname;

/** public/_headers (Netlify / Cloudflare Pages): path pattern -> its headers. */
function staticHostHeaders(): Record<string, Record<string, string>> {
  const rules: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of readFileSync(join(ROOT, 'public/_headers'), 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) rules[line.trim()] = current = {};
    else {
      const [name, ...value] = line.trim().split(':');
      current![name!] = value.join(':').trim();
    }
  }
  return rules;
}

describe('deployment headers', () => {
  it('vite preview sends the CSP, COOP/COEP, nosniff and a referrer policy', () => {
    expect(PREVIEW_HEADERS).toEqual({
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
  });

  it("the built page's meta is the same policy but frame-ancestors, which a meta cannot carry", () => {
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    expect(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`).toBe(CONTENT_SECURITY_POLICY);
    const hook = deployment().transformIndexHtml as (html: string, ctx: { server?: unknown }) => unknown;
    expect(hook('', {})).toEqual([
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ]);
    expect(hook('', { server: {} })).toEqual([]); // the dev server's hot reload injects inline scripts
  });

  it('public/_headers gives a static host the same headers, and .onnx a content type', () => {
    expect(staticHostHeaders()).toEqual({ '/*': PREVIEW_HEADERS, '/*.onnx': { 'Content-Type': ONNX_CONTENT_TYPE } });
  });

  it('vite preview serves .onnx with a content type, and every file with the headers', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'preview-'));
    writeFileSync(join(outDir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(outDir, 'model.onnx'), new Uint8Array([8, 1]));
    const server = await preview({ root: ROOT, logLevel: 'silent', build: { outDir }, preview: { port: 0, open: false } });
    try {
      const base = server.resolvedUrls!.local[0]!;
      const onnx = await fetch(new URL('model.onnx', base));
      expect(onnx.status).toBe(200);
      expect(onnx.headers.get('content-type')).toBe(ONNX_CONTENT_TYPE);
      const page = await fetch(base);
      for (const [name, value] of Object.entries(PREVIEW_HEADERS)) {
        expect(page.headers.get(name), name).toBe(value);
        expect(onnx.headers.get(name), name).toBe(value);
      }
    } finally {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
