/**
 * Inline-XBRL filing -> prose text and fact spans, in one streaming pass.
 *
 * The prose text is what a reader sees outside tables, laid out as text runs:
 * every block element (p, div, li, h1-h6, br, tr, td, ...) ends a run, runs
 * are joined with "\n", and inside a run every whitespace sequence (NBSP
 * included) is one space, with no space at either end of the run. Entities are
 * decoded. All offsets below are UTF-16 indices into that text.
 *
 * Skipped from the prose: `<table>` content, the `ix:header` and anything under
 * an element styled `display:none`, and non-content elements (head, script,
 * style). The `ix:nonFraction` facts there are still counted, by place, so
 * the counts reconcile with the filing's total.
 *
 * `ix:continuation` and `ix:nonNumeric` text blocks are ordinary visible
 * content, so their text and the facts nested in them are taken where they
 * stand in the document: a fact inside a continuation of a text block is a
 * prose fact like any other. A text block cut by a page break mid-sentence
 * (`...aggregate principal` | page number, "Table of Contents" |
 * `<ix:continuation>amount of the Notes.`) is joined again: the page
 * furniture between the two parts (a few short runs with no fact in them) is
 * dropped and the sentence is one run, as the reader reads it. Left cut, the
 * first half was a sentence of its own, a truncated copy of the whole.
 *
 * No DOM and no Node APIs: the browser runs this on a filing the user opens.
 */
import { Parser } from 'htmlparser2';

/** Where a fact stands in the filing. */
export type FactPlace = 'prose' | 'table' | 'hidden';

/** One `ix:nonFraction` element. */
export interface IxFact {
  /** Qualified concept name as written, e.g. `us-gaap:DebtInstrumentFaceAmount`. */
  name: string;
  place: FactPlace;
  /** Span of the fact's text in the prose text; both 0 unless place is 'prose'. */
  start: number;
  end: number;
  /** The fact's displayed text wherever it stands (prose, table or hidden), whitespace collapsed and trimmed: `500.0`. */
  value: string;
}

/** A maximal stretch of prose between two block boundaries: text.slice(start, end). */
export interface TextRun {
  start: number;
  end: number;
}

export interface ExtractedFiling {
  /** The prose text (runs joined with "\n"). */
  text: string;
  runs: TextRun[];
  /** Every `ix:nonFraction` element, in document order. */
  facts: IxFact[];
  /** Number of ix: elements seen; 0 means the document is not inline XBRL. */
  ixElements: number;
  /** `dei:EntityCentralIndexKey`, trimmed, when the filing has one. */
  entityCik?: string;
  /** First `xbrli:identifier` with an SEC CIK scheme (the contexts' entity). */
  contextCik?: string;
  /** `dei:EntityRegistrantName`, whitespace collapsed. */
  registrantName?: string;
  /** `dei:DocumentType` (10-K, 10-Q, ...), whitespace collapsed. */
  documentType?: string;
  /** `dei:DocumentPeriodEndDate` as written on the cover ("December 31, 2022"). */
  documentPeriodEndDate?: string;
}

/** Elements whose start and end break a text run. */
const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'br', 'caption', 'center', 'dd', 'details',
  'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hr', 'html', 'img', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre',
  'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);

/** Elements whose content is never prose. */
const NON_CONTENT_TAGS: ReadonlySet<string> = new Set(['head', 'script', 'style', 'title', 'noscript', 'template']);

const DISPLAY_NONE_RE = /display\s*:\s*none/i;
const WHITESPACE_RE = /\s+/g; // \s covers NBSP and the other Unicode spaces

// What an open element changed, undone when it closes (bit flags).
const HIDES = 1;
const IN_TABLE = 2;
const BLOCK = 4;
const FACT = 8;
const CAPTURE = 16;
const CONTINUED = 32; // an ix:nonNumeric or ix:continuation with a continuedAt: its text goes on elsewhere

/** At most this much text between a text block's part and its continuation is page furniture (page number, running header). */
const MAX_PAGE_BREAK_CHARS = 200;
// A run that ends a sentence: the text block was not cut mid-sentence.
const SENTENCE_END_RE = /[.!?:;]["”’)\]]*$/;

/** The last run committed: enough to take it back and go on with it. */
interface CommittedRun {
  run: TextRun;
  body: string;
  /** `parts.length` before its body was pushed. */
  parts: number;
  /** Index of the first fact that opened in it. */
  firstFact: number;
}

/** A text block part that ended with its run: the run it ended with, while its continuation is awaited. */
interface CutBlock {
  last: CommittedRun;
  /** `facts.length` when it ended: a fact in between means the text between is content, not page furniture. */
  facts: number;
}

type CaptureField = 'entityCik' | 'contextCik' | 'registrantName' | 'documentType' | 'documentPeriodEndDate';

/** Cover-page `dei:` facts kept, by their ix:nonNumeric name (the first of each wins). */
const COVER_FIELDS: ReadonlyMap<string, CaptureField> = new Map([
  ['dei:EntityCentralIndexKey', 'entityCik'],
  ['dei:EntityRegistrantName', 'registrantName'],
  ['dei:DocumentType', 'documentType'],
  ['dei:DocumentPeriodEndDate', 'documentPeriodEndDate'],
]);

/**
 * Feed the document in chunks with `write`, then call `end` once.
 * Memory: the prose text and the fact list, never the whole document.
 */
export class IxbrlExtractor {
  private readonly parser: Parser;
  private readonly parts: string[] = [];
  private committed = 0; // length of text already in `parts`
  private run: string[] = [];
  private runLength = 0;
  private runEndsWithSpace = true; // true at a run start: leading spaces are dropped
  private firstFactOfRun = 0;
  private readonly runs: TextRun[] = [];
  private readonly facts: IxFact[] = [];
  private readonly openFacts: number[] = [];
  /** Displayed text of each open fact, in the order of `openFacts`. */
  private readonly openValues: string[] = [];
  private readonly stack: number[] = [];
  private hiddenDepth = 0;
  private tableDepth = 0;
  private ixElements = 0;
  private capture: { field: CaptureField; text: string } | undefined;
  private lastRun: CommittedRun | undefined;
  /** Text block parts cut at a run's end, by the id of the continuation they await. */
  private readonly cut = new Map<string, CutBlock>();
  private readonly continuedAt: string[] = [];
  /** A run taken back to go on with a continuation: the block boundaries before the continuation's first text do not end it. */
  private rejoining = false;
  private readonly captured: Partial<Record<CaptureField, string>> = {};
  private result: ExtractedFiling | undefined;

  constructor() {
    this.parser = new Parser(
      {
        onopentag: (name, attribs) => this.open(name, attribs),
        onclosetag: () => this.close(),
        ontext: (text) => this.text(text),
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
    );
  }

  write(chunk: string): void {
    this.parser.write(chunk);
  }

  end(): ExtractedFiling {
    if (this.result) return this.result;
    this.parser.end();
    this.rejoining = false;
    this.flushRun();
    const text = this.parts.join('');
    this.result = {
      text,
      runs: this.runs,
      facts: this.facts,
      ixElements: this.ixElements,
      ...this.captured,
    };
    return this.result;
  }

  private get place(): FactPlace {
    return this.hiddenDepth > 0 ? 'hidden' : this.tableDepth > 0 ? 'table' : 'prose';
  }

  private open(tag: string, attribs: Record<string, string>): void {
    let flags = 0;
    const style = attribs.style;
    if (NON_CONTENT_TAGS.has(tag) || (style !== undefined && DISPLAY_NONE_RE.test(style))) flags |= HIDES;
    if (BLOCK_TAGS.has(tag)) flags |= BLOCK;
    if (tag === 'table') flags |= IN_TABLE;
    if (tag.startsWith('ix:')) {
      this.ixElements++;
      if (tag === 'ix:header') flags |= HIDES;
      else if (tag === 'ix:nonfraction') flags |= FACT;
      else if (tag === 'ix:nonnumeric') flags |= this.startCapture(attribs.name);
      if ((tag === 'ix:nonnumeric' || tag === 'ix:continuation') && attribs.continuedat) {
        flags |= CONTINUED;
        this.continuedAt.push(attribs.continuedat);
      }
      if (tag === 'ix:continuation' && attribs.id !== undefined) this.rejoin(attribs.id);
    } else if (tag === 'xbrli:identifier' && this.captured.contextCik === undefined && /cik/i.test(attribs.scheme ?? '')) {
      flags |= this.beginCapture('contextCik');
    }

    if (flags & IN_TABLE) this.rejoining = false; // a table is never part of the sentence
    if (flags & BLOCK) this.flushRun();
    if (flags & HIDES) this.hiddenDepth++;
    if (flags & IN_TABLE) this.tableDepth++;
    if (flags & FACT) {
      if (this.rejoining) {
        this.rejoining = false; // a fact first: it goes in a run of its own, as without the page break
        this.flushRun();
      }
      const place = this.place;
      const at = place === 'prose' ? this.offset : 0;
      this.openFacts.push(this.facts.length);
      this.openValues.push('');
      this.facts.push({ name: attribs.name ?? '', place, start: at, end: at, value: '' });
    }
    this.stack.push(flags);
  }

  private close(): void {
    const flags = this.stack.pop() ?? 0;
    if (flags & FACT) {
      const fact = this.facts[this.openFacts.pop()!];
      fact.value = this.openValues.pop()!.replace(WHITESPACE_RE, ' ').trim();
      if (fact.place === 'prose') fact.end = this.offset;
    }
    if (flags & CONTINUED) {
      const id = this.continuedAt.pop()!;
      // the part ends with its run (the usual `</p></ix:nonNumeric>`): its continuation may go on with that run
      if (this.runLength === 0 && this.lastRun !== undefined && this.hiddenDepth === 0 && this.tableDepth === 0) {
        this.cut.set(id, { last: this.lastRun, facts: this.facts.length });
      }
    }
    if (flags & CAPTURE && this.capture) {
      const value = this.capture.text.replace(WHITESPACE_RE, ' ').trim();
      if (value !== '') this.captured[this.capture.field] = value;
      this.capture = undefined;
    }
    if (flags & IN_TABLE) this.tableDepth--;
    if (flags & HIDES) this.hiddenDepth--;
    if (flags & BLOCK) this.flushRun();
  }

  private startCapture(name: string | undefined): number {
    const field = name === undefined ? undefined : COVER_FIELDS.get(name);
    return field !== undefined && this.captured[field] === undefined ? this.beginCapture(field) : 0;
  }

  private beginCapture(field: CaptureField): number {
    if (this.capture) return 0; // nested capture: the outer one keeps the text
    this.capture = { field, text: '' };
    return CAPTURE;
  }

  /** Offset in the prose text where the next character of the current run goes. */
  private get offset(): number {
    return this.committed + this.runLength;
  }

  /**
   * The continuation `id` opens: when the part it continues was cut
   * mid-sentence by a page break, take that part's last run back (dropping
   * the page furniture committed since) and go on with it.
   */
  private rejoin(id: string): void {
    const cut = this.cut.get(id);
    if (cut === undefined) return;
    this.cut.clear(); // the page break is over: older parts are not joined across it
    if (this.runLength > 0 || this.facts.length !== cut.facts) return;
    const { last } = cut;
    if (this.committed - (last.run.end + 1) > MAX_PAGE_BREAK_CHARS || SENTENCE_END_RE.test(last.body)) return;
    this.parts.length = last.parts;
    this.runs.length = this.runs.lastIndexOf(last.run);
    this.committed = last.run.start;
    this.run = [last.body, ' '];
    this.runLength = last.body.length + 1;
    this.runEndsWithSpace = true;
    this.firstFactOfRun = last.firstFact;
    this.lastRun = undefined;
    this.rejoining = true;
  }

  private text(raw: string): void {
    if (this.capture) this.capture.text += raw;
    for (let i = 0; i < this.openValues.length; i++) this.openValues[i] += raw;
    if (this.hiddenDepth > 0 || this.tableDepth > 0) return;
    let chunk = raw.replace(WHITESPACE_RE, ' ');
    if (this.runEndsWithSpace && chunk.charCodeAt(0) === 32) chunk = chunk.slice(1);
    if (chunk.length === 0) return;
    if (this.rejoining) {
      this.rejoining = false;
      // only a lower-case word goes on with a cut sentence; anything else (a capital, a number, a footnote's
      // `(1)` after a heading and its table) starts something new, and the run ends after all. (The first
      // character decides: the parser may hand the text over in pieces of any length.)
      if (!/^\p{Ll}/u.test(chunk)) this.flushRun();
    }
    this.run.push(chunk);
    this.runLength += chunk.length;
    this.runEndsWithSpace = chunk.charCodeAt(chunk.length - 1) === 32;
  }

  /** Close the current run: drop its trailing space, keep fact spans inside it. */
  private flushRun(): void {
    if (this.rejoining) return; // the taken-back run waits for the continuation's text
    if (this.runLength > 0) {
      let body = this.run.join('');
      if (this.runEndsWithSpace) body = body.slice(0, -1);
      const start = this.committed;
      const end = start + body.length;
      for (let i = this.firstFactOfRun; i < this.facts.length; i++) {
        const fact = this.facts[i];
        if (fact.place !== 'prose') continue;
        if (fact.start > end) fact.start = end;
        if (fact.end > end) fact.end = end;
      }
      const run = { start, end };
      this.lastRun = { run, body, parts: this.parts.length, firstFact: this.firstFactOfRun };
      this.runs.push(run);
      this.parts.push(body, '\n');
      this.committed = end + 1;
    }
    this.run = [];
    this.runLength = 0;
    this.runEndsWithSpace = true;
    this.firstFactOfRun = this.facts.length;
  }
}

/** Extract a whole document held in memory. */
export function extractIxbrl(html: string): ExtractedFiling {
  const extractor = new IxbrlExtractor();
  extractor.write(html);
  return extractor.end();
}
