/**
 * `clausal eval … --record FILE`: evaluates in memory, stores the run in the records database
 * (one transaction), then writes the report. JSON and NDJSON results carry each decision's
 * `receipt`; the HTML report gains a section on the change since the previous recorded run
 * of the same policy. The database is opened only for the moment of writing, so other
 * recorders wait for a moment, not for a whole evaluation.
 */
import { resolve } from 'node:path';
import { error } from '../model/diagnostics.js';
import type { Status } from '../model/result.js';
import type { LoadedPolicy } from '../policy-sources.js';
import { evaluate } from '../eval/evaluate.js';
import { subjectInfos } from '../facts/subject-info.js';
import type { FactsLimits } from '../facts/facts.js';
import { reportToText } from '../report/eval-text.js';
import { changeSectionHtml } from '../report/records-compare.js';
import { openRecords } from '../records/database.js';
import { compareRuns, previousRun, runHead, type Comparison } from '../records/compare.js';
import { recordRun, resultLine } from '../records/record-run.js';
import { ENGINE_VERSION, factsFiles, newRunKey, paramsInForce, policyFiles, receiptOf } from '../records/run-record.js';
import { EXIT, emit, formatRenderer, loadFactsSetOrReport, type Ctx } from './main.js';
import type { ParsedArgs } from './args.js';

/** What the eval command has already resolved. */
export interface RecordedEval {
  readonly db: string;
  readonly policyDir: string;
  readonly loaded: LoadedPolicy;
  readonly factsPath: string;
  readonly asOf: string;
  readonly format: string;
  readonly out?: string;
  readonly failOn: readonly string[];
  readonly limits?: FactsLimits;
  readonly copyFacts: boolean;
  /** `--max-steps`, `--max-run-steps`. */
  readonly steps?: { readonly maxSteps?: number; readonly maxRunSteps?: number };
  readonly args: ParsedArgs;
}

/** The options that cannot be combined with `--record` (they stream, split or trim results). */
export const NOT_WITH_RECORD = ['stream', 'explain', 'fields', 'omit', 'engine'] as const;

function commandLine(args: ParsedArgs): string[] {
  const out = ['clausal', 'eval', ...args.positionals];
  for (const [k, v] of args.values) out.push(`--${k}`, v);
  for (const [k, vs] of args.multi) for (const v of vs) out.push(`--${k}`, v);
  for (const k of args.flags) out.push(`--${k}`);
  return out;
}

/** Runs a recorded evaluation; returns the exit code. */
export async function evalRecorded(ctx: Ctx, e: RecordedEval): Promise<number> {
  const policy = e.loaded.policy!;
  const startedAt = new Date();
  const facts = await loadFactsSetOrReport(ctx, policy, [e.factsPath], e.limits);
  if (!facts) return EXIT.badFacts;
  const report = evaluate(policy, facts, { asOf: e.asOf, lang: ctx.lang, explain: true, ...e.steps });
  const infos = subjectInfos(policy, facts);
  const finishedAt = new Date();
  const stored = policyFiles(e.loaded, e.policyDir, ctx.io.cwd);
  const factsStored = factsFiles(e.factsPath, e.copyFacts);
  const runKey = newRunKey();
  const opened = await openRecords(e.db, { mode: 'write' });
  if (!opened.db) {
    ctx.report([opened.problem]);
    return EXIT.diagnostics;
  }
  if (opened.notes.length) ctx.report(opened.notes);
  let run: number;
  let change: Comparison | undefined;
  try {
    run = await recordRun(opened.db, {
      runKey, policy: { id: policy.id, version: policy.version }, policyHash: stored.policyHash, policyDir: stored.policyDir,
      asOf: e.asOf, lang: ctx.lang, engineVersion: ENGINE_VERSION, commandLine: commandLine(e.args), cwd: ctx.io.cwd,
      startedAt, finishedAt, factsPath: resolve(ctx.io.cwd, e.factsPath), factsHash: factsStored.hash, factsCopy: e.copyFacts,
      files: [...stored.files, ...factsStored.files], params: paramsInForce(policy, e.asOf), rules: policy.rules, subjects: facts.subjects.length,
      results: report.results, infos, summary: report.summary,
    });
    if (e.format === 'html') {
      const prev = await previousRun(opened.db, policy.id, run);
      const cur = await runHead(opened.db, run);
      if (prev && cur) change = await compareRuns(opened.db, prev, cur);
    }
  } catch (err) {
    ctx.report([error('R0504', undefined, { path: e.db, detail: (err as Error).message.split('\n')[0] })]);
    return EXIT.diagnostics;
  } finally {
    opened.db.close();
  }
  ctx.io.stderr.write(ctx.lang === 'zh' ? `clausal: 已记录为第 ${run} 次检查（${e.db}）\n` : `clausal: recorded as run ${run} in ${e.db}\n`);
  const withReceipt = (r: (typeof report.results)[number]) => {
    const line = resultLine(r);
    return `${line.slice(0, -1)},"receipt":"${receiptOf(runKey, r.subject.kind, r.subject.id, r.rule)}"}`;
  };
  let chunks: Iterable<string | Uint8Array>;
  if (e.format === 'ndjson') chunks = report.results.map((r) => `${withReceipt(r)}\n`);
  else if (e.format === 'json') {
    const lines = report.results.map(withReceipt);
    chunks = [`{\n  "policy": ${JSON.stringify({ id: policy.id, version: policy.version })},\n  "asOf": ${JSON.stringify(e.asOf)},\n  "results": [`,
      lines.length ? `\n    ${lines.join(',\n    ')}\n  ` : '', `],\n  "summary": ${JSON.stringify(report.summary)},\n  "run": ${run}\n}\n`];
  } else if (e.format === 'text') {
    chunks = [reportToText(report, { lang: ctx.lang, color: false, subjects: infos, all: e.args.flags.has('all'), policy })];
  } else {
    const render = formatRenderer(e.format)!;
    const rendered = await render({ report, lang: ctx.lang, subjects: infos, policy });
    // HTML is text: the change section goes into its head.
    chunks = change && e.format === 'html' ? withSection(rendered, changeSectionHtml(change, ctx.lang)) : rendered;
  }
  if (!emit(ctx, e.out, chunks)) return EXIT.diagnostics;
  return e.failOn.some((s) => report.summary[s as Status] > 0) ? EXIT.failOn : EXIT.ok;
}

/** The HTML report with the change section placed before its clause section (in the first chunk, the page's head). */
function* withSection(chunks: Iterable<string | Uint8Array>, section: string): Generator<string | Uint8Array> {
  let done = false;
  for (const c of chunks) {
    if (!done && typeof c === 'string' && c.includes('<section id="clauses">')) {
      done = true;
      yield (c as string).replace('<section id="clauses">', `${section}<section id="clauses">`);
    } else yield c;
  }
}
