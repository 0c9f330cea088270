/**
 * Cover-page facts the Filing screen shows beside the company name: document
 * type and period end date (`dei:DocumentType`, `dei:DocumentPeriodEndDate`).
 * The iXBRL extractor does not keep them, so a small scanner reads them from
 * the same chunks as they stream past (a tail of each chunk is kept so a fact
 * split across two chunks is still found).
 */

export interface CoverFacts {
  registrantName?: string;
  cik?: string;
  documentType?: string;
  periodEndDate?: string;
}

const FIELDS = {
  'dei:DocumentType': 'documentType',
  'dei:DocumentPeriodEndDate': 'periodEndDate',
} as const satisfies Record<string, keyof CoverFacts>;

// <ix:nonNumeric ... name="dei:DocumentType" ...> 10-K </ix:nonNumeric>; content may hold inline tags.
const FACT_RE = /<ix:nonnumeric\b[^>]*\bname\s*=\s*["'](dei:Document(?:Type|PeriodEndDate))["'][^>]*>([\s\S]{0,2000}?)<\/ix:nonnumeric\s*>/gi;
const TAG_RE = /<[^>]*>/g;
const TAIL = 4096; // longer than any cover fact element

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

export class CoverFactsScanner {
  private tail = '';
  private readonly found: CoverFacts = {};

  write(chunk: string): void {
    if (this.done) return;
    const text = this.tail + chunk;
    for (const m of text.matchAll(FACT_RE)) {
      const field = FIELDS[m[1] as keyof typeof FIELDS];
      if (field === undefined || this.found[field] !== undefined) continue;
      const value = decodeEntities(m[2].replace(TAG_RE, '')).replace(/\s+/g, ' ').trim();
      if (value !== '') this.found[field] = value;
    }
    this.tail = text.slice(-TAIL);
  }

  private get done(): boolean {
    return this.found.documentType !== undefined && this.found.periodEndDate !== undefined;
  }

  result(): CoverFacts {
    return { ...this.found };
  }
}
