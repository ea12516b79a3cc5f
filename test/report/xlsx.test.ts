/**
 * `eval --format xlsx`, read back: the summary's counts, the issue list (问题清单) and every
 * clause sheet hold exactly what the JSON results say; headers frozen and filtered; Chinese by
 * default, English with --lang en; a workbook is written only to --out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    // Trailing empty cells are not stored: pad to the 19 columns.
    if (n > 1) out.push(Array.from({ length: 19 }, (_, i) => (row.values as unknown[])[i + 1]).map((v) => (v === null || v === undefined ? '' : String(v))));
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
      expect(row[12]).toBe(r.due ?? '');
      expect(row[13]).toBe(r.shortfall === undefined ? '' : String(Number(r.shortfall)));
      expect(row[17]).toBe(r.explanation);
    }
    // The clause's own words come with each issue.
    expect(rows.filter((r) => r[18] !== '').length).toBeGreaterThan(0);
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

/** The number format that shows a decimal with as many decimals as its exact text has. */
const numFmtOf = (text: string) => (text.includes('.') ? `0.${'0'.repeat(text.split('.')[1].length)}` : '0');

/** A workbook and the JSON results of the same run. */
async function runBoth(policy: string, facts: string, asOf: string): Promise<{ wb: ExcelJS.Workbook; json: ValueJson }> {
  const out = join(dir, `${policy.replace(/\W+/g, '-')}.xlsx`);
  const r = await runCli(['eval', policy, '--facts', facts, '--as-of', asOf, '--format', 'xlsx', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const json = JSON.parse((await runCli(['eval', policy, '--facts', facts, '--as-of', asOf, '--format', 'json'])).stdout) as ValueJson;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  return { wb, json };
}

interface ValueJson { results: { subject: { id: string }; rule: string; cite: string; status: string; value?: string; unit?: string | null; shortfall?: string; shortfallUnit?: string | null }[] }

/** Cells of the value, value unit, shortfall and shortfall unit columns of a sheet, by `id rule`. */
function amountsOf(ws: ExcelJS.Worksheet): Map<string, { value: ExcelJS.Cell; unit: unknown; shortfall: ExcelJS.Cell; shortfallUnit: unknown }> {
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  expect(header.slice(10, 15)).toEqual(['值', '值单位', '期限', '缺口', '缺口单位']);
  const out = new Map<string, { value: ExcelJS.Cell; unit: unknown; shortfall: ExcelJS.Cell; shortfallUnit: unknown }>();
  ws.eachRow((row, n) => {
    if (n > 1) out.set(`${row.getCell(4).value} ${row.getCell(7).value}`, { value: row.getCell(11), unit: row.getCell(12).value, shortfall: row.getCell(14), shortfallUnit: row.getCell(15).value });
  });
  return out;
}

describe('eval --format xlsx: values and shortfalls with their units', () => {
  it('every computed value of the community allowance measure is on its clause sheet, exact, with its unit', async () => {
    const { wb, json } = await runBoth('policies/community-worker-allowance/2024', 'policies/community-worker-allowance/examples/city.yaml', '2024-06-01');
    const computed = json.results.filter((r) => r.status === 'computed');
    expect(computed.length).toBeGreaterThan(5);
    for (const r of computed) {
      const cells = amountsOf(wb.getWorksheet(r.cite)!).get(`${r.subject.id} ${r.rule}`)!;
      // 300.00 is the number 300 shown with two decimals: the same text as the JSON.
      expect(cells.value.value, `${r.subject.id} ${r.rule}`).toBe(Number(r.value));
      expect(cells.value.numFmt).toBe(numFmtOf(r.value!));
      expect(cells.unit).toBe(r.unit);
      expect(cells.shortfall.value).toBe(null);
    }
  });

  it('the issue list shows each shortfall and its unit', async () => {
    const policy = join(mkdtempSync(join(dir, 'p-')), 'p');
    mkdirSync(policy);
    writeFileSync(join(policy, 'p.clause'), `policy t version "1"
kind unit from units "单位" { posts: integer in 岗位 "社会工作岗位数"  budget: number in 元 "已安排预算" }
param min_posts: integer in 岗位 "岗位下限" = 3
param min_budget: number in 元 "预算下限" = 1000.50
rule posts cite "一" for unit u must u.posts >= min_posts
rule budget cite "二" for unit u must u.budget >= min_budget
`);
    const facts = join(dir, 'units.yaml');
    writeFileSync(facts, 'units:\n  - { id: A, posts: 1, budget: 1000.25 }\n  - { id: B, posts: 3, budget: 2000 }\n');
    const { wb, json } = await runBoth(policy, facts, '2024-06-01');
    const issues = amountsOf(wb.getWorksheet('问题清单')!);
    const short = json.results.filter((r) => r.shortfall !== undefined);
    expect(short.map((r) => [r.subject.id, r.rule, r.shortfall, r.shortfallUnit])).toEqual([['A', 'posts', '2', '岗位'], ['A', 'budget', '0.25', '元']]);
    expect(issues.size).toBe(2);
    for (const r of short) {
      const cells = issues.get(`${r.subject.id} ${r.rule}`)!;
      expect(cells.shortfall.value).toBe(Number(r.shortfall));
      expect(cells.shortfall.numFmt).toBe(numFmtOf(r.shortfall!));
      expect(cells.shortfallUnit).toBe(r.shortfallUnit);
    }
  });
});
