/**
 * `--engine duckdb` in the pipeline: the facts are loaded by the shared loaders (same F-codes),
 * the policy runs as SQL in embedded DuckDB (src/sql/duckdb-engine.ts), and the results go to the
 * same sinks as the in-process engine's, chunk by chunk as DuckDB hands them over.
 */
import { emptySummary } from '../model/result.js';
import { subjectInfos } from '../facts/subject-info.js';
import { streamWithDuckDb } from '../sql/duckdb-engine.js';
import { registerEngine, type Engine } from './engine.js';
import { loadFactsOrAbort } from './load-source.js';

/** The DuckDB engine. */
export const duckDbEngine: Engine = {
  name: 'duckdb',
  async run(source, request, sink) {
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

registerEngine(duckDbEngine);
