/**
 * `clausal eval --engine duckdb`: the policy lowered for the date, printed as DuckDB SQL and run
 * in embedded DuckDB over fact tables loaded from the same validated facts as the in-process
 * engine (so bad facts give the same F-codes at the same places).
 *
 * The SQL decides each result's status, due date and missing facts. The explanation line,
 * its figures and the shortfall are then written by the in-process explain module for that
 * decision, which re-reads only the figures it shows: the words come from one place, so JSON
 * and NDJSON are byte-identical across engines.
 *
 * Where the time goes at province scale, and what is done about it:
 * - Fact tables are filled by DuckDB reading a temporary NDJSON file of the columns the policy
 *   reads (`read_json` with the columns' types), not by a call per value: an appender call
 *   crosses into native code, and a province has millions of values.
 * - The query returns only the rows that are not `not_applicable` (over half of a province's
 *   decisions), and rules not in force on the date are not queried at all: the engine fills those
 *   rows itself while it walks the subjects in order, which costs nothing.
 * - Rows come back in DuckDB's chunks (a few thousand at a time) as integers (subject position,
 *   rule position, status code) and two mostly-NULL texts, and go to the sink chunk by chunk:
 *   reading a text value out of DuckDB costs more than deciding the rule.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBResult, type DuckDBVector } from '@duckdb/node-api';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { STATUSES, type RuleResult, type Status, type Summary } from '../model/result.js';
import type { Policy } from '../model/types.js';
import { parseDecimal } from '../model/rational.js';
import { readPath, type Facts, type Subject } from '../facts/facts.js';
import { prepareRun, type CompiledRule, type EvaluateOptions, type RunContext } from '../eval/evaluate.js';
import type { LColumn, LKind, LoweredPolicy } from '../lower/lowered.js';
import { sqlLowering, unsupportedDiagnostics } from './unsupported.js';
import { DIALECTS, sqlIdent, sqlString } from './dialects.js';
import { decimalText, scaledDecimal } from './fact-inserts.js';
import { factTablesDdl, resultQuery } from './print-sql.js';
import { ingestJson, type Ingested } from './ingest-json.js';
import { ingestParquet } from './ingest-parquet.js';
import { isDuckDbFacts } from '../loader/load-duckdb-facts.js';
import type { FactsLimits } from '../facts/facts.js';

/** What {@link evaluateWithDuckDb} returns: results in contract order, or why there are none. */
export interface DuckDbRun {
  readonly results?: readonly RuleResult[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Options of {@link streamWithDuckDb} beyond the evaluation's. */
export interface DuckDbStreamOptions {
  /** Statuses counted but not handed to `emit` (`--omit`). */
  readonly omit?: ReadonlySet<Status>;
  /** Results per `emit` call (default 2048). */
  readonly batch?: number;
  /** DuckDB's `memory_limit` (`'1GB'`); DuckDB's default (80% of memory) when absent. */
  readonly memoryLimit?: string;
  /** Folder for the temporary fact files (default: the system's temporary folder). */
  readonly tempDir?: string;
}

/** Evaluates with DuckDB; the results equal the in-process engine's, field for field. */
export async function evaluateWithDuckDb(policy: Policy, facts: Facts, options: EvaluateOptions, summary?: Summary): Promise<DuckDbRun> {
  const results: RuleResult[] = [];
  const diagnostics = await streamWithDuckDb(policy, facts, options, (batch) => { results.push(...batch); }, summary);
  return diagnostics.length ? { diagnostics } : { results, diagnostics };
}

/**
 * Evaluates with DuckDB and hands the results to `emit` in contract order, a batch at a time
 * (the array is reused after `emit` returns). Returns the diagnostics that stopped the run
 * before anything was emitted (X0401 unsupported rules, X0402 a number the tables cannot
 * hold), or none. `summary` counts every decision, omitted ones included.
 */
export async function streamWithDuckDb(
  policy: Policy,
  facts: Facts,
  options: EvaluateOptions,
  emit: (batch: readonly RuleResult[]) => void | Promise<void>,
  summary?: Summary,
  stream: DuckDbStreamOptions = {},
): Promise<readonly Diagnostic[]> {
  const lowered = sqlLowering(policy, options.asOf);
  if (lowered.unsupported.length) return unsupportedDiagnostics(lowered);
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', ...(stream.memoryLimit ? { memory_limit: stream.memoryLimit } : {}) });
  const connection = await instance.connect();
  try {
    // Rules not in force decide `not_applicable` for every subject: filled in below, not queried.
    const inForce = { ...lowered, rules: lowered.rules.filter((r) => r.inForce) };
    const kinds = columnsRead(inForce);
    const bad = await loadFactTables(connection, kinds, facts, stream.tempDir);
    if (bad.length) return bad;
    const statusCode = (s: string) => `CASE ${s} ${STATUSES.map((x, i) => `WHEN ${sqlString(x)} THEN ${i}`).join(' ')} END`;
    const missing = (list: string) => `CASE WHEN len(${list}) = 0 THEN NULL ELSE array_to_string(${list}, chr(1)) END`;
    const sql = resultQuery({ ...inForce, kinds }, DIALECTS.duckdb, { keepRepeatedMissing: true, engineColumns: { missing, status: statusCode }, where: "r.status <> 'not_applicable'" });
    const rows = new RowCursor(await connection.stream(sql));
    await mergeRows(prepareRun(policy, options), facts, rows, emit, summary, stream);
    return [];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The kinds with only the columns the rules read: a province declares many facts a policy never
 * reads (names, fields of other rules), and each would be written, read and stored for nothing.
 * Read are the fields (`kind` + `path`) anywhere in the rules and the reference fields relations
 * follow (`target` + `via`); the walk is generic so that a new node type that reads a field the
 * same way is covered.
 */
export function columnsRead(lowered: LoweredPolicy): LKind[] {
  const read = new Set<string>();
  const seen = new Set<object>();
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.kind === 'string' && typeof o.path === 'string') read.add(`${o.kind}\u0000${o.path}`);
    if (typeof o.target === 'string' && typeof o.via === 'string') read.add(`${o.target}\u0000${o.via}`);
    for (const v of Object.values(o)) walk(v);
  };
  walk(lowered.rules);
  return lowered.kinds.map((k) => ({ ...k, columns: k.columns.filter((c) => c.path === 'id' || read.has(`${k.name}\u0000${c.path}`)) }));
}

/** The decided rows as DuckDB hands them over, one chunk at a time. */
class RowCursor {
  private ord?: DuckDBVector<number>;
  private rule?: DuckDBVector<number>;
  private status?: DuckDBVector<number>;
  private due?: DuckDBVector<string>;
  private missing?: DuckDBVector<string>;
  private value?: DuckDBVector<string>;
  private row = 0;
  private rows = 0;
  private done = false;
  /** The current row's subject position (`_ord`) and rule position; -1 past the end. */
  nextOrd = -1;
  nextRule = -1;

  constructor(private readonly result: DuckDBResult) {}

  /** Moves to the next row (fetching a chunk when needed). */
  async advance(): Promise<void> {
    this.row++;
    if (this.row >= this.rows) {
      if (this.done) return this.end();
      const chunk = await this.result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) {
        this.done = true;
        return this.end();
      }
      this.ord = chunk.getColumnVector(0) as DuckDBVector<number>;
      this.rule = chunk.getColumnVector(1) as DuckDBVector<number>;
      this.status = chunk.getColumnVector(2) as DuckDBVector<number>;
      this.due = chunk.getColumnVector(3) as DuckDBVector<string>;
      this.missing = chunk.getColumnVector(4) as DuckDBVector<string>;
      this.value = chunk.getColumnVector(5) as DuckDBVector<string>;
      this.row = 0;
      this.rows = chunk.rowCount;
    }
    this.nextOrd = this.ord!.getItem(this.row)!;
    this.nextRule = this.rule!.getItem(this.row)!;
  }

  private end(): void {
    this.nextOrd = -1;
    this.nextRule = -1;
  }

  get statusNow(): Status {
    return STATUSES[this.status!.getItem(this.row)!];
  }
  get dueText(): string | null {
    return this.due!.getItem(this.row);
  }
  get missingText(): string | null {
    return this.missing!.getItem(this.row);
  }
  /** A value rule's value as the contract writes it (`300.00`, a date), when computed. */
  get valueText(): string | null {
    return this.value!.getItem(this.row);
  }
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * Walks the subjects in facts order and each subject's rules in policy order, taking the decided
 * row when the cursor is on it and `not_applicable` otherwise.
 */
async function mergeRows(ctx: RunContext, facts: Facts, rows: RowCursor, emit: (batch: readonly RuleResult[]) => void | Promise<void>, summary: Summary | undefined, stream: DuckDbStreamOptions): Promise<void> {
  const omit = stream.omit ?? new Set<Status>();
  const size = stream.batch ?? 2048;
  const titles = new Map<CompiledRule, string>();
  for (const rule of ctx.compiled.rules) titles.set(rule, (ctx.lang === 'en' ? rule.info.title?.en : undefined) ?? rule.info.title?.zh ?? rule.info.id);
  let batch: RuleResult[] = [];
  await rows.advance();
  // INVARIANT: `_ord` is the subject's position in `facts.subjects` and `rule_index` the rule's in the policy.
  for (let ord = 0; ord < facts.subjects.length; ord++) {
    const subject: Subject = facts.subjects[ord];
    const rules = ctx.compiled.rulesByKind.get(subject.kind);
    if (!rules) continue;
    for (const rule of rules) {
      let status: Status = 'not_applicable';
      let due: string | null = null;
      let missing: readonly string[] = NONE;
      let value: string | null = null;
      if (rows.nextOrd === ord && rows.nextRule === rule.index) {
        status = rows.statusNow;
        if (rule.info.deadline) due = rows.dueText;
        if (status === 'computed') {
          value = rows.valueText;
          // The explainer shows the value the in-process engine would have left in the run.
          ctx.value = rule.info.condition.type.t === 'date' ? value : parseDecimal(value ?? '');
        }
        if (status === 'unknown') {
          const text = rows.missingText;
          if (text !== null) missing = [...new Set(text.split('\u0001'))];
        }
        await rows.advance();
      }
      if (summary) summary[status]++;
      if (omit.size !== 0 && omit.has(status)) continue;
      const info = rule.info;
      const explained = ctx.explain ? rule.explainer(ctx, subject, status, due, missing, NONE) : { text: '', figures: NONE };
      batch.push({
        subject: subject.ref,
        rule: info.id,
        cite: info.cite,
        modality: info.modality,
        status,
        due,
        missing,
        explanation: explained.text,
        title: titles.get(rule)!,
        figures: explained.figures,
        ...(status === 'computed' ? { value: value!, unit: info.value?.unit ?? null } : {}),
        ...('shortfall' in explained && explained.shortfall !== undefined ? { shortfall: explained.shortfall, shortfallUnit: explained.shortfallUnit ?? null } : {}),
      });
      if (batch.length >= size) {
        const pending = emit(batch);
        if (pending) await pending;
        batch = [];
      }
    }
  }
  if (rows.nextOrd !== -1) throw new Error(`duckdb engine: a result row for subject ${rows.nextOrd}, rule ${rows.nextRule} was not consumed`);
  if (batch.length) {
    const pending = emit(batch);
    if (pending) await pending;
  }
}

/**
 * Creates and fills one table per kind; a decimal that DECIMAL(38,10) cannot hold exactly is
 * X0402. The rows go through a temporary NDJSON file in `tempDir` that DuckDB reads with the
 * columns' types (decimals as exact text, never through a double), removed before returning.
 */
export async function loadFactTables(connection: DuckDBConnection, kinds: readonly LKind[], facts: Facts, tempDir?: string): Promise<Diagnostic[]> {
  for (const ddl of factTablesDdl(kinds, DIALECTS.duckdb)) await connection.run(ddl);
  const diagnostics: Diagnostic[] = [];
  const dir = mkdtempSync(join(tempDir ?? tmpdir(), 'clausal-duckdb-'));
  try {
    const files = new Map<string, { kind: LKind; file: string; fd: number; buffer: string; columns: LColumn[] }>();
    for (const k of kinds) {
      const file = join(dir, `${files.size}.ndjson`);
      files.set(k.name, { kind: k, file, fd: openSync(file, 'w'), buffer: '', columns: k.columns.filter((c) => c.path !== 'id') });
    }
    try {
      for (const s of facts.subjects) {
        const f = files.get(s.kind);
        if (!f) continue;
        let line = `{"o":${s.order},"i":${JSON.stringify(s.id)}`;
        for (let i = 0; i < f.columns.length; i++) {
          const c = f.columns[i];
          const v = readPath(s.data, c.path);
          let json: string | undefined = 'null';
          if (v !== undefined && v !== null) {
            json = jsonValue(c, v);
            if (json === undefined) {
              json = 'null';
              if (diagnostics.length < 50) diagnostics.push(error('X0402', undefined, { path: `${s.path}.${c.path}`, value: String(v) }));
            }
          }
          line += `,"v${i}":${json},"k${i}":${v !== undefined}`;
        }
        f.buffer += `${line}}\n`;
        if (f.buffer.length > 1 << 16) {
          writeSync(f.fd, f.buffer);
          f.buffer = '';
        }
      }
    } finally {
      for (const f of files.values()) {
        if (f.buffer) writeSync(f.fd, f.buffer);
        closeSync(f.fd);
      }
    }
    if (diagnostics.length) return diagnostics;
    const d = DIALECTS.duckdb;
    for (const f of files.values()) {
      const types = [`o: 'BIGINT'`, `i: 'VARCHAR'`];
      f.columns.forEach((c, i) => types.push(`v${i}: ${sqlString(c.type === 'list' ? d.textList : d.types[c.type])}`, `k${i}: 'BOOLEAN'`));
      await connection.run(`INSERT INTO ${sqlIdent(f.kind.listKey)} SELECT * FROM read_json(${sqlString(f.file)}, format = 'newline_delimited', columns = {${types.join(', ')}})`);
    }
    return diagnostics;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One fact as JSON DuckDB reads into its column's type, or undefined when the type cannot hold it exactly. */
function jsonValue(c: LColumn, v: unknown): string | undefined {
  switch (c.type) {
    case 'bool': return v === true ? 'true' : 'false';
    case 'record': return 'true';
    case 'text': return JSON.stringify(typeof v === 'object' ? (v as Subject).id : String(v));
    case 'date': return JSON.stringify(String(v));
    case 'int': return typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined;
    case 'decimal': {
      const scaled = scaledDecimal(v);
      return scaled === undefined ? undefined : `"${decimalText(scaled)}"`;
    }
    case 'list': return JSON.stringify((v as unknown[]).map((x) => String(x)));
  }
}

/** Where {@link runFromFacts} puts the results. */
export interface SqlRunOutput {
  /**
   * DuckDB writes every result not omitted into `file` itself (`COPY … TO`): NDJSON lines with the
   * status fields, byte for byte as `--format ndjson --fields status` prints them, or Parquet with
   * the columns `--format parquet` writes. Not used for NDJSON when a value rule is in force (its
   * value sits between status and due): `emit` then gets the results.
   */
  readonly copy?: { readonly format: 'ndjson' | 'parquet'; readonly file: string };
  /** Gets the results (no explanations, no figures) in contract order, a batch at a time. */
  readonly emit: (batch: readonly RuleResult[]) => void | Promise<void>;
}

/** What {@link runFromFacts} did. */
export type SqlRun =
  /** The facts were read and checked by DuckDB, and every result went to the output; `copied` when DuckDB wrote the file. */
  | { readonly done: true; readonly copied: boolean; readonly diagnostics: readonly Diagnostic[] }
  /** Nothing was written: the facts must be read by the shared loader (bad, or in a form the SQL checks do not read), or the policy has rules SQL cannot run. */
  | { readonly done: false; readonly why: string };

/** The facts sources DuckDB reads itself: a `.json` facts file, Parquet (a file or a folder of them), a `.duckdb` file. */
export function sqlReadable(path: string): boolean {
  return path.toLowerCase().endsWith('.json') || isDuckDbFacts(path);
}

/**
 * Evaluates without ever holding the facts in JavaScript: DuckDB reads the facts file, checks it
 * (see src/sql/ingest-shape.ts), decides every rule, and writes the results or hands them over
 * without explanations. `summary` counts every decision. When the facts cannot be read this way
 * (`done: false`), nothing was emitted or written and the caller runs the usual path, which
 * reports bad facts with their F-codes and places.
 */
export async function runFromFacts(policy: Policy, path: string, options: EvaluateOptions & { readonly limits?: FactsLimits; readonly omit?: ReadonlySet<Status> }, out: SqlRunOutput, summary: Summary, stream: DuckDbStreamOptions = {}): Promise<SqlRun> {
  const lowered = sqlLowering(policy, options.asOf);
  if (lowered.unsupported.length) return { done: false, why: 'rules SQL cannot run' };
  const temp = mkdtempSync(join(stream.tempDir ?? tmpdir(), 'clausal-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', temp_directory: temp, memory_limit: stream.memoryLimit ?? duckDbMemoryLimit() });
  const connection = await instance.connect();
  try {
    const ingested: Ingested = isDuckDbFacts(path)
      ? await ingestParquet(connection, policy, lowered.kinds, path, options.limits)
      : await ingestJson(connection, policy, lowered.kinds, path, options.limits, {}, stream.tempDir);
    if (!ingested.ok) return { done: false, why: ingested.why };
    const omit = options.omit ?? new Set<Status>();
    // Not-applicable rows are half a province's results: when they are omitted they are not even
    // stored, and counted as all decisions less the others.
    const onlyNa = omit.has('not_applicable') && omit.size === 1;
    const query = resultQuery(lowered, DIALECTS.duckdb, onlyNa ? { where: "r.status <> 'not_applicable'" } : {});
    await connection.run(`CREATE TEMP TABLE "result$rows" AS ${query}`);
    const counts = (await connection.runAndReadAll('SELECT status, count(*) FROM "result$rows" GROUP BY status')).getRows();
    for (const [status, n] of counts) summary[status as Status] += Number(n);
    if (onlyNa) {
      let all = 0;
      for (const k of lowered.kinds) {
        const rules = lowered.rules.filter((r) => r.kind === k.name).length;
        if (rules) all += rules * Number((await connection.runAndReadAll(`SELECT count(*) FROM ${sqlIdent(k.listKey)}`)).getRows()[0][0]);
      }
      summary.not_applicable += all - counts.reduce((a: number, [, n]: unknown[]) => a + Number(n), 0);
    }
    const kept = omit.size && !onlyNa ? ` WHERE status NOT IN (${[...omit].map(sqlString).join(', ')})` : '';
    const valueRules = lowered.rules.some((r) => r.inForce && r.value);
    if (out.copy && (out.copy.format === 'parquet' || !valueRules)) {
      const select = out.copy.format === 'parquet'
        ? 'SELECT subject_kind, subject_id, rule, cite, modality, status, CAST(due AS DATE) AS due, missing'
        : "SELECT {'kind': subject_kind, 'id': subject_id} AS subject, rule, cite, modality, status, due, missing";
      await connection.run(`COPY (${select} FROM "result$rows"${kept}) TO ${sqlString(out.copy.file)} (FORMAT ${out.copy.format === 'parquet' ? 'parquet' : 'json'})`);
      return { done: true, copied: true, diagnostics: [] };
    }
    await emitRows(prepareRun(policy, options), await connection.stream(`SELECT subject_kind, subject_id, rule, status, due, missing, value FROM "result$rows"${kept}`), out.emit, stream.batch ?? 2048);
    return { done: true, copied: false, diagnostics: [] };
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * DuckDB's memory limit for `--engine duckdb`: `CLAUSAL_DUCKDB_MEMORY` (DuckDB's form: `2GB`,
 * `500MB`), else 2GB. DuckDB's own default is 80% of the machine's memory; a limit keeps a
 * national run's process within a known size (DuckDB spills sorts and joins to disk past it).
 */
export function duckDbMemoryLimit(): string {
  const v = process.env.CLAUSAL_DUCKDB_MEMORY;
  return v && /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(v.trim()) ? v.trim() : '2GB';
}

/** Streams the stored result rows to `emit` as results without explanations. */
async function emitRows(ctx: RunContext, result: DuckDBResult, emit: (batch: readonly RuleResult[]) => void | Promise<void>, size: number): Promise<void> {
  const rules = new Map(ctx.compiled.rules.map((rule) => {
    const info = rule.info;
    return [info.id, { info, title: (ctx.lang === 'en' ? info.title?.en : undefined) ?? info.title?.zh ?? info.id, unit: info.value?.unit ?? null }];
  }));
  let batch: RuleResult[] = [];
  let subject = { kind: '', id: '' };
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const cols = [0, 1, 2, 3, 4, 5, 6].map((i) => chunk.getColumnVector(i));
    for (let row = 0; row < chunk.rowCount; row++) {
      const kind = cols[0].getItem(row) as string;
      const id = cols[1].getItem(row) as string;
      if (kind !== subject.kind || id !== subject.id) subject = { kind, id };
      const rule = rules.get(cols[2].getItem(row) as string)!;
      const status = cols[3].getItem(row) as Status;
      const missing = cols[5].getItem(row) as { items: readonly string[] } | null;
      const value = cols[6].getItem(row) as string | null;
      batch.push({
        subject,
        rule: rule.info.id,
        cite: rule.info.cite,
        modality: rule.info.modality,
        status,
        due: cols[4].getItem(row) as string | null,
        missing: missing ? [...missing.items] : NONE,
        explanation: '',
        title: rule.title,
        figures: NONE,
        ...(status === 'computed' ? { value: value!, unit: rule.unit } : {}),
      });
      if (batch.length >= size) {
        const pending = emit(batch);
        if (pending) await pending;
        batch = [];
      }
    }
  }
  if (batch.length) {
    const pending = emit(batch);
    if (pending) await pending;
  }
}

