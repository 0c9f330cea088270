/**
 * Was the opened filing's company in the model's training split? The model
 * folder's `train-companies.json` (written by `finer export --train-data`)
 * lists them; the splits are by company (core/src/ixbrl/company.ts's key), so a
 * filing of a listed company scores as a seen-company figure, any other as
 * an unseen one. A folder without the file (older models) says nothing.
 */

/** The file in the model folder, beside config.json. */
export const TRAIN_COMPANIES_FILE = 'train-companies.json';

export interface TrainCompany {
  /** `cik:<10 digits>`, `name:<REGISTRANT>` or `file:<name>`: the key `finer ixbrl` split by. */
  key: string;
  cik?: string;
  name: string;
  /** Filings of the company in the training data. */
  filings: number;
}

export interface TrainCompanies {
  schema: 1;
  /** The `finer ixbrl` dataset folder whose train split it lists. */
  dataset: string;
  companies: TrainCompany[];
}

/** A train-companies.json that is not what `finer export` writes. */
export class TrainCompaniesError extends Error {
  override name = 'TrainCompaniesError';
}

export function parseTrainCompanies(json: unknown, file: string): TrainCompanies {
  const fail = (where: string, expected: string): never => {
    throw new TrainCompaniesError(`${file}: ${where}: expected ${expected}`);
  };
  const o = json as Partial<TrainCompanies> | null;
  if (typeof o !== 'object' || o === null) fail('the file', 'a JSON object');
  if (o!.schema !== 1) fail('schema', `1, found ${JSON.stringify(o!.schema)}`);
  if (typeof o!.dataset !== 'string') fail('dataset', 'the dataset folder (a string)');
  if (!Array.isArray(o!.companies)) fail('companies', 'an array');
  o!.companies!.forEach((c, i) => {
    if (typeof c?.key !== 'string' || !/^(cik|name|file):./.test(c.key)) fail(`companies[${i}].key`, 'cik:…, name:… or file:…');
    if (typeof c.name !== 'string') fail(`companies[${i}].name`, 'a string');
    if (c.cik !== undefined && !/^\d{10}$/.test(c.cik)) fail(`companies[${i}].cik`, 'ten digits');
    if (!Number.isInteger(c.filings) || c.filings < 1) fail(`companies[${i}].filings`, 'a count of at least 1');
  });
  return o as TrainCompanies;
}

/** The listed company the filing belongs to, if any (matched by the split key). */
export function trainCompanyOf(companies: TrainCompanies, company: string): TrainCompany | undefined {
  return companies.companies.find((c) => c.key === company);
}
