/**
 * `clausal eval --jobs N`: the subjects are cut into chunks and N worker threads
 * (node:worker_threads) decide and render them; this thread writes the chunks in order, so the
 * output is byte for byte that of one thread. Each worker loads the facts itself: subjects are
 * linked object graphs, which threads cannot share, so parsing is repeated in every worker
 * (at the same time) and memory is about N times that of one run.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { emptySummary, type Status, type Summary } from '../model/result.js';
import type { FactsLimits } from '../facts/facts.js';
import type { ResultFields } from '../report/eval-json.js';
import type { EvalWorkerData, EvalWorkerMessage } from './eval-worker.js';
import type { CliIo } from './main.js';
import { writeAll } from './write-atomic.js';

/** What a parallel evaluation needs. */
export interface ParallelEval {
  readonly policyDir: string;
  readonly policy: { readonly id: string; readonly version: string };
  readonly factsPath: string;
  readonly asOf: string;
  readonly lang: 'zh' | 'en';
  readonly fields: ResultFields;
  readonly format: 'json' | 'ndjson';
  readonly jobs: number;
  readonly out?: string;
  readonly limits?: FactsLimits;
  /** The evaluation budget; the per-run one applies to each thread's share. */
  readonly steps?: { readonly maxSteps?: number; readonly maxRunSteps?: number };
  /** Subjects per chunk (default 2048). */
  readonly chunk?: number;
}

/** How a parallel evaluation ended. */
export type ParallelOutcome =
  | { readonly ok: true; readonly summary: Summary }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly texts: ReadonlyMap<string, string>; readonly badFacts: boolean };

/** Where the bytes go: a temporary file renamed over `--out` at the end, or stdout. */
class Sink {
  private fd: number | undefined;
  private readonly tmp: string | undefined;

  constructor(private readonly io: CliIo, private readonly out: string | undefined) {
    if (out) {
      this.tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${Date.now()}.tmp`);
      this.fd = openSync(this.tmp, 'wx');
    }
  }

  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.fd !== undefined) writeAll(this.fd, bytes);
    else this.io.stdout.write(this.io.stdout === process.stdout ? bytes : new TextDecoder().decode(bytes));
  }

  /** Makes the file visible (or, with `keep` false, removes it). */
  close(keep: boolean): void {
    if (this.fd === undefined || !this.tmp || !this.out) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (keep) fsyncSync(fd);
    } finally {
      closeSync(fd);
      if (keep) renameSync(this.tmp, this.out);
      else rmSync(this.tmp, { force: true });
    }
  }
}

/**
 * Whether the worker module is there: it is when the CLI runs from its build, not when the
 * TypeScript sources run in-process (tests), where `--jobs` then runs on one thread.
 */
export function parallelAvailable(): boolean {
  return existsSync(fileURLToPath(new URL('./eval-worker.js', import.meta.url)));
}

/** Runs the evaluation on `jobs` worker threads and writes its output. */
export async function evaluateInParallel(io: CliIo, run: ParallelEval): Promise<ParallelOutcome> {
  const workerUrl = new URL('./eval-worker.js', import.meta.url);
  const chunk = run.chunk ?? 2048;
  const workers: Worker[] = [];
  const pending = new Map<number, readonly Uint8Array[]>();
  const summary = emptySummary();
  let next = 0;
  let total = -1;
  let loadedCount = 0;
  let done = 0;
  let firstLine = true;
  let sink: Sink | undefined;
  const encoder = new TextEncoder();

  // A file-system error while writing `--out` (a full disk, a path under a file) is the user's
  // X0005 with exit 1, as for one thread, not an internal error.
  const writeFailure = (e: unknown): ParallelOutcome | undefined => {
    const errno = e as NodeJS.ErrnoException;
    if (!run.out || typeof errno.code !== 'string' || errno.syscall === undefined) return undefined;
    return { ok: false, diagnostics: [error('X0005', undefined, { path: run.out, detail: errno.code })], texts: new Map(), badFacts: false };
  };

  return await new Promise<ParallelOutcome>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: ParallelOutcome | Error): void => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      try {
        sink?.close(!(outcome instanceof Error) && outcome.ok);
      } catch (e) {
        const failed = writeFailure(e);
        if (failed) resolve(failed);
        else reject(e);
        return;
      }
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const drain = (): void => {
      for (let parts = pending.get(next); parts !== undefined; parts = pending.get(next)) {
        pending.delete(next);
        next++;
        for (let bytes of parts) {
          if (run.format === 'json' && firstLine && bytes.length > 0) {
            // Every line of a worker starts `,\n    `; the first of the report has no comma.
            bytes = bytes.subarray(1);
            firstLine = false;
          }
          sink!.write(bytes);
        }
      }
    };
    const onMessage = (m: EvalWorkerMessage): void => {
      try {
        switch (m.type) {
          case 'loaded':
            if (!m.ok) {
              if (m.diagnostics.length === 0) return; // the first worker reports them
              let text = '';
              try {
                text = readFileSync(run.factsPath, 'utf8');
              } catch {
                // the diagnostics say why; no frames then
              }
              finish({ ok: false, diagnostics: m.diagnostics, texts: new Map([[run.factsPath, text]]), badFacts: true });
              return;
            }
            total = m.chunks;
            if (++loadedCount === 1) {
              sink = new Sink(io, run.out);
              if (run.format === 'json') {
                sink.write(encoder.encode(`{\n  "policy": ${JSON.stringify({ id: run.policy.id, version: run.policy.version })},\n  "asOf": ${JSON.stringify(run.asOf)},\n  "results": [`));
              }
            }
            return;
          case 'failed':
            finish({ ok: false, diagnostics: m.diagnostics, texts: new Map(), badFacts: false });
            return;
          case 'chunk':
            pending.set(m.seq, m.parts);
            drain();
            return;
          case 'done':
            for (const [k, v] of Object.entries(m.summary)) summary[k as Status] += v;
            if (++done === workers.length) {
              drain();
              if (next !== total) throw new Error(`parallel evaluation lost chunks (${next} of ${total})`);
              if (run.format === 'json') sink!.write(encoder.encode(`${firstLine ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary)}\n}\n`));
              finish({ ok: true, summary });
            }
            return;
        }
      } catch (e) {
        finish(writeFailure(e) ?? (e as Error));
      }
    };
    for (let index = 0; index < run.jobs; index++) {
      const data: EvalWorkerData = { policyDir: run.policyDir, factsPath: run.factsPath, asOf: run.asOf, lang: run.lang, fields: run.fields, format: run.format, index, jobs: run.jobs, chunk, limits: run.limits, steps: run.steps };
      // A young generation larger than the default: each worker holds a whole province in its
      // old generation, and fewer scavenges mean fewer walks over it.
      const w = new Worker(workerUrl, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 32 } });
      w.on('message', onMessage);
      w.on('error', (e) => finish(e));
      w.on('exit', (code) => {
        if (code !== 0 && !settled) finish(new Error(`worker thread ${index} exited with code ${code}`));
      });
      workers.push(w);
    }
  });
}

/** The diagnostic for `--jobs` values that are not a positive integer. */
export function badJobs(value: string): Diagnostic {
  return error('X0004', undefined, { option: '--jobs', value, expected: 'a positive integer' });
}
