/** `clausal export --to sql` and `clausal eval --engine duckdb` as users meet them: exit codes, output, refusals. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { PRELUDE, runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-sql-'));

function policyDir(name: string, rules: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'p.clause'), `${PRELUDE}${rules}`);
  return path;
}

describe('clausal export --to sql', () => {
  it.each(['duckdb', 'postgres', 'trino'])('prints the fact tables and the result query (%s)', async (dialect) => {
    const r = await runCli(['export', POLICY, '--to', 'sql', '--dialect', dialect, '--as-of', '2023-03-01']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${dialect} dialect`);
    expect(r.stdout).toContain('CREATE TABLE "institutions"');
    expect(r.stdout).toContain('"posts.social_work$known"');
    expect(r.stdout.trimEnd().endsWith('ORDER BY r._ord, r.rule_index;')).toBe(true);
  });

  it('leaves the tables out with --query-only', async () => {
    const r = await runCli(['export', POLICY, '--to', 'sql', '--query-only', '--as-of', '2023-03-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('CREATE TABLE');
    expect(r.stdout).toContain('SELECT r.subject_kind, r.subject_id, r.rule, r.cite, r.modality, r.status, r.due, r.missing');
  });

  it('resolves parameters for the date: 70% before 2025, 75% after (2025 draft)', async () => {
    const before = await runCli(['export', 'policies/yunnan-social-work/2025-draft', '--to', 'sql', '--query-only', '--as-of', '2024-12-31']);
    const after = await runCli(['export', 'policies/yunnan-social-work/2025-draft', '--to', 'sql', '--query-only', '--as-of', '2025-01-01']);
    // `social_work >= share * professional` multiplied out: * 10 >= 7 * ..., then * 4 >= 3 * ...
    expect(before.stdout).toContain('"posts.social_work" * 10) >= (7 * s0."posts.professional")');
    expect(after.stdout).toContain('"posts.social_work" * 4) >= (3 * s0."posts.professional")');
  });

  it('refuses a rule it cannot express, naming the rule and the construct (X0401, exit 1)', async () => {
    const p = policyDir('unsupported', `
rule share-of-total cite "一" for unit u
  must u.posts.social_work / u.posts.total >= 70%
`);
    const r = await runCli(['export', p, '--to', 'sql', '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('X0401');
    expect(r.stderr).toContain('rule `share-of-total` cannot be compiled to SQL: `u.posts.social_work / u.posts.total` is not supported (division)');
  });

  it('refuses a set of decimal facts as an aggregate source, which JSON Logic exports; takes one of integers', async () => {
    const p = policyDir('set-of-facts', `
rule two-ratios cite "一" for unit u
  must count(x in {u.ratio, u.posts.total} : x > 5) >= 1
`);
    const sql = await runCli(['export', p, '--to', 'sql', '--lang', 'en']);
    expect(sql.code).toBe(1);
    expect(sql.stderr).toContain('rule `two-ratios` cannot be compiled to SQL: `{u.ratio, u.posts.total}` is not supported (set-of-facts)');
    const ints = policyDir('set-of-ints', `
rule two-counts cite "一" for unit u
  must count(x in {u.posts.total, u.posts.professional} : x > 5) >= 1
`);
    expect((await runCli(['export', ints, '--to', 'sql', '--lang', 'en'])).code).toBe(0);
    const jl = await runCli(['export', p, '--to', 'jsonlogic', '--lang', 'en']);
    expect(jl.code).toBe(0);
    expect((JSON.parse(jl.stdout) as { rules: { id: string }[] }).rules.map((r) => r.id)).toEqual(['two-ratios']);
  });

  it('with --facts, is a script DuckDB runs as is, giving the results of eval', async () => {
    const r = await runCli(['export', POLICY, '--to', 'sql', '--facts', PROVINCE, '--as-of', '2022-06-01']);
    expect(r.code).toBe(0);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(r.stdout);
    const rows = reader.getRowObjectsJS().map((x) => `${x.subject_id} ${x.rule} ${x.status} ${x.due ?? '-'} ${(x.missing as string[]).join(',')}`);
    connection.closeSync();
    instance.closeSync();
    const json = JSON.parse((await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'json'])).stdout);
    expect(rows).toEqual(json.results.map((x: { subject: { id: string }; rule: string; status: string; due: string | null; missing: string[] }) => `${x.subject.id} ${x.rule} ${x.status} ${x.due ?? '-'} ${x.missing.join(',')}`));
  });

  // Nested definitions (yearly -> monthly -> tier) under sums over sums: printed once, read many times.
  it.each(['duckdb', 'postgres', 'trino'])('prints policies/community-worker-allowance whole (%s)', async (dialect) => {
    const r = await runCli(['export', 'policies/community-worker-allowance/2024', '--to', 'sql', '--dialect', dialect, '--as-of', '2025-07-01', '--query-only']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("'county-allowance-budget' AS rule");
    expect(r.stdout).toContain('CROSS JOIN LATERAL (SELECT');
  });

  it('rejects --dialect with --to jsonlogic (usage, exit 2)', async () => {
    const r = await runCli(['export', POLICY, '--to', 'jsonlogic', '--dialect', 'postgres']);
    expect(r.code).toBe(2);
  });
});

describe('clausal eval --engine duckdb', () => {
  it.each(['json', 'ndjson', 'csv'])('prints what the in-process engine prints (%s)', async (format) => {
    const args = ['eval', POLICY, '--facts', PROVINCE, '--as-of', '2021-06-15', '--format', format, '--lang', 'en'];
    const inProcess = await runCli(args);
    const duck = await runCli([...args, '--engine', 'duckdb']);
    expect(duck.code).toBe(inProcess.code);
    expect(duck.stderr).toBe('');
    expect(duck.stdout).toBe(inProcess.stdout);
  });

  it('runs policies/community-worker-allowance whole, printing what the in-process engine prints', async () => {
    const args = ['eval', 'policies/community-worker-allowance/2024', '--facts', 'policies/community-worker-allowance/examples/city.yaml', '--as-of', '2025-07-01', '--format', 'json'];
    const inProcess = await runCli(args);
    const duck = await runCli([...args, '--engine', 'duckdb']);
    expect(duck.code, duck.stderr).toBe(inProcess.code);
    expect(duck.stdout).toContain('"rule":"county-allowance-budget"');
    expect(duck.stdout).toBe(inProcess.stdout);
  });

  it('names the rules it cannot run (X0401, exit 1)', async () => {
    const p = policyDir('unsupported-eval', `
rule share-of-total cite "一" for unit u
  must u.posts.social_work / u.posts.total >= 70%
`);
    const facts = join(dir, 'units.yaml');
    writeFileSync(facts, 'units:\n  - { id: U1, posts: { total: 10, social_work: 7 } }\n');
    const r = await runCli(['eval', p, '--facts', facts, '--engine', 'duckdb', '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('X0401');
    expect(r.stderr).toContain('share-of-total');
  });

  it('refuses a decimal it cannot hold exactly (X0402, exit 4) and gives bad facts the same F-codes', async () => {
    const p = policyDir('decimals', `
rule ratio-high cite "一" for unit u
  must u.ratio >= 0.5
`);
    const facts = join(dir, 'decimals.yaml');
    writeFileSync(facts, 'units:\n  - { id: U1, ratio: 0.12345678901 }\n');
    const r = await runCli(['eval', p, '--facts', facts, '--engine', 'duckdb', '--lang', 'en']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('X0402');
    expect(r.stderr).toContain('units[U1].ratio');
    // A bad value in a field the rule reads: the same F-code at the same place; in a field no
    // rule reads: not checked by either engine (only what the policy reads is validated).
    for (const [text, code] of [['units:\n  - { id: U1, ratio: many }\n', 4], ['units:\n  - { id: U1, ratio: 0.5, posts: { total: many } }\n', 0]] as const) {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, text);
      const a = await runCli(['eval', p, '--facts', bad, '--lang', 'en']);
      const b = await runCli(['eval', p, '--facts', bad, '--engine', 'duckdb', '--lang', 'en']);
      expect(a.code).toBe(code);
      expect(b.code).toBe(code);
      expect(b.stderr).toBe(a.stderr);
      if (code === 4) expect(a.stderr).toContain('units[0].ratio');
    }
  });

  it.each([['ndjson', 'all'], ['json', 'status']])('goes through the same sinks as the in-process engine: --format %s --fields %s --omit not_applicable', async (format, fields) => {
    const base = ['eval', POLICY, '--facts', PROVINCE, '--as-of', '2023-03-01', '--format', format, '--fields', fields, '--omit', 'not_applicable'];
    const inProcess = await runCli(base);
    const duck = await runCli([...base, '--engine', 'duckdb']);
    expect(duck.code, duck.stderr).toBe(0);
    expect(duck.stdout).not.toContain('"status":"not_applicable"');
    expect(duck.stdout).toContain('"status":"violation"');
    expect(duck.stdout).toBe(inProcess.stdout);
  });

  // The engine queries only rows that are not not_applicable and fills the rest itself; rules not
  // in force are not queried at all (2020: before the policy): the summary still counts every decision.
  it.each([['2023-03-01', 'compliant,unknown'], ['2023-03-01', 'violation,not_applicable,pending'], ['2020-06-01', 'compliant']])('as of %s with --omit %s gives the in-process output and summary', async (asOf, omit) => {
    const base = ['eval', POLICY, '--facts', PROVINCE, '--as-of', asOf, '--format', 'json', '--omit', omit];
    const inProcess = await runCli(base);
    const duck = await runCli([...base, '--engine', 'duckdb']);
    expect(duck.code, duck.stderr).toBe(inProcess.code);
    expect(JSON.parse(duck.stdout).results.length).toBeGreaterThan(0);
    expect(duck.stdout).toBe(inProcess.stdout);
  });

  it('is refused with --stream (usage, exit 2); --jobs is ignored with a warning as for every engine', async () => {
    const r = await runCli(['eval', POLICY, '--facts', PROVINCE.replace(/\.yaml$/, '.ndjson'), '--engine', 'duckdb', '--stream', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('X0004');
    const jobs = await runCli(['eval', POLICY, '--facts', PROVINCE, '--engine', 'duckdb', '--jobs', '2', '--format', 'json', '--fields', 'status']);
    expect(jobs.code).toBe(0);
    expect(jobs.stderr).toContain('X0450');
  });
});
