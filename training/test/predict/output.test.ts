/** `finer predict`'s output lines: each entity carries its type, value, unit and sentence, from text or from tokens. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { predictStream, type WordsPredictor } from '../../src/predict/predict.ts';

/** Tags every number word B-DebtInstrumentFaceAmount (score 0.9), every other word O. */
const numbers: WordsPredictor = async (sentences) => ({
  predictions: sentences.map((words) => words.map((w) => (/^\d[\d.,]*$/.test(w) ? { label: 'B-DebtInstrumentFaceAmount', score: 0.9 } : { label: 'O', score: 1 }))),
  stats: { windows: sentences.length, subTokens: 0, batches: 1 },
});

async function predictLines(records: unknown[]): Promise<Array<Record<string, any>>> {
  let out = '';
  const bad: string[] = [];
  await predictStream(Readable.from([records.map((r) => JSON.stringify(r)).join('\n') + '\n']), async (s) => void (out += s), numbers, {
    chunk: 8, where: 'in.jsonl', onBad: (m) => bad.push(m),
  });
  expect(bad).toEqual([]);
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

describe('finer predict output', () => {
  it('text: each entity has its offsets, type (and label), value, unit and the sentence of the text it is in', async () => {
    const text = 'The Company issued $ 500.0 million of notes. The credit line is €1.5 billion, and 42 units.';
    const [line] = await predictLines([{ id: 'a', text }]);
    expect(line!.id).toBe('a');
    expect(line!.entities).toEqual([
      { start: 21, end: 26, text: '500.0', start_word: 4, end_word: 5, type: 'DebtInstrumentFaceAmount', label: 'DebtInstrumentFaceAmount', score: 0.9, value: 500_000_000, unit: 'USD', sentence: 'The Company issued $ 500.0 million of notes.' },
      { start: 65, end: 68, text: '1.5', start_word: 14, end_word: 15, type: 'DebtInstrumentFaceAmount', label: 'DebtInstrumentFaceAmount', score: 0.9, value: 1_500_000_000, unit: 'EUR', sentence: 'The credit line is €1.5 billion, and 42 units.' },
      { start: 82, end: 84, text: '42', start_word: 18, end_word: 19, type: 'DebtInstrumentFaceAmount', label: 'DebtInstrumentFaceAmount', score: 0.9, value: 42, unit: null, sentence: 'The credit line is €1.5 billion, and 42 units.' },
    ]);
    for (const e of line!.entities) expect(text.slice(e.start, e.end)).toBe(e.text);
  });

  it('tokens: the sentence is the words joined by spaces, the value read there', async () => {
    const tokens = ['plus', '275', 'basis', 'points', 'on', '£', '10', 'million', 'and', 'LIBOR', 'plus', '1.75', '%'];
    const [line] = await predictLines([{ tokens }]);
    expect(line!.entities.map((e: Record<string, unknown>) => [e.start_word, e.value, e.unit, e.sentence])).toEqual([
      [1, 2.75, '%', tokens.join(' ')],
      [6, 10_000_000, 'GBP', tokens.join(' ')],
      [11, 1.75, '%', tokens.join(' ')],
    ]);
    expect(line!.entities[0]).not.toHaveProperty('start');
  });

  it('text: each sentence goes to the model alone, as in the app; a sentence without a digit not at all', async () => {
    const seen: string[][] = [];
    const recording: WordsPredictor = async (sentences) => (seen.push(...sentences.map((w) => [...w])), numbers(sentences));
    let out = '';
    const text = 'The notes bear 5.25 % interest. No numbers here. See page 47.';
    await predictStream(Readable.from([JSON.stringify({ text }) + '\n' + JSON.stringify({ tokens: ['No', 'digit'] }) + '\n']), async (s) => void (out += s), recording, { chunk: 8, where: 'in.jsonl', onBad: () => {} });
    expect(seen).toEqual([['The', 'notes', 'bear', '5.25', '%', 'interest', '.'], ['See', 'page', '47', '.'], ['No', 'digit']]); // tokens lines go whole
    const [line] = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(line.labels).toHaveLength(15);
    expect(line.entities.map((e: Record<string, unknown>) => [e.text, e.start_word, e.sentence])).toEqual([['5.25', 3, 'The notes bear 5.25 % interest.'], ['47', 13, 'See page 47.']]);
  });

  it('a line without entities has an empty list', async () => {
    const [line] = await predictLines([{ text: 'No numbers here.' }]);
    expect(line!.entities).toEqual([]);
    expect(line!.labels).toEqual(['O', 'O', 'O', 'O']);
  });
});
