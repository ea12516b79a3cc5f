/**
 * Opening a records database (DuckDB). DuckDB lets one process hold a database file for
 * writing at a time, so a writer keeps it only for the moment of writing: a second recorder
 * meets the lock, waits and retries until `waitMs`, then fails with a clear message. The
 * schema is checked on every open: an empty file is given the schema, an older version is
 * migrated (in one transaction), a newer version or a foreign database is refused.
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { error, warning, type Diagnostic } from '../model/diagnostics.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

/** How a records database is opened. */
export interface OpenOptions {
  /** `write` creates the file if needed; `read` opens an existing file read-only. */
  readonly mode: 'read' | 'write';
  /** How long to wait for another process's lock, in milliseconds (default 30 000). */
  readonly waitMs?: number;
  /** Apply migrations only up to this version (tests build old databases with it). */
  readonly upTo?: number;
}

/** An open records database. */
export class RecordsDb {
  /** @internal */
  constructor(readonly path: string, private readonly instance: DuckDBInstance, readonly conn: DuckDBConnection) {}

  /** Runs a query and returns its rows as plain objects (dates should be cast to VARCHAR in SQL). */
  async rows(sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  /** Runs a statement. */
  async run(sql: string, params: DuckDBValue[] = []): Promise<void> {
    await this.conn.run(sql, params);
  }

  /** Closes the connection and the database, releasing the file lock. */
  close(): void {
    try {
      this.conn.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }
}

/** The outcome of {@link openRecords}: a database, or the diagnostic saying why not. */
export type Opened = { readonly db: RecordsDb; readonly notes: readonly Diagnostic[] } | { readonly db?: undefined; readonly problem: Diagnostic };

const LOCKED = /Could not set lock|Conflicting lock/i;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Opens (and, for writing, creates or migrates) the records database at `path`. Never throws for user errors. */
export async function openRecords(path: string, options: OpenOptions): Promise<Opened> {
  if (options.mode === 'read' && !existsSync(path)) return { problem: error('R0509', undefined, { path }) };
  const waitMs = options.waitMs ?? 30_000;
  const started = Date.now();
  let instance: DuckDBInstance | undefined;
  for (;;) {
    try {
      instance = await DuckDBInstance.create(path, options.mode === 'read' ? { access_mode: 'READ_ONLY' } : {});
      break;
    } catch (e) {
      const detail = (e as Error).message;
      if (LOCKED.test(detail) && Date.now() - started < waitMs) {
        await sleep(100);
        continue;
      }
      if (LOCKED.test(detail)) return { problem: error('R0501', undefined, { path, seconds: Math.round(waitMs / 1000) }) };
      return { problem: error(options.mode === 'write' ? 'R0504' : 'R0500', undefined, { path, detail: oneLine(detail) }) };
    }
  }
  let conn: DuckDBConnection | undefined;
  try {
    conn = await instance.connect();
    const db = new RecordsDb(path, instance, conn);
    const checked = await checkSchema(db, options);
    if ('problem' in checked) {
      db.close();
      return { problem: checked.problem };
    }
    return { db, notes: checked.notes };
  } catch (e) {
    conn?.closeSync();
    instance.closeSync();
    return { problem: error(options.mode === 'write' ? 'R0504' : 'R0500', undefined, { path, detail: oneLine((e as Error).message) }) };
  }
}

/** The first line of an engine message, without DuckDB's documentation link. */
export function oneLine(message: string): string {
  return message.split('\n')[0].replace(/\s*See also https?:\S+/, '').trim();
}

/** The schema version recorded in the database, 0 for an empty database, undefined for a foreign one. */
export async function schemaVersionOf(db: RecordsDb): Promise<number | undefined> {
  const tables = await db.rows(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'`);
  if (tables.length === 0) return 0;
  if (!tables.some((t) => t.name === 'clausal_schema')) return undefined;
  const [row] = await db.rows(`SELECT CAST(coalesce(max(version), 0) AS INTEGER) AS v FROM clausal_schema`);
  return Number(row.v);
}

async function checkSchema(db: RecordsDb, options: OpenOptions): Promise<{ notes: Diagnostic[] } | { problem: Diagnostic }> {
  const target = options.upTo ?? SCHEMA_VERSION;
  const found = await schemaVersionOf(db);
  if (found === undefined) return { problem: error('R0503', undefined, { path: db.path }) };
  if (found > SCHEMA_VERSION) return { problem: error('R0502', undefined, { path: db.path, found, known: SCHEMA_VERSION }) };
  if (found >= target) return { notes: [] };
  if (options.mode === 'read') {
    // A read-only open cannot migrate; an older database is still read, through the tables it has.
    return found === 0 ? { problem: error('R0509', undefined, { path: db.path }) } : { notes: [] };
  }
  await db.run('BEGIN TRANSACTION');
  try {
    for (const m of MIGRATIONS) {
      if (m.version <= found || m.version > target) continue;
      for (const s of m.statements) await db.run(s);
      await db.run(`INSERT INTO clausal_schema VALUES (?, ?, current_timestamp)`, [m.version, m.name]);
    }
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return { notes: found === 0 ? [] : [warning('R0510', undefined, { path: db.path, from: found, to: target })] };
}
