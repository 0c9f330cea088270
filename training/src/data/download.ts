/**
 * `finer download --out DIR`: fetch the parquet files of `nlpaueb/finer-139`
 * from the Hugging Face hub into `DIR/<split>/<name>.parquet`.
 *
 * - Files are listed with the tree API at `--revision` (default
 *   `refs/convert/parquet`, the hub's parquet conversion), which gives sizes.
 * - A file whose size already matches is skipped (cache).
 * - Bytes go to `<name>.parquet.part`; an interrupted download resumes with
 *   an HTTP Range request, and the file is renamed into place once whole.
 * - `HF_ENDPOINT` (a mirror) and `HF_TOKEN` are honoured as by huggingface_hub.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FINER139_LABELS } from '@finer-lens/core/ner/labels.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { DATASET_INFO } from './dataset-folder.ts';
import { readParquetLabelNames } from './parquet.ts';
import { SPLITS, type SplitName } from './sentence.ts';

export const FINER_REPO = 'nlpaueb/finer-139';
export const PARQUET_REVISION = 'refs/convert/parquet';

/** Where to fetch from: a hub (or mirror), a dataset repository and a revision. */
export interface HubSource {
  endpoint: string;
  token: string | undefined;
  repo: string;
  revision: string;
}

/** A parquet file of the repository at the revision, as listed by the tree API. */
export interface HubFile {
  path: string;
  size: number;
}

interface PlannedFile extends HubFile {
  split: SplitName;
  target: string;
}

export interface DownloadSummary {
  files: { path: string; target: string; size: number; status: 'cached' | 'downloaded' }[];
}

export function hubSourceFromEnv(repo: string, revision: string, env = process.env): HubSource {
  const endpoint = (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
  return { endpoint, token: env.HF_TOKEN || undefined, repo, revision };
}

/** fetch() with the token, turning network failures and HTTP errors into one-line FinerErrors. */
async function hubFetch(hub: HubSource, url: string, headers: Record<string, string> = {}): Promise<Response> {
  if (hub.token) headers.authorization = `Bearer ${hub.token}`;
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new FinerError(
      `cannot reach ${hub.endpoint} (${why}): are you offline? Set HF_ENDPOINT to a reachable mirror, or copy the parquet files into the output folder`,
    );
  }
  if (res.ok || res.status === 416) return res;
  await res.body?.cancel();
  const hint =
    res.status === 401 || res.status === 403 ? '; set HF_TOKEN to a token with access'
    : res.status === 404 ? `; check the repository ${hub.repo} and revision ${hub.revision}`
    : '';
  throw new FinerError(`${url}: HTTP ${res.status} ${res.statusText}${hint}`);
}

/** Every file of the repository at the revision (follows the tree API's `Link: rel="next"` pages). */
export async function listHubFiles(hub: HubSource): Promise<HubFile[]> {
  let url: string | undefined =
    `${hub.endpoint}/api/datasets/${hub.repo}/tree/${encodeURIComponent(hub.revision)}?recursive=true`;
  const files: HubFile[] = [];
  while (url) {
    const res = await hubFetch(hub, url);
    let entries: unknown;
    try {
      entries = await res.json();
    } catch (err) {
      throw new FinerError(`${url}: expected a JSON file list (${(err as Error).message})`);
    }
    if (!Array.isArray(entries)) throw new FinerError(`${url}: expected a JSON array of files`);
    for (const e of entries as { type?: unknown; path?: unknown; size?: unknown }[]) {
      if (e?.type === 'file' && typeof e.path === 'string' && typeof e.size === 'number') {
        files.push({ path: e.path, size: e.size });
      }
    }
    url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  }
  return files;
}

/**
 * Choose the parquet files of one config of the hub's parquet conversion,
 * and where each goes under `outDir` (`<split>/<name>.parquet`).
 */
export function planDownloads(files: HubFile[], outDir: string, config?: string): PlannedFile[] {
  const byConfig = new Map<string, PlannedFile[]>();
  for (const f of files) {
    // current layout `finer-139/train/0000.parquet`; older conversions
    // `finer-139/finer-139-train.parquet` (or `...-train-00000-of-00002.parquet`)
    const m =
      /^([^/]+)\/([^/]+)\/([^/]+\.parquet)$/.exec(f.path) ??
      /^([^/]+)\/(?:[^/]*-)?(train|validation|test)((?:-\d+-of-\d+)?\.parquet)$/.exec(f.path);
    if (!m || !(SPLITS as readonly string[]).includes(m[2])) continue;
    const split = m[2] as SplitName;
    const name = m[3].startsWith('-') || m[3] === '.parquet' ? `${split}${m[3]}` : m[3];
    const list = byConfig.get(m[1]) ?? [];
    list.push({ ...f, split, target: join(outDir, split, name) });
    byConfig.set(m[1], list);
  }
  const configs = [...byConfig.keys()];
  if (configs.length === 0) throw new FinerError(`no <config>/<split>/*.parquet files in the listing; expected the hub's parquet conversion layout`);
  const chosen = config ?? (configs.length === 1 ? configs[0] : undefined);
  if (chosen === undefined) throw new FinerError(`several configs (${configs.join(', ')}): choose one with --config`);
  const planned = byConfig.get(chosen);
  if (!planned) throw new FinerError(`--config ${chosen}: not found; expected one of ${configs.join(', ')}`);
  return planned.sort((a, b) => a.target.localeCompare(b.target));
}

function sizeOf(path: string): number | undefined {
  return existsSync(path) ? statSync(path).size : undefined;
}

/**
 * Download one file into `<target>.part`, resuming from its current length,
 * then rename it to `target`. `onBytes` is told of every chunk written.
 */
async function downloadOne(hub: HubSource, file: PlannedFile, onBytes: (n: number) => void): Promise<void> {
  const part = `${file.target}.part`;
  await mkdir(join(file.target, '..'), { recursive: true });
  let have = sizeOf(part) ?? 0;
  if (have > file.size) {
    await rm(part);
    have = 0;
  }
  const url = `${hub.endpoint}/datasets/${hub.repo}/resolve/${encodeURIComponent(hub.revision)}/${file.path}`;
  if (have < file.size) {
    let res = await hubFetch(hub, url, have > 0 ? { range: `bytes=${have}-` } : {});
    const resumed = res.status === 206 && (res.headers.get('content-range') ?? '').startsWith(`bytes ${have}-`);
    if (res.status === 416 || (res.status === 206 && !resumed)) {
      await res.body?.cancel();
      res = await hubFetch(hub, url);
    }
    if (!resumed) have = 0;
    onBytes(have);
    const out = await open(part, resumed ? 'a' : 'w');
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        await out.write(chunk);
        onBytes(chunk.length);
      }
    } catch (err) {
      throw new FinerError(`${url}: download interrupted (${(err as Error).message}); run the command again to resume`);
    } finally {
      await out.close();
    }
  } else {
    onBytes(have);
  }
  const got = sizeOf(part) ?? 0;
  if (got !== file.size) {
    throw new FinerError(`${url}: received ${got} bytes, expected ${file.size}; run the command again to resume`);
  }
  await rename(part, file.target);
}

export interface DownloadOptions {
  outDir: string;
  hub: HubSource;
  config?: string;
  progress: boolean;
}

/** Fetch the FiNER parquet files into `outDir` and write its dataset_info.json. */
export async function downloadFiner({ outDir, hub, config, progress }: DownloadOptions): Promise<DownloadSummary> {
  const planned = planDownloads(await listHubFiles(hub), outDir, config);
  const todo = planned.filter((f) => sizeOf(f.target) !== f.size);
  const bar = progress && todo.length > 0
    ? new cliProgress.SingleBar(
        { format: 'finer-139 {bar} {percentage}% | {value}/{total} bytes | {file}', stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(todo.reduce((n, f) => n + f.size, 0), 0, { file: '' });
  const summary: DownloadSummary = { files: [] };
  try {
    for (const f of planned) {
      const cached = !todo.includes(f);
      if (!cached) await downloadOne(hub, f, (n) => bar?.increment(n, { file: basename(f.target) }));
      summary.files.push({ path: f.path, target: f.target, size: f.size, status: cached ? 'cached' : 'downloaded' });
    }
  } finally {
    bar?.stop();
  }
  const labelNames = (await readParquetLabelNames(planned[0].target)) ?? FINER139_LABELS;
  const info = {
    schema: 1,
    label_names: labelNames,
    provenance: {
      source: 'huggingface',
      repo: hub.repo,
      revision: hub.revision,
      endpoint: hub.endpoint,
      files: planned.map((f) => ({ path: f.path, size: f.size, split: f.split })),
    },
  };
  await writeFileAtomic(join(outDir, DATASET_INFO), JSON.stringify(info, null, 1) + '\n');
  return summary;
}

export function registerDownload(program: Command): void {
  program
    .command('download')
    .description(`fetch the parquet files of ${FINER_REPO} from the Hugging Face hub (resumable; honours HF_ENDPOINT, HF_TOKEN)`)
    .requiredOption('--out <dir>', 'dataset folder to fill (<split>/*.parquet + dataset_info.json)')
    .option('--revision <rev>', 'hub revision', PARQUET_REVISION)
    .option('--repo <repo>', 'dataset repository', FINER_REPO)
    .option('--config <name>', 'dataset config, when the repository has several')
    .action(
      action(async (opts: { out: string; revision: string; repo: string; config?: string }) => {
        const hub = hubSourceFromEnv(opts.repo, opts.revision);
        const summary = await downloadFiner({ outDir: opts.out, hub, config: opts.config, progress: true });
        for (const f of summary.files) process.stdout.write(`${f.status.padEnd(10)} ${f.target} (${f.size} bytes)\n`);
      }),
    );
}
