/**
 * A whole filing as the app sees a paste of its prose: the extracted text
 * (core/src/ixbrl/extract.ts) split by the app's own splitText, one JSONL line per
 * sentence with a digit ({"text", "debt"}: whether it holds debt words), for
 * `finer predict`. The whole-10-K check of lab/RESULTS.md (issue 18's Tesla paste):
 *   npx tsx lab/scripts/analysis/paste-sentences.ts ../shared/data/ixbrl/Tesla_Inc._10-K_December-31-2021.htm.gz > runs/tesla.jsonl
 *   npm run finer -- predict --model public/models/finer-lens-small --backend int8 --input runs/tesla.jsonl --output runs/tesla.pred.jsonl
 *   npx tsx lab/scripts/analysis/paste-sentences.ts --entities runs/tesla.pred.jsonl
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { extractIxbrl } from '@finer-lens/core/ixbrl/extract.ts';
import { splitText } from '@finer-lens/core/ner/tagText.ts';
import { hasDebtWords } from '@finer-lens/core/ner/debt-words.ts';

const args = process.argv.slice(2);
if (args[0] === '--entities' && args[1]) {
  // print each entity of a finer predict output: type, score, the word in its sentence
  let n = 0;
  for (const line of readFileSync(args[1], 'utf8').trim().split('\n')) {
    const r = JSON.parse(line) as { text: string; debt: boolean; entities: Array<{ start: number; end: number; label: string; score: number }> };
    for (const e of r.entities) {
      n++;
      const context = `${r.text.slice(Math.max(0, e.start - 70), e.start)}[[${r.text.slice(e.start, e.end)}]]${r.text.slice(e.end, e.end + 50)}`;
      console.log(`${e.label.padEnd(45)} ${e.score.toFixed(2)} ${r.debt ? 'debt   ' : 'no-debt'} ${context}`);
    }
  }
  console.log(`${n} entities`);
} else if (args.length === 1) {
  const bytes = readFileSync(args[0]!);
  const html = (args[0]!.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const text = extractIxbrl(html).text;
  for (const s of splitText(text)) {
    const sentence = text.slice(s.start, s.end);
    if (/\p{Nd}/u.test(sentence)) process.stdout.write(JSON.stringify({ text: sentence, debt: hasDebtWords(sentence) }) + '\n');
  }
} else {
  console.error('usage: paste-sentences.ts FILING.htm[.gz] > sentences.jsonl | paste-sentences.ts --entities PREDICTED.jsonl');
  process.exit(1);
}
