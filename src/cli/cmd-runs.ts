/**
 * `clausal runs list|show N|verify N|compare A B|receipt ID --db FILE`: reading the records
 * database. `verify` re-evaluates a run from its stored policy and facts and exits 0 when every
 * result line is byte-identical, 1 otherwise (contract section 5).
 */
import { error, hasErrors, type Diagnostic } from '../model/diagnostics.js';
import { evaluate } from '../eval/evaluate.js';
import { loadPolicy } from '../loader/load-policy.js';
import { join } from 'node:path';
import { openRecords, type RecordsDb } from '../records/database.js';
import { compareRuns, runHead } from '../records/compare.js';
import { listRuns, receiptOfId, runDetail, storedFiles, storedLines, type Receipt, type RunDetail, type RunSummary } from '../records/queries.js';
import { resultLine } from '../records/record-run.js';
import { restoreRun } from '../records/restore.js';
import { ENGINE_VERSION } from '../records/run-record.js';
import { comparisonToJson, comparisonToMarkdown, comparisonToText, statusWord } from '../report/records-compare.js';
import type { Lang } from '../model/diagnostics.js';
import { EXIT, choice, emit, loadFactsSetOrReport, registerCommand, usage, type Ctx } from './main.js';

const USAGE = 'clausal runs list|show N|verify N|compare A B|receipt ID --db FILE [--format text|json] [--out FILE]';

/** Opens the database named by `--db` for reading (or reports why not). */
export async function openForReading(ctx: Ctx, db: string | undefined, usageText: string): Promise<RecordsDb | number> {
  if (!db) return usage(ctx, error('X0003', undefined, { what: ' --db <file>' }), usageText);
  const opened = await openRecords(db, { mode: 'read' });
  if (!opened.db) {
    ctx.report([opened.problem]);
    return EXIT.diagnostics;
  }
  return opened.db;
}

function runNumber(ctx: Ctx, text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9]\d{0,9}$/.test(text)) {
    ctx.report([error('X0502', undefined, { value: text ?? '' })]);
    return undefined;
  }
  return Number(text);
}

const counts = (s: Record<string, number>, lang: Lang) =>
  ['violation', 'pending', 'unknown'].map((k) => `${statusWord(k, lang)} ${s[k] ?? 0}`).join(lang === 'zh' ? '，' : ', ');

function listText(runs: readonly RunSummary[], lang: Lang): string {
  if (runs.length === 0) return lang === 'zh' ? '（还没有记录）\n' : '(no runs recorded)\n';
  return runs.map((r) => `${String(r.run).padStart(4)}  ${r.policyId} ${r.policyVersion}  ${lang === 'zh' ? '评估日期' : 'as of'} ${r.asOf}  ${r.subjects} ${lang === 'zh' ? '个对象' : 'subjects'}  ${counts(r.summary, lang)}  ${lang === 'zh' ? '记录于' : 'recorded'} ${r.recordedAt}\n`).join('');
}

function showText(d: RunDetail, lang: Lang): string {
  const zh = lang === 'zh';
  const lines = [
    `${zh ? '第' : 'run'} ${d.run}${zh ? ' 次检查' : ''}: ${d.policyId} ${d.policyVersion}`,
    `  ${zh ? '评估日期' : 'as of'}: ${d.asOf}`,
    `  ${zh ? '政策哈希' : 'policy hash'}: ${d.policyHash}`,
    `  ${zh ? '事实' : 'facts'}: ${d.factsPath} (sha256 ${d.factsHash})${d.factsCopy ? (zh ? '，已保存副本' : ', copy stored') : (zh ? '，未保存副本' : ', no copy stored')}`,
    `  ${zh ? '引擎' : 'engine'}: ${d.engineVersion}`,
    `  ${zh ? '命令' : 'command'}: ${d.commandLine.join(' ')}`,
    `  ${zh ? '开始' : 'started'}: ${d.startedAt}  ${zh ? '结束' : 'finished'}: ${d.recordedAt}`,
    `  ${zh ? '结果' : 'results'}: ${d.results} (${Object.entries(d.summary).filter(([, n]) => n > 0).map(([k, n]) => `${statusWord(k, lang)} ${n}`).join(', ')})`,
    `  ${zh ? '文件' : 'files'}:`,
    ...d.files.map((f) => `    ${f.role.padEnd(7)} ${f.path}  ${f.bytes} B  sha256 ${f.sha256.slice(0, 16)}…${f.stored ? '' : (zh ? '（未保存）' : ' (not stored)')}`),
    `  ${zh ? '当日有效的参数' : 'parameters in force'}:`,
    ...d.params.map((p) => `    ${p.name} = ${JSON.stringify(p.value)}${p.since ? (zh ? `（自 ${p.since} 起）` : ` (since ${p.since})`) : ''}`),
  ];
  return `${lines.join('\n')}\n`;
}

function receiptText(r: Receipt, lang: Lang): string {
  const zh = lang === 'zh';
  const res = r.result as { subject: { kind: string; id: string }; rule: string; cite: string; status: string; due: string | null; missing: string[]; explanation: string; figures?: { path: string }[] };
  const used = new Set((res.figures ?? []).filter((f) => f.path.startsWith('param ')).map((f) => f.path.slice(6)));
  const params = r.params.filter((p) => used.has(p.name));
  const lines = [
    `${zh ? '回执' : 'receipt'} ${r.receipt}`,
    `  ${zh ? '检查' : 'run'}: ${r.run.run}  ${r.run.policyId} ${r.run.policyVersion}  ${zh ? '评估日期' : 'as of'} ${r.run.asOf}  ${zh ? '记录于' : 'recorded'} ${r.run.recordedAt}`,
    `  ${zh ? '对象' : 'subject'}: ${res.subject.kind} ${res.subject.id}${r.subjectName ? ` ${r.subjectName}` : ''}${r.prefecture ? `（${r.prefecture}）` : ''}`,
    `  ${zh ? '规则' : 'rule'}: ${res.rule} ${res.cite}${r.rule.title ? ` ${r.rule.title}` : ''}`,
    ...(r.rule.quote ? [`  ${zh ? '原文' : 'quote'}: “${r.rule.quote}”`] : []),
    `  ${zh ? '结论' : 'status'}: ${statusWord(res.status, lang)}${res.due ? `  ${zh ? '期限' : 'due'} ${res.due}` : ''}`,
    ...(res.missing.length ? [`  ${zh ? '缺少' : 'missing'}: ${res.missing.join(', ')}`] : []),
    `  ${zh ? '说明' : 'explanation'}: ${res.explanation}`,
    ...(params.length ? [`  ${zh ? '所用参数' : 'parameters used'}:`, ...params.map((p) => `    ${p.name} = ${JSON.stringify(p.value)}${p.since ? (zh ? `（自 ${p.since} 起）` : ` (since ${p.since})`) : ''}`)] : []),
    `  ${zh ? '政策哈希' : 'policy hash'}: ${r.run.policyHash}`,
    `  ${zh ? '事实哈希' : 'facts hash'}: ${r.run.factsHash}`,
    `  ${zh ? '引擎' : 'engine'}: ${r.run.engineVersion}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The outcome of re-evaluating a run. */
interface Verdict {
  readonly same: boolean;
  readonly problems: readonly Diagnostic[];
  readonly compared: number;
  readonly differences: readonly { index: number; stored?: string; now?: string }[];
  readonly engine: { readonly stored: string; readonly now: string };
}

async function verifyRun(ctx: Ctx, db: RecordsDb, d: RunDetail): Promise<Verdict> {
  const engine = { stored: d.engineVersion, now: ENGINE_VERSION };
  const restored = restoreRun(d.run, await storedFiles(db, d.run), { path: d.factsPath, hash: d.factsHash, copy: d.factsCopy });
  try {
    if (restored.problems.length || !restored.factsPath) return { same: false, problems: restored.problems, compared: 0, differences: [], engine };
    // The restored folder holds exactly the files the run read (its policy, what it extends, its
    // source, wherever --policy-root let them be) and nothing else: it is the root to resolve in.
    const loaded = loadPolicy(join(restored.root, d.policyDir), { root: restored.root, maxCompiledSize: ctx.maxCompiledSize });
    if (!loaded.policy || hasErrors(loaded.diagnostics)) return { same: false, problems: loaded.diagnostics, compared: 0, differences: [], engine };
    const quiet: Diagnostic[] = [];
    const sink: Ctx = { io: ctx.io, lang: ctx.lang, report: (ds) => { quiet.push(...ds); } };
    // The loader behind `eval --facts`: a folder of prefecture workbooks replays as it was read.
    const facts = await loadFactsSetOrReport(sink, loaded.policy, [restored.factsPath]);
    if (!facts) return { same: false, problems: quiet, compared: 0, differences: [], engine };
    const now = evaluate(loaded.policy, facts, { asOf: d.asOf, lang: d.lang === 'en' ? 'en' : 'zh', explain: true }).results.map(resultLine);
    const stored = await storedLines(db, d.run);
    const differences: { index: number; stored?: string; now?: string }[] = [];
    for (let i = 0; i < Math.max(now.length, stored.length); i++) {
      if (now[i] !== stored[i]) differences.push({ index: i, stored: stored[i], now: now[i] });
    }
    return { same: differences.length === 0, problems: [], compared: stored.length, differences, engine };
  } finally {
    restored.dispose();
  }
}

function verdictText(d: RunDetail, v: Verdict, lang: Lang): string {
  const zh = lang === 'zh';
  if (v.same) return zh ? `第 ${d.run} 次检查复核一致：${v.compared} 项结果逐字节相同\n` : `run ${d.run} verified: all ${v.compared} results are byte-identical\n`;
  const lines = [zh ? `第 ${d.run} 次检查复核不一致` : `run ${d.run} does not verify`];
  if (v.engine.stored !== v.engine.now) lines.push(zh ? `  引擎版本不同：记录时 ${v.engine.stored}，现在 ${v.engine.now}` : `  engine version differs: recorded with ${v.engine.stored}, now ${v.engine.now}`);
  if (v.differences.length) lines.push(zh ? `  ${v.differences.length} 项结果不同：` : `  ${v.differences.length} results differ:`);
  for (const x of v.differences.slice(0, 20)) {
    lines.push(`  #${x.index}`, `    - ${x.stored ?? (zh ? '（无）' : '(none)')}`, `    + ${x.now ?? (zh ? '（无）' : '(none)')}`);
  }
  if (v.differences.length > 20) lines.push(zh ? `  ……另有 ${v.differences.length - 20} 项` : `  … and ${v.differences.length - 20} more`);
  return `${lines.join('\n')}\n`;
}

registerCommand('runs', {
  options: { db: 'value', format: 'value', out: 'value', policy: 'value' },
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args.positionals;
    const arity: Record<string, number> = { list: 0, show: 1, verify: 1, compare: 2, receipt: 1 };
    if (!sub || !(sub in arity)) return usage(ctx, error('X0004', undefined, { option: 'runs', value: sub ?? '', expected: Object.keys(arity).join('|') }), USAGE);
    if (rest.length !== arity[sub]) return usage(ctx, error('X0003', undefined, { what: ` ${USAGE.split(' --db')[0]}` }), USAGE);
    const format = choice(ctx, args, 'format', sub === 'compare' ? ['text', 'json', 'markdown'] : ['text', 'json'], 'text');
    if (!format) return EXIT.usage;
    const nums: number[] = [];
    if (sub !== 'receipt') {
      for (const t of rest) {
        const n = runNumber(ctx, t);
        if (n === undefined) return EXIT.usage;
        nums.push(n);
      }
    }
    const db = await openForReading(ctx, args.values.get('db'), USAGE);
    if (typeof db === 'number') return db;
    const out = args.values.get('out');
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    try {
      if (sub === 'list') {
        const runs = await listRuns(db, args.values.get('policy'));
        return emit(ctx, out, [format === 'json' ? json(runs) : listText(runs, ctx.lang)]) ? EXIT.ok : EXIT.diagnostics;
      }
      if (sub === 'receipt') {
        const r = await receiptOfId(db, rest[0], ctx.lang);
        if (!r) {
          ctx.report([error('R0506', undefined, { path: db.path, id: rest[0] })]);
          return EXIT.diagnostics;
        }
        return emit(ctx, out, [format === 'json' ? json(r) : receiptText(r, ctx.lang)]) ? EXIT.ok : EXIT.diagnostics;
      }
      if (sub === 'compare') {
        const [a, b] = await Promise.all(nums.map((n) => runHead(db, n)));
        const missing = !a ? nums[0] : !b ? nums[1] : undefined;
        if (missing !== undefined) {
          ctx.report([error('R0505', undefined, { path: db.path, run: missing })]);
          return EXIT.diagnostics;
        }
        const c = await compareRuns(db, a!, b!);
        const text = format === 'json' ? comparisonToJson(c) : format === 'markdown' ? comparisonToMarkdown(c, ctx.lang) : comparisonToText(c, ctx.lang);
        return emit(ctx, out, [text]) ? EXIT.ok : EXIT.diagnostics;
      }
      const d = await runDetail(db, nums[0]);
      if (!d) {
        ctx.report([error('R0505', undefined, { path: db.path, run: nums[0] })]);
        return EXIT.diagnostics;
      }
      if (sub === 'show') return emit(ctx, out, [format === 'json' ? json(d) : showText(d, ctx.lang)]) ? EXIT.ok : EXIT.diagnostics;
      const v = await verifyRun(ctx, db, d);
      if (v.problems.length) ctx.report(v.problems);
      const written = emit(ctx, out, [format === 'json' ? json({ run: d.run, same: v.same, compared: v.compared, engine: v.engine, differences: v.differences, problems: v.problems.map((p) => p.code) }) : verdictText(d, v, ctx.lang)]);
      return written && v.same ? EXIT.ok : EXIT.diagnostics;
    } finally {
      db.close();
    }
  },
});
