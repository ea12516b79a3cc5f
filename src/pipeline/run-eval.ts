/**
 * Runs one evaluation: an engine reads a facts source and pushes its results into a sink. A
 * failure to write the output is the user's (X0005), not an internal error; the sink is aborted
 * so `--out` keeps its old content.
 */
import type { Diagnostic } from '../model/diagnostics.js';
import { emptySummary, type Summary } from '../model/result.js';
import { OutputError, type Engine, type EvalRequest, type FactsSource, type ResultSink } from './engine.js';

/** How a pipeline run ended. */
export interface EvalRun {
  /** `write-failed`: the output could not be written (exit 1). */
  readonly outcome: 'ok' | 'bad-facts' | 'unsupported' | 'write-failed';
  readonly summary: Summary;
  readonly diagnostics: readonly Diagnostic[];
  readonly texts: ReadonlyMap<string, string>;
}

/** Runs `engine` over `source` into `sink`. */
export async function runEvaluation(engine: Engine, source: FactsSource, request: EvalRequest, sink: ResultSink): Promise<EvalRun> {
  try {
    const done = await engine.run(source, request, sink);
    return { outcome: done.outcome, summary: done.summary, diagnostics: done.diagnostics, texts: done.texts ?? new Map() };
  } catch (e) {
    request.progress?.end();
    // Whatever stopped the run (a budget exceeded, a bug), the output keeps its old content.
    await sink.abort();
    if (!(e instanceof OutputError)) throw e;
    return { outcome: 'write-failed', summary: emptySummary(), diagnostics: [e.diagnostic], texts: new Map() };
  }
}
