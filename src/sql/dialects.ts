/**
 * SQL dialects as data: quoting, types, list (array) functions, unnesting and ordered
 * flattening, one table per dialect. The printer (print-sql.ts) never asks which dialect it
 * prints; everything that differs is here.
 */
import type { LType } from '../lower/lowered.js';

/** The dialects `clausal export --to sql --dialect` offers. */
export type DialectName = 'duckdb' | 'postgres' | 'trino';

/** Every dialect name. */
export const DIALECT_NAMES: readonly DialectName[] = ['duckdb', 'postgres', 'trino'];

/** What differs between SQL dialects. */
export interface SqlDialect {
  readonly name: DialectName;
  /** Column types of fact values (lists of text are `textList`). */
  readonly types: Readonly<Record<Exclude<LType, 'list'>, string>>;
  /** The type of a list of text (missing paths, list facts). */
  readonly textList: string;
  /** A list of text from SQL text expressions. */
  list(items: readonly string[]): string;
  /** Two lists one after the other. */
  concat(a: string, b: string): string;
  /** A list with one more element at its end. */
  append(list: string, item: string): string;
  /** Whether the list holds the item (NULL when the item is NULL). */
  contains(list: string, item: string): string;
  /** Number of elements. */
  cardinality(list: string): string;
  /** Exact integer division of a multiple (both operands integral). */
  intDiv(a: string, b: string): string;
  /** A NULL list of text. */
  readonly nullList: string;
  /** A FROM item (after CROSS JOIN) listing a list's elements as columns `v` (element) and `o` (1-based position). */
  unnest(list: string, alias: string): string;
  /** A derived table: per `key` of `rows`, the lists in column `m` concatenated in order of column `o`, as `m`. */
  flattenGrouped(rows: string): string;
  /** The list without repeated elements, each kept at its first place. */
  distinct(list: string): string;
  /** A `YYYY-MM-DD` text shifted by a whole number of days or months (clamped to the month's end), as `YYYY-MM-DD` text. */
  addToDate(date: string, amount: bigint, unit: 'd' | 'm'): string;
  /** Days from one `YYYY-MM-DD` text to another. */
  daysBetween(from: string, to: string): string;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return quote(text);
}

/** A quoted identifier (the same in the three dialects). */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const duckdb: SqlDialect = {
  name: 'duckdb',
  types: { bool: 'BOOLEAN', int: 'BIGINT', decimal: 'DECIMAL(38,10)', text: 'VARCHAR', date: 'VARCHAR', record: 'BOOLEAN' },
  textList: 'VARCHAR[]',
  list: (items) => (items.length ? `[${items.join(', ')}]` : 'CAST([] AS VARCHAR[])'),
  concat: (a, b) => `list_concat(${a}, ${b})`,
  append: (l, x) => `list_append(${l}, ${x})`,
  contains: (l, x) => `list_contains(${l}, ${x})`,
  cardinality: (l) => `len(${l})`,
  intDiv: (a, b) => `((${a}) // (${b}))`,
  nullList: 'CAST(NULL AS VARCHAR[])',
  unnest: (l, alias) => `unnest(${l}) WITH ORDINALITY AS ${alias}(v, o)`,
  flattenGrouped: (rows) => `SELECT g.key, flatten(list(g.m ORDER BY g.o)) AS m FROM (${rows}) g GROUP BY g.key`,
  distinct: (l) => `(SELECT COALESCE(list(d.x ORDER BY d.p), CAST([] AS VARCHAR[])) FROM (SELECT u.x, MIN(u.p) AS p FROM (SELECT unnest(${l}) AS x, generate_subscripts(${l}, 1) AS p) u GROUP BY u.x) d)`,
  // DATE + INTERVAL is a TIMESTAMP in DuckDB: back to a DATE before the text.
  addToDate: (date, n, unit) => `CAST(CAST(CAST(${date} AS DATE) + ${unit === 'd' ? 'to_days' : 'to_months'}(CAST(${n} AS BIGINT)) AS DATE) AS VARCHAR)`,
  daysBetween: (a, b) => `date_diff('day', CAST(${a} AS DATE), CAST(${b} AS DATE))`,
};

const postgres: SqlDialect = {
  name: 'postgres',
  types: { bool: 'BOOLEAN', int: 'BIGINT', decimal: 'NUMERIC(38,10)', text: 'TEXT', date: 'TEXT', record: 'BOOLEAN' },
  textList: 'TEXT[]',
  list: (items) => (items.length ? `ARRAY[${items.map((i) => `CAST(${i} AS TEXT)`).join(', ')}]` : 'CAST(ARRAY[] AS TEXT[])'),
  concat: (a, b) => `(${a} || ${b})`,
  append: (l, x) => `(${l} || ${x})`,
  contains: (l, x) => `(${x} = ANY(${l}))`,
  cardinality: (l) => `cardinality(${l})`,
  // div(), not `/`: SUM of BIGINT is NUMERIC in PostgreSQL, and NUMERIC `/` does not truncate.
  intDiv: (a, b) => `div(${a}, ${b})`,
  nullList: 'CAST(NULL AS TEXT[])',
  unnest: (l, alias) => `unnest(${l}) WITH ORDINALITY AS ${alias}(v, o)`,
  flattenGrouped: (rows) => `SELECT g.key, array_agg(u.x ORDER BY g.o, u.p) AS m FROM (${rows}) g CROSS JOIN LATERAL unnest(g.m) WITH ORDINALITY AS u(x, p) GROUP BY g.key`,
  distinct: (l) => `(SELECT COALESCE(array_agg(d.x ORDER BY d.p), CAST(ARRAY[] AS TEXT[])) FROM (SELECT u.x, MIN(u.p) AS p FROM unnest(${l}) WITH ORDINALITY AS u(x, p) GROUP BY u.x) d)`,
  // to_char, not a cast: the text of a date cast depends on the session's DateStyle.
  addToDate: (date, n, unit) => (unit === 'd'
    ? `to_char(CAST(${date} AS DATE) + CAST(${n} AS INTEGER), 'YYYY-MM-DD')`
    : `to_char(CAST(${date} AS DATE) + CAST('${n} months' AS INTERVAL), 'YYYY-MM-DD')`),
  daysBetween: (a, b) => `(CAST(${b} AS DATE) - CAST(${a} AS DATE))`,
};

const trino: SqlDialect = {
  name: 'trino',
  types: { bool: 'BOOLEAN', int: 'BIGINT', decimal: 'DECIMAL(38,10)', text: 'VARCHAR', date: 'VARCHAR', record: 'BOOLEAN' },
  textList: 'ARRAY(VARCHAR)',
  // Spelled with functions, not `CAST(… AS ARRAY(VARCHAR))`, which SQL parsers in Trino mode reject.
  list: (items) => (items.length ? `ARRAY[${items.join(', ')}]` : "slice(ARRAY[''], 1, 0)"),
  concat: (a, b) => `concat(${a}, ${b})`,
  append: (l, x) => `concat(${l}, ${x})`,
  contains: (l, x) => `contains(${l}, ${x})`,
  cardinality: (l) => `cardinality(${l})`,
  intDiv: (a, b) => `((${a}) / (${b}))`,
  nullList: "NULLIF(ARRAY[''], ARRAY[''])",
  // Positions zipped in, `WITH ORDINALITY` spelled out: 1..n even for an empty list.
  unnest: (l, alias) => `UNNEST(${l}, slice(sequence(1, cardinality(${l}) + 1), 1, cardinality(${l}))) AS ${alias}(v, o)`,
  flattenGrouped: (rows) => `SELECT g.key, flatten(array_agg(g.m ORDER BY g.o)) AS m FROM (${rows}) g GROUP BY g.key`,
  distinct: (l) => `array_distinct(${l})`,
  addToDate: (date, n, unit) => `CAST(date_add('${unit === 'd' ? 'day' : 'month'}', ${n}, CAST(${date} AS DATE)) AS VARCHAR)`,
  daysBetween: (a, b) => `date_diff('day', CAST(${a} AS DATE), CAST(${b} AS DATE))`,
};

/** The dialect tables by name. */
export const DIALECTS: Readonly<Record<DialectName, SqlDialect>> = { duckdb, postgres, trino };
