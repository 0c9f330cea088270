/**
 * On a handful of real filings from ../shared/data/ixbrl: prose + table +
 * hidden facts of each target tag add up to the MANIFEST's count. (The full
 * 910-filing check is `npm run bench:ixbrl`, which compares every filing.)
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIxbrlDataset, type BuildSummary } from '../../src/data/ixbrl/build.ts';
import { TARGET_TAGS } from '../../src/data/ixbrl/filing.ts';
import { readManifest } from '../../src/data/ixbrl/manifest.ts';
import { removeTempDirs, tempDir } from './ixbrl-fixtures.ts';

afterAll(removeTempDirs);

const DATA = resolve(import.meta.dirname, '../../../../shared/data/ixbrl');
// small filings with facts in prose, tables and the hidden header between them
const FILES = [
  'SOUTHWEST_IOWA_RENEWABLE_ENERGY_LLC_10-K_2022-09-30.htm.gz',
  'IMAGING_DIAGNOSTIC_SYSTEMS_INC._10-K_2022-06-30.htm.gz',
  'All_For_One_Media_Corp._10-K_2022-09-30.htm.gz',
  'GULFSLOPE_ENERGY_INC._10-K_2022-09-30.htm.gz',
];

describe('real iXBRL filings against MANIFEST.tsv', () => {
  let summary: BuildSummary;
  beforeAll(async () => {
    const out = join(tempDir('finer-ixbrl-out-'), 'ds');
    summary = await buildIxbrlDataset(FILES.map((f) => join(DATA, f)), { out, seed: 1, split: [80, 10, 10], allSentences: false });
  });

  it('counts every ix:nonFraction of the four tags: prose + table + hidden = MANIFEST', () => {
    const manifest = readManifest(join(DATA, 'MANIFEST.tsv'));
    let table = 0;
    let hidden = 0;
    for (const filing of summary.filings) {
      const expected = manifest.get(filing.source)!;
      const got = filing.places.map((p) => p.prose + p.table + p.hidden);
      expect({ file: filing.source, counts: got }).toEqual({ file: filing.source, counts: expected });
      table += filing.places.reduce((n, p) => n + p.table, 0);
      hidden += filing.places.reduce((n, p) => n + p.hidden, 0);
    }
    expect(summary.filings).toHaveLength(FILES.length);
    expect(table).toBeGreaterThan(0);
    expect(hidden).toBeGreaterThan(0);
  });

  it('labels the prose facts and splits the four companies apart', () => {
    for (const t of summary.reconciliation.targets) expect(t.lost_total).toBeLessThanOrEqual(t.facts.prose * 0.01);
    const prose = summary.reconciliation.targets.reduce((n, t) => n + t.facts.prose, 0);
    expect(prose).toBeGreaterThan(20);
    expect(summary.reconciliation.target_sentences.total).toBeGreaterThan(10);
    expect(new Set(summary.filings.map((f) => f.company)).size).toBe(4);
    expect(TARGET_TAGS).toHaveLength(4);
    expect(readFileSync(join(DATA, 'MANIFEST.tsv'), 'utf8')).toContain(FILES[0]);
  });
});
