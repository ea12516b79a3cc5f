/** Reads a facts file from disk (Node only). */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { error } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import type { FactsLimits, FactsResult } from '../facts/facts.js';
import { factsFormatOf, loadFactsText } from '../facts/parse-facts.js';

/** Loads, validates and links the facts in `path` (`.yaml`, `.yml`, `.json`, `.ndjson`). */
export function loadFacts(policy: Policy, path: string, limits?: FactsLimits): FactsResult {
  const format = factsFormatOf(path);
  if (!format) return { diagnostics: [error('F0015', undefined, { ext: extname(path) || path })] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { diagnostics: [error('F0001', undefined, { detail: `${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` })] };
  }
  return loadFactsText(policy, path, text, format, limits);
}
