/**
 * A progress line on stderr for long runs (loading facts, evaluating), redrawn in place with
 * `\r`. Shown only to a person watching: stderr must be a terminal, and JSON or NDJSON going
 * to stdout means a program is reading, so nothing extra is drawn. Redraws are throttled (at
 * most one per 100 ms) so a million subjects do not cost a million terminal writes.
 */
import type { Facts, Subject } from '../facts/facts.js';
import type { Lang } from '../model/diagnostics.js';
import { evaluate, evaluateLazily, evaluateSubjects, prepareRun, type EvaluateOptions } from '../eval/evaluate.js';
import { emptySummary, type EvaluationReport, type RuleResult, type Summary } from '../model/result.js';
import type { Policy } from '../model/types.js';

/** What the progress line needs from the CLI's IO. */
export interface ProgressIo {
  readonly stderr: { write(chunk: string): unknown; isTTY?: boolean };
}

/** A progress line; every method is a no-op when it is not shown. */
export interface Progress {
  readonly enabled: boolean;
  /** Starts a phase with a label (`loading facts`), optionally counting to `total`. */
  phase(label: string, total?: number): void;
  /** Sets the count of the current phase (throttled unless `force`: the last count is always drawn). */
  tick(done: number, force?: boolean): void;
  /** Wraps `subjects` so that iterating them advances the count. */
  track(subjects: readonly Subject[]): Iterable<Subject>;
  /** Clears the line. */
  end(): void;
}

/** Whether to draw: a terminal on stderr, and no JSON/NDJSON on stdout. */
export function progressWanted(io: ProgressIo, format: string, out: string | undefined): boolean {
  if (!io.stderr.isTTY) return false;
  return !((format === 'json' || format === 'ndjson') && !out);
}

/** A progress line on `io.stderr`; `now` is injectable for tests. */
export function createProgress(io: ProgressIo, enabled: boolean, lang: Lang, now: () => number = Date.now): Progress {
  let label = '';
  let total: number | undefined;
  let last = -Infinity;
  let width = 0;
  const draw = (done: number | undefined, force: boolean) => {
    const t = now();
    if (!force && t - last < 100) return;
    last = t;
    let line = label;
    if (done !== undefined && total) {
      const pct = Math.floor((done / total) * 100);
      const filled = Math.round(pct / 5);
      line += ` [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${done}/${total} (${pct}%)`;
    } else line += '…';
    io.stderr.write(`\r${line}${' '.repeat(Math.max(0, width - line.length))}`);
    width = line.length;
  };
  if (!enabled) {
    return { enabled, phase() {}, tick() {}, track: (s) => s, end() {} };
  }
  const progress: Progress = {
    enabled,
    phase(l, n) {
      label = lang === 'zh' ? ZH[l] ?? l : l;
      total = n;
      draw(n === undefined ? undefined : 0, true);
    },
    tick(done, force = false) {
      draw(done, force);
    },
    *track(subjects) {
      let i = 0;
      for (const s of subjects) {
        yield s;
        if ((++i & 63) === 0) progress.tick(i);
      }
      // The last count is always drawn: a run ends at 100%, not at the last throttled redraw.
      draw(i, true);
    },
    end() {
      if (width > 0) io.stderr.write(`\r${' '.repeat(width)}\r`);
      width = 0;
    },
  };
  return progress;
}

const ZH: Record<string, string> = {
  'loading facts': '正在载入事实',
  evaluating: '正在评估',
};

/** {@link evaluate} with the subjects counted on `progress`: the same report. */
export function evaluateWithProgress(policy: Policy, facts: Facts, options: EvaluateOptions, progress: Progress): EvaluationReport {
  if (!progress.enabled) return evaluate(policy, facts, options);
  const summary = emptySummary();
  progress.phase('evaluating', facts.subjects.length);
  const results = [...evaluateSubjects(prepareRun(policy, options), progress.track(facts.subjects), summary)];
  progress.end();
  return { policy: { id: policy.id, version: policy.version, title: policy.title?.zh }, asOf: options.asOf, results, summary };
}

/** {@link evaluateLazily} with the subjects counted on `progress` as results are consumed. */
export function evaluateLazilyWithProgress(policy: Policy, facts: Facts, options: EvaluateOptions, summary: Summary, progress: Progress): Iterable<RuleResult> {
  if (!progress.enabled) return evaluateLazily(policy, facts, options, summary);
  progress.phase('evaluating', facts.subjects.length);
  return evaluateSubjects(prepareRun(policy, options), progress.track(facts.subjects), summary);
}
