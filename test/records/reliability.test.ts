/**
 * Recording under stress, with the built CLI in child processes: two recorders at once (both
 * runs stored: the second waits for the first's lock), `kill -9` while a run is being written
 * (no partial run: one transaction), a read-only file system and a full disk (clear R0504, the
 * database stays readable and unchanged).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-records-rel-'));
const BIG = join(dir, 'province-2k.json');

function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/clausal.js', ...args, '--lang', 'en'], { encoding: 'utf8', timeout: 120_000 });
}

function cliAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/clausal.js', ...args, '--lang', 'en'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function query(path: string, q: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(q)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Every stored run has all its result rows, and no row belongs to a run that is not stored. */
async function consistent(path: string): Promise<number> {
  const [r] = await query(path, `SELECT
    (SELECT CAST(count(*) AS INTEGER) FROM runs) AS runs,
    (SELECT CAST(count(*) AS INTEGER) FROM runs WHERE result_count <> (SELECT count(*) FROM results WHERE results.run = runs.run)) AS short,
    (SELECT CAST(count(*) AS INTEGER) FROM results WHERE run NOT IN (SELECT run FROM runs)) AS orphans,
    (SELECT CAST(count(*) AS INTEGER) FROM run_files WHERE run NOT IN (SELECT run FROM runs)) AS orphan_files`);
  expect({ short: r.short, orphans: r.orphans, orphan_files: r.orphan_files }).toEqual({ short: 0, orphans: 0, orphan_files: 0 });
  return Number(r.runs);
}

const built = existsSync('dist/cli/main.js');

beforeAll(() => {
  const g = spawnSync(process.execPath, ['scripts/gen-province.js', '--institutions', '2000', '--regions', '2000', '--out', BIG], { encoding: 'utf8' });
  expect(g.status).toBe(0);
});

afterAll(() => {
  spawnSync('umount', [join(dir, 'tiny')]);
  spawnSync('umount', [join(dir, 'ro')]);
});

describe.skipIf(!built)('recording reliability (built CLI)', () => {
  it('two processes recording into one database at the same time: both runs are stored', async () => {
    const db = join(dir, 'both.duckdb');
    const [a, b] = await Promise.all([
      cliAsync(['eval', POLICY, '--facts', BIG, '--as-of', '2022-06-01', '--record', db, '--format', 'json']),
      cliAsync(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2023-03-01', '--record', db, '--format', 'json']),
    ]);
    expect([a.code, b.code, a.stderr + b.stderr]).toEqual([0, 0, expect.stringContaining('recorded as run')]);
    expect(await consistent(db)).toBe(2);
    const asOfs = (await query(db, `SELECT CAST(as_of AS VARCHAR) AS d FROM runs ORDER BY d`)).map((r) => r.d);
    expect(asOfs).toEqual(['2022-06-01', '2023-03-01']);
  }, 120_000);

  it('kill -9 while a run is being written leaves no partial run, and the database still records', async () => {
    const db = join(dir, 'killed.duckdb');
    expect(cli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--record', db]).status).toBe(0);
    const before = statSync(db);
    const child = spawn(process.execPath, ['bin/clausal.js', 'eval', POLICY, '--facts', BIG, '--as-of', '2022-06-01', '--record', db, '--format', 'ndjson'], { stdio: 'ignore' });
    // Kill the recorder the moment the database starts to change on disk (its write-ahead log
    // appears, or the file grows or is rewritten): that is inside the run's one transaction or its commit.
    let killedWhileWriting = false;
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const now = existsSync(db) ? statSync(db) : before;
        const writing = existsSync(`${db}.wal`) || now.size !== before.size || now.mtimeMs !== before.mtimeMs;
        if (writing || child.exitCode !== null) {
          clearInterval(poll);
          killedWhileWriting = writing && child.exitCode === null;
          child.kill('SIGKILL');
          resolve();
        }
      }, 2);
    });
    await new Promise((r) => child.on('close', r));
    const runs = await consistent(db);
    expect(killedWhileWriting ? runs === 1 || runs === 2 : runs === 2).toBe(true);
    expect(cli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2023-03-01', '--record', db]).status).toBe(0);
    expect(cli(['runs', 'verify', String(await consistent(db)), '--db', db]).status).toBe(0);
  }, 180_000);

  const mount = (point: string, size: string) => {
    mkdirSync(point, { recursive: true });
    return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', point], { encoding: 'utf8' }).status === 0;
  };
  const canMount = mount(join(dir, 'probe'), '64k') && spawnSync('umount', [join(dir, 'probe')]).status === 0;
  if (!canMount) console.log('[records] read-only and full-disk tests skipped: mount refused in this container');

  it.skipIf(!canMount)('a read-only file system: R0504, exit 1; the database is still readable', () => {
    const point = join(dir, 'ro');
    expect(mount(point, '16m')).toBe(true);
    const db = join(point, 'runs.duckdb');
    expect(cli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--record', db]).status).toBe(0);
    expect(spawnSync('mount', ['-o', 'remount,ro', point]).status).toBe(0);
    const r = cli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2023-03-01', '--record', db, '--format', 'json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('R0504');
    expect(r.stderr).toContain('nothing was recorded');
    const list = cli(['runs', 'list', '--db', db]);
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it.skipIf(!canMount)('a full disk: R0504, exit 1; earlier runs intact and verifiable', async () => {
    const point = join(dir, 'tiny');
    expect(mount(point, '3m')).toBe(true);
    const db = join(point, 'runs.duckdb');
    expect(cli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--record', db]).status).toBe(0);
    const r = cli(['eval', POLICY, '--facts', BIG, '--as-of', '2023-03-01', '--record', db, '--record-facts', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('R0504');
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(await consistent(db)).toBe(1);
    expect(cli(['runs', 'verify', '1', '--db', db]).status).toBe(0);
    expect(readdirSync(point).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});
