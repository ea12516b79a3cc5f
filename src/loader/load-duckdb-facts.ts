/**
 * Facts kept where a warehouse keeps them: a Parquet file (`institutions.parquet`, one list named
 * by the file), a folder of Parquet files (one per list), or a DuckDB database file (`.duckdb`, one
 * table per list: `regions`, `institutions`, `workers`). DuckDB reads them; each table becomes a
 * table of cells as a CSV file would give (columns named by facts paths: `id`, `category`,
 * `posts.total`), so the facts are validated by the same code with the same F-codes, each
 * diagnostic naming its place as `institutions.parquet:ROW:COL` (ROW 1 is the first data row).
 *
 * Cells: SQL NULL is an empty cell (the fact is absent: unknown); the text `null` (or `无`) is
 * none, as in CSV; a list column's items are joined with `;` (a JSON column holding a list or
 * the text `null` is read as that list or text); every other value is read as its exact text (DuckDB's cast to VARCHAR: decimals keep every digit, dates are `YYYY-MM-DD`).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import { DEFAULT_FACTS_LIMITS, type FactsLimits } from '../facts/facts.js';
import type { RawFactsPart } from '../facts/raw-facts.js';
import { sqlIdent, sqlString } from '../sql/dialects.js';
import { factsFromTables, tablesToRaw, type Table, type TableRow } from './sheet-table.js';

/** Whether `path` is read by DuckDB: a `.parquet` or `.duckdb` file, or a folder holding `.parquet` files. */
export function isDuckDbFacts(path: string): boolean {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.duckdb') return true;
  try {
    return statSync(path).isDirectory() && readdirSync(path).some((n) => n.toLowerCase().endsWith('.parquet'));
  } catch {
    return false;
  }
}

/** What a facts load returns (as `loadFactsSet`). */
interface Loaded {
  readonly facts?: ReturnType<typeof factsFromTables>['facts'];
  readonly diagnostics: readonly Diagnostic[];
  readonly texts: ReadonlyMap<string, string>;
}

/** Loads, validates and links the facts of a Parquet file or folder, or a DuckDB database file. */
export async function loadDuckDbFacts(policy: Policy, path: string, limits: FactsLimits = DEFAULT_FACTS_LIMITS): Promise<Loaded> {
  const read = await readTables(path, limits);
  if (!read.tables) return { diagnostics: read.diagnostics, texts: new Map() };
  return { ...factsFromTables(policy, path, read.tables, limits), texts: new Map() };
}

/** The same as raw subjects, to be validated with other sources (see `mergeFactsParts`). */
export async function readDuckDbPart(policy: Policy, path: string, limits: FactsLimits = DEFAULT_FACTS_LIMITS): Promise<RawFactsPart> {
  const read = await readTables(path, limits);
  if (!read.tables) return { file: path, raw: [], diagnostics: read.diagnostics };
  return tablesToRaw(policy, path, read.tables);
}

/** A column's value as cell text: lists joined with `;`, JSON read as the value it holds, the rest cast. */
function cellText(column: string, type: string): string {
  if (type.endsWith('[]')) return `array_to_string(${column}, ';')`;
  if (type === 'JSON') return `CASE json_type(${column}) WHEN 'ARRAY' THEN array_to_string(CAST(${column} AS VARCHAR[]), ';') WHEN 'VARCHAR' THEN (${column} ->> '$') ELSE CAST(${column} AS VARCHAR) END`;
  return `CAST(${column} AS VARCHAR)`;
}

/** Every table of the source as cells; F0001 when DuckDB cannot read it. */
async function readTables(path: string, limits: FactsLimits): Promise<{ tables?: Table[]; diagnostics: Diagnostic[] }> {
  const isDb = extname(path).toLowerCase() === '.duckdb';
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    instance = await DuckDBInstance.create(isDb ? path : ':memory:', { threads: '2', ...(isDb ? { access_mode: 'READ_ONLY' } : {}) });
    connection = await instance.connect();
    const sources: { name: string; shown: string; from: string }[] = [];
    if (isDb) {
      const names = (await connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name")).getRows();
      for (const [name] of names) sources.push({ name: String(name), shown: String(name), from: sqlIdent(String(name)) });
    } else if (extname(path).toLowerCase() === '.parquet') {
      sources.push({ name: basename(path).slice(0, -'.parquet'.length), shown: basename(path), from: `read_parquet(${sqlString(path)})` });
    } else {
      for (const n of readdirSync(path).filter((x) => x.toLowerCase().endsWith('.parquet')).sort()) sources.push({ name: n.slice(0, -'.parquet'.length), shown: n, from: `read_parquet(${sqlString(join(path, n))})` });
    }
    const book = isDb || extname(path) !== '' ? undefined : basename(path);
    const tables: Table[] = [];
    let subjects = 0;
    for (const s of sources) {
      const columns = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${s.from}`)).getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
      const cast = columns.map((c) => cellText(sqlIdent(c.name), c.type));
      const rows = (await connection.runAndReadAll(`SELECT ${cast.join(', ') || 'NULL'} FROM ${s.from}`)).getRows();
      subjects += rows.length;
      // Checked again by the validation; stopping here keeps a huge table out of memory.
      if (subjects > limits.maxSubjects) return { diagnostics: [error('F0012', undefined, { what: 'subjects', limit: limits.maxSubjects })] };
      const at = { file: book === undefined ? path : join(path, s.shown), start: 0, end: 0 };
      const header: TableRow = { row: 0, cells: columns.map((c) => ({ value: c.name, span: at })) };
      const body: TableRow[] = rows.map((r, i) => ({ row: i + 1, cells: r.map((v) => (v === null ? undefined : { value: String(v), span: at })) }));
      tables.push({ name: s.name, shown: s.shown, book, style: 'csv', origin: at, rows: [header, ...body] });
    }
    return { tables, diagnostics: [] };
  } catch (e) {
    return { diagnostics: [error('F0001', undefined, { detail: `${path}: ${(e as Error).message.split('\n')[0]}` })] };
  } finally {
    connection?.closeSync();
    instance?.closeSync();
  }
}
