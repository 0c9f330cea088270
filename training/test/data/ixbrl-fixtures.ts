/** Tiny inline-XBRL filings that the iXBRL builder tests write for themselves. */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const made: string[] = [];

/** A fresh temporary folder, usable outside a test too (describe bodies, beforeAll); see removeTempDirs. */
export function tempDir(prefix = 'finer-ixbrl-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Remove every folder tempDir made (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const FACE = 'DebtInstrumentFaceAmount';
export const RATE = 'DebtInstrumentInterestRateStatedPercentage';
export const LINE = 'LineOfCreditFacilityMaximumBorrowingCapacity';
export const SPREAD = 'DebtInstrumentBasisSpreadOnVariableRate1';

/** An `ix:nonFraction` fact of a us-gaap tag. */
export function fact(tag: string, value: string): string {
  return `<ix:nonFraction name="us-gaap:${tag}" contextRef="c1" unitRef="usd" decimals="-5">${value}</ix:nonFraction>`;
}

export interface FixtureFiling {
  cik?: string;
  registrant?: string;
  /** Inner HTML of each prose paragraph. */
  paragraphs: string[];
  /** Inner HTML of table cells. */
  cells?: string[];
  /** Facts (HTML) in the hidden header. */
  hidden?: string[];
}

export function ixbrlDocument(f: FixtureFiling): string {
  const dei = [
    f.cik === undefined ? '' : `<ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="c1">${f.cik}</ix:nonNumeric>`,
    ...(f.hidden ?? []),
  ].join('');
  const cover = f.registrant === undefined ? '' : `<p>Registrant: <ix:nonNumeric name="dei:EntityRegistrantName" contextRef="c1">${f.registrant}</ix:nonNumeric></p>`;
  const cells = (f.cells ?? []).map((c) => `<tr><td>${c}</td></tr>`).join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><head><title>10-K</title></head><body>` +
    `<div style="display:none"><ix:header><ix:hidden>${dei}</ix:hidden></ix:header></div>` +
    cover +
    f.paragraphs.map((p) => `<p>${p}</p>\n`).join('') +
    (cells === '' ? '' : `<table>${cells}</table>`) +
    `</body></html>\n`
  );
}

/** Write a fixture filing; `.gz` names are gzipped. */
export async function writeFiling(path: string, f: FixtureFiling | string): Promise<void> {
  const html = typeof f === 'string' ? f : ixbrlDocument(f);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, path.endsWith('.gz') ? gzipSync(html) : html);
}

/** A gzipped filing cut short: its gzip stream ends before the end marker. */
export async function writeTruncatedGz(path: string, f: FixtureFiling): Promise<void> {
  const gz = gzipSync(ixbrlDocument(f));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, gz.subarray(0, Math.floor(gz.length / 2)));
}
