import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fixture from '../../e2e/fixtures/tiny-10q.htm?raw';
import { FilingError, MAX_FILE_BYTES, MAX_TEXT_CHARS, parseFilingFile, type NamedBlob, type ParseProgress } from './readFiling.ts';

const file = (bytes: Uint8Array | string, name: string) => new File([bytes as BlobPart], name);

async function failure(f: NamedBlob): Promise<FilingError> {
  const err = await parseFilingFile(f).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FilingError);
  return err as FilingError;
}

describe('parseFilingFile', () => {
  it('reads a gzipped filing to the same view as the plain one, reporting progress up to the file size', async () => {
    const gz = gzipSync(fixture);
    const progress: ParseProgress[] = [];
    const [plain, zipped] = await Promise.all([
      parseFilingFile(file(fixture, 'a.htm')),
      parseFilingFile(file(gz, 'a.htm.gz'), (p) => progress.push(p)),
    ]);
    expect({ ...zipped, fileName: 'a.htm' }).toEqual(plain);
    expect(plain.cover).toEqual({ documentType: '10-Q', periodEndDate: 'March 31, 2023', registrantName: 'Tiny Lending Corp.', cik: '0000123456' });
    expect(progress.at(-1)).toEqual({ phase: 'labelling', bytesRead: gz.byteLength, totalBytes: gz.byteLength });
  });

  it('names the file and what was expected for each kind of bad input', async () => {
    const gz = gzipSync(fixture);
    const corrupt = Uint8Array.from(gz);
    corrupt.fill(0x55, 20, 200);
    expect((await failure(file(corrupt, 'x.htm.gz'))).message).toMatch(/^x\.htm\.gz could not be decompressed .*expected an inline-XBRL/);
    expect((await failure(file(gz.subarray(0, gz.length >> 1), 'half.gz'))).message).toMatch(/^half\.gz could not be decompressed/);
    expect((await failure(file('%PDF-1.7 binary', 'r.pdf'))).message).toMatch(/^r\.pdf does not look like HTML/);
    expect((await failure(file('not gzip', 'y.htm.gz'))).message).toMatch(/^y\.htm\.gz is named \.gz but is not gzip data/);
    expect((await failure(file('<html><p>5%</p></html>', 'p.html'))).message).toMatch(/^p\.html has no inline-XBRL \(ix:\) elements/);
    expect((await failure(file('<html><ix:header></ix:header></html>', 'h.htm'))).message).toMatch(/^h\.htm has inline-XBRL elements but no ix:nonFraction facts/);
    expect((await failure(file('', 'e.htm'))).message).toMatch(/^e\.htm is empty/);
    expect((await failure(file(' \n\t ', 's.htm'))).message).toMatch(/^s\.htm holds no text/);
  });

  it('refuses a huge file before reading it', async () => {
    const huge: NamedBlob = {
      name: 'big.htm',
      size: MAX_FILE_BYTES + 1,
      slice: () => {
        throw new Error('read');
      },
      stream: () => {
        throw new Error('read');
      },
    };
    expect((await failure(huge)).message).toMatch(/^big\.htm is 32\.0 MiB, over the 32\.0 MiB limit/);
  });

  it('stops a .htm.gz that expands past what a real 10-K needs (4 times the largest, 7.9 M characters), with a message', async () => {
    expect(MAX_TEXT_CHARS).toBeGreaterThanOrEqual(4 * 7_898_922);
    expect(MAX_TEXT_CHARS).toBeLessThanOrEqual(32 * 1024 * 1024);
    const bomb = gzipSync('<html><body><!--' + ' '.repeat(MAX_TEXT_CHARS) + '--></body></html>'); // about 32 KB
    expect((await failure(file(bomb, 'bomb.htm.gz'))).message).toBe(
      'bomb.htm.gz expands to more than 32 M characters, 4 times the largest 10-K we know (7.9 M): expected an inline-XBRL 10-K/10-Q filing (.htm, .html or .htm.gz).',
    );
  });
});
