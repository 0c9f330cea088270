import { describe, expect, it } from 'vitest';
import type { Entity } from '@finer-lens/core/ner/types.ts';
import { highlightPieces, splitBlocks } from './highlight.ts';

const TEXT = 'issued $500.0 million of 4.25% notes';
const ent = (text: string): Entity => {
  const start = TEXT.indexOf(text);
  return { start, end: start + text.length, text, label: 'A', score: 1, value: null, unit: null, sentence: '' };
};
const ENTITIES = [ent('500.0'), ent('4.25')];

describe('highlightPieces', () => {
  it('covers the text with plain and entity pieces', () => {
    const { pieces, shownEnd } = highlightPieces(TEXT, ENTITIES);
    expect(shownEnd).toBe(TEXT.length);
    expect(pieces.map((p) => [TEXT.slice(p.start, p.end), p.entity])).toEqual([
      ['issued $', undefined],
      ['500.0', 0],
      [' million of ', undefined],
      ['4.25', 1],
      ['% notes', undefined],
    ]);
  });

  it('cuts a long text after the limit, never inside an entity', () => {
    const inside = TEXT.indexOf('500.0') + 2;
    const { pieces, shownEnd } = highlightPieces(TEXT, ENTITIES, inside);
    expect(shownEnd).toBe(TEXT.indexOf('500.0') + 5);
    expect(pieces.map((p) => TEXT.slice(p.start, p.end))).toEqual(['issued $', '500.0']);
  });

  it('handles a text without entities and an entity at both ends', () => {
    expect(highlightPieces('abc', []).pieces).toEqual([{ start: 0, end: 3 }]);
    const all: Entity = { start: 0, end: 3, text: 'abc', label: 'A', score: 1, value: null, unit: null, sentence: '' };
    expect(highlightPieces('abc', [all]).pieces).toEqual([{ start: 0, end: 3, entity: 0 }]);
    expect(highlightPieces('', []).pieces).toEqual([]);
  });
});

describe('splitBlocks', () => {
  it('cuts after a line break once a block has its size, never inside an entity, keeping every character', () => {
    const text = 'aaaa\nbbbb 4.25 cc\ndd\nee';
    const at = text.indexOf('4.25');
    const entities: Entity[] = [{ start: at, end: at + 4, text: '4.25', label: 'A', score: 1, value: null, unit: null, sentence: '' }];
    const { pieces } = highlightPieces(text, entities);
    const blocks = splitBlocks(text, pieces, 3);
    expect(blocks.map((b) => b.map((p) => text.slice(p.start, p.end)).join('|'))).toEqual(['aaaa\n', 'bbbb |4.25| cc\n', 'dd\nee']);
    expect(blocks.flat().map((p) => text.slice(p.start, p.end)).join('')).toBe(text);
    expect(splitBlocks(text, pieces, 100)).toHaveLength(1);
    expect(splitBlocks('no breaks here', [{ start: 0, end: 14 }], 2)).toEqual([[{ start: 0, end: 14 }]]);
  });
});
