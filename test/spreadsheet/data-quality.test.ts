/**
 * `clausal facts`: the data-quality view over a folder of prefecture workbooks. Missing facts
 * are counted per prefecture and column, with the unknown results they cause, and each
 * prefecture gets a workbook naming the cells to fill; a complete facts set says so.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const dir = mkdtempSync(join(tmpdir(), 'clausal-quality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEAD = ['编号', '名称', '类别', '所在地区', '岗位总数', '专业技术岗位数', '社会工作岗位数', '已明确岗位职责与任职条件'];

async function book(file: string, regions: ExcelJS.CellValue[][], institutions: ExcelJS.CellValue[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('地区').addRows([['编号', '名称', '层级', '上级地区'], ...regions]);
  wb.addWorksheet('机构').addRows([HEAD, ...institutions]);
  await wb.xlsx.writeFile(file);
}

describe('clausal facts', () => {
  const folder = join(dir, 'province');
  beforeAll(async () => {
    mkdirSync(folder, { recursive: true });
    await book(join(folder, '云南-昆明.xlsx'), [['530000', '云南省', '省'], ['530100', '昆明市', '州（市）', '530000']], [
      ['KM-1', '昆明市儿童福利院', '儿童福利院', '530100', 80, 60, 45],
      ['KM-2', '昆明市救助管理站', '救助管理站', '530100', 40, undefined, 10, '是'],
    ]);
    await book(join(folder, '云南-曲靖.xlsx'), [['530300', '曲靖市', '州（市）', '530000']], [
      ['QJ-1', '曲靖市社会福利院', '社会福利院', '530300', 50, 30, 20, '否'],
    ]);
  });

  it('counts missing facts per prefecture and column, with the results they leave unknown', async () => {
    const r = await runCli(['facts', POLICY, '--facts', folder, '--as-of', '2022-06-01', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const q = JSON.parse(r.stdout) as { prefectures: { prefecture: string; unknownResults: number; byColumn: { column: string; count: number }[]; missing: { id: string; column: string; cell?: string; cites: string[] }[] }[] };
    const km = q.prefectures.find((p) => p.prefecture === '昆明市')!;
    const qj = q.prefectures.find((p) => p.prefecture === '曲靖市')!;
    expect(km.unknownResults).toBeGreaterThan(0);
    // KM-2 left 专业技术岗位数 empty: its cell is named; KM-1 has no 岗位职责 answer.
    const km2 = km.missing.find((m) => m.id === 'KM-2' && m.column === '专业技术岗位数')!;
    expect(km2.cell).toBe('云南-昆明.xlsx 机构!F3（专业技术岗位数）');
    expect(km2.cites).toContain('三（二）');
    expect(km.missing.find((m) => m.id === 'KM-1' && m.column === '已明确岗位职责与任职条件')!.cell).toBe('云南-昆明.xlsx 机构!H2（已明确岗位职责与任职条件）');
    // Nothing of Kunming's is counted against Qujing.
    expect(qj.missing.every((m) => m.id.startsWith('QJ-') || !m.id.startsWith('KM-'))).toBe(true);
    for (const p of q.prefectures) expect(p.byColumn.reduce((n, c) => n + c.count, 0)).toBe(p.missing.length);
  });

  it('text in zh, and one workbook per prefecture listing the cells to fill', async () => {
    const out = join(dir, 'chase');
    const r = await runCli(['facts', POLICY, '--facts', folder, '--as-of', '2022-06-01', '--out-dir', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/昆明市：缺 \d+ 项信息，导致 \d+ 个结果无法判断/);
    expect(r.stdout).toMatch(/ {2}专业技术岗位数：1 项/);
    const files = readdirSync(out).sort();
    expect(files).toContain('待补充-昆明市.xlsx');
    expect(files).toContain('待补充-曲靖市.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, '待补充-昆明市.xlsx'));
    const ws = wb.getWorksheet('待补充信息')!;
    expect((ws.getRow(1).values as unknown[]).slice(1, 6)).toEqual(['对象类型', '对象编号', '对象名称', '需填写的列', '填写位置']);
    const cells: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) cells.push(String((row.values as unknown[])[5]));
    });
    expect(cells).toContain('云南-昆明.xlsx 机构!F3（专业技术岗位数）');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('a facts path that does not exist is bad facts (exit 4)', async () => {
    const r = await runCli(['facts', POLICY, '--facts', join(dir, 'no-such.yaml'), '--as-of', '2022-06-01']);
    expect(r.code).toBe(4);
  });

  it('says so when nothing the policy needs is missing', async () => {
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, 'regions: []\n');
    const ok = await runCli(['facts', POLICY, '--facts', empty, '--as-of', '2022-06-01']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('政策需要的信息都已填写');
  });
});
