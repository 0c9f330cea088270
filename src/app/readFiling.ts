/**
 * A file the analyst opened -> FilingView, streaming: bytes -> (gunzip) ->
 * text -> iXBRL extractor, then labelling. Web APIs only (Blob streams,
 * DecompressionStream, TextDecoderStream), so it runs in the parsing worker
 * and in Node's tests alike.
 *
 * Every way a file can be wrong ends in a FilingError whose message names the
 * file and says what was expected; the page shows it as is.
 */
import { IxbrlExtractor } from '@finer-lens/core/ixbrl/extract.ts';
import { labelFiling } from '@finer-lens/core/ixbrl/label.ts';
import { buildFilingView, type FilingView } from './filingView.ts';

/** A problem with the opened file (not a bug): its message is shown to the analyst. */
export class FilingError extends Error {
  override name = 'FilingError';
}

/**
 * Largest text accepted, after decompression: 4 times the biggest of the 910
 * shared filings (Tesla's 2021 10-K, 7.9 M characters of HTML). A gzip bomb
 * (a 600 KB .htm.gz of 200 M characters took 33 s and 1.2 GB) stops here.
 */
export const MAX_TEXT_CHARS = 32 * 1024 * 1024;
/** Largest file accepted, compressed or not: a plain file over the text limit is refused before it is read. */
export const MAX_FILE_BYTES = MAX_TEXT_CHARS;

export type ParsePhase = 'reading' | 'labelling';

export interface ParseProgress {
  phase: ParsePhase;
  /** Bytes of the file read so far (compressed bytes for a .gz). */
  bytesRead: number;
  totalBytes: number;
}

/** What the reader needs of a `File`: tests pass a Blob with a name. */
export interface NamedBlob {
  readonly name: string;
  readonly size: number;
  slice(start?: number, end?: number): Blob;
  stream(): ReadableStream<Uint8Array<ArrayBuffer>>;
}

const EXPECTED = 'expected an inline-XBRL 10-K/10-Q filing (.htm, .html or .htm.gz)';

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function isGzip(file: NamedBlob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Counts the bytes flowing through, for the progress bar. */
function byteCounter(onBytes: (n: number) => void): TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>> {
  return new TransformStream({
    transform(chunk, controller) {
      onBytes(chunk.byteLength);
      controller.enqueue(chunk);
    },
  });
}

/** Does the start of the text look like HTML/XHTML? (BOM and whitespace skipped) */
function looksLikeMarkup(head: string): boolean {
  const trimmed = head.replace(/^\uFEFF?\s*/, '');
  return trimmed.startsWith('<') && !trimmed.includes('\0');
}

export async function parseFilingFile(
  file: NamedBlob,
  onProgress: (p: ParseProgress) => void = () => {},
): Promise<FilingView> {
  const name = file.name;
  if (file.size === 0) throw new FilingError(`${name} is empty: ${EXPECTED}.`);
  if (file.size > MAX_FILE_BYTES) {
    throw new FilingError(`${name} is ${mib(file.size)}, over the ${mib(MAX_FILE_BYTES)} limit: ${EXPECTED}.`);
  }
  const gzip = await isGzip(file);
  if (!gzip && /\.gz$/i.test(name)) {
    throw new FilingError(`${name} is named .gz but is not gzip data: expected a gzip-compressed .htm filing.`);
  }

  let bytesRead = 0;
  const progress = (phase: ParsePhase) => onProgress({ phase, bytesRead, totalBytes: file.size });
  let bytes: ReadableStream<BufferSource> = file.stream().pipeThrough(byteCounter((n) => (bytesRead += n)));
  if (gzip) bytes = bytes.pipeThrough(new DecompressionStream('gzip'));
  const reader = bytes.pipeThrough(new TextDecoderStream()).getReader();

  const extractor = new IxbrlExtractor();
  let head = ''; // text before the first non-space character was seen
  let checked = false;
  let chars = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chars += value.length;
      if (chars > MAX_TEXT_CHARS) {
        throw new FilingError(
          `${name} ${gzip ? 'expands to' : 'holds'} more than ${MAX_TEXT_CHARS / 1024 / 1024} M characters, 4 times the largest 10-K we know (7.9 M): ${EXPECTED}.`,
        );
      }
      if (!checked) {
        head += value;
        if (head.trim() === '' && head.length < 4096) continue;
        if (!looksLikeMarkup(head.slice(0, 4096))) throw new FilingError(`${name} does not look like HTML: ${EXPECTED}.`);
        checked = true;
        extractor.write(head);
      } else {
        extractor.write(value);
      }
      progress('reading');
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    if (err instanceof FilingError) throw err;
    if (gzip) {
      throw new FilingError(`${name} could not be decompressed (the gzip data is corrupt or truncated): ${EXPECTED}.`);
    }
    throw new FilingError(`${name} could not be read (${err instanceof Error ? err.message : String(err)}): ${EXPECTED}.`);
  }
  if (!checked) throw new FilingError(`${name} holds no text: ${EXPECTED}.`);

  progress('labelling');
  const extracted = extractor.end();
  if (extracted.ixElements === 0) throw new FilingError(`${name} has no inline-XBRL (ix:) elements: ${EXPECTED}.`);
  if (extracted.facts.length === 0) {
    throw new FilingError(`${name} has inline-XBRL elements but no ix:nonFraction facts: ${EXPECTED} with numeric facts.`);
  }
  const labelled = labelFiling(extracted, { allSentences: false });
  return buildFilingView(name, extracted, labelled);
}
