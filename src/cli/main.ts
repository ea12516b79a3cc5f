/**
 * The `clausal` command line: argv -> API calls -> exit codes. No evaluation logic lives here;
 * this file reads files, calls the library, renders, and writes. Every user error ends in a
 * diagnostic and a non-zero exit code, never a stack trace.
 */
import { extname } from 'node:path';
import { EDITING_HINTS } from '../check/officer-hints.js';
import { didYouMean, error, hasErrors, warning, type Diagnostic, type Lang } from '../model/diagnostics.js';
import { isValidDate } from '../model/dates.js';
import { STATUSES, type Status } from '../model/result.js';
import type { Policy } from '../model/types.js';
import { loadPolicy } from '../loader/load-policy.js';
import { loadFactsSet, readFactsFile } from '../loader/load-facts.js';
import { factsFormatOf, loadFactsText } from '../facts/parse-facts.js';
import { EvaluationBudgetExceeded } from '../compile/budget.js';
import { createProgress, progressWanted } from './progress.js';
import { loadSpreadsheetFacts } from '../loader/load-spreadsheet.js';
import { traceSubject, traceToText } from '../eval/trace.js';
import { sourceCoverage } from '../check/coverage.js';
import { coverageToText } from '../report/coverage-text.js';
import { DiagnosticRenderer } from '../report/diagnostics.js';
import type { ResultFields } from '../report/eval-json.js';
import { DEFAULT_FACTS_LIMITS, type FactsLimits } from '../facts/facts.js';
import { engineNamed, engineNames, OutputError, sinkNamed, sinkNames, type FactsSource } from '../pipeline/engine.js';
import '../pipeline/in-process-engine.js';
import '../pipeline/duckdb-engine.js';
import '../pipeline/parquet-sink.js';
import '../pipeline/sinks.js';
import { loadFactsForSource } from '../pipeline/load-source.js';
import { runEvaluation } from '../pipeline/run-eval.js';
import { fileOutput, stdoutOutput } from './output.js';
import { parseArgs, type OptionSpec, type ParsedArgs } from './args.js';
import { writeFileAtomic } from './write-atomic.js';
import { commandHelp, generalHelp, usageLine, withZhWords } from './help.js';
import type { OutRules } from './out-target.js';
import { noteRead, watchReads } from '../loader/read-regular.js';
import { evalRecorded, NOT_WITH_RECORD } from './eval-record.js';

/** Where the CLI reads and writes: injectable so tests run it in-process. */
export interface CliIo {
  /** Bytes (UTF-8) are written only to the process's own stdout; an injected one gets text. */
  readonly stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  readonly stderr: { write(chunk: string): unknown; isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Today's date (`YYYY-MM-DD`); the only place the engine learns the clock. */
  readonly today?: string;
}

/** Exit codes of the contract. */
export const EXIT = { ok: 0, diagnostics: 1, usage: 2, failOn: 3, badFacts: 4 } as const;

interface Command {
  readonly options: OptionSpec;
  readonly usage: string;
  run(args: ParsedArgs, ctx: Ctx): number | Promise<number>;
}

/** What a command run shares: IO, language, diagnostics output. */
export interface Ctx {
  readonly io: CliIo;
  readonly lang: Lang;
  report(diagnostics: readonly Diagnostic[], texts?: ReadonlyMap<string, string>): void;
  /** `--policy-root DIR`: the folder `source` and `extends` may reach (default: see `defaultPolicyRoot`). */
  policyRoot?: string;
  /** The command being run, whose usage a usage error prints. */
  readonly command?: string;
  /** What an output of this run may replace: `--force`, and the files the run has read. */
  outRules?: OutRules;
  /** `--max-compiled-size N`: the compiled-size budget of C0101 (default `DEFAULT_MAX_COMPILED_SIZE`). */
  maxCompiledSize?: number;
}

/** Commands that compile a policy: they take `--max-compiled-size`. */
const COMPILES = new Set(['check', 'eval', 'test', 'diff', 'export', 'facts', 'template', 'bundle', 'api', 'runs']);

const LANGS = ['zh', 'en'];
const FAIL_ON = ['violation', 'pending', 'advisory', 'unknown'];

/** Today's date at the CLI edge (`io.today` in tests), `YYYY-MM-DD`. */
export function todayOf(io: CliIo): string {
  if (io.today) return io.today;
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Registered commands; other modules add theirs through {@link registerCommand}. */
const COMMANDS = new Map<string, Command>();

/** Adds a subcommand (used by the modules of `test`, `diff`, `fmt`, `export`). */
export function registerCommand(name: string, command: Command): void {
  COMMANDS.set(name, command);
}

/** A usage error: message on stderr, then the command's usage in the user's language, exit 2. */
export function usage(ctx: Ctx, d: Diagnostic, text?: string): number {
  ctx.report([d]);
  const line = text === undefined ? undefined : (ctx.command && usageLine(ctx.command, ctx.lang)) ?? text;
  if (line) ctx.io.stderr.write(`${line}\n`);
  return EXIT.usage;
}

/** Names of the registered commands, in the order they were registered. */
export function commandNames(): string[] {
  return [...COMMANDS.keys()];
}

/** Every command that writes files takes --force (replace a read-only file). */
function writesFiles(name: string): boolean {
  const options = COMMANDS.get(name)?.options ?? {};
  return 'out' in options || 'out-dir' in options || name === 'fmt';
}

/** The options a registered command declares (without the common `--lang`, `--policy-root`). */
export function commandOptions(name: string): string[] {
  return Object.keys(COMMANDS.get(name)?.options ?? {});
}

/** Checks a value option against allowed values. */
export function choice(ctx: Ctx, args: ParsedArgs, name: string, allowed: readonly string[], fallback: string): string | undefined {
  const v = args.values.get(name) ?? fallback;
  if (!allowed.includes(v)) {
    ctx.report([error('X0004', undefined, { option: `--${name}`, value: v, expected: allowed.join('|') })]);
    return undefined;
  }
  return v;
}

/** Resolves `--as-of` (default today). */
export function asOfOf(ctx: Ctx, args: ParsedArgs): string | undefined {
  const v = args.values.get('as-of') ?? todayOf(ctx.io);
  if (!isValidDate(v)) {
    ctx.report([error('X0004', undefined, { option: '--as-of', value: v, expected: 'YYYY-MM-DD' })]);
    return undefined;
  }
  return v;
}

/** Writes output to `--out` atomically, or to stdout. Returns false (after reporting) on failure. */
export function emit(ctx: Ctx, out: string | undefined, chunks: Iterable<string | Uint8Array>): boolean {
  if (!out) {
    // Bytes go to the process's stdout as they are; an injected stdout (tests) gets text.
    for (const c of chunks) ctx.io.stdout.write(typeof c === 'string' || ctx.io.stdout === process.stdout ? c : new TextDecoder().decode(c));
    return true;
  }
  try {
    writeFileAtomic(out, chunks, ctx.outRules);
    return true;
  } catch (e) {
    if (!(e instanceof OutputError)) throw e; // a budget exceeded, a bug: not a write failure, the target is untouched
    ctx.report([e.diagnostic]);
    return false;
  }
}

/** Loads a policy directory, reporting diagnostics; undefined when it has errors. */
export function loadPolicyOrReport(ctx: Ctx, dir: string) {
  const loaded = loadPolicy(dir, { root: ctx.policyRoot, maxCompiledSize: ctx.maxCompiledSize });
  // Editing hints (a stale figure in a title…) are for `check` and the editor, not every run.
  const shown = loaded.diagnostics.filter((d) => !EDITING_HINTS.has(d.code));
  if (shown.length) ctx.report(shown, loaded.texts);
  if (!loaded.policy || hasErrors(loaded.diagnostics)) return undefined;
  return loaded;
}

/** Reads and validates a facts file for a policy: facts, or an exit code. */
export function loadFactsOrReport(ctx: Ctx, policy: Parameters<typeof loadFactsText>[0], path: string, limits?: FactsLimits) {
  const format = factsFormatOf(path);
  if (!format) {
    ctx.report([error('F0015', undefined, { ext: extname(path) || path })]);
    return undefined;
  }
  const read = readFactsFile(path, limits);
  if (read.text === undefined) {
    ctx.report(read.diagnostics, read.shown === undefined ? undefined : new Map([[path, read.shown]]));
    return undefined;
  }
  const text = read.text;
  const result = loadFactsText(policy, path, text, format, limits);
  if (result.diagnostics.length) ctx.report(result.diagnostics, new Map([[path, text]]));
  return result.facts;
}

/** Reads and validates spreadsheet facts (an `.xlsx` workbook or a folder of CSV files): facts, or undefined after reporting. */
export async function loadSpreadsheetFactsOrReport(ctx: Ctx, policy: Parameters<typeof loadFactsText>[0], path: string, limits?: FactsLimits) {
  const result = await loadSpreadsheetFacts(policy, path, limits);
  if (result.diagnostics.length) ctx.report(result.diagnostics, result.texts);
  return result.facts;
}

/** Reads and validates the facts of every `--facts` (files or folders, merged): facts, or undefined after reporting. */
export async function loadFactsSetOrReport(ctx: Ctx, policy: Parameters<typeof loadFactsText>[0], paths: readonly string[], limits?: FactsLimits) {
  const result = await loadFactsSet(policy, paths, limits);
  if (result.diagnostics.length) ctx.report(result.diagnostics, result.texts);
  return result.facts;
}

registerCommand('check', {
  options: { lang: 'value', coverage: 'flag', format: 'value' },
  usage: 'clausal check <policy-dir>... [--coverage [--format text|json]] [--lang zh|en]',
  run(args, ctx) {
    if (args.positionals.length === 0) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), this.usage);
    let failed = false;
    for (const dir of args.positionals) {
      const loaded = loadPolicy(dir, { root: ctx.policyRoot, maxCompiledSize: ctx.maxCompiledSize });
      if (loaded.diagnostics.length) ctx.report(loaded.diagnostics, loaded.texts);
      if (!loaded.policy || hasErrors(loaded.diagnostics)) failed = true;
      else if (args.flags.has('coverage')) {
        const format = choice(ctx, args, 'format', ['text', 'json'], 'text');
        if (!format) return EXIT.usage;
        const coverage = sourceCoverage(loaded.policy);
        if (!coverage) {
          ctx.io.stdout.write(ctx.lang === 'zh' ? `${dir}: 没有原文（source），无法计算覆盖率\n` : `${dir}: no source document, no coverage\n`);
        } else ctx.io.stdout.write(format === 'json' ? `${JSON.stringify(coverage, null, 2)}\n` : coverageToText(coverage, ctx.lang));
      } else {
        const p = loaded.policy;
        ctx.io.stdout.write(ctx.lang === 'zh'
          ? `${dir}: 通过（${p.id} ${p.version}：规则 ${p.rules.length} 条，参数 ${p.params.size} 个）\n`
          : `${dir}: ok (${p.id} ${p.version}: ${p.rules.length} rules, ${p.params.size} parameters)\n`);
      }
    }
    return failed ? EXIT.diagnostics : EXIT.ok;
  },
});

registerCommand('eval', {
  options: { facts: 'multi', 'as-of': 'value', format: 'value', lang: 'value', out: 'value', 'fail-on': 'multi', all: 'flag', color: 'flag', 'no-color': 'flag', explain: 'value', fields: 'value', omit: 'multi', engine: 'value', stream: 'flag', jobs: 'value', 'max-subjects': 'value', 'max-facts-size': 'value', record: 'value', 'record-facts': 'flag', 'max-steps': 'value', 'max-run-steps': 'value' },
  usage: 'clausal eval <policy-dir> --facts <file> [--as-of YYYY-MM-DD] [--format text|json|ndjson|…] [--lang zh|en] [--out FILE] [--fail-on violation|pending|advisory|unknown] [--fields all|status] [--omit STATUS,…] [--engine NAME] [--stream] [--max-subjects N] [--max-facts-size BYTES] [--record DB [--record-facts]] [--max-steps N] [--max-run-steps N]',
  async run(args, ctx) {
    if (args.positionals.length !== 1) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), this.usage);
    // Several --facts (or a folder of files) are merged into one set of facts.
    const factsPaths = args.multi.get('facts') ?? [];
    const factsPath = factsPaths[0];
    if (!factsPath) return usage(ctx, error('X0003', undefined, { what: ' --facts <file>' }), this.usage);
    const asOf = asOfOf(ctx, args);
    const format = choice(ctx, args, 'format', sinkNames(), 'text');
    const failOn = (args.multi.get('fail-on') ?? []).flatMap((v) => v.split(','));
    const badFailOn = failOn.find((v) => !FAIL_ON.includes(v));
    if (badFailOn) return usage(ctx, error('X0004', undefined, { option: '--fail-on', value: badFailOn, expected: FAIL_ON.join('|') }));
    if (!asOf || !format) return EXIT.usage;
    if (FILE_FORMATS.has(format) && !args.values.get('out')) return usage(ctx, error('X0003', undefined, { what: ` --out FILE.${format}` }), this.usage);
    const engine = engineNamed(choice(ctx, args, 'engine', engineNames(), 'in-process') ?? '');
    const perf = evalPerfOptions(ctx, args, format, factsPaths);
    if (!perf || !engine) return EXIT.usage;
    if (perf.stream && engine.name !== 'in-process') {
      return usage(ctx, error('X0004', undefined, { option: '--engine', value: engine.name, expected: 'in-process (with --stream)' }));
    }
    const loaded = loadPolicyOrReport(ctx, args.positionals[0]);
    if (!loaded?.policy) return EXIT.diagnostics;
    const policy = loaded.policy;
    const record = recordOptionsOf(ctx, args);
    if (record === false) return EXIT.usage;
    if (record && factsPaths.length > 1) {
      // A record keeps one facts path and its digest: a folder holds every prefecture's file.
      ctx.report([error('X0350', undefined, { count: factsPaths.length })]);
      return EXIT.usage;
    }
    if (record) return evalRecorded(ctx, { ...record, policyDir: args.positionals[0], loaded, factsPath, asOf, format, out: args.values.get('out'), failOn, limits: perf.limits, steps: perf.steps, args });
    const source: FactsSource = { paths: factsPaths, limits: perf.limits };
    const out = args.values.get('out');
    const explainId = args.values.get('explain');
    if (explainId !== undefined) return explainSubject(ctx, policy, source, explainId, { asOf, format, out, steps: perf.steps });
    const color = !out && (args.flags.has('color') || (!!ctx.io.stdout.isTTY && !ctx.io.env.NO_COLOR && !args.flags.has('no-color')));
    for (const p of factsPaths) noteRead(p);
    let output;
    try {
      output = out ? fileOutput(out, ctx.outRules) : stdoutOutput(ctx.io);
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      ctx.report([e.diagnostic]);
      return EXIT.diagnostics;
    }
    const sink = sinkNamed(format)!.create({ format, output, lang: ctx.lang, fields: perf.fields, all: args.flags.has('all'), color, toFile: out !== undefined });
    const progress = createProgress(ctx.io, progressWanted(ctx.io, format, out), ctx.lang);
    const run = await runEvaluation(engine, source, { policy, policyDir: args.positionals[0], asOf, lang: ctx.lang, omit: perf.omit, stream: perf.stream, steps: perf.steps, progress }, sink);
    progress.end();
    if (run.diagnostics.length) ctx.report(run.diagnostics, run.texts);
    switch (run.outcome) {
      case 'bad-facts': return EXIT.badFacts;
      case 'unsupported':
      case 'write-failed': return EXIT.diagnostics;
      case 'ok': return failOn.some((s) => run.summary[s as Status] > 0) ? EXIT.failOn : EXIT.ok;
    }
  },
});

/** `eval --explain ID`: every rule's trace for one subject (in-process: a trace is the closures' own walk). */
async function explainSubject(ctx: Ctx, policy: Policy, source: FactsSource, id: string, run: { asOf: string; format: string; out?: string; steps: EvalPerf['steps'] }): Promise<number> {
  const loaded = await loadFactsForSource(policy, source);
  if (loaded.diagnostics.length) ctx.report(loaded.diagnostics, loaded.texts);
  if (!loaded.facts) return EXIT.badFacts;
  const subjects = loaded.facts.subjects.filter((s) => s.id === id);
  if (subjects.length === 0) return usage(ctx, error('X0014', undefined, { id }));
  const options = { asOf: run.asOf, lang: ctx.lang, ...run.steps };
  const traces = subjects.map((s) => ({ subject: s, traces: traceSubject(policy, s, options) }));
  const chunks = run.format === 'json'
    ? [`${JSON.stringify(traces.map((t) => ({ subject: t.subject.ref, rules: t.traces })), null, 2)}\n`]
    : traces.map((t) => traceToText(t.subject, t.traces, ctx.lang));
  return emit(ctx, run.out, chunks) ? EXIT.ok : EXIT.diagnostics;
}

/** `--record DB [--record-facts]`: the database and whether to keep a copy of the facts; false (after reporting) when combined with an option that trims results. */
function recordOptionsOf(ctx: Ctx, args: ParsedArgs): { db: string; copyFacts: boolean } | undefined | false {
  const db = args.values.get('record');
  if (db === undefined) {
    if (args.flags.has('record-facts')) ctx.report([error('X0500', undefined, { option: '--record-facts', other: '--record' })]);
    return args.flags.has('record-facts') ? false : undefined;
  }
  const clash = NOT_WITH_RECORD.find((o) => (o === 'fields' ? args.values.get(o) === 'status' : o === 'engine' ? (args.values.get(o) ?? 'in-process') !== 'in-process' : args.values.has(o) || args.flags.has(o) || args.multi.has(o)));
  if (clash) {
    ctx.report([error('X0501', undefined, { option: `--${clash}` })]);
    return false;
  }
  return { db, copyFacts: args.flags.has('record-facts') };
}

/** The eval options that trade completeness of the output or memory for speed. */
interface EvalPerf {
  readonly fields: ResultFields;
  readonly omit: ReadonlySet<Status>;
  readonly stream: boolean;
  readonly limits?: FactsLimits;
  /** `--max-steps`, `--max-run-steps`. */
  readonly steps: { readonly maxSteps?: number; readonly maxRunSteps?: number };
}

/**
 * Reads `--fields`, `--omit`, `--stream`, `--jobs`, `--max-subjects`, `--max-facts-size`;
 * undefined (after reporting) when one is wrong.
 */
function evalPerfOptions(ctx: Ctx, args: ParsedArgs, format: string, factsPaths: readonly string[]): EvalPerf | undefined {
  const machine = sinkNamed(format)?.machine ?? false;
  const fields = choice(ctx, args, 'fields', machine ? ['all', 'status'] : ['all'], 'all') as ResultFields | undefined;
  if (!fields) return undefined;
  const omitted = (args.multi.get('omit') ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  for (const v of omitted) {
    if (!machine || !(STATUSES as readonly string[]).includes(v)) {
      ctx.report([error('X0004', undefined, { option: '--omit', value: v, expected: machine ? STATUSES.join('|') : 'a status, with a machine format (--format json|ndjson)' })]);
      return undefined;
    }
  }
  const stream = args.flags.has('stream');
  // Every --facts path is checked: the one that is not NDJSON is the one to name.
  const notStreamable = factsPaths.find((p) => factsFormatOf(p) !== 'ndjson');
  if (stream && (!machine || notStreamable !== undefined)) {
    ctx.report([error('X0004', undefined, { option: '--stream', value: `--format ${format} --facts ${notStreamable ?? factsPaths[0]}`, expected: '--format json|ndjson with .ndjson facts' })]);
    return undefined;
  }
  const jobsText = args.values.get('jobs');
  if (jobsText !== undefined) {
    if (!/^[1-9]\d{0,2}$/.test(jobsText)) {
      ctx.report([error('X0004', undefined, { option: '--jobs', value: jobsText, expected: 'a positive integer' })]);
      return undefined;
    }
    // Worker threads each parsed the whole facts file and were slower than one thread
    // (0.51-0.88x, docs/performance.md): the option is kept for old scripts and ignored.
    if (jobsText !== '1') ctx.report([warning('X0450', undefined, { value: jobsText })]);
  }
  let limits: FactsLimits | undefined;
  for (const [option, key] of [['max-subjects', 'maxSubjects'], ['max-facts-size', 'maxFileSize']] as const) {
    const v = args.values.get(option);
    if (v === undefined) continue;
    if (!/^[1-9]\d{0,15}$/.test(v)) {
      ctx.report([error('X0004', undefined, { option: `--${option}`, value: v, expected: 'a positive integer' })]);
      return undefined;
    }
    limits = { ...(limits ?? DEFAULT_FACTS_LIMITS), [key]: Number(v) };
  }
  const steps: { maxSteps?: number; maxRunSteps?: number } = {};
  for (const [option, key] of [['max-steps', 'maxSteps'], ['max-run-steps', 'maxRunSteps']] as const) {
    const v = args.values.get(option);
    if (v === undefined) continue;
    if (!/^[1-9]\d{0,15}$/.test(v)) {
      ctx.report([error('X0004', undefined, { option: `--${option}`, value: v, expected: 'a positive integer' })]);
      return undefined;
    }
    steps[key] = Number(v);
  }
  return { fields, omit: new Set(omitted as Status[]), stream, limits, steps };
}

/** Formats whose output is bytes for a file, never terminal text: they need `--out`. */
const FILE_FORMATS = new Set(['xlsx', 'parquet']);

/** Adds an `eval --format` report renderer (kept here for the modules that register formats). */
export { registerFormat, formatRenderer, type FormatRenderer } from '../pipeline/sinks.js';

/** Runs the CLI. Returns the exit code; never throws for user errors. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const langArg = rest.find((a, i) => a.startsWith('--lang=') || rest[i - 1] === '--lang');
  const lang: Lang = (langArg?.replace('--lang=', '') === 'en' ? 'en' : 'zh');
  const ctx: Ctx = {
    io,
    lang,
    command: name !== undefined && COMMANDS.has(name) ? name : undefined,
    report(diagnostics, texts = new Map()) {
      const renderer = new DiagnosticRenderer(texts, lang, true);
      // Usage errors quote the synopsis's English placeholders; zh messages get zh words.
      const shown = diagnostics.map((d) => (d.code.startsWith('X') ? { ...d, args: withZhWords(d.args) } : d));
      io.stderr.write(renderer.renderAll(shown));
    },
  };
  const help = generalHelp(lang, commandNames());
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest.find((a) => !a.startsWith('-')) : undefined;
    if (topic !== undefined && COMMANDS.has(topic)) {
      io.stdout.write(commandHelp(topic, lang, { writes: writesFiles(topic), compiles: COMPILES.has(topic) }) ?? help);
      return EXIT.ok;
    }
    (name ? io.stdout : io.stderr).write(help);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    io.stdout.write('clausal 0.1.0\n');
    return EXIT.ok;
  }
  const command = COMMANDS.get(name);
  if (!command) {
    ctx.report([error('X0001', undefined, { name }, didYouMean(name, COMMANDS.keys()))]);
    io.stderr.write(help);
    return EXIT.usage;
  }
  const writes = writesFiles(name);
  // `--help` anywhere before `--` wins over every other argument, valid or not.
  const end = rest.indexOf('--');
  if ((end < 0 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h')) {
    io.stdout.write(commandHelp(name, lang, { writes, compiles: COMPILES.has(name) }) ?? `${command.usage}\n`);
    return EXIT.ok;
  }
  const parsed = parseArgs(rest, { ...command.options, lang: 'value', 'policy-root': 'value', ...(writes ? { force: 'flag' } : {}), ...(COMPILES.has(name) ? { 'max-compiled-size': 'value' } : {}) });
  if (!parsed.args) return usage(ctx, parsed.problem!, command.usage);
  ctx.policyRoot = parsed.args.values.get('policy-root');
  const compiledSize = parsed.args.values.get('max-compiled-size');
  if (compiledSize !== undefined) {
    if (!/^[1-9]\d{0,15}$/.test(compiledSize)) return usage(ctx, error('X0004', undefined, { option: '--max-compiled-size', value: compiledSize, expected: 'a positive integer' }));
    ctx.maxCompiledSize = Number(compiledSize);
  }
  const reads = watchReads();
  ctx.outRules = { force: parsed.args.flags.has('force'), inputs: reads.seen };
  if (!LANGS.includes(parsed.args.values.get('lang') ?? 'zh')) {
    return usage(ctx, error('X0004', undefined, { option: '--lang', value: parsed.args.values.get('lang')!, expected: 'zh|en' }));
  }
  try {
    return await command.run(parsed.args, ctx);
  } catch (e) {
    // A policy too costly for its facts: the user's problem, named by rule and subject.
    if (e instanceof EvaluationBudgetExceeded) {
      ctx.report([e.diagnostic]);
      return EXIT.diagnostics;
    }
    // A bug, not a user error: say so plainly, without a stack trace unless asked for.
    io.stderr.write(`clausal: internal error: ${(e as Error).message}\n`);
    if (io.env.CLAUSAL_DEBUG) io.stderr.write(`${(e as Error).stack}\n`);
    return 70;
  } finally {
    reads.stop();
  }
}
