/**
 * The sample filing the Filing screen opens on request: one 10-K of the
 * shared corpus, copied to public/samples/ (the one filing the repository
 * holds). Its company is in the validation split, never the test split, so
 * the test figures stay unseen; on the shipped model its score is an
 * unseen-company figure.
 */

export interface SampleFiling {
  /** File name under public/samples/. */
  file: string;
  company: string;
  form: string;
  period: string;
  /** Compressed size, for the button. */
  kilobytes: number;
}

export const SAMPLE_FILING: SampleFiling = {
  file: 'The_TJX_Companies_Inc._10-K_2025-02-01.htm.gz',
  company: 'The TJX Companies, Inc.',
  form: '10-K',
  period: 'fiscal year to February 1, 2025',
  kilobytes: 164,
};

/**
 * Fetch the sample as the File the picker would have given. A host that
 * serves the .gz with `Content-Encoding: gzip` hands over the HTML already
 * inflated: the name then loses `.gz`, so the reader takes it as plain HTML.
 */
export async function fetchSampleFiling(baseUrl: string, sample: SampleFiling = SAMPLE_FILING): Promise<File> {
  const path = `samples/${sample.file}`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`);
  } catch (err) {
    throw new Error(`${path} could not be fetched (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}; expected the sample filing the app ships.`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const name = gzip ? sample.file : sample.file.replace(/\.gz$/, '');
  return new File([bytes], name, { type: gzip ? 'application/gzip' : 'text/html' });
}
