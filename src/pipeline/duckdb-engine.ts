/**
 * `--engine duckdb` in the pipeline: the facts are loaded by the shared loaders (same F-codes),
 * the policy runs as SQL in embedded DuckDB (src/sql/duckdb-engine.ts), and the results go to the
 * same sinks as the in-process engine's.
 */
import { emptySummary, type RuleResult } from '../model/result.js';
import { subjectInfos } from '../facts/subject-info.js';
import { evaluateWithDuckDb } from '../sql/duckdb-engine.js';
import { registerEngine, type Engine } from './engine.js';
import { loadFactsForSource } from './load-source.js';

const BATCH = 1024;

/** The DuckDB engine. */
export const duckDbEngine: Engine = {
  name: 'duckdb',
  async run(source, request, sink) {
    const { policy } = request;
    const summary = emptySummary();
    request.progress?.phase('loading facts');
    const loaded = await loadFactsForSource(policy, source);
    request.progress?.end();
    if (!loaded.facts) {
      await sink.abort();
      return { summary, diagnostics: loaded.diagnostics, texts: loaded.texts, outcome: 'bad-facts' };
    }
    const facts = loaded.facts;
    const run = await evaluateWithDuckDb(policy, facts, { asOf: request.asOf, lang: request.lang, explain: sink.needs.explanations, ...request.steps }, summary);
    if (!run.results) {
      await sink.abort();
      // X0402: a fact the SQL engine cannot hold exactly is a facts error; the rest name rules it cannot run.
      const badFacts = run.diagnostics.some((d) => d.code === 'X0402');
      return { summary, diagnostics: [...loaded.diagnostics, ...run.diagnostics], texts: loaded.texts, outcome: badFacts ? 'bad-facts' : 'unsupported' };
    }
    await sink.begin({ policy, asOf: request.asOf, lang: request.lang, subjects: sink.needs.subjects ? subjectInfos(policy, facts) : undefined, facts });
    let batch: RuleResult[] = [];
    for (const r of run.results) {
      if (request.omit.size !== 0 && request.omit.has(r.status)) continue;
      batch.push(r);
      if (batch.length >= BATCH) {
        const pending = sink.write(batch);
        if (pending) await pending;
        batch = [];
      }
    }
    if (batch.length) {
      const pending = sink.write(batch);
      if (pending) await pending;
    }
    const ended = sink.end(summary);
    if (ended) await ended;
    return { summary, diagnostics: loaded.diagnostics, texts: loaded.texts, outcome: 'ok' };
  },
};

registerEngine(duckDbEngine);
