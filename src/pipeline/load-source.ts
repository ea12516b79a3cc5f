/**
 * Loads a {@link FactsSource} whole, with the loaders every engine shares, so bad facts give the
 * same F-codes at the same places whichever engine runs.
 */
import { extname } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import type { Facts } from '../facts/facts.js';
import { factsFormatOf, loadFactsText } from '../facts/parse-facts.js';
import { readFactsFile } from '../loader/load-facts.js';
import { isSpreadsheetFacts, loadSpreadsheetFacts } from '../loader/load-spreadsheet.js';
import type { FactsSource } from './engine.js';

/** Loaded facts, or the diagnostics that stop them (with the texts they point into). */
export interface LoadedSource {
  readonly facts?: Facts;
  /** Errors, or warnings alongside facts. */
  readonly diagnostics: readonly Diagnostic[];
  readonly texts: ReadonlyMap<string, string>;
}

/** Reads, validates and links the facts of `source` (a facts file, an `.xlsx` workbook or a CSV folder). */
export async function loadFactsForSource(policy: Policy, source: FactsSource): Promise<LoadedSource> {
  if (source.paths.length !== 1) throw new Error(`one facts path expected, got ${source.paths.length}`);
  const path = source.paths[0];
  if (isSpreadsheetFacts(path)) {
    const result = await loadSpreadsheetFacts(policy, path, source.limits);
    return { facts: result.facts, diagnostics: result.diagnostics, texts: result.texts };
  }
  const format = factsFormatOf(path);
  if (!format) return { diagnostics: [error('F0015', undefined, { ext: extname(path) || path })], texts: new Map() };
  const read = readFactsFile(path, source.limits);
  if (read.text === undefined) return { diagnostics: read.diagnostics, texts: read.shown === undefined ? new Map() : new Map([[path, read.shown]]) };
  const result = loadFactsText(policy, path, read.text, format, source.limits);
  return { facts: result.facts, diagnostics: result.diagnostics, texts: result.diagnostics.length ? new Map([[path, read.text]]) : new Map() };
}
