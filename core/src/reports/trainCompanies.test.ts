import { describe, expect, it } from 'vitest';
import { parseTrainCompanies, trainCompanyOf, type TrainCompanies } from './trainCompanies.ts';

const FILE = 'models/m/train-companies.json';
const LIST: TrainCompanies = {
  schema: 1,
  dataset: 'data/ixbrl139',
  companies: [
    { key: 'cik:0000066740', cik: '0000066740', name: '3M COMPANY', filings: 2 },
    { key: 'file:The_Clorox_Company_10-K_2022-06-30.htm.gz', name: 'The_Clorox_Company_10-K_2022-06-30.htm.gz', filings: 1 },
  ],
};

describe('train-companies.json', () => {
  it('finds a filing of a listed company by its split key, and no other', () => {
    const companies = parseTrainCompanies(structuredClone(LIST), FILE);
    expect(trainCompanyOf(companies, 'cik:0000066740')?.name).toBe('3M COMPANY');
    expect(trainCompanyOf(companies, 'cik:0000109198')).toBeUndefined();
    expect(trainCompanyOf(companies, 'name:3M COMPANY')).toBeUndefined();
  });

  it('names the file and the field that is wrong', () => {
    expect(() => parseTrainCompanies({ ...LIST, schema: 2 }, FILE)).toThrow(`${FILE}: schema: expected 1, found 2`);
    const bad = structuredClone(LIST) as unknown as { companies: Record<string, unknown>[] };
    bad.companies[1]!.key = '0000066740';
    expect(() => parseTrainCompanies(bad, FILE)).toThrow(`${FILE}: companies[1].key: expected cik:…, name:… or file:…`);
    const badCik = structuredClone(LIST) as unknown as { companies: Record<string, unknown>[] };
    badCik.companies[0]!.cik = '66740';
    expect(() => parseTrainCompanies(badCik, FILE)).toThrow(`${FILE}: companies[0].cik: expected ten digits`);
  });
});
