/**
 * `--engine duckdb` in the pipeline. When the sink needs no explanations (machine formats with
 * `--fields status`) and the facts are one file DuckDB reads itself (`.json`, Parquet, `.duckdb`),
 * DuckDB reads, checks and decides everything, and writes NDJSON or Parquet output itself
 * (src/sql/duckdb-engine.ts `runFromFacts`): the facts never become JavaScript objects. Otherwise,
 * or when those checks find anything, the facts are loaded by the shared loaders (so bad facts give
 * the same F-codes at the same places under both engines), the policy runs as SQL in embedded
 * DuckDB, and the results go to the same sinks as the in-process engine's, chunk by chunk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySummary, type RuleResult } from '../model/result.js';
import { subjectInfos } from '../facts/subject-info.js';
import { runFromFacts, sqlReadable, streamWithDuckDb } from '../sql/duckdb-engine.js';
import { registerEngine, type Engine, type EngineOutcome, type EvalRequest, type FactsSource, type ResultSink } from './engine.js';
import { loadFactsOrAbort } from './load-source.js';

/** The DuckDB engine. */
export const duckDbEngine: Engine = {
  name: 'duckdb',
  async run(source, request, sink) {
    if (!sink.needs.explanations && !sink.needs.subjects && source.paths.length === 1 && sqlReadable(source.paths[0])) {
      const done = await runInSql(source, request, sink);
      if (done) return done;
    }
    const { policy } = request;
    const summary = emptySummary();
    const loaded = await loadFactsOrAbort(source, request, sink);
    if ('outcome' in loaded) return loaded.outcome;
    const facts = loaded.facts;
    let begun = false;
    const stopped = await streamWithDuckDb(policy, facts, { asOf: request.asOf, lang: request.lang, explain: sink.needs.explanations, ...request.steps }, async (batch) => {
      if (!begun) {
        begun = true;
        await sink.begin({ policy, asOf: request.asOf, lang: request.lang, subjects: sink.needs.subjects ? subjectInfos(policy, facts) : undefined, facts });
      }
      const pending = sink.write(batch);
      if (pending) await pending;
    }, summary, { omit: request.omit });
    if (stopped.length) {
      await sink.abort();
      // X0402: a fact the SQL engine cannot hold exactly is a facts error; the rest name rules it cannot run.
      const badFacts = stopped.some((d) => d.code === 'X0402');
      return { summary, diagnostics: [...loaded.diagnostics, ...stopped], texts: loaded.texts, outcome: badFacts ? 'bad-facts' : 'unsupported' };
    }
    if (!begun) await sink.begin({ policy, asOf: request.asOf, lang: request.lang, subjects: sink.needs.subjects ? subjectInfos(policy, facts) : undefined, facts });
    const ended = sink.end(summary);
    if (ended) await ended;
    return { summary, diagnostics: loaded.diagnostics, texts: loaded.texts, outcome: 'ok' };
  },
};

/** The run entirely in DuckDB, or undefined (nothing written) when the facts must go through the loaders. */
async function runInSql(source: FactsSource, request: EvalRequest, sink: ResultSink): Promise<EngineOutcome | undefined> {
  const { policy } = request;
  const summary = emptySummary();
  const head = { policy, asOf: request.asOf, lang: request.lang };
  const dir = mkdtempSync(join(tmpdir(), 'clausal-out-'));
  const file = join(dir, sink.copy?.format === 'parquet' ? 'results.parquet' : 'results.ndjson');
  let begun = false;
  try {
    request.progress?.phase('loading facts');
    const emit = async (batch: readonly RuleResult[]) => {
      if (!begun) {
        begun = true;
        await sink.begin(head);
      }
      const pending = sink.write(batch);
      if (pending) await pending;
    };
    const run = await runFromFacts(policy, source.paths[0], { asOf: request.asOf, lang: request.lang, explain: false, limits: source.limits, omit: request.omit }, { emit, ...(sink.copy ? { copy: { format: sink.copy.format, file } } : {}) }, summary);
    request.progress?.end();
    if (!run.done) return undefined;
    if (!begun) await sink.begin(head);
    if (run.copied) {
      const taken = sink.copy!.take(file);
      if (taken) await taken;
    }
    const ended = sink.end(summary);
    if (ended) await ended;
    return { summary, diagnostics: run.diagnostics, outcome: 'ok' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

registerEngine(duckDbEngine);
