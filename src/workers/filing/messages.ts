/** Messages between the page and the filing-parsing worker (worker.ts). */
import type { FilingView } from '../../app/filingView.ts';
import type { ParseProgress } from '../../app/readFiling.ts';

export interface ParseRequest {
  id: number;
  file: File;
}

export type ParseReply =
  | { id: number; type: 'progress'; progress: ParseProgress }
  | { id: number; type: 'done'; view: FilingView; millis: number }
  /** A FilingError's message, or a bug's, for the page to show. */
  | { id: number; type: 'error'; message: string };
