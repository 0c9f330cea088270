/**
 * npm run bench:ixbrl [-- DIR] [-- --all-sentences]
 *
 * Builds a FiNER dataset from every filing in DIR (default ../shared/data/ixbrl)
 * into a temporary folder, with a progress bar on stderr, and prints ONE JSON
 * line on stdout: throughput, sentence counts, peak RSS, the reconciliation
 * figures, and (when DIR has a MANIFEST.tsv) how many filings' per-tag fact
 * counts (prose + table + hidden) differ from it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { buildIxbrlDataset } from '../src/data/ixbrl/build.ts';
import { readManifest } from '../src/data/ixbrl/manifest.ts';

const args = process.argv.slice(2);
const allSentences = args.includes('--all-sentences');
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? resolve(import.meta.dirname, '../../../shared/data/ixbrl'));

const bar = new cliProgress.SingleBar(
  { stream: process.stderr, format: 'ixbrl {bar} {value}/{total} files | {mb} MB of HTML | {eta}s left', hideCursor: true },
  cliProgress.Presets.shades_classic,
);
const scratch = await mkdtemp(join(tmpdir(), 'finer-bench-ixbrl-'));
let mb = 0;
const t0 = performance.now();
try {
  const summary = await buildIxbrlDataset([dir], {
    out: join(scratch, 'ds'),
    seed: 42,
    split: [80, 10, 10],
    allSentences,
    onStart: (total) => bar.start(total, 0, { mb: 0 }),
    onFile: (_done, _total, bytes) => {
      mb += bytes / 1e6;
      bar.increment({ mb: mb.toFixed(0) });
    },
    onWarning: (message) => process.stderr.write(`\nwarning: ${message}\n`),
  });
  const seconds = (performance.now() - t0) / 1000;
  bar.stop();

  const manifestPath = join(dir, 'MANIFEST.tsv');
  let manifestMismatches: number | null = null;
  if (existsSync(manifestPath)) {
    const manifest = readManifest(manifestPath);
    manifestMismatches = summary.filings.filter((f) => {
      const expected = manifest.get(f.source);
      return expected === undefined || f.places.some((p, t) => p.prose + p.table + p.hidden !== expected[t]);
    }).length;
  }
  const sentences = summary.sentences.train + summary.sentences.validation + summary.sentences.test;
  const r = summary.reconciliation;
  const html_mb = summary.htmlBytes / 1e6;
  console.log(
    JSON.stringify({
      bench: 'ixbrl',
      files: summary.files + summary.skipped.length,
      skipped: summary.skipped.length,
      html_mb: Math.round(html_mb),
      seconds: Math.round(seconds * 10) / 10,
      mb_per_s: Math.round((html_mb / seconds) * 10) / 10,
      sentences,
      sentences_per_s: Math.round(sentences / seconds),
      target_sentences: r.target_sentences,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      all_sentences: allSentences,
      manifest_mismatch_filings: manifestMismatches,
      lost_pct: Object.fromEntries(r.targets.map((t) => [t.tag, t.lost_pct])),
      facts_prose_table_hidden: Object.fromEntries(r.targets.map((t) => [t.tag, [t.facts.prose, t.facts.table, t.facts.hidden]])),
      node: process.version,
      cpus: cpus().length,
    }),
  );
} finally {
  bar.stop();
  await rm(scratch, { recursive: true, force: true });
}
