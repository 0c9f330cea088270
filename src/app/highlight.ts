/**
 * A text cut into plain runs and entity runs for highlighting, on the exact
 * characters of the entities. A long text is shown in parts: `limit` cuts
 * after that many characters, never inside an entity.
 */
import type { Entity } from '@finer-lens/core/ner/types.ts';

export interface Piece {
  start: number;
  end: number;
  /** Index into the entity list, for an entity run. */
  entity?: number;
}

/** Pieces of text[0, cut) and where the cut fell (text.length when all of it is shown). */
export function highlightPieces(text: string, entities: readonly Entity[], limit = Infinity): { pieces: Piece[]; shownEnd: number } {
  let cut = Math.min(text.length, limit);
  for (const e of entities) if (e.start < cut && e.end > cut) cut = e.end; // never cut inside an entity
  const pieces: Piece[] = [];
  let at = 0;
  entities.forEach((e, i) => {
    if (e.start >= cut || e.start < at) return; // past the cut, or overlapping the one before (not expected)
    if (e.start > at) pieces.push({ start: at, end: e.start });
    pieces.push({ start: e.start, end: e.end, entity: i });
    at = e.end;
  });
  if (at < cut) pieces.push({ start: at, end: cut });
  return { pieces, shownEnd: cut };
}

/**
 * Pieces grouped into blocks of about `size` characters, each ending just
 * after a line break (so a block is whole lines and can be laid out on its
 * own: the page skips blocks off screen). A text without line breaks is one block.
 */
export function splitBlocks(text: string, pieces: readonly Piece[], size: number): Piece[][] {
  const blocks: Piece[][] = [[]];
  let blockStart = pieces[0]?.start ?? 0;
  for (const p of pieces) {
    if (p.entity !== undefined) {
      blocks.at(-1)!.push(p);
      continue;
    }
    let start = p.start;
    for (let i = Math.max(start, blockStart + size); i < p.end; i++) {
      if (text.charCodeAt(i) !== 10) continue;
      blocks.at(-1)!.push({ start, end: i + 1 });
      blocks.push([]);
      start = blockStart = i + 1;
      i = Math.max(i, blockStart + size - 1);
    }
    if (start < p.end) blocks.at(-1)!.push({ start, end: p.end });
  }
  return blocks.filter((b) => b.length > 0);
}
