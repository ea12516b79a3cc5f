/**
 * The default engine: the policy compiled to closures (src/compile), run in this process.
 *
 * Facts are loaded whole by the shared loaders, or, when the user allows it (`--stream`), the sink
 * streams (JSON, NDJSON) and the facts are one NDJSON file, streamed: the kinds other subjects
 * refer to are held, every other kind is decided in batches and dropped (src/facts/stream-facts.ts).
 */
import { fileKindArgs, fsDetail } from '../model/fs-problem.js';
import { error, warning, type Diagnostic } from '../model/diagnostics.js';
import { emptySummary, type RuleResult, type Summary } from '../model/result.js';
import { closeSync } from 'node:fs';
import { DEFAULT_FACTS_LIMITS, FactsBuilder, maxFactsFileSize, type FactsLimits, type Subject } from '../facts/facts.js';
import type { Projection } from '../facts/projection.js';
import { jsonPieces, NotStreamable } from '../loader/json-elements.js';
import { openRegular } from '../loader/read-regular.js';
import type { KindInfo } from '../model/types.js';
import { factsFormatOf } from '../facts/parse-facts.js';
import { streamableKinds, streamFacts, type FactsPart, type StreamEnd } from '../facts/stream-facts.js';
import { subjectInfos } from '../facts/subject-info.js';
import { decide, prepareRun, type RunContext } from '../eval/evaluate.js';
import { NotRegularError, NotUtf8Error, readLines } from '../loader/read-lines.js';
import { isSpreadsheetFacts } from '../loader/load-spreadsheet.js';
import { registerEngine, type Engine, type EngineOutcome, type EvalRequest, type FactsSource, type ResultSink } from './engine.js';
import { engineProjection, loadFactsForSource, loadFactsOrAbort } from './load-source.js';

/** Results handed to the sink at a time: large enough to amortise a call, small enough to stay young. */
const BATCH = 1024;

/** Decides `subjects` and pushes the kept results to the sink in batches; counts every decision. */
class Pump {
  private batch: RuleResult[] = [];
  private done = 0;

  /** Subjects decided so far. */
  get decidedCount(): number {
    return this.done;
  }

  constructor(private readonly ctx: RunContext, private readonly request: EvalRequest, private readonly sink: ResultSink, readonly summary: Summary) {}

  /** Decides one subject; a promise only when a full batch went to a sink that returned one. */
  one(subject: Subject): void | Promise<void> {
    const { ctx, summary } = this;
    const rules = ctx.compiled.rulesByKind.get(subject.kind);
    if (rules) {
      const omit = this.request.omit;
      for (const rule of rules) {
        const r = decide(ctx, rule, subject);
        summary[r.status]++;
        if (omit.size !== 0 && omit.has(r.status)) continue;
        this.batch.push(r);
      }
    }
    const progress = this.request.progress;
    if (progress && (++this.done & 63) === 0) progress.tick(this.done);
    if (this.batch.length >= BATCH) return this.flush();
  }

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

/** Top-level keys JSON.parse would put first (array indexes), whatever their place in the text. */
const INDEX_KEY = /^(0|[1-9]\d{0,9})$/;

/** Why a JSON file is read the whole-text way after all: its diagnostics then name the exact place. */
class Fallback extends Error {}

/**
 * A JSON facts file read piece by piece (src/loader/json-elements.ts): each subject is parsed,
 * validated and converted (only the fields the policy reads, see src/facts/projection.ts) as it
 * is read, and then, when results may be written early (`--stream`, or an `--out` file that an
 * abort leaves untouched), decided at once and dropped unless a later subject needs it (a
 * reference or a relation some rule follows). Otherwise the projected subjects are kept and
 * decided at the end, as a whole load would. Any problem with the file (not the shape of facts,
 * not JSON, not UTF-8, too many subjects, an invalid fact) stops this and hands the file to the
 * whole-text loader, whose diagnostics are then exactly the usual ones.
 */
async function runJson(path: string, request: EvalRequest, sink: ResultSink, limits: FactsLimits, projection: Projection): Promise<EngineOutcome | undefined> {
  const { policy } = request;
  const opened = openRegular(path);
  if (!('fd' in opened)) return undefined;
  const { fd, stats } = opened;
  const summary = emptySummary();
  const ctx = prepareRun(policy, { asOf: request.asOf, lang: request.lang, explain: sink.needs.explanations, ...request.steps });
  const pump = new Pump(ctx, request, sink, summary);
  const early = request.stream || sink.needs.atomic === true;
  const builder = new FactsBuilder(policy, path, undefined, limits, undefined, { projection, keep: early ? projection.held : undefined });
  const lists = new Map([...policy.kinds.values()].map((k) => [k.listKey, k]));
  const warnings: Diagnostic[] = [];
  const decided = ctx.compiled.rulesByKind;
  const queue: Subject[] = [];
  let head = 0;
  const complete = new Set<string>();
  let begun = false;
  const relationsRead = (): boolean => {
    for (const k of projection.relationKinds) if (!complete.has(k)) return false;
    return true;
  };
  // Decides the subjects at the head of the queue whose facts are all in.
  const drain = async (all: boolean): Promise<void> => {
    if (!begun) {
      begun = true;
      await sink.begin({ policy, asOf: request.asOf, lang: request.lang });
    }
    const related = all || relationsRead();
    while (head < queue.length) {
      const s = queue[head];
      if (!all && (builder.pendingRefs > 0 || (!related && projection.deferred.has(s.kind)))) break;
      queue[head++] = undefined as unknown as Subject;
      const pending = pump.one(s);
      if (pending) await pending;
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
  };
  try {
    if (stats.size > maxFactsFileSize(limits, false)) throw new Fallback();
    let kind: KindInfo | undefined;
    let key = '';
    let index = 0;
    let known = 0;
    const keys = new Set<string>();
    request.progress?.phase('evaluating');
    for (const piece of jsonPieces(fd)) {
      if (piece.type === 'element') {
        const value: unknown = JSON.parse(piece.text);
        if (!kind) continue;
        if (++known > limits.maxSubjects) throw new Fallback();
        const s = builder.add({ kind, value, at: [key, index++] });
        if (builder.errorCount > 0) throw new Fallback();
        if (s && decided.has(s.kind)) {
          queue.push(s);
          if (early && queue.length - head >= 64) await drain(false);
        }
      } else if (piece.type === 'key') {
        key = piece.key;
        if (keys.has(key) || INDEX_KEY.test(key)) throw new Fallback();
        keys.add(key);
        kind = lists.get(key);
        index = 0;
        if (!kind) warnings.push({ ...warning('F0014', { file: path, start: 0, end: 0 }, { name: key }), factsPath: key });
        if (!piece.list) {
          const value: unknown = JSON.parse(piece.text!);
          if (kind && value !== null) throw new Fallback();
          kind = undefined;
        }
      } else {
        if (kind) {
          complete.add(kind.name);
          builder.settle(complete);
          if (builder.errorCount > 0) throw new Fallback();
          if (early) await drain(false);
        }
        kind = undefined;
      }
    }
    const built = builder.finish();
    if (!built.facts) throw new Fallback();
    await drain(true);
    await pump.flush();
    request.progress?.tick(pump.decidedCount, true);
    request.progress?.end();
    const ended = sink.end(summary);
    if (ended) await ended;
    return { summary, diagnostics: [...warnings, ...built.diagnostics], outcome: 'ok' };
  } catch (e) {
    if (!(e instanceof Fallback || e instanceof NotStreamable || e instanceof SyntaxError)) throw e;
    request.progress?.end();
    // Nothing written reaches the user: the whole-text loader reports, and decides if it can.
    if (begun) await sink.abort();
    return begun ? badFactsAfterAbort(path, request, limits, projection) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The diagnostics of a JSON file whose results were begun and aborted: from the whole-text loader. */
async function badFactsAfterAbort(path: string, request: EvalRequest, limits: FactsLimits, projection: Projection): Promise<EngineOutcome> {
  const loaded = await loadFactsForSource(request.policy, { paths: [path], limits }, { projection });
  return { summary: emptySummary(), diagnostics: loaded.diagnostics, texts: loaded.texts, outcome: 'bad-facts' };
}

/** Whether a run streams: the user allows it, the sink takes results early, and the facts are one NDJSON file some kind of which can stream. */
export function streamsUnder(source: FactsSource, request: EvalRequest, sink: ResultSink): boolean {
  return request.stream && sink.needs.streaming && source.paths.length === 1 && !isSpreadsheetFacts(source.paths[0]) && factsFormatOf(source.paths[0]) === 'ndjson' && streamableKinds(request.policy).size > 0;
}

/** The in-process engine (`--engine in-process`, the default). */
export const inProcessEngine: Engine = {
  name: 'in-process',
  async run(source, request, sink) {
    if (streamsUnder(source, request, sink)) return runStreamed(source.paths[0], request, sink, source.limits);
    const only = source.paths.length === 1 ? source.paths[0] : undefined;
    if (!sink.needs.subjects && only !== undefined && factsFormatOf(only) === 'json' && !isSpreadsheetFacts(only)) {
      const done = await runJson(only, request, sink, source.limits ?? DEFAULT_FACTS_LIMITS, engineProjection(request, sink));
      if (done) return done;
    }
    return runLoaded(source, request, sink);
  },
};

registerEngine(inProcessEngine);
