/** Parquet as users meet it: `eval --format parquet --out FILE` under both engines. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
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
