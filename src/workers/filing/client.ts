/** The page's side of the parsing worker: one worker, created on first use, one request at a time. */
import type { ParseReply, ParseRequest } from './messages.ts';
import type { FilingView } from '../../app/filingView.ts';
import type { ParseProgress } from '../../app/readFiling.ts';

let worker: Worker | undefined;
let nextId = 1;

function getWorker(): Worker {
  worker ??= new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'filing-parser' });
  return worker;
}

export interface ParsedFiling {
  view: FilingView;
  /** Wall time in the worker, reading to labelling. */
  millis: number;
}

/** Parse `file` off the main thread; rejects with an Error whose message is meant for the page. */
export function parseInWorker(file: File, onProgress: (p: ParseProgress) => void): Promise<ParsedFiling> {
  const w = getWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent<ParseReply>) => {
      const msg = event.data;
      if (msg.id !== id) return;
      if (msg.type === 'progress') return onProgress(msg.progress);
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      if (msg.type === 'done') resolve({ view: msg.view, millis: msg.millis });
      else reject(new Error(msg.message));
    };
    const onError = (event: ErrorEvent) => {
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      reject(new Error(`${file.name} could not be parsed: the parser stopped (${event.message || 'worker error'}).`));
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
    w.postMessage({ id, file } satisfies ParseRequest);
  });
}
