/** Parquet as users meet it: `eval --format parquet --out FILE`, and facts from Parquet and DuckDB files, under both engines. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-parquet-'));

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('clausal eval --format parquet', () => {
  it.each([['in-process', 'status'], ['duckdb', 'status'], ['duckdb', 'all']])('with --engine %s --fields %s holds the NDJSON results, row for row', async (engine, fields) => {
    const out = join(dir, `${engine}-${fields}.parquet`);
    const base = ['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--fields', fields, '--engine', engine];
    const ndjson = await runCli([...base, '--format', 'ndjson']);
    const parquet = await runCli([...base, '--format', 'parquet', '--out', out]);
    expect(parquet.stderr).toBe('');
    expect(parquet.code).toBe(ndjson.code);
    const lines = ndjson.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { subject: { kind: string; id: string } });
    const rows = await query(`SELECT * FROM read_parquet('${out}')`);
    expect(rows.length).toBe(lines.length);
    rows.forEach((row, i) => {
      const l = lines[i];
      expect({ ...row, figures: undefined, shortfall: undefined, value: undefined, unit: undefined }).toEqual({
        subject_kind: l.subject.kind, subject_id: l.subject.id, rule: l.rule, cite: l.cite, modality: l.modality, status: l.status, due: l.due, missing: l.missing,
        ...(fields === 'all' ? { explanation: l.explanation } : {}), figures: undefined, shortfall: undefined, value: undefined, unit: undefined,
      });
      if (fields === 'all') expect(JSON.parse(String(row.figures))).toEqual(l.figures);
    });
  });

  it('needs --out (usage, exit 2), and a failed run leaves an existing file as it was', async () => {
    const r = await runCli(['eval', POLICY, '--facts', PROVINCE, '--format', 'parquet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('X0003');
    const out = join(dir, 'kept.parquet');
    writeFileSync(out, 'old');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"institutions": [{"id": "A", "posts": {"total": "many"}}]}');
    const failed = await runCli(['eval', POLICY, '--facts', bad, '--format', 'parquet', '--out', out, '--engine', 'duckdb']);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain('F0');
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('old');
  });
});

/** The example province as flat rows per list: dotted columns, none as the text `null` (as in CSV). */
function flatLists(): Record<string, Record<string, unknown>[]> {
  const raw = parseYaml(readFileSync(PROVINCE, 'utf8')) as Record<string, Record<string, unknown>[]>;
  const flat = (o: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) => {
    for (const [k, v] of Object.entries(o)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) flat(v as Record<string, unknown>, `${prefix}${k}.`, out);
      else out[`${prefix}${k}`] = v === null ? 'null' : Array.isArray(v) ? v.map(String) : v;
    }
    return out;
  };
  return Object.fromEntries(Object.entries(raw).map(([list, items]) => [list, items.map((s) => flat(s))]));
}

/** Writes each list as a Parquet file in `folder`, or as a table of a DuckDB database file `db`. */
async function writeFacts(lists: Record<string, Record<string, unknown>[]>, target: { folder?: string; db?: string }): Promise<void> {
  const instance = await DuckDBInstance.create(target.db ?? ':memory:');
  const connection = await instance.connect();
  try {
    for (const [list, rows] of Object.entries(lists)) {
      const lines = join(dir, `${list}.ndjson`);
      writeFileSync(lines, rows.map((r) => JSON.stringify(r)).join('\n'));
      const select = `SELECT * FROM read_json('${lines}', format = 'newline_delimited')`;
      if (target.folder) await connection.run(`COPY (${select}) TO '${join(target.folder, `${list}.parquet`)}' (FORMAT parquet)`);
      else await connection.run(`CREATE TABLE ${list} AS ${select}`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('facts from Parquet files and DuckDB databases', () => {
  it('a folder of Parquet files and a .duckdb file give the results of the same facts in YAML, under both engines', async () => {
    const folder = join(dir, 'province-parquet');
    mkdirSync(folder);
    await writeFacts(flatLists(), { folder });
    const db = join(dir, 'province.duckdb');
    await writeFacts(flatLists(), { db });
    const base = ['eval', POLICY, '--as-of', '2022-06-01', '--format', 'json'];
    const yaml = await runCli([...base, '--facts', PROVINCE]);
    for (const facts of [folder, db, join(folder, 'regions.parquet')]) {
      for (const engine of ['in-process', 'duckdb']) {
        const r = await runCli([...base, '--facts', facts, '--engine', engine]);
        expect(r.stderr, `${facts} ${engine}`).toBe('');
        if (facts.endsWith('regions.parquet')) {
          // One file is one list: the regions alone (institutions would need their regions).
          expect(r.code).not.toBe(4);
          const results = JSON.parse(r.stdout).results as { subject: { kind: string } }[];
          expect(results.length).toBeGreaterThan(0);
          expect(results.every((x) => x.subject.kind === 'region')).toBe(true);
        } else {
          expect(r.stdout, `${facts} ${engine}`).toBe(yaml.stdout);
          expect(r.code).toBe(yaml.code);
        }
      }
    }
  });

  it('bad facts in Parquet give the F-codes of every format, naming file, row and column (exit 4)', async () => {
    const folder = join(dir, 'bad-parquet');
    mkdirSync(folder);
    await writeFacts({ institutions: [{ id: 'A', category: 'social_work_agency', 'posts.total': 'many' }, { id: 'A', category: 'hospital' }] }, { folder });
    for (const engine of ['in-process', 'duckdb']) {
      const r = await runCli(['eval', POLICY, '--facts', folder, '--format', 'json', '--lang', 'en', '--engine', engine]);
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('F0004');
      expect(r.stderr).toContain('institutions.parquet row 1, column `posts.total`');
      const zh = await runCli(['eval', POLICY, '--facts', folder, '--format', 'json', '--engine', engine]);
      expect(zh.stderr).toContain('institutions.parquet 第 1 行，列 `posts.total`');
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
    const missing = await runCli(['eval', POLICY, '--facts', join(dir, 'nothing.parquet'), '--format', 'json']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('F0001');
  });
});
