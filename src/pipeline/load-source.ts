/**
 * Loads a {@link FactsSource} whole, with the loaders every engine shares, so bad facts give the
 * same F-codes at the same places whichever engine runs.
 */
import type { Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import type { BuildOptions, Facts } from '../facts/facts.js';
import { factsProjection, type Projection } from '../facts/projection.js';
import { loadFactsSet } from '../loader/load-facts.js';
import { emptySummary } from '../model/result.js';
import type { EngineOutcome, EvalRequest, FactsSource, ResultSink } from './engine.js';

/** What engines read of the facts for `request` into `sink`: what the policy reads, and what the sink shows of each subject. */
export function engineProjection(request: EvalRequest, sink: ResultSink): Projection {
  return factsProjection(request.policy, { subjects: sink.needs.subjects });
}

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
export async function loadFactsForSource(policy: Policy, source: FactsSource, options?: BuildOptions): Promise<LoadedSource> {
  const result = await loadFactsSet(policy, source.paths, source.limits, options);
  return { facts: result.facts, diagnostics: result.diagnostics, texts: result.diagnostics.length ? result.texts : new Map() };
}

/**
 * The first step of every engine: loads the facts (warnings kept) with progress shown, or, when
 * they cannot be used, aborts the sink and gives the `bad-facts` outcome the engine returns as it is.
 * Only what the policy reads is validated and kept (and what the sink shows of each subject: see
 * `projection.ts`), the same for every engine, so bad facts give the same F-codes whichever runs.
 */
export async function loadFactsOrAbort(source: FactsSource, request: EvalRequest, sink: ResultSink): Promise<(LoadedSource & { readonly facts: Facts }) | { readonly outcome: EngineOutcome }> {
  request.progress?.phase('loading facts');
  const loaded = await loadFactsForSource(request.policy, source, { projection: engineProjection(request, sink) });
  request.progress?.end();
  if (loaded.facts) return { ...loaded, facts: loaded.facts };
  await sink.abort();
  return { outcome: { summary: emptySummary(), diagnostics: loaded.diagnostics, texts: loaded.texts, outcome: 'bad-facts' } };
}
