/**
 * The default engine: the policy compiled to closures (src/compile), run in this process.
 *
 * Facts are loaded whole by the shared loaders, or, when the user allows it (`--stream`), the sink
 * streams (JSON, NDJSON) and the facts are one NDJSON file, streamed: the kinds other subjects
 * refer to are held, every other kind is decided in batches and dropped (src/facts/stream-facts.ts).
 */
import { fileKindArgs, fsDetail } from '../model/fs-problem.js';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { emptySummary, type RuleResult, type Summary } from '../model/result.js';
import type { Subject } from '../facts/facts.js';
import { factsFormatOf } from '../facts/parse-facts.js';
import { streamableKinds, streamFacts, type FactsPart, type StreamEnd } from '../facts/stream-facts.js';
import { subjectInfos } from '../facts/subject-info.js';
import { decide, prepareRun, type RunContext } from '../eval/evaluate.js';
import { NotRegularError, NotUtf8Error, readLines } from '../loader/read-lines.js';
import { isSpreadsheetFacts } from '../loader/load-spreadsheet.js';
import { registerEngine, type Engine, type EngineOutcome, type EvalRequest, type FactsSource, type ResultSink } from './engine.js';
import { loadFactsOrAbort } from './load-source.js';

/** Results handed to the sink at a time: large enough to amortise a call, small enough to stay young. */
const BATCH = 1024;

/** Decides `subjects` and pushes the kept results to the sink in batches; counts every decision. */
class Pump {
  private batch: RuleResult[] = [];
  private done = 0;

  constructor(private readonly ctx: RunContext, private readonly request: EvalRequest, private readonly sink: ResultSink, readonly summary: Summary) {}

  async subjects(subjects: readonly Subject[]): Promise<void> {
    const { ctx, summary } = this;
    const omit = this.request.omit;
    const progress = this.request.progress;
    const byKind = ctx.compiled.rulesByKind;
    for (let i = 0; i < subjects.length; i++) {
      const subject = subjects[i];
      const rules = byKind.get(subject.kind);
      if (rules) {
        for (const rule of rules) {
          const r = decide(ctx, rule, subject);
          summary[r.status]++;
          if (omit.size !== 0 && omit.has(r.status)) continue;
          this.batch.push(r);
        }
        if (this.batch.length >= BATCH) await this.flush();
      }
      if (progress && (++this.done & 63) === 0) progress.tick(this.done);
    }
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    const pending = this.sink.write(batch);
    if (pending) await pending;
  }
}

async function runLoaded(source: FactsSource, request: EvalRequest, sink: ResultSink): Promise<EngineOutcome> {
  const { policy } = request;
  const summary = emptySummary();
  const loaded = await loadFactsOrAbort(source, request, sink);
  if ('outcome' in loaded) return loaded.outcome;
  const facts = loaded.facts;
  await sink.begin({ policy, asOf: request.asOf, lang: request.lang, subjects: sink.needs.subjects ? subjectInfos(policy, facts) : undefined, facts });
  const ctx = prepareRun(policy, { asOf: request.asOf, lang: request.lang, explain: sink.needs.explanations, ...request.steps });
  const pump = new Pump(ctx, request, sink, summary);
  request.progress?.phase('evaluating', facts.subjects.length);
  await pump.subjects(facts.subjects);
  await pump.flush();
  request.progress?.tick(facts.subjects.length, true);
  request.progress?.end();
  const ended = sink.end(summary);
  if (ended) await ended;
  return { summary, diagnostics: loaded.diagnostics, texts: loaded.texts, outcome: 'ok' };
}

async function runStreamed(path: string, request: EvalRequest, sink: ResultSink, limits: FactsSource['limits']): Promise<EngineOutcome> {
  const { policy } = request;
  const summary = emptySummary();
  const ctx = prepareRun(policy, { asOf: request.asOf, lang: request.lang, explain: sink.needs.explanations, ...request.steps });
  const pump = new Pump(ctx, request, sink, summary);
  let end: StreamEnd | undefined;
  let readError: Diagnostic | undefined;
  const parts = streamFacts(policy, path, readLines(path), { streamed: streamableKinds(policy), limits });
  for (;;) {
    // Only reading is guarded here: a failure to write the output propagates to the pipeline (X0005).
    let step: IteratorResult<FactsPart, StreamEnd>;
    try {
      step = parts.next();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (e instanceof NotUtf8Error) readError = error('F0019', { file: path, start: 0, end: 0 }, { byte: e.byteOffset });
      else if (e instanceof NotRegularError) readError = error('F0100', { file: path, start: 0, end: 0 }, { path, ...fileKindArgs(e.what) });
      else if (code) readError = error('F0001', undefined, fsDetail(code, path));
      else throw e;
      break;
    }
    if (step.done) {
      end = step.value;
      break;
    }
    if (step.value.held) await sink.begin({ policy, asOf: request.asOf, lang: request.lang });
    await pump.subjects(step.value.facts.subjects);
    await pump.flush();
  }
  const diagnostics = [...(readError ? [readError] : []), ...(end?.diagnostics ?? [])];
  if (readError || !end || end.failed) {
    await sink.abort();
    return { summary, diagnostics, outcome: 'bad-facts' };
  }
  const ended = sink.end(summary);
  if (ended) await ended;
  return { summary, diagnostics, outcome: 'ok' };
}

/** Whether a run streams: the user allows it, the sink takes results early, and the facts are one NDJSON file some kind of which can stream. */
export function streamsUnder(source: FactsSource, request: EvalRequest, sink: ResultSink): boolean {
  return request.stream && sink.needs.streaming && source.paths.length === 1 && !isSpreadsheetFacts(source.paths[0]) && factsFormatOf(source.paths[0]) === 'ndjson' && streamableKinds(request.policy).size > 0;
}

/** The in-process engine (`--engine in-process`, the default). */
export const inProcessEngine: Engine = {
  name: 'in-process',
  run(source, request, sink) {
    return streamsUnder(source, request, sink) ? runStreamed(source.paths[0], request, sink, source.limits) : runLoaded(source, request, sink);
  },
};

registerEngine(inProcessEngine);
