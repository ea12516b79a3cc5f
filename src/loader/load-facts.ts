/**
 * Reads facts from disk (Node only): one file, or a set of them (a folder of per-prefecture
 * workbooks, CSV sets and YAML/JSON files, or several `--facts`) merged into one set of facts.
 */
import { errnoOf, fileKindArgs, fsDetail } from '../model/fs-problem.js';
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import { DEFAULT_FACTS_LIMITS, maxFactsFileSize, type BuildOptions, type FactsLimits, type FactsResult } from '../facts/facts.js';
import { factsFormatOf, loadFactsText, parseFactsText } from '../facts/parse-facts.js';
import { mergeFactsParts } from '../facts/merge-facts.js';
import type { RawFactsPart } from '../facts/raw-facts.js';
import { isSpreadsheetFacts, loadSpreadsheetFacts, readSpreadsheetPart } from './load-spreadsheet.js';
import { isDuckDbFacts, loadDuckDbFacts, readDuckDbPart } from './load-duckdb-facts.js';
import { readTextFile } from './read-text.js';

/** A facts file's text, or why it cannot be read (`shown` is text to render those diagnostics on). */
export interface ReadFacts {
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly shown?: string;
}

/**
 * Reads a facts file as UTF-8 within the size limit of its format (F0016, checked before any
 * byte is read); bytes that are not UTF-8 are refused (F0019) rather than replaced.
 */
export function readFactsFile(path: string, limits: FactsLimits = DEFAULT_FACTS_LIMITS): ReadFacts {
  const max = maxFactsFileSize(limits, factsFormatOf(path) === 'yaml');
  const read = readTextFile(path, max);
  if (read.ok) return { text: read.text, diagnostics: [] };
  switch (read.problem) {
    case 'too-large':
      return { diagnostics: [error('F0016', { file: path, start: 0, end: 0 }, { limit: max, size: read.size })] };
    case 'not-utf8':
      return { diagnostics: [error('F0019', { file: path, start: read.offset, end: read.offset + 1 }, { byte: read.byteOffset })], shown: read.text };
    case 'not-regular':
      return { diagnostics: [error('F0100', { file: path, start: 0, end: 0 }, { path, ...fileKindArgs(read.what) })] };
    case 'io':
      return { diagnostics: [error('F0001', undefined, fsDetail(read.detail, path))] };
  }
}

/** Loads, validates and links the facts in `path` (`.yaml`, `.yml`, `.json`, `.ndjson`). */
export function loadFacts(policy: Policy, path: string, limits?: FactsLimits): FactsResult {
  const format = factsFormatOf(path);
  if (!format) return { diagnostics: [error('F0015', undefined, { ext: extname(path) || path })] };
  const read = readFactsFile(path, limits);
  if (read.text === undefined) return { diagnostics: read.diagnostics };
  return loadFactsText(policy, path, read.text, format, limits);
}

/** Facts from one or more paths, with the texts their diagnostics point into. */
export interface FactsSetResult extends FactsResult {
  readonly texts: ReadonlyMap<string, string>;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The facts sources a `--facts` path stands for: a file is itself; a folder holding CSV files
 * is one CSV set (as before); any other folder holds one source per entry: `.xlsx` workbooks,
 * facts files, and subfolders of CSV files, in name order. Lock and hidden files (`~$…`, `.…`)
 * that spreadsheet programs leave beside open workbooks are skipped.
 */
export function factsSourcesOf(path: string): { sources: string[]; diagnostics: Diagnostic[] } {
  if (!isDirectory(path)) return { sources: [path], diagnostics: [] };
  let names: string[];
  try {
    names = readdirSync(path).filter((n) => !n.startsWith('.') && !n.startsWith('~$')).sort();
  } catch (e) {
    return { sources: [], diagnostics: [error('F0001', undefined, fsDetail(errnoOf(e), path))] };
  }
  if (names.some((n) => n.toLowerCase().endsWith('.csv') || n.toLowerCase().endsWith('.parquet'))) return { sources: [path], diagnostics: [] };
  const sources: string[] = [];
  for (const n of names) {
    const full = join(path, n);
    if (isDirectory(full)) {
      try {
        if (readdirSync(full).some((x) => x.toLowerCase().endsWith('.csv'))) sources.push(full);
      } catch {
        // An unreadable subfolder holds nothing we could read; the others still count.
      }
    } else if (n.toLowerCase().endsWith('.xlsx') || factsFormatOf(n) || isDuckDbFacts(full)) sources.push(full);
  }
  if (sources.length === 0) return { sources: [], diagnostics: [error('F0301', undefined, { path })] };
  return { sources, diagnostics: [] };
}

/** A text facts file as raw subjects, with its text for code frames. */
function readTextPart(policy: Policy, path: string, limits: FactsLimits): { part: RawFactsPart; text?: string } {
  const format = factsFormatOf(path);
  if (!format) return { part: { file: path, raw: [], diagnostics: [error('F0015', undefined, { ext: extname(path) || path })] } };
  const read = readFactsFile(path, limits);
  if (read.text === undefined) return { part: { file: path, raw: [], diagnostics: read.diagnostics }, text: read.shown };
  const text = read.text;
  const part = parseFactsText(policy, path, text, format, limits);
  let starts: number[] | undefined;
  const lineOf = (offset: number): number => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return { part: { ...part, lineOf }, text };
}

/**
 * Loads facts from every path given (each a file or a folder, see {@link factsSourcesOf}) as one
 * set: one source loads exactly as it always has; several are validated together, so references
 * across files resolve and an id defined in two files names both places (F0300). `options`
 * (a projection: only the fields a policy reads) applies to the text formats (YAML, JSON, NDJSON).
 */
export async function loadFactsSet(policy: Policy, paths: readonly string[], limits: FactsLimits = DEFAULT_FACTS_LIMITS, options?: BuildOptions): Promise<FactsSetResult> {
  const sources: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    const found = factsSourcesOf(p);
    sources.push(...found.sources);
    diagnostics.push(...found.diagnostics);
  }
  if (diagnostics.length) return { diagnostics, texts: new Map() };
  if (sources.length === 1) {
    const only = sources[0];
    if (isDuckDbFacts(only)) return loadDuckDbFacts(policy, only, limits);
    if (isSpreadsheetFacts(only)) return loadSpreadsheetFacts(policy, only, limits);
    // Exactly as one file always loaded: parsed once, however large.
    const format = factsFormatOf(only);
    if (!format) return { diagnostics: [error('F0015', undefined, { ext: extname(only) || only })], texts: new Map() };
    const read = readFactsFile(only, limits);
    if (read.text === undefined) return { diagnostics: read.diagnostics, texts: read.shown === undefined ? new Map() : new Map([[only, read.shown]]) };
    return { ...loadFactsText(policy, only, read.text, format, limits, options), texts: new Map([[only, read.text]]) };
  }
  const texts = new Map<string, string>();
  const parts: RawFactsPart[] = [];
  for (const s of sources) {
    if (isDuckDbFacts(s)) {
      parts.push(await readDuckDbPart(policy, s, limits));
    } else if (isSpreadsheetFacts(s)) {
      const read = await readSpreadsheetPart(policy, s, limits);
      for (const [k, v] of read.texts) texts.set(k, v);
      parts.push(read.part);
    } else {
      const read = readTextPart(policy, s, limits);
      if (read.text !== undefined) texts.set(s, read.text);
      parts.push(read.part);
    }
  }
  return { ...mergeFactsParts(policy, parts, limits, options), texts };
}
