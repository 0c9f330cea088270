/**
 * Was the opened filing's company in the model's training split? The model
 * folder's `train-companies.json` (written by `finer export --train-data`)
 * lists them; the splits are by company (core/src/ixbrl/company.ts's key), so a
 * filing of a listed company scores as a seen-company figure, any other as
 * an unseen one. A folder without the file (older models) says nothing.
 */
import * as v from 'valibot';
import { check, expecting, object } from './schema.ts';

/** The file in the model folder, beside config.json. */
export const TRAIN_COMPANIES_FILE = 'train-companies.json';

const trainCompany = object(
  {
    // `cik:<10 digits>`, `name:<REGISTRANT>` or `file:<name>`: the key `finer ixbrl` split by
    key: v.pipe(v.string('expected cik:…, name:… or file:…'), v.regex(/^(cik|name|file):./, 'expected cik:…, name:… or file:…')),
    cik: v.optional(v.pipe(v.string('expected ten digits'), v.regex(/^\d{10}$/, 'expected ten digits'))),
    name: v.string('expected a string'),
    // filings of the company in the training data
    filings: v.pipe(v.number('expected a count of at least 1'), v.integer('expected a count of at least 1'), v.minValue(1, 'expected a count of at least 1')),
  },
  '{key, cik?, name, filings}',
);

export const trainCompaniesSchema = object(
  {
    schema: v.literal(1, expecting('1')),
    // the `finer ixbrl` dataset folder whose train split it lists
    dataset: v.string('expected the dataset folder (a string)'),
    companies: v.array(trainCompany, 'expected an array'),
  },
  'a JSON object',
);

export type TrainCompany = v.InferOutput<typeof trainCompany>;
export type TrainCompanies = v.InferOutput<typeof trainCompaniesSchema>;

/** A train-companies.json that is not what `finer export` writes. */
export class TrainCompaniesError extends Error {
  override name = 'TrainCompaniesError';
}

/** Check a parsed train-companies.json; `file` names it in messages. */
export function parseTrainCompanies(json: unknown, file: string): TrainCompanies {
  return check(trainCompaniesSchema, json, (line) => new TrainCompaniesError(`${file}: ${line}`));
}

/** The listed company the filing belongs to, if any (matched by the split key). */
export function trainCompanyOf(companies: TrainCompanies, company: string): TrainCompany | undefined {
  return companies.companies.find((c) => c.key === company);
}
