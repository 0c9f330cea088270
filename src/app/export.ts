/**
 * The entity table as a file: JSON (the entities as the backend returned
 * them, with the text they refer to) or CSV (one row per entity, RFC 4180
 * quoting), and the browser download of either.
 */
import type { Entity, ProviderInfo } from '../backends/types.ts';
import type { TypeThresholds } from '../ner/thresholds.ts';
import { displayNameOf } from './tags.ts';

export interface EntityExport {
  /** The text the offsets refer to (UTF-16 indices). */
  text: string;
  /** `thresholds`: the model folder's per-type minimum entity scores the entities passed, when it has them. */
  model: { name: string; backend: string; precision: string; provider: string; modelFile: string; thresholds?: TypeThresholds };
  entities: Entity[];
}

export function entitiesToJson(text: string, entities: readonly Entity[], provider: ProviderInfo): string {
  const out: EntityExport = {
    text,
    model: {
      name: provider.model,
      backend: provider.backend,
      precision: provider.precision,
      provider: provider.provider,
      modelFile: provider.modelFile,
      ...(provider.thresholds ? { thresholds: provider.thresholds } : {}),
    },
    entities: entities.map(({ start, end, text: value, label, score }) => ({ start, end, text: value, label, score })),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

export const CSV_COLUMNS = ['start', 'end', 'text', 'label', 'type', 'score'] as const;

/** A CSV field: quoted when it holds a comma, quote, or line break; quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One header line, then one line per entity (CRLF line ends, as RFC 4180 has them). */
export function entitiesToCsv(entities: readonly Entity[]): string {
  const rows = entities.map((e) => [e.start, e.end, e.text, e.label, displayNameOf(e.label), e.score.toFixed(4)].map(csvField).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** Hand the browser a file to save. */
export function download(fileName: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
