// node lab/summarize-eval.mjs EVAL.json...: one line per finer evaluate report (test, FiNER sample, whole-document dev set, whole test filings)
import { readFileSync } from 'node:fs';
const p = (x) => (100 * x).toFixed(1);
for (const f of process.argv.slice(2)) {
  const r = JSON.parse(readFileSync(f, 'utf8'));
  const d = Object.fromEntries(r.datasets.map((x) => [x.name, x.metrics]));
  const w = r.wholeDocument;
  const dev = d['whole-doc'];
  const types = Object.entries(dev.perType).map(([t, s]) => t.slice(0, 8) + ' ' + p(s.f1)).join(' ');
  console.log(`${f.padEnd(36)} test ${p(d.test.micro.f1)} sample ${p(d.finer139_train_sample.micro.f1)} | dev F1 ${p(dev.micro.f1)} P ${p(dev.micro.precision)} R ${p(dev.micro.recall)} [${types}] | wd tagged ${p(w.tagged.micro.f1)} others/f ${w.perFiling.others.toFixed(2)} nodebt/f ${w.perFiling.othersNoDebt.toFixed(2)} rep/f ${w.perFiling.repeats.toFixed(2)}${r.thresholds ? ' thr ' + Object.values(r.thresholds).join('/') : ''}`);
}
