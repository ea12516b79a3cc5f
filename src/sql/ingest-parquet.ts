/**
 * SQL-side ingestion of facts kept as tables: a Parquet file (`institutions.parquet`), a folder of
 * them (one per list), or a DuckDB database file (one table per list). DuckDB reads the columns in
 * place, checks them in SQL and fills the fact tables; no row becomes a JavaScript object. This is
 * what lets `--engine duckdb` run a national table of ten million institutions.
 *
 * The tables mean what they mean to the table loader (src/loader/load-duckdb-facts.ts, which reads
 * them as CSV cells): columns named by facts paths, SQL NULL absent, the text `null`/`NULL`/`无`
 * none, lists in the policy's order of kinds, each table's rows in file order. The fast path reads
 * typed columns as they are (BIGINT for integers; integers, DECIMAL or DOUBLE for numbers; DATE or
 * `YYYY-MM-DD` text for dates; BOOLEAN; text for text, enum members and ids); any other form, any
 * column the policy does not declare, and any failed check send the caller to the table loader,
 * which reads what officers type (`是`, `2022年1月1日`, labels) and reports problems with their place.
 */
import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FieldInfo, KindInfo, Policy, Type } from '../model/types.js';
import { DEFAULT_FACTS_LIMITS, type FactsLimits } from '../facts/facts.js';
import type { LKind } from '../lower/lowered.js';
import { DIALECTS, sqlIdent, sqlString } from './dialects.js';
import { factTablesDdl } from './print-sql.js';
import { crossChecks, enumMembers, prefixesOf, SAFE_INTEGER, TEXT_CONTROL_RE, textList } from './ingest-shape.js';
import type { Ingested } from './ingest-json.js';

/** A table of the source: its name (the list it holds) and how to read it with row numbers. */
interface SourceTable {
  readonly name: string;
  /** `FROM` text yielding the columns and `"ingest$row"`, the row's position in the table. */
  readonly from: string;
}

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'HUGEINT']);
const NONE_TEXTS = "('null', 'NULL', '无')";
/** Text as the table loader keeps it: no outer whitespace (it trims), not empty (an empty cell is absent). */
const PLAIN = `'[^\\s\\x{3000}](.*[^\\s\\x{3000}])?'`;
/** Ids and references as the table loader keeps them: it folds full-width forms, which printable ASCII has none of. */
const ASCII_ID = `'[!-~]+'`;

/** What a column of SQL type `sql` holds for a field of type `t`: checks on a non-NULL value, the value, and its none test. */
function columnReading(policy: Policy, t: Type, sql: string, c: string): { ok: string; value: string; none: string } | undefined {
  const text = sql === 'VARCHAR';
  const none = text ? `${c} IN ${NONE_TEXTS}` : 'FALSE';
  const live = (ok: string) => `(${none} OR (${ok}))`;
  switch (t.t) {
    case 'integer':
      return INTEGER_TYPES.has(sql) ? { ok: `${c} BETWEEN -${SAFE_INTEGER} AND ${SAFE_INTEGER}`, value: `CAST(${c} AS BIGINT)`, none } : undefined;
    case 'number': case 'percent': case 'ratio': {
      const value = `CAST(${c} AS DECIMAL(38,10))`;
      if (INTEGER_TYPES.has(sql)) return { ok: `${c} BETWEEN -${SAFE_INTEGER} AND ${SAFE_INTEGER}`, value, none };
      const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(sql);
      // Up to 15 digits a double holds exactly, as the loader's `Number(text)` reads it.
      if (dec && Number(dec[1]) <= 15 && Number(dec[2]) <= 10) return { ok: 'TRUE', value, none };
      if (sql === 'DOUBLE') return { ok: `regexp_full_match(CAST(${c} AS VARCHAR), '-?[0-9]{1,15}(\\.[0-9]{1,10})?') AND length(replace(replace(CAST(${c} AS VARCHAR), '-', ''), '.', '')) <= 15`, value: `CAST(CAST(${c} AS VARCHAR) AS DECIMAL(38,10))`, none };
      return undefined;
    }
    case 'date':
      if (sql === 'DATE') return { ok: `year(${c}) BETWEEN 1000 AND 9999`, value: `CAST(${c} AS VARCHAR)`, none };
      return text ? { ok: live(`regexp_full_match(${c}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(${c} AS DATE) IS NOT NULL`), value: c, none } : undefined;
    case 'boolean':
      return sql === 'BOOLEAN' ? { ok: 'TRUE', value: c, none } : undefined;
    case 'string':
      return text ? { ok: live(`regexp_full_match(${c}, ${PLAIN}) AND NOT regexp_matches(${c}, '${TEXT_CONTROL_RE}')`), value: c, none } : undefined;
    case 'enum':
      // A text that is not a member's code (a label, `无`) is read by the table loader.
      return text ? { ok: `list_contains(${textList(enumMembers(policy, t)!)}, ${c})`, value: c, none: 'FALSE' } : undefined;
    case 'subject':
      if (INTEGER_TYPES.has(sql)) return { ok: `${c} BETWEEN -${SAFE_INTEGER} AND ${SAFE_INTEGER}`, value: `CAST(${c} AS VARCHAR)`, none };
      return text ? { ok: live(`regexp_full_match(${c}, ${ASCII_ID})`), value: c, none } : undefined;
    default:
      return undefined;
  }
}

/**
 * Fills one fact table per kind (every declared column) from the tables at `path`, after checking
 * them in SQL; `ok: false` (nothing reported) when the table loader must read them instead.
 */
export async function ingestParquet(connection: DuckDBConnection, policy: Policy, kinds: readonly LKind[], path: string, limits: FactsLimits = DEFAULT_FACTS_LIMITS): Promise<Ingested> {
  let tables: SourceTable[];
  try {
    tables = await sourceTables(connection, path);
  } catch (e) {
    return { ok: false, why: `DuckDB cannot read it: ${(e as Error).message.split('\n')[0]}` };
  }
  const byList = new Map([...policy.kinds.values()].map((k) => [k.listKey, k]));
  if (tables.some((t) => !byList.has(t.name))) return { ok: false, why: 'a table not named by a list of the policy' };
  for (const ddl of factTablesDdl(kinds, DIALECTS.duckdb)) await connection.run(ddl);
  let base = 0;
  // Lists in the policy's order of kinds, as the table loader puts them.
  for (const lk of kinds) {
    const table = tables.find((t) => t.name === lk.listKey);
    if (!table) continue;
    const got = await ingestTable(connection, policy, byList.get(lk.listKey)!, lk, table, base);
    if (typeof got === 'string') return { ok: false, why: `${table.name}: ${got}` };
    base += got;
    if (base > limits.maxSubjects) return { ok: false, why: 'more subjects than the limit' };
  }
  const cross = await crossChecks(connection, policy, limits.maxChainDepth ?? DEFAULT_FACTS_LIMITS.maxChainDepth!);
  return cross ? { ok: false, why: cross } : { ok: true, subjects: base };
}

async function sourceTables(connection: DuckDBConnection, path: string): Promise<SourceTable[]> {
  const ext = extname(path).toLowerCase();
  if (ext === '.duckdb') {
    await connection.run(`ATTACH ${sqlString(path)} AS "ingest$db" (READ_ONLY)`);
    const names = (await connection.runAndReadAll(`SELECT table_name FROM information_schema.tables WHERE table_catalog = 'ingest$db' AND table_schema = 'main' ORDER BY table_name`)).getRows();
    return names.map(([n]) => ({ name: String(n), from: `(SELECT *, rowid AS "ingest$row" FROM "ingest$db".main.${sqlIdent(String(n))})` }));
  }
  const files = ext === '.parquet' ? [path] : readdirSync(path).filter((n) => n.toLowerCase().endsWith('.parquet')).sort().map((n) => join(path, n));
  return files.map((f) => ({ name: basename(f).slice(0, -'.parquet'.length), from: `(SELECT * EXCLUDE (file_row_number), file_row_number AS "ingest$row" FROM read_parquet(${sqlString(f)}, file_row_number = true))` }));
}

/** Checks and copies one table; its row count, or why the table loader must read it. */
async function ingestTable(connection: DuckDBConnection, policy: Policy, kind: KindInfo, lk: LKind, table: SourceTable, base: number): Promise<number | string> {
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * EXCLUDE ("ingest$row") FROM ${table.from}`)).getRows().map(([n, t]) => ({ name: String(n), type: String(t) }));
  const types = new Map<string, string>();
  for (const c of described) {
    if (types.has(c.name)) return `column ${c.name} twice`;
    types.set(c.name, c.type);
  }
  const idType = types.get('id');
  if (!idType) return 'no id column';
  const fields = new Map<string, { field: FieldInfo; reading: NonNullable<ReturnType<typeof columnReading>> }>();
  for (const [name, type] of types) {
    if (name === 'id') continue;
    const field = kind.fields.get(name);
    if (!field || field.isRecord) return `column ${name} is not a field the fast path reads`;
    const reading = columnReading(policy, field.type, type, sqlIdent(name));
    if (!reading) return `column ${name} (${type}) is not in a form the fast path reads`;
    fields.set(name, { field, reading });
  }
  const id = sqlIdent('id');
  const idValue = INTEGER_TYPES.has(idType) ? `CAST(${id} AS VARCHAR)` : idType === 'VARCHAR' ? id : undefined;
  if (!idValue) return `id column (${idType}) is not text or integers`;
  // A first row that is a row of codes or of labels is a header row to the table loader.
  const headerWords = ['id', '编号', ...kind.fields.keys(), ...[...kind.fields.values()].map((f) => f.label?.zh ?? '')].filter(Boolean);
  const checks = [
    `${id} IS NOT NULL`,
    INTEGER_TYPES.has(idType) ? `${id} BETWEEN -${SAFE_INTEGER} AND ${SAFE_INTEGER}` : `regexp_full_match(${id}, ${ASCII_ID}) AND NOT (${'"ingest$row"'} = 0 AND list_contains(${textList(headerWords)}, ${id}))`,
    ...[...fields.entries()].map(([name, f]) => `(${sqlIdent(name)} IS NULL OR (${f.reading.ok}))`),
  ];
  const [rows, bad] = (await connection.runAndReadAll(`SELECT count(*), count(*) FILTER (WHERE NOT coalesce(${checks.map((c) => `(${c})`).join(' AND ')}, FALSE)) FROM ${table.from}`)).getRows()[0].map(Number);
  if (bad !== 0) return 'a row the checks refuse';
  const columns = [`CAST(${base} + "ingest$row" AS BIGINT)`, idValue];
  for (const c of lk.columns) {
    if (c.path === 'id') continue;
    if (c.type === 'record') {
      // A group exists when any of its fields has a cell.
      const inside = [...fields.keys()].filter((n) => prefixesOf(n).includes(c.path)).map((n) => `${sqlIdent(n)} IS NOT NULL`);
      const present = inside.length ? inside.join(' OR ') : 'FALSE';
      columns.push(`CASE WHEN ${present} THEN TRUE END`, `(${present})`);
      continue;
    }
    const f = fields.get(c.path);
    if (!f) {
      columns.push('NULL', 'FALSE');
      continue;
    }
    const col = sqlIdent(c.path);
    columns.push(`CASE WHEN ${col} IS NULL OR ${f.reading.none} THEN NULL ELSE ${f.reading.value} END`, `(${col} IS NOT NULL)`);
  }
  await connection.run(`INSERT INTO ${sqlIdent(lk.listKey)} SELECT ${columns.join(', ')} FROM ${table.from}`);
  return rows;
}
