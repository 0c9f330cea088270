/**
 * Web Worker: parses a filing the analyst opened (a 3 MB filing takes
 * seconds), so the page stays responsive and can show progress.
 */
import type { ParseReply, ParseRequest } from './messages.ts';
import { FilingError, parseFilingFile } from '../../app/readFiling.ts';

const PROGRESS_EVERY_MS = 100;

function reply(message: ParseReply): void {
  postMessage(message);
}

addEventListener('message', async (event: MessageEvent<ParseRequest>) => {
  const { id, file } = event.data;
  const started = performance.now();
  let lastProgress = 0;
  try {
    const view = await parseFilingFile(file, (progress) => {
      const now = performance.now();
      if (progress.phase === 'reading' && now - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = now;
      reply({ id, type: 'progress', progress });
    });
    reply({ id, type: 'done', view, millis: performance.now() - started });
  } catch (err) {
    const message =
      err instanceof FilingError
        ? err.message
        : `${file.name} could not be parsed: ${err instanceof Error ? err.message : String(err)}`;
    reply({ id, type: 'error', message });
  }
});
