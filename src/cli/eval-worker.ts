/**
 * One worker thread of `clausal eval --jobs N` (see eval-parallel.ts). Each worker loads the
 * policy and the whole facts file itself (subjects are linked objects and cannot be shared
 * between threads), then decides and renders every `jobs`-th chunk of subjects, starting at its
 * own index, and sends the rendered bytes to the main thread, which writes them in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Lang } from '../model/diagnostics.js';
import { emptySummary } from '../model/result.js';
import { loadPolicy } from '../loader/load-policy.js';
import { loadFacts } from '../loader/load-facts.js';
import type { FactsLimits } from '../facts/facts.js';
import { evaluateSubjects, prepareRun } from '../eval/evaluate.js';
import { EvaluationBudgetExceeded } from '../compile/budget.js';
import { NdjsonRenderer, Utf8Chunker, type ResultFields } from '../report/eval-json.js';

/** What the main thread gives each worker. */
export interface EvalWorkerData {
  readonly policyDir: string;
  readonly factsPath: string;
  readonly asOf: string;
  readonly lang: Lang;
  readonly fields: ResultFields;
  readonly format: 'json' | 'ndjson';
  readonly index: number;
  readonly jobs: number;
  /** Subjects per chunk. */
  readonly chunk: number;
  readonly limits?: FactsLimits;
  readonly steps?: { readonly maxSteps?: number; readonly maxRunSteps?: number };
}

/** Messages from a worker. */
export type EvalWorkerMessage =
  | { readonly type: 'loaded'; readonly ok: boolean; readonly diagnostics: readonly import('../model/diagnostics.js').Diagnostic[]; readonly chunks: number }
  | { readonly type: 'chunk'; readonly seq: number; readonly parts: readonly Uint8Array[] }
  | { readonly type: 'done'; readonly summary: Record<string, number> }
  /** The evaluation budget ran out (E0100/E0101). */
  | { readonly type: 'failed'; readonly diagnostics: readonly import('../model/diagnostics.js').Diagnostic[] };

function run(data: EvalWorkerData, post: (m: EvalWorkerMessage, transfer?: ArrayBuffer[]) => void): void {
  const { policy } = loadPolicy(data.policyDir);
  if (!policy) throw new Error('policy did not load in a worker thread');
  const loaded = loadFacts(policy, data.factsPath, data.limits);
  const facts = loaded.facts;
  const subjects = facts?.subjects ?? [];
  const chunks = Math.ceil(subjects.length / data.chunk);
  // Only the first worker reports diagnostics: every worker finds the same ones.
  post({ type: 'loaded', ok: facts !== undefined, diagnostics: data.index === 0 ? loaded.diagnostics : [], chunks });
  if (!facts) return;
  const ctx = prepareRun(policy, { asOf: data.asOf, lang: data.lang, explain: data.fields === 'all', ...data.steps });
  const summary = emptySummary();
  // JSON lines all start with a comma here; the main thread drops the very first one.
  const renderer = new NdjsonRenderer(data.fields, data.format === 'json', true);
  const out = new Utf8Chunker(1 << 20);
  for (let seq = data.index; seq < chunks; seq += data.jobs) {
    try {
      for (const r of evaluateSubjects(ctx, subjects.slice(seq * data.chunk, (seq + 1) * data.chunk), summary)) renderer.write(r, out);
    } catch (e) {
      if (!(e instanceof EvaluationBudgetExceeded)) throw e;
      post({ type: 'failed', diagnostics: [e.diagnostic] });
      return;
    }
    out.flush();
    // Each part owns its buffer: transferred, not copied.
    const parts = out.ready.splice(0);
    post({ type: 'chunk', seq, parts }, parts.map((p) => p.buffer as ArrayBuffer));
  }
  post({ type: 'done', summary: { ...summary } });
}

if (parentPort) {
  const port = parentPort;
  run(workerData as EvalWorkerData, (m, transfer) => port.postMessage(m, transfer ?? []));
}
