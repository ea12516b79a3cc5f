/**
 * `eval --format xlsx`, read back: the summary's counts, the issue list (问题清单) and every
 * clause sheet hold exactly what the JSON results say; headers frozen and filtered; Chinese by
 * default, English with --lang en; a workbook is written only to --out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_LABELS } from '../../src/report/labels.js';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const EXAMPLE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Json { results: { subject: { kind: string; id: string }; rule: string; cite: string; status: string; due: string | null; shortfall?: string; explanation: string }[]; summary: Record<string, number> }

/** A sheet's rows below the header as arrays of cell texts. */
function rowsOf(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  ws.eachRow((row, n) => {
    // Trailing empty cells are not stored: pad to the 17 columns.
    if (n > 1) out.push(Array.from({ length: 17 }, (_, i) => (row.values as unknown[])[i + 1]).map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return out;
}

describe('eval --format xlsx', () => {
  let json: Json;
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    const out = join(dir, 'results.xlsx');
    const r = await runCli(['eval', POLICY, '--facts', EXAMPLE, '--as-of', '2023-03-01', '--format', 'xlsx', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    json = JSON.parse((await runCli(['eval', POLICY, '--facts', EXAMPLE, '--as-of', '2023-03-01', '--format', 'json'])).stdout) as Json;
    wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
  });

  it('sheets: summary, issue list, one per clause in the order clauses first appear', () => {
    const cites = [...new Set(json.results.map((r) => r.cite))];
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '问题清单', ...cites]);
  });

  it('the summary counts are the JSON summary', () => {
    const ws = wb.getWorksheet('汇总')!;
    const counts = new Map<string, number>();
    ws.eachRow((row, n) => {
      const [label, count] = (row.values as unknown[]).slice(1);
      if (n > 1 && typeof count === 'number' && typeof label === 'string') counts.set(label, count);
    });
    for (const [status, n] of Object.entries(json.summary)) {
      const label = (STATUS_LABELS as Record<string, { zh: string }>)[status]?.zh ?? status;
      if (n > 0) expect(counts.get(label), status).toBe(n);
    }
  });

  it('the issue list holds every violation, pending item and unknown, with deadline, shortfall and explanation', () => {
    const rows = rowsOf(wb.getWorksheet('问题清单')!);
    const issues = json.results.filter((r) => ['violation', 'pending', 'unknown'].includes(r.status));
    expect(issues.length).toBeGreaterThan(10);
    const key = (id: string, rule: string) => `${id} ${rule}`;
    const byKey = new Map(rows.map((r) => [key(r[3], r[6]), r]));
    expect(byKey.size).toBe(issues.length);
    for (const r of issues) {
      const row = byKey.get(key(r.subject.id, r.rule))!;
      expect(row, key(r.subject.id, r.rule)).toBeDefined();
      expect(row[5]).toBe(r.cite);
      expect(row[9]).toBe((STATUS_LABELS as Record<string, { zh: string }>)[r.status].zh);
      expect(row[10]).toBe(r.due ?? '');
      expect(row[11]).toBe(r.shortfall === undefined ? '' : String(Number(r.shortfall)));
      expect(row[15]).toBe(r.explanation);
    }
    // The clause's own words come with each issue.
    expect(rows.filter((r) => r[16] !== '').length).toBeGreaterThan(0);
  });

  it('each clause sheet holds exactly the results under that clause', () => {
    for (const cite of new Set(json.results.map((r) => r.cite))) {
      const rows = rowsOf(wb.getWorksheet(cite)!);
      const want = json.results.filter((r) => r.cite === cite).map((r) => `${r.subject.id} ${r.rule} ${(STATUS_LABELS as Record<string, { zh: string }>)[r.status].zh}`);
      expect(rows.map((r) => `${r[3]} ${r[6]} ${r[9]}`), cite).toEqual(want);
    }
  });

  it('every sheet has its header frozen and a filter on it', () => {
    for (const ws of wb.worksheets) {
      expect(ws.views[0], ws.name).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter, ws.name).toBeTruthy();
    }
    expect(rowsOf(wb.getWorksheet('问题清单')!).length).toBeGreaterThan(0);
    expect((wb.getWorksheet('问题清单')!.getRow(1).values as unknown[]).slice(1, 5)).toEqual(['州（市）', '县（市、区）', '对象类型', '对象编号']);
  });

  it('--lang en: English sheet names and headers', async () => {
    const out = join(dir, 'results-en.xlsx');
    const r = await runCli(['eval', POLICY, '--facts', EXAMPLE, '--as-of', '2023-03-01', '--format', 'xlsx', '--out', out, '--lang', 'en']);
    expect(r.code).toBe(0);
    const en = new ExcelJS.Workbook();
    await en.xlsx.readFile(out);
    expect(en.worksheets.slice(0, 2).map((w) => w.name)).toEqual(['summary', 'issues']);
    expect((en.getWorksheet('issues')!.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['prefecture', 'county', 'kind']);
  });

  it('is written only to --out (usage error, exit 2, otherwise)', async () => {
    const r = await runCli(['eval', POLICY, '--facts', EXAMPLE, '--format', 'xlsx', '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error X0003: missing +--out FILE\.xlsx/);
    expect(r.stdout).toBe('');
  });
});
