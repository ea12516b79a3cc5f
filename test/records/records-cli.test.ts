/**
 * Decision records as users meet them: `eval --record`, receipts in JSON/NDJSON, and
 * `clausal runs list|show|verify|compare|receipt`, including tampered stored files, facts that
 * changed without a stored copy, and databases that are missing, foreign, older or newer.
 */
import { copyFileSync, mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/policy.js';
import { openRecords } from '../../src/records/database.js';
import { SCHEMA_VERSION } from '../../src/records/schema.js';
import { RECORDS_SCENARIOS } from './scenarios.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-records-'));
const DB = join(dir, 'runs.duckdb');

/** Runs SQL on a database file directly, as an analyst (or an attacker) would. */
async function sql(path: string, ...statements: string[]): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  let rows: Record<string, unknown>[] = [];
  try {
    for (const s of statements) rows = (await conn.runAndReadAll(s)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return rows;
}

let first: { results: { receipt: string; subject: { id: string }; rule: string }[]; run: number };

beforeAll(async () => {
  const a = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--record', DB, '--record-facts', '--format', 'json', '--lang', 'en']);
  expect(a.stderr).toContain('recorded as run 1');
  expect(a.code).toBe(0);
  first = JSON.parse(a.stdout);
  const b = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2023-03-01', '--record', DB, '--format', 'ndjson']);
  expect(b.code).toBe(0);
  expect(b.stderr).toContain('已记录为第 2 次检查');
}, 60_000);

afterAll(() => undefined);

describe('eval --record', () => {
  it('prints a receipt on every JSON result and the run number; the contract keys keep their order', () => {
    expect(first.run).toBe(1);
    expect(first.results.length).toBeGreaterThan(1000);
    const receipts = new Set(first.results.map((r) => r.receipt));
    expect(receipts.size).toBe(first.results.length);
    for (const r of first.results.slice(0, 5)) expect(r.receipt).toMatch(/^r-[0-9a-f]{20}$/);
    expect(Object.keys(first.results[0]).slice(0, 8)).toEqual(['subject', 'rule', 'cite', 'modality', 'status', 'due', 'missing', 'explanation']);
  });

  it('stores every result row, the files with hashes, the parameters in force and the rules, queryable with plain SQL', async () => {
    const [counts] = await sql(DB, `SELECT (SELECT CAST(count(*) AS INTEGER) FROM results WHERE run = 1) AS results,
      (SELECT result_count FROM runs WHERE run = 1) AS declared,
      (SELECT CAST(count(*) AS INTEGER) FROM run_files WHERE run = 1 AND role = 'source') AS sources,
      (SELECT CAST(count(*) AS INTEGER) FROM run_files WHERE run = 1 AND role = 'facts' AND content IS NOT NULL) AS facts_copies,
      (SELECT CAST(count(*) AS INTEGER) FROM run_files WHERE run = 2 AND role = 'facts' AND content IS NOT NULL) AS facts_copies_2,
      (SELECT value FROM run_params WHERE run = 1 AND name = 'civil_affairs_share') AS share,
      (SELECT quote IS NOT NULL FROM run_rules WHERE run = 1 AND rule = 'civil-affairs-post-share') AS quoted`);
    expect(counts).toEqual({ results: first.results.length, declared: first.results.length, sources: 1, facts_copies: 1, facts_copies_2: 0, share: '"0.7"', quoted: true });
    const [row] = await sql(DB, `SELECT status, cite, prefecture_name, CAST(due AS VARCHAR) AS due FROM results WHERE run = 1 AND subject_id = 'KM-CWH-01' AND rule = 'civil-affairs-post-share'`);
    expect(row).toEqual({ status: 'compliant', cite: '三（二）', prefecture_name: '昆明市', due: '2022-12-31' });
  });

  it('refuses --record with options that trim or split results, and --record-facts alone (exit 2)', async () => {
    const stream = await runCli(['eval', POLICY, '--facts', PROVINCE, '--record', DB, '--explain', 'KM-CWH-01']);
    expect(stream.code).toBe(2);
    expect(stream.stderr).toContain('X0501');
    const alone = await runCli(['eval', POLICY, '--facts', PROVINCE, '--record-facts']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('X0500');
  });
});

describe('clausal runs', () => {
  it('list: one line per run, JSON with the summary', async () => {
    const text = await runCli(['runs', 'list', '--db', DB, '--lang', 'en']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text.stdout).toMatch(/^ {3}1 {2}yunnan-social-work 2021 {2}as of 2022-06-01 {2}186 subjects {2}violation 53, pending 4, unknown 74/);
    const json = JSON.parse((await runCli(['runs', 'list', '--db', DB, '--format', 'json'])).stdout);
    expect(json.map((r: { asOf: string }) => r.asOf)).toEqual(['2022-06-01', '2023-03-01']);
    expect(json[1].summary.violation).toBe(57);
  });

  it('show: files, hashes, command line, parameters', async () => {
    const r = await runCli(['runs', 'show', '1', '--db', DB, '--format', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.commandLine.slice(0, 3)).toEqual(['clausal', 'eval', POLICY]);
    expect(d.files.map((f: { role: string; path: string }) => `${f.role}:${f.path}`)).toContain('source:source.txt');
    expect(d.files.find((f: { role: string }) => f.role === 'facts')).toMatchObject({ path: 'province.yaml', stored: true });
    expect(d.params.find((p: { name: string }) => p.name === 'civil_affairs_deadline')).toEqual({ name: 'civil_affairs_deadline', value: '2022-12-31', since: null });
    expect(d.engineVersion).toBe('clausal 0.1.0');
    const text = await runCli(['runs', 'show', '2', '--db', DB, '--lang', 'en']);
    expect(text.stdout).toContain('no copy stored');
  });

  it('verify: byte-identical from the stored copy (run 1) and from the unchanged facts file (run 2): exit 0', async () => {
    const one = await runCli(['runs', 'verify', '1', '--db', DB, '--lang', 'en']);
    expect(one.stdout).toBe(`run 1 verified: all ${first.results.length} results are byte-identical\n`);
    expect(one.code).toBe(0);
    const two = await runCli(['runs', 'verify', '2', '--db', DB]);
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('逐字节相同');
  });

  it('compare: the four pending civil-affairs units became violations after the 2022-12-31 deadline', async () => {
    const r = await runCli(['runs', 'compare', '1', '2', '--db', DB, '--format', 'json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.counts).toEqual({ new: 0, worsened: 4, resolved: 0, eased: 0, changed: 0 });
    expect(c.byClause).toEqual([{ cite: '三（二）', counts: { new: 0, worsened: 4, resolved: 0, eased: 0, changed: 0 } }]);
    expect(c.changes.map((x: { subject: { id: string } }) => x.subject.id).sort()).toEqual(['HH-FUN-01', 'KM-ADP-01', 'KM-SWH-01', 'NJ-CWH-01']);
    expect(c.byPrefecture.map((p: { prefecture: string }) => p.prefecture).sort()).toEqual(['怒江傈僳族自治州', '昆明市', '红河哈尼族彝族自治州'].sort());
    const md = await runCli(['runs', 'compare', '2', '1', '--db', DB, '--format', 'markdown', '--lang', 'en']);
    expect(md.stdout).toContain('| eased | ');
    expect(md.stdout).toContain('## By prefecture');
  });

  it('receipt: the decision with its run, quote and the parameters it used', async () => {
    const cwh = first.results.find((r) => r.subject.id === 'KM-SWH-01' && r.rule === 'civil-affairs-post-share')!;
    const r = await runCli(['runs', 'receipt', cwh.receipt, '--db', DB, '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`receipt ${cwh.receipt}`);
    expect(r.stdout).toContain('run: 1  yunnan-social-work 2021  as of 2022-06-01');
    expect(r.stdout).toContain('status: pending  due 2022-12-31');
    expect(r.stdout).toMatch(/quote: “.+”/);
    expect(r.stdout).toContain('civil_affairs_share = "0.7"');
    const json = JSON.parse((await runCli(['runs', 'receipt', cwh.receipt, '--db', DB, '--format', 'json'])).stdout);
    expect(json.result).toMatchObject({ rule: 'civil-affairs-post-share', status: 'pending' });
    const none = await runCli(['runs', 'receipt', 'r-0000', '--db', DB]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('R0506');
  });

  it('usage and missing runs: exit 2 for a bad run number, 1 for an absent run', async () => {
    const bad = await runCli(['runs', 'show', 'abc', '--db', DB]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('X0502');
    const absent = await runCli(['runs', 'verify', '99', '--db', DB]);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toContain('R0505');
    const sub = await runCli(['runs', 'frobnicate', '--db', DB]);
    expect(sub.code).toBe(2);
    const noDb = await runCli(['runs', 'list']);
    expect(noDb.code).toBe(2);
  });
});

describe('runs verify detects what changed', () => {
  it('a tampered stored rule file fails its hash: R0507, exit 1', async () => {
    const db = join(dir, 'tampered.duckdb');
    copyFileSync(DB, db);
    await sql(db, `UPDATE run_files SET content = content || CAST('param agency_share = 0%' AS BLOB) WHERE run = 1 AND path = '10-params.clause'`);
    const r = await runCli(['runs', 'verify', '1', '--db', db, '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('R0507');
    expect(r.stderr).toContain('10-params.clause');
  });

  it('an altered stored result is shown as a difference: exit 1', async () => {
    const db = join(dir, 'altered.duckdb');
    copyFileSync(DB, db);
    await sql(db, `UPDATE results SET result_json = replace(result_json, '"status":"pending"', '"status":"compliant"') WHERE run = 1 AND subject_id = 'KM-SWH-01' AND rule = 'civil-affairs-post-share'`);
    const r = await runCli(['runs', 'verify', '1', '--db', db, '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 results differ');
    expect(r.stdout).toMatch(/- .*"status":"compliant"/);
    expect(r.stdout).toMatch(/\+ .*"status":"pending"/);
  });

  it('facts changed after a run recorded without a copy: R0508 names the file, exit 1', async () => {
    const facts = join(dir, 'province.yaml');
    copyFileSync(PROVINCE, facts);
    const db = join(dir, 'nocopy.duckdb');
    expect((await runCli(['eval', POLICY, '--facts', facts, '--as-of', '2022-06-01', '--record', db, '--format', 'json'])).code).toBe(0);
    expect((await runCli(['runs', 'verify', '1', '--db', db])).code).toBe(0);
    appendFileSync(facts, '# edited\n');
    const r = await runCli(['runs', 'verify', '1', '--db', db, '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('R0508');
    expect(r.stderr).toContain('has changed since');
  });
});

describe('records databases that cannot be used', () => {
  it('a missing database (R0509), a file that is not DuckDB (R0500), a foreign DuckDB (R0503): exit 1, no stack trace', async () => {
    const missing = await runCli(['runs', 'list', '--db', join(dir, 'nope.duckdb')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('R0509');
    const text = join(dir, 'text.duckdb');
    writeFileSync(text, 'not a database\n'.repeat(1000));
    const notDuck = await runCli(['runs', 'list', '--db', text]);
    expect(notDuck.code).toBe(1);
    expect(notDuck.stderr).toContain('R0500');
    const recordInto = await runCli(['eval', POLICY, '--facts', PROVINCE, '--record', text, '--format', 'json']);
    expect(recordInto.code).toBe(1);
    expect(recordInto.stderr).toContain('R0504');
    expect(recordInto.stdout).toBe('');
    const foreign = join(dir, 'foreign.duckdb');
    await sql(foreign, 'CREATE TABLE sales (x INTEGER)');
    for (const argv of [['runs', 'list', '--db', foreign], ['eval', POLICY, '--facts', PROVINCE, '--record', foreign]]) {
      const r = await runCli(argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('R0503');
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
  });

  it('a newer schema version is refused (R0502); an older one is migrated (R0510) and its runs kept', async () => {
    const newer = join(dir, 'newer.duckdb');
    copyFileSync(DB, newer);
    await sql(newer, `INSERT INTO clausal_schema VALUES (${SCHEMA_VERSION + 1}, 'from the future', current_timestamp)`);
    const refused = await runCli(['eval', POLICY, '--facts', PROVINCE, '--record', newer]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('R0502');
    expect((await runCli(['runs', 'list', '--db', newer])).stderr).toContain('R0502');

    const old = join(dir, 'old.duckdb');
    const opened = await openRecords(old, { mode: 'write', upTo: 1 });
    opened.db!.close();
    expect(await sql(old, `SELECT CAST(max(version) AS INTEGER) AS v FROM clausal_schema`)).toEqual([{ v: 1 }]);
    const recorded = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--record', old, '--format', 'json']);
    expect(recorded.code).toBe(0);
    expect(recorded.stderr).toContain('R0510');
    expect(await sql(old, `SELECT CAST(max(version) AS INTEGER) AS v FROM clausal_schema`)).toEqual([{ v: SCHEMA_VERSION }]);
    expect((await runCli(['runs', 'verify', '1', '--db', old])).code).toBe(0);
  });
});

describe('a database held by another process', () => {
  it('a recorder that cannot get the lock within its wait fails with R0501 (it waits 30 s by default)', async () => {
    expect(await RECORDS_SCENARIOS['records-locked']()).toEqual(['R0501']);
  }, 60_000);
});
