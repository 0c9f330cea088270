import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINER139_LABELS } from '@finer-lens/core/ner/labels.ts';
import { analyzeDataset } from '../../src/data/analyze.ts';
import { downloadFiner, hubSourceFromEnv, planDownloads, type HubSource } from '../../src/data/download.ts';
import { FinerError } from '../../src/util/errors.ts';
import { parquetBytes, sentencesWithCounts, tempDir } from './fixtures.ts';

const REPO = 'nlpaueb/finer-139';
const REV = 'refs/convert/parquet';
const FILES: Record<string, Uint8Array> = {
  'finer-139/train/0000.parquet': parquetBytes(sentencesWithCounts({ 41: 30, 87: 20 }), { rowGroupSize: 8, labelNames: [...FINER139_LABELS] }),
  'finer-139/train/0001.parquet': parquetBytes(sentencesWithCounts({ 34: 5 })),
  'finer-139/validation/0000.parquet': parquetBytes(sentencesWithCounts({ 37: 4 })),
  'finer-139/test/0000.parquet': parquetBytes(sentencesWithCounts({ 37: 2, 0: 1 })),
};

/** A tiny stand-in for the hub: tree API (two pages) and resolve with Range support. */
class FakeHub {
  readonly requests: { url: string; range?: string; auth?: string }[] = [];
  /** Cut the connection after this many body bytes on the next file request. */
  cutNextAfter: number | undefined;
  ignoreRange = false;
  private server!: Server;
  endpoint = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }

  private handle(req: IncomingMessage, res: import('node:http').ServerResponse): void {
    const url = req.url ?? '';
    this.requests.push({ url, range: req.headers.range, auth: req.headers.authorization });
    const tree = `/api/datasets/${REPO}/tree/${encodeURIComponent(REV)}`;
    if (url.startsWith(tree)) {
      const entries = [
        { type: 'directory', path: 'finer-139' },
        { type: 'file', path: '.gitattributes', size: 10 },
        ...Object.entries(FILES).map(([path, bytes]) => ({ type: 'file', path, size: bytes.length })),
      ];
      const page2 = url.includes('cursor=2');
      if (!page2) res.setHeader('link', `<${this.endpoint}${tree}?recursive=true&cursor=2>; rel="next"`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(page2 ? entries.slice(3) : entries.slice(0, 3)));
      return;
    }
    const prefix = `/datasets/${REPO}/resolve/${encodeURIComponent(REV)}/`;
    const bytes = url.startsWith(prefix) ? FILES[url.slice(prefix.length)] : undefined;
    if (!bytes) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = m && !this.ignoreRange ? Number(m[1]) : 0;
    const body = bytes.subarray(from);
    res.statusCode = from > 0 ? 206 : 200;
    if (from > 0) res.setHeader('content-range', `bytes ${from}-${bytes.length - 1}/${bytes.length}`);
    res.setHeader('content-length', String(body.length));
    const cut = this.cutNextAfter;
    this.cutNextAfter = undefined;
    if (cut !== undefined) {
      res.write(body.subarray(0, cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body);
  }

  fileRequests(): typeof this.requests {
    return this.requests.filter((r) => r.url.includes('/resolve/'));
  }
}

const hub = new FakeHub();
beforeAll(() => hub.start());
afterAll(() => hub.stop());

const source = (): HubSource => ({ endpoint: hub.endpoint, token: 'hf_test', repo: REPO, revision: REV });

describe('finer download', () => {
  it('fetches every split into <split>/*.parquet, follows pages, sends the token, and the folder reads back', async () => {
    const out = tempDir();
    hub.requests.length = 0;
    const summary = await downloadFiner({ outDir: out, hub: source(), progress: false });
    expect(summary.files.map((f) => [f.target.slice(out.length + 1), f.status])).toEqual([
      ['test/0000.parquet', 'downloaded'],
      ['train/0000.parquet', 'downloaded'],
      ['train/0001.parquet', 'downloaded'],
      ['validation/0000.parquet', 'downloaded'],
    ]);
    expect(readFileSync(join(out, 'train', '0000.parquet'))).toEqual(Buffer.from(FILES['finer-139/train/0000.parquet']));
    expect(hub.requests.filter((r) => r.url.includes('/tree/'))).toHaveLength(2);
    expect(hub.requests.every((r) => r.auth === 'Bearer hf_test')).toBe(true);

    const info = JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8'));
    expect(info.label_names).toEqual(FINER139_LABELS);
    expect(info.provenance).toMatchObject({ repo: REPO, revision: REV });
    const report = await analyzeDataset(out, 3);
    expect(report.splits.train!.sentences).toBe(55);
    expect(report.overall.top.map((l) => l.id)).toEqual([0, 41, 87]);

    // second run: sizes match, nothing is fetched again
    hub.requests.length = 0;
    const again = await downloadFiner({ outDir: out, hub: source(), progress: false });
    expect(again.files.every((f) => f.status === 'cached')).toBe(true);
    expect(hub.fileRequests()).toHaveLength(0);
  });

  it('resumes an interrupted download from its .part file with a Range request', async () => {
    const out = tempDir();
    const name = 'finer-139/train/0000.parquet';
    const whole = FILES[name];
    hub.requests.length = 0;
    hub.cutNextAfter = 100; // the first file fetched (test/0000) breaks after 100 bytes
    const err = await downloadFiner({ outDir: out, hub: source(), progress: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).toMatch(/test\/0000\.parquet: (download interrupted|received 100 bytes).*run the command again to resume/);
    expect(readFileSync(join(out, 'test', '0000.parquet.part'))).toHaveLength(100);
    expect(existsSync(join(out, 'test', '0000.parquet'))).toBe(false);

    // and a truncated .part of another file, as a killed process leaves it
    mkdirSync(join(out, 'train'), { recursive: true });
    writeFileSync(join(out, 'train', '0000.parquet.part'), whole.subarray(0, 321));
    hub.requests.length = 0;
    await downloadFiner({ outDir: out, hub: source(), progress: false });
    const ranges = Object.fromEntries(hub.fileRequests().map((r) => [r.url.split('/resolve/')[1], r.range]));
    expect(ranges[`${encodeURIComponent(REV)}/finer-139/test/0000.parquet`]).toBe('bytes=100-');
    expect(ranges[`${encodeURIComponent(REV)}/${name}`]).toBe('bytes=321-');
    expect(ranges[`${encodeURIComponent(REV)}/finer-139/validation/0000.parquet`]).toBeUndefined();
    expect(readFileSync(join(out, 'train', '0000.parquet'))).toEqual(Buffer.from(whole));
    expect(readFileSync(join(out, 'test', '0000.parquet'))).toEqual(Buffer.from(FILES['finer-139/test/0000.parquet']));
    expect(existsSync(join(out, 'train', '0000.parquet.part'))).toBe(false);
  });

  it('starts over when the server ignores the Range header', async () => {
    const out = tempDir();
    mkdirSync(join(out, 'validation'), { recursive: true });
    writeFileSync(join(out, 'validation', '0000.parquet.part'), Buffer.from('garbage that is not the file'));
    hub.ignoreRange = true;
    try {
      await downloadFiner({ outDir: out, hub: source(), progress: false });
    } finally {
      hub.ignoreRange = false;
    }
    expect(readFileSync(join(out, 'validation', '0000.parquet'))).toEqual(Buffer.from(FILES['finer-139/validation/0000.parquet']));
  });

  it('says clearly when the hub cannot be reached or the revision does not exist', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    const offline = { ...source(), endpoint: `http://127.0.0.1:${port}` };
    await expect(downloadFiner({ outDir: tempDir(), hub: offline, progress: false })).rejects.toThrow(
      new FinerError(`cannot reach http://127.0.0.1:${port} (ECONNREFUSED): are you offline? Set HF_ENDPOINT to a reachable mirror, or copy the parquet files into the output folder`),
    );
    await expect(downloadFiner({ outDir: tempDir(), hub: { ...source(), revision: 'main' }, progress: false })).rejects.toThrow(
      /HTTP 404 .*; check the repository nlpaueb\/finer-139 and revision main/,
    );
  });

  it('reads HF_ENDPOINT and HF_TOKEN like huggingface_hub', () => {
    expect(hubSourceFromEnv(REPO, REV, { HF_ENDPOINT: 'http://mirror.local/', HF_TOKEN: 'hf_x' })).toEqual({
      endpoint: 'http://mirror.local', token: 'hf_x', repo: REPO, revision: REV,
    });
    expect(hubSourceFromEnv(REPO, REV, {}).endpoint).toBe('https://huggingface.co');
  });
});

describe('planDownloads', () => {
  it('maps both hub conversion layouts to <split>/<name>.parquet and asks for --config when there are several', () => {
    const files = [
      { path: 'finer-139/train/0000.parquet', size: 1 },
      { path: 'finer-139/train/0001.parquet', size: 1 },
      { path: 'finer-139/test/0000.parquet', size: 1 },
      { path: 'old/finer-139-train-00000-of-00002.parquet', size: 1 },
      { path: 'old/finer-139-validation.parquet', size: 1 },
      { path: 'finer-139/README.md', size: 1 },
      { path: 'finer-139/other/0000.parquet', size: 1 },
    ];
    expect(planDownloads(files, 'out', 'finer-139').map((f) => [f.split, f.target])).toEqual([
      ['test', join('out', 'test', '0000.parquet')],
      ['train', join('out', 'train', '0000.parquet')],
      ['train', join('out', 'train', '0001.parquet')],
    ]);
    expect(planDownloads(files, 'out', 'old').map((f) => f.target)).toEqual([
      join('out', 'train', 'train-00000-of-00002.parquet'),
      join('out', 'validation', 'validation.parquet'),
    ]);
    expect(() => planDownloads(files, 'out')).toThrow('several configs (finer-139, old): choose one with --config');
    expect(() => planDownloads(files, 'out', 'nope')).toThrow('--config nope: not found; expected one of finer-139, old');
  });
});
