/**
 * Validated facts as `INSERT` statements for the fact tables (print-sql.ts), in any dialect:
 * how `clausal export --to sql --facts FILE` carries facts to another database, and how the
 * tests load PostgreSQL. Values are written exactly: decimals as scaled decimal text, never
 * through a double.
 */
import { error, type Diagnostic } from '../model/diagnostics.js';
import { isNum } from '../model/rational.js';
import { readPath, type Facts, type Subject } from '../facts/facts.js';
import type { LColumn, LKind } from '../lower/lowered.js';
import { sqlIdent, sqlString, type SqlDialect } from './dialects.js';

/** Decimal places the fact tables keep (DECIMAL(38,10)). */
export const DECIMAL_SCALE = 10;
const TEN_POW = 10n ** BigInt(DECIMAL_SCALE);

/** A number as a scaled integer (value × 10^10), or undefined when it has more places or is not exact. */
export function scaledDecimal(v: unknown): bigint | undefined {
  if (!isNum(v)) return undefined;
  let n: bigint;
  let d: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) return undefined;
    [n, d] = [BigInt(v), 1n];
  } else [n, d] = [BigInt(v.n), BigInt(v.d)];
  return (n * TEN_POW) % d === 0n ? (n * TEN_POW) / d : undefined;
}

/** A scaled decimal (value × 10^10) as exact decimal text: `12.5`, `-0.0001`. */
export function decimalText(scaled: bigint): string {
  const neg = scaled < 0n;
  const abs = neg ? -scaled : scaled;
  const whole = abs / TEN_POW;
  const frac = (abs % TEN_POW).toString().padStart(DECIMAL_SCALE, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** One fact as a SQL literal, or undefined when the column's type cannot hold it exactly. */
function literal(c: LColumn, v: unknown, d: SqlDialect): string | undefined {
  if (v === undefined || v === null) return 'NULL';
  switch (c.type) {
    case 'bool': return v === true ? 'TRUE' : 'FALSE';
    case 'record': return 'TRUE';
    case 'text': return sqlString(typeof v === 'object' ? (v as Subject).id : String(v));
    case 'date': return sqlString(String(v));
    case 'int': return typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined;
    case 'decimal': {
      const s = scaledDecimal(v);
      return s === undefined ? undefined : `CAST(${sqlString(decimalText(s))} AS ${d.types.decimal})`;
    }
    case 'list': return d.list((v as unknown[]).map((x) => sqlString(String(x))));
  }
}

/** `INSERT` statements of every subject (a statement per `batch` rows), or X0402 for numbers out of reach. */
export function factInserts(kinds: readonly LKind[], facts: Facts, d: SqlDialect, batch = 500): { statements: string[]; diagnostics: Diagnostic[] } {
  const byKind = new Map(kinds.map((k) => [k.name, { kind: k, rows: [] as string[] }]));
  const diagnostics: Diagnostic[] = [];
  for (const s of facts.subjects) {
    const t = byKind.get(s.kind);
    if (!t) continue;
    const values = [String(s.order), sqlString(s.id)];
    for (const c of t.kind.columns) {
      if (c.path === 'id') continue;
      const v = readPath(s.data, c.path);
      const lit = literal(c, v, d);
      if (lit === undefined && diagnostics.length < 50) diagnostics.push(error('X0402', undefined, { path: `${s.path}.${c.path}`, value: String(v) }));
      values.push(lit ?? 'NULL', v === undefined ? 'FALSE' : 'TRUE');
    }
    t.rows.push(`(${values.join(', ')})`);
  }
  const statements: string[] = [];
  for (const { kind, rows } of byKind.values()) {
    for (let i = 0; i < rows.length; i += batch) statements.push(`INSERT INTO ${sqlIdent(kind.listKey)} VALUES\n  ${rows.slice(i, i + batch).join(',\n  ')}`);
  }
  return { statements, diagnostics };
}
