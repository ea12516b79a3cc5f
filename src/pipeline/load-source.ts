/**
 * Loads a {@link FactsSource} whole, with the loaders every engine shares, so bad facts give the
 * same F-codes at the same places whichever engine runs.
 */
import type { Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import type { Facts } from '../facts/facts.js';
import { loadFactsSet } from '../loader/load-facts.js';
import type { FactsSource } from './engine.js';

/** Loaded facts, or the diagnostics that stop them (with the texts they point into). */
export interface LoadedSource {
  readonly facts?: Facts;
  /** Errors, or warnings alongside facts. */
  readonly diagnostics: readonly Diagnostic[];
  readonly texts: ReadonlyMap<string, string>;
}

/**
 * Reads, validates and links the facts of `source`: files (YAML, JSON, NDJSON, `.xlsx`), folders,
 * several paths merged. The texts are kept only when there are diagnostics to show on them: a
 * province's facts text is hundreds of megabytes the evaluation no longer needs.
 */
export async function loadFactsForSource(policy: Policy, source: FactsSource): Promise<LoadedSource> {
  const result = await loadFactsSet(policy, source.paths, source.limits);
  return { facts: result.facts, diagnostics: result.diagnostics, texts: result.diagnostics.length ? result.texts : new Map() };
}
