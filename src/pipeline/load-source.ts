/**
 * Loads a {@link FactsSource} whole, with the loaders every engine shares, so bad facts give the
 * same F-codes at the same places whichever engine runs.
 */
import type { Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import type { Facts } from '../facts/facts.js';
import { loadFactsSet } from '../loader/load-facts.js';
import { emptySummary } from '../model/result.js';
import type { EngineOutcome, EvalRequest, FactsSource, ResultSink } from './engine.js';

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

/**
 * The first step of every engine: loads the facts (warnings kept) with progress shown, or, when
 * they cannot be used, aborts the sink and gives the `bad-facts` outcome the engine returns as it is.
 */
export async function loadFactsOrAbort(source: FactsSource, request: EvalRequest, sink: ResultSink): Promise<(LoadedSource & { readonly facts: Facts }) | { readonly outcome: EngineOutcome }> {
  request.progress?.phase('loading facts');
  const loaded = await loadFactsForSource(request.policy, source);
  request.progress?.end();
  if (loaded.facts) return { ...loaded, facts: loaded.facts };
  await sink.abort();
  return { outcome: { summary: emptySummary(), diagnostics: loaded.diagnostics, texts: loaded.texts, outcome: 'bad-facts' } };
}
