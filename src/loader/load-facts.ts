/** Reads a facts file from disk (Node only). */
import { extname } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import { DEFAULT_FACTS_LIMITS, maxFactsFileSize, type FactsLimits, type FactsResult } from '../facts/facts.js';
import { factsFormatOf, loadFactsText } from '../facts/parse-facts.js';
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
    case 'io':
      return { diagnostics: [error('F0001', undefined, { detail: `${path}: ${read.detail}` })] };
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
