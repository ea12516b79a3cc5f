/**
 * Follow-up over time from recorded runs: the rectification ledger (Markdown, HTML, Excel, JSON),
 * the compliance trend (Markdown, HTML chart, JSON), and the eval HTML report's section on the
 * change since the previous recorded run. Two inspections of the example province: 2022-06-01,
 * and 2023-03-01 after 昆明市社会福利院 (KM-SWH-01) raised its social-work posts from 30 to 45 of 60.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-ledger-'));
const DB = join(dir, 'runs.duckdb');
const LATER = join(dir, 'province-2023.yaml');

beforeAll(async () => {
  const text = readFileSync(PROVINCE, 'utf8');
  const fixed = text.replace('posts: { total: 120, professional: 60, social_work: 30 }', 'posts: { total: 120, professional: 60, social_work: 45 }');
  expect(fixed).not.toBe(text);
  writeFileSync(LATER, fixed);
  expect((await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--record', DB, '--out', join(dir, 'a.txt')])).code).toBe(0);
}, 60_000);

describe('eval --record --format html', () => {
  it('shows the change since the previous recorded run of the same policy', async () => {
    const out = join(dir, 'report.html');
    const r = await runCli(['eval', POLICY, '--facts', LATER, '--as-of', '2023-03-01', '--record', DB, '--format', 'html', '--out', out, '--lang', 'en']);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    const section = html.slice(html.indexOf('<section id="since-previous">'), html.indexOf('<section id="clauses">'));
    expect(section).toContain('Compared with the previous recorded run (run 1, as of 2022-06-01, version 2021)');
    expect(section).toMatch(/<span>worsened<\/span><b>3<\/b>/);
    expect(section).toMatch(/<span>resolved<\/span><b>1<\/b>/);
    expect(section).toContain('<td>三（二）</td>');
  });

  it('has no such section for the first recorded run of a policy', async () => {
    const out = join(dir, 'first.html');
    expect((await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--record', join(dir, 'other.duckdb'), '--format', 'html', '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toContain('since-previous');
  });
});

describe('clausal ledger', () => {
  it('JSON: first and last seen, current status and the date a problem was found resolved', async () => {
    const r = await runCli(['ledger', '--db', DB, '--format', 'json']);
    expect(r.code).toBe(0);
    const l = JSON.parse(r.stdout);
    expect(l.runs.map((x: { asOf: string }) => x.asOf)).toEqual(['2022-06-01', '2023-03-01']);
    const entry = (id: string) => l.entries.find((e: { subject: { id: string }; rule: string }) => e.subject.id === id && e.rule === 'civil-affairs-post-share');
    expect(entry('KM-SWH-01')).toMatchObject({ firstSeen: '2022-06-01', lastSeen: '2022-06-01', timesSeen: 1, currentStatus: 'compliant', resolvedOn: '2023-03-01', prefecture: '昆明市', cite: '三（二）' });
    expect(entry('KM-ADP-01')).toMatchObject({ firstSeen: '2022-06-01', lastSeen: '2023-03-01', timesSeen: 2, currentStatus: 'violation', due: '2022-12-31', resolvedOn: null });
    expect(l.entries.every((e: { currentStatus: string; resolvedOn: string | null }) => (e.resolvedOn === null) === ['violation', 'pending'].includes(e.currentStatus))).toBe(true);
  });

  it('Markdown and HTML (zh and en)', async () => {
    const md = await runCli(['ledger', '--db', DB]);
    expect(md.stdout).toContain('# 整改台账 · yunnan-social-work');
    expect(md.stdout).toMatch(/\| 昆明市社会福利院 \| KM-SWH-01 \| 昆明市 \| 三（二） \| civil-affairs-post-share \| 2022-06-01 \| 2022-06-01 \| 1 \| 符合 \| 2022-12-31 \| 2023-03-01 \|/);
    const html = await runCli(['ledger', '--db', DB, '--format', 'html', '--lang', 'en']);
    expect(html.stdout).toContain('<h1>Rectification ledger · yunnan-social-work</h1>');
    expect(html.stdout).toContain('<tr class="closed"><td>昆明市社会福利院</td>');
    expect(html.stdout).toMatch(/From 2 recorded runs \(as of 2022-06-01 to 2023-03-01\)\. \d+ items: \d+ open, 1 resolved\./);
  });

  it('an Excel workbook (needs --out)', async () => {
    const out = join(dir, 'ledger.xlsx');
    expect((await runCli(['ledger', '--db', DB, '--format', 'xlsx', '--out', out])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('台账');
    expect(ws.getRow(2).values).toContain('整改确认日期');
    const json = JSON.parse((await runCli(['ledger', '--db', DB, '--format', 'json'])).stdout);
    expect(ws.rowCount).toBe(2 + json.entries.length);
    const noOut = await runCli(['ledger', '--db', DB, '--format', 'xlsx']);
    expect(noOut.code).toBe(2);
  });

  it('a policy with no runs: R0511, exit 1', async () => {
    const r = await runCli(['ledger', '--db', DB, '--policy', 'no-such-policy']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('R0511');
  });
});

describe('clausal trend', () => {
  it('JSON: 三（二） compliance rises when 昆明市社会福利院 meets its quota, and 昆明市 with it', async () => {
    const t = JSON.parse((await runCli(['trend', '--db', DB, '--format', 'json'])).stdout);
    const clause = t.byClause.find((s: { key: string }) => s.key === '三（二）');
    const [a, b] = clause.points;
    expect(b.decided).toBe(a.decided);
    expect(b.compliant).toBe(a.compliant + 1);
    const km = t.byPrefecture.find((s: { key: string }) => s.key === '昆明市');
    expect(km.points[1].compliant).toBe(km.points[0].compliant + 1);
    expect(t.overall.points.map((p: { asOf: string }) => p.asOf)).toEqual(['2022-06-01', '2023-03-01']);
  });

  it('HTML: an SVG chart per grouping with one point per run; Markdown tables', async () => {
    const html = (await runCli(['trend', '--db', DB, '--format', 'html', '--lang', 'en'])).stdout;
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('<title>三（二） 2023-03-01:');
    expect(html).toContain("content=\"default-src 'none'; style-src 'unsafe-inline'\"");
    const md = (await runCli(['trend', '--db', DB])).stdout;
    expect(md).toContain('| 条款 | 2022-06-01 (#1) | 2023-03-01 (#2) |');
  });
});
