/**
 * The entity table as a file: JSON (the entities with the text they refer
 * to) or CSV (one row per entity, RFC 4180 quoting), and the browser
 * download of either. An entity in either: `start`, `end`, `text`, `type`
 * (the XBRL type), `score`, `value` (base units), `unit` (ISO 4217 or `%`)
 * and `sentence`; the JSON keeps `label` (= `type`) as `finer predict` writes it.
 * The clipboard gets a tab-separated table, as spreadsheets paste it.
 */
import type { ContextCheckInfo, Entity, ProviderInfo } from '@finer-lens/core/ner/types.ts';
import type { TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { displayNameOf } from '@finer-lens/core/ner/tags.ts';

export interface EntityExport {
  /** The text the offsets refer to (UTF-16 indices). */
  text: string;
  /**
   * `thresholds`: the model folder's per-type minimum entity scores the entities passed, when it has them;
   * `contextCheck`: the context check (verifier.json) they passed, when it was on.
   */
  model: { name: string; backend: string; precision: string; provider: string; modelFile: string; thresholds?: TypeThresholds; contextCheck?: ContextCheckInfo };
  entities: ExportedEntity[];
}

/** An entity as the JSON export and `finer predict` write it. */
export interface ExportedEntity {
  start: number;
  end: number;
  text: string;
  /** The XBRL type, e.g. `DebtInstrumentFaceAmount`. */
  type: string;
  /** Same as `type`: the name the entities had before `type`, which readers of the files use. */
  label: string;
  score: number;
  value: number | null;
  unit: string | null;
  sentence: string;
}

export const exportedEntity = (e: Entity): ExportedEntity => ({
  start: e.start,
  end: e.end,
  text: e.text,
  type: e.label,
  label: e.label,
  score: e.score,
  value: e.value,
  unit: e.unit,
  sentence: e.sentence,
});

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
      ...(provider.contextCheck ? { contextCheck: provider.contextCheck } : {}),
    },
    entities: entities.map(exportedEntity),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** `type` is the XBRL type as in the JSON, `name` the app's name for it (`Face amount`); an unknown value or unit is an empty field. */
export const CSV_COLUMNS = ['start', 'end', 'text', 'type', 'name', 'score', 'value', 'unit', 'sentence'] as const;

/** A CSV field: quoted when it holds a comma, quote, or line break; quotes doubled; null is empty. */
export function csvField(value: string | number | null): string {
  const s = value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One header line, then one line per entity (CRLF line ends, as RFC 4180 has them). */
export function entitiesToCsv(entities: readonly Entity[]): string {
  const rows = entities.map((e) =>
    [e.start, e.end, e.text, e.label, displayNameOf(e.label), e.score.toFixed(4), e.value, e.unit, e.sentence].map(csvField).join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** The clipboard table's columns: what an analyst pastes into a spreadsheet (the type by its display name). */
export const TSV_COLUMNS = ['text', 'type', 'value', 'unit', 'score', 'sentence'] as const;

/** A TSV field: tabs and line breaks become spaces (a pasted cell must stay one cell); null is empty. */
export function tsvField(value: string | number | null): string {
  return value === null ? '' : String(value).replace(/[\t\r\n]+/g, ' ');
}

/** One header line, then one line per entity, tab-separated. */
export function entitiesToTsv(entities: readonly Entity[]): string {
  const rows = entities.map((e) => [e.text, displayNameOf(e.label), e.value, e.unit, e.score.toFixed(4), e.sentence].map(tsvField).join('\t'));
  return [TSV_COLUMNS.join('\t'), ...rows].join('\n') + '\n';
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
