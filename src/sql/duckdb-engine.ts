/**
 * `clausal eval --engine duckdb`: the policy lowered for the date, printed as DuckDB SQL and run
 * in embedded DuckDB over fact tables loaded from the same validated facts as the in-process
 * engine (so bad facts give the same F-codes at the same places).
 *
 * The SQL decides each result's status, due date and missing facts. The explanation line,
 * its figures and the shortfall are then written by the in-process explain module for that
 * decision, which re-reads only the figures it shows: the words come from one place, so JSON
 * and NDJSON are byte-identical across engines.
 */
import { DuckDBDecimalValue, DuckDBInstance, LIST, listValue, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { RuleResult, Status, Summary } from '../model/result.js';
import type { Policy } from '../model/types.js';
import { readPath, type Facts, type Subject } from '../facts/facts.js';
import { prepareRun, type CompiledRule, type EvaluateOptions } from '../eval/evaluate.js';
import type { LColumn, LKind } from '../lower/lowered.js';
import { sqlLowering, unsupportedDiagnostics } from './unsupported.js';
import { DIALECTS } from './dialects.js';
import { DECIMAL_SCALE, scaledDecimal } from './fact-inserts.js';
import { factTablesDdl, knownColumn, resultQuery } from './print-sql.js';

/** What {@link evaluateWithDuckDb} returns: results in contract order, or why there are none. */
export interface DuckDbRun {
  readonly results?: readonly RuleResult[];
  readonly diagnostics: readonly Diagnostic[];
}


/** Evaluates with DuckDB; the results equal the in-process engine's, field for field. */
export async function evaluateWithDuckDb(policy: Policy, facts: Facts, options: EvaluateOptions, summary?: Summary): Promise<DuckDbRun> {
  const lowered = sqlLowering(policy, options.asOf);
  if (lowered.unsupported.length) return { diagnostics: unsupportedDiagnostics(lowered) };
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    const bad = await loadFactTables(connection, lowered.kinds, facts);
    if (bad.length) return { diagnostics: bad };
    const missing = (list: string) => `CASE WHEN len(${list}) = 0 THEN NULL ELSE array_to_string(${list}, chr(1)) END`;
    const reader = await connection.runAndReadAll(resultQuery(lowered, DIALECTS.duckdb, { keepRepeatedMissing: true, engineColumns: { missing } }));
    const rows = reader.getRows() as unknown[][];
    return { results: toResults(policy, facts, options, rows, summary), diagnostics: [] };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Creates and fills one table per kind; a decimal that DECIMAL(38,10) cannot hold exactly is X0402. */
export async function loadFactTables(connection: DuckDBConnection, kinds: readonly LKind[], facts: Facts): Promise<Diagnostic[]> {
  for (const ddl of factTablesDdl(kinds, DIALECTS.duckdb)) await connection.run(ddl);
  const diagnostics: Diagnostic[] = [];
  const appenders = new Map<string, { appender: DuckDBAppender; kind: LKind }>();
  for (const k of kinds) appenders.set(k.name, { appender: await connection.createAppender(k.listKey), kind: k });
  for (const s of facts.subjects) {
    const a = appenders.get(s.kind);
    if (!a) continue;
    const { appender, kind } = a;
    appender.appendBigInt(BigInt(s.order));
    appender.appendVarchar(s.id);
    for (const c of kind.columns) {
      if (c.path === 'id') continue;
      const v = readPath(s.data, c.path);
      if (v === undefined || v === null) appender.appendNull();
      else if (!appendValue(appender, c, v)) {
        appender.appendNull();
        if (diagnostics.length < 50) diagnostics.push(error('X0402', undefined, { path: `${s.path}.${c.path}`, value: String(v) }));
      }
      appender.appendBoolean(v !== undefined);
    }
    appender.endRow();
  }
  for (const { appender } of appenders.values()) {
    appender.flushSync();
    appender.closeSync();
  }
  return diagnostics;
}

function appendValue(appender: DuckDBAppender, c: LColumn, v: unknown): boolean {
  switch (c.type) {
    case 'bool': appender.appendBoolean(v === true); return true;
    case 'record': appender.appendBoolean(true); return true;
    case 'text': appender.appendVarchar(typeof v === 'object' ? (v as Subject).id : String(v)); return true;
    case 'date': appender.appendVarchar(String(v)); return true;
    case 'int':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return false;
      appender.appendBigInt(BigInt(v));
      return true;
    case 'decimal': {
      const scaled = scaledDecimal(v);
      if (scaled === undefined) return false;
      appender.appendDecimal(new DuckDBDecimalValue(scaled, 38, DECIMAL_SCALE));
      return true;
    }
    case 'list':
      // Typed: an empty list would otherwise have no element type.
      appender.appendList(listValue((v as unknown[]).map((x) => String(x))), TEXT_LIST);
      return true;
  }
}

const NONE: readonly never[] = Object.freeze([]);
const TEXT_LIST = LIST(VARCHAR);

/** Result rows of the SQL -> the engine's result objects, explained by the in-process explainer. */
function toResults(policy: Policy, facts: Facts, options: EvaluateOptions, rows: readonly unknown[][], summary?: Summary): RuleResult[] {
  const ctx = prepareRun(policy, options);
  const out: RuleResult[] = [];
  for (const [ord, ruleIndex, statusText, dueText, missingText] of rows) {
    // INVARIANT: `_ord` is the subject's index in the facts and `rule_index` the rule's in the policy.
    const subject = facts.subjects[ord as number];
    const rule: CompiledRule = ctx.compiled.rules[ruleIndex as number];
    const info = rule.info;
    const status = statusText as Status;
    const due = info.deadline ? ((dueText as string | null) ?? null) : null;
    const missing = status === 'unknown' && typeof missingText === 'string' ? [...new Set(missingText.split('\u0001'))] : NONE;
    const explained = ctx.explain ? rule.explainer(ctx, subject, status, due, missing, NONE) : { text: '', figures: NONE };
    out.push({
      subject: subject.ref,
      rule: info.id,
      cite: info.cite,
      modality: info.modality,
      status,
      due,
      missing,
      explanation: explained.text,
      title: (ctx.lang === 'en' ? info.title?.en : undefined) ?? info.title?.zh ?? info.id,
      figures: explained.figures,
      ...('shortfall' in explained && explained.shortfall !== undefined ? { shortfall: explained.shortfall, shortfallUnit: explained.shortfallUnit ?? null } : {}),
    });
    if (summary) summary[status]++;
  }
  return out;
}
