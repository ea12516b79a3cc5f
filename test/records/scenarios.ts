/**
 * Records situations that cannot be shown on the diagnostics page (a lock held by another
 * process, hand-edited databases): each builds the situation in a temporary folder, runs the
 * CLI in-process and returns the diagnostic codes it printed. Used by test/docs/diagnostics.test.ts.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../helpers/policy.js';
import { openRecords } from '../../src/records/database.js';
import { SCHEMA_VERSION } from '../../src/records/schema.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';

const codesIn = (text: string) => [...text.matchAll(/(?:error|warning) ([A-Z]\d{4}):/g)].map((m) => m[1]);

async function sql(path: string, statement: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    await conn.run(statement);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function inTemp(fn: (dir: string) => Promise<string[]>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'clausal-records-scenario-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function recorded(dir: string, copy: boolean, facts = PROVINCE): Promise<string> {
  const db = join(dir, 'runs.duckdb');
  const r = await runCli(['eval', POLICY, '--facts', facts, '--as-of', '2022-06-01', '--record', db, '--out', join(dir, 'report.txt'), ...(copy ? ['--record-facts'] : [])]);
  if (r.code !== 0) throw new Error(r.stderr);
  return db;
}

/** The scenarios by name. */
export const RECORDS_SCENARIOS: Record<string, () => Promise<string[]>> = {
  'records-locked': () => inTemp(async (dir) => {
    const db = join(dir, 'runs.duckdb');
    const holder = spawn(process.execPath, ['-e', `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { const i = await DuckDBInstance.create(${JSON.stringify(db)}); await i.connect(); console.log('held'); setTimeout(() => {}, 60000); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const opened = await openRecords(db, { mode: 'write', waitMs: 300 });
      opened.db?.close();
      return opened.db ? [] : [opened.problem.code];
    } finally {
      holder.kill('SIGKILL');
    }
  }),
  'records-newer': () => inTemp(async (dir) => {
    const db = await recorded(dir, false);
    await sql(db, `INSERT INTO clausal_schema VALUES (${SCHEMA_VERSION + 1}, 'newer', current_timestamp)`);
    return codesIn((await runCli(['runs', 'list', '--db', db])).stderr);
  }),
  'records-foreign': () => inTemp(async (dir) => {
    const db = join(dir, 'other.duckdb');
    await sql(db, 'CREATE TABLE sales (x INTEGER)');
    return codesIn((await runCli(['runs', 'list', '--db', db])).stderr);
  }),
  'records-tampered': () => inTemp(async (dir) => {
    const db = await recorded(dir, true);
    await sql(db, `UPDATE run_files SET content = content || CAST('#' AS BLOB) WHERE role = 'source'`);
    return codesIn((await runCli(['runs', 'verify', '1', '--db', db])).stderr);
  }),
  'records-facts-changed': () => inTemp(async (dir) => {
    const facts = join(dir, 'province.yaml');
    copyFileSync(PROVINCE, facts);
    const db = await recorded(dir, false, facts);
    appendFileSync(facts, '# edited\n');
    return codesIn((await runCli(['runs', 'verify', '1', '--db', db])).stderr);
  }),
  'records-migrated': () => inTemp(async (dir) => {
    const db = join(dir, 'old.duckdb');
    (await openRecords(db, { mode: 'write', upTo: 1 })).db!.close();
    const r = await runCli(['eval', POLICY, '--facts', PROVINCE, '--record', db, '--out', join(dir, 'report.txt')]);
    return codesIn(r.stderr);
  }),
};
