/**
 * Facts from the spreadsheets officers already keep (Node only): an `.xlsx` workbook with the
 * sheets `regions`, `institutions`, `workers`, or a folder of `regions.csv`, `institutions.csv`,
 * `workers.csv` with the same layout. Row 1 holds the headers (field paths such as
 * `posts.social_work`, or their zh labels such as `社会工作岗位数`); an optional row 2 of zh
 * labels (as the template writes it) is skipped. Cells become the raw subjects of the other
 * formats and go through the same validation (see `sheet-table.ts`).
 *
 * This file only reads bytes from disk; what they mean is decided in `spreadsheet-intake.ts`,
 * which the offline self-check page runs on the officer's own files too. CSV files may be
 * UTF-8 (with or without a byte-order mark) or GBK/GB18030 (see `decode-text.ts`).
 */
import { errnoOf, fileKindArgs, fsDetail } from '../model/fs-problem.js';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import { DEFAULT_FACTS_LIMITS, maxFactsFileSize, type FactsLimits } from '../facts/facts.js';
import { readBytesFile } from './read-text.js';
import type { RawFactsPart } from '../facts/raw-facts.js';
import { spreadsheetFactsFromBytes, spreadsheetPartFromBytes, type BytesFile, type SpreadsheetFactsResult, type SpreadsheetInput } from './spreadsheet-intake.js';

export { parseCsv, type SpreadsheetFactsResult } from './spreadsheet-intake.js';

/** Whether `path` names spreadsheet facts: an `.xlsx` file or a directory (of CSV files). */
export function isSpreadsheetFacts(path: string): boolean {
  if (path.toLowerCase().endsWith('.xlsx')) return true;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Loads, validates and links facts from an `.xlsx` workbook or a folder of CSV files. */
export async function loadSpreadsheetFacts(policy: Policy, path: string, limits: FactsLimits = DEFAULT_FACTS_LIMITS): Promise<SpreadsheetFactsResult> {
  const read = readSpreadsheetInput(path, limits);
  if (!read.input) return { diagnostics: read.diagnostics, texts: new Map() };
  return spreadsheetFactsFromBytes(policy, path, read.input, limits);
}

/** Reads an `.xlsx` workbook or a CSV folder as raw subjects, to be validated with other files (see `mergeFactsParts`). */
export async function readSpreadsheetPart(policy: Policy, path: string, limits: FactsLimits = DEFAULT_FACTS_LIMITS): Promise<{ part: RawFactsPart; texts: ReadonlyMap<string, string> }> {
  const read = readSpreadsheetInput(path, limits);
  if (!read.input) return { part: { file: path, raw: [], diagnostics: read.diagnostics }, texts: new Map() };
  return spreadsheetPartFromBytes(policy, path, read.input, limits);
}

/** The bytes of a workbook, or of every CSV file of a folder. */
function readSpreadsheetInput(path: string, limits: FactsLimits): { input?: SpreadsheetInput; diagnostics: Diagnostic[] } {
  const max = maxFactsFileSize(limits, false);
  if (path.toLowerCase().endsWith('.xlsx')) {
    const read = readBytesFile(path, max);
    if (!read.ok) return { diagnostics: [unreadable(path, read, max)] };
    return { input: { workbook: { path, bytes: read.bytes } }, diagnostics: [] };
  }
  let names: string[];
  try {
    names = readdirSync(path).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
  } catch (e) {
    return { diagnostics: [error('F0001', undefined, fsDetail(errnoOf(e), path))] };
  }
  if (names.length === 0) {
    // A folder with no CSV in it is almost always the wrong path: say so rather than evaluate nothing.
    return { diagnostics: [error('F0001', undefined, { detail: `${path}: no .csv files (regions.csv, institutions.csv, workers.csv)`, 'detail.zh': `${path}（文件夹中没有 .csv 文件，应有 regions.csv、institutions.csv、workers.csv）` })] };
  }
  const files: BytesFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    const file = join(path, name);
    const read = readBytesFile(file, max);
    if (read.ok) files.push({ path: file, bytes: read.bytes });
    else diagnostics.push(unreadable(file, read, max));
  }
  if (diagnostics.length) return { diagnostics };
  return { input: { csv: files }, diagnostics: [] };
}

function unreadable(file: string, read: { problem: 'too-large'; size: number } | { problem: 'not-regular'; what: string } | { problem: 'io'; detail: string }, max: number): Diagnostic {
  if (read.problem === 'not-regular') return error('F0100', { file, start: 0, end: 0 }, { path: file, ...fileKindArgs(read.what) });
  return read.problem === 'too-large'
    ? error('F0016', { file, start: 0, end: 0 }, { limit: max, size: read.size })
    : error('F0001', undefined, fsDetail(read.detail, file));
}
