/**
 * `clausal eval --stream`: NDJSON facts in, JSON or NDJSON results out, with memory that does
 * not grow with the number of streamed subjects (see facts/stream-facts.ts for which subjects
 * are held and which stream). Results are written as each batch is decided.
 */
import { error, type Diagnostic } from '../model/diagnostics.js';
import { emptySummary, type Summary } from '../model/result.js';
import type { Policy } from '../model/types.js';
import type { FactsLimits } from '../facts/facts.js';
import { streamableKinds, streamFacts, type StreamEnd } from '../facts/stream-facts.js';
import { evaluateSubjects, prepareRun, type EvaluateOptions } from '../eval/evaluate.js';
import { jsonBytes, ndjsonBytes, type ResultFields } from '../report/eval-json.js';
import { NotRegularError, NotUtf8Error, readLines } from '../loader/read-lines.js';
import type { RuleResult } from '../model/result.js';
import { writeFileAtomic } from './write-atomic.js';
import type { CliIo } from './main.js';

/** How a streamed evaluation ended. */
export interface StreamOutcome {
  readonly summary: Summary;
  readonly diagnostics: readonly Diagnostic[];
  /** Facts errors: the output is incomplete (and `--out` was not written). */
  readonly badFacts: boolean;
  /** Could not write `--out`. */
  readonly writeError?: Diagnostic;
  readonly held: number;
  readonly streamed: number;
}

class StreamFailed extends Error {}

/** Kinds that stream under this policy; empty when every subject must be held. */
export { streamableKinds };

/** Evaluates NDJSON facts streamed from `factsPath` and writes the results. */
export function evaluateStreamed(io: CliIo, policy: Policy, run: { factsPath: string; options: EvaluateOptions; fields: ResultFields; format: 'json' | 'ndjson'; out?: string; limits?: FactsLimits }): StreamOutcome {
  const summary = emptySummary();
  const streamed = streamableKinds(policy);
  let end: StreamEnd | undefined;
  let readError: Diagnostic | undefined;
  const ctx = prepareRun(policy, { ...run.options, explain: run.fields === 'all' });
  function* results(): Generator<RuleResult> {
    let lines;
    try {
      lines = readLines(run.factsPath);
      const parts = streamFacts(policy, run.factsPath, lines, { streamed, limits: run.limits });
      for (;;) {
        const step = parts.next();
        if (step.done) {
          end = step.value;
          break;
        }
        yield* evaluateSubjects(ctx, step.value.facts.subjects, summary);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (e instanceof NotUtf8Error) readError = error('F0019', { file: run.factsPath, start: 0, end: 0 }, { byte: e.byteOffset });
      else if (e instanceof NotRegularError) readError = error('F0100', { file: run.factsPath, start: 0, end: 0 }, { path: run.factsPath, what: e.what });
      else if (code) readError = error('F0001', undefined, { detail: `${run.factsPath}: ${code}` });
      else throw e;
    }
    if (readError || end?.failed) throw new StreamFailed();
  }
  const head = { policy: { id: policy.id, version: policy.version }, asOf: run.options.asOf };
  const chunks = run.format === 'json' ? jsonBytes(head, results(), () => summary, run.fields) : ndjsonBytes(results(), run.fields);
  let writeError: Diagnostic | undefined;
  try {
    if (run.out) writeFileAtomic(run.out, chunks);
    else for (const c of chunks) io.stdout.write(io.stdout === process.stdout ? c : new TextDecoder().decode(c));
  } catch (e) {
    if (!(e instanceof StreamFailed)) {
      if (run.out && (e as NodeJS.ErrnoException).code) writeError = error('X0005', undefined, { path: run.out, detail: (e as NodeJS.ErrnoException).code! });
      else throw e;
    }
  }
  const diagnostics = [...(readError ? [readError] : []), ...(end?.diagnostics ?? [])];
  return { summary, diagnostics, badFacts: readError !== undefined || (end?.failed ?? false), writeError, held: end?.held ?? 0, streamed: end?.streamed ?? 0 };
}
