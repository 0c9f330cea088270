/**
 * Which company a filing belongs to, for splitting train/validation/test by
 * company: every filing of one company must land in the same split.
 */
import type { ExtractedFiling } from './extract.ts';

/**
 * `cik:<10 digits>` from `dei:EntityCentralIndexKey`, else from the contexts'
 * SEC entity identifier (the same CIK, present even in exhibits without dei
 * cover facts), else `name:<registrant name>` from `dei:EntityRegistrantName`,
 * else `file:<fileName>`.
 */
export function companyKey(filing: ExtractedFiling, fileName: string): string {
  for (const raw of [filing.entityCik, filing.contextCik]) {
    const digits = raw?.replace(/\D/g, '');
    if (digits) return `cik:${digits.padStart(10, '0')}`;
  }
  if (filing.registrantName) return `name:${filing.registrantName.toUpperCase()}`;
  return `file:${fileName}`;
}
