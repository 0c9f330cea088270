// Lists the whole-document dev set's candidate sentences for reading: every
// sentence with a digit of the chosen filings, one line each, with the index
// of every word that holds a digit, the filer's tag ([word#i|TYPE] for the
// four target tags, {word#i|OtherFiNERTag} for other FiNER-139 tags) and the
// label decisions.json gives it now (=> TYPE).
//   node training/scripts/devset/list.mjs [DATA_DIR] [--debt] [--source SUBSTR]
// --debt: only sentences with debt vocabulary (marked * otherwise).
import { DECISIONS, DEFAULT_DATA, readDecisions, readSentences, SHORT } from './lib.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1] === '--source'));
const dataDir = positional[0] ?? DEFAULT_DATA;
const decisions = readDecisions(DECISIONS);
const override = new Map(decisions.overrides.map((o) => [`${o.id}#${o.index}`, o]));
const DEBT =
  /\b(debt|credit|loans?|notes?|borrow\w*|interest|rates?|facilit\w+|sofr|libor|sonia|euribor|prime|federal funds|base rate|principal|indenture|bonds?|debentures?|revolv\w*|margin|spread|basis points|convertible|mortgage|lenders?|term loan|senior)\b/i;

const sentences = await readSentences(dataDir, decisions.filings);
let shown = 0;
for (const s of sentences) {
  if (value('--source') && !s.source.includes(value('--source'))) continue;
  const debt = DEBT.test(s.tokens.join(' '));
  if (flag('--debt') && !debt) continue;
  shown++;
  const words = s.tokens.map((w, i) => {
    const o = override.get(`${s.id}#${i}`);
    const decided = o ? `=>${o.label}` : '';
    if (s.filer[i]) return `[${w}#${i}|${SHORT[s.filer[i]]}${decided}]`;
    if (s.finer[i] !== 'O') return `{${w}#${i}|${s.finer[i].replace(/^[BI]-/, '')}${decided}}`;
    if (/[0-9]/.test(w)) return `${w}#${i}${decided}`;
    return w;
  });
  console.log(`${debt ? '*' : ' '} ${s.id.replace(/\.htm\.gz/, '')} | ${words.join(' ')}`);
}
console.error(`${shown} of ${sentences.length} sentences`);
