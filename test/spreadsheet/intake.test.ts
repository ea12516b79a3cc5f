/**
 * Intake in the officers' own words: cells as people type them in a Chinese workbook (labels
 * instead of codes, 是/有, Chinese dates, full-width digits) read as the YAML facts would say
 * them, and each kind of unreadable cell reported with the file, sheet, cell and the column's
 * own header, with a did-you-mean over the labels (golden, one file per mistake).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { loadSpreadsheetFacts } from '../../src/loader/load-spreadsheet.js';
import { booleanOf, dateOfSerial, dateOfText, decimalText, enumMemberOf, foldWidth, nearestMember, percentText } from '../../src/loader/cell-text.js';
import type { Policy } from '../../src/model/types.js';
import { expectGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const policy: Policy = loadPolicy(POLICY).policy!;
const categories = policy.enums.get('institution_category')!;
const dir = mkdtempSync(join(tmpdir(), 'clausal-intake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cell texts', () => {
  const cases: [string, () => unknown, unknown][] = [
    ['是', () => booleanOf('是'), true],
    ['否', () => booleanOf('否'), false],
    ['有', () => booleanOf('有'), true],
    ['无', () => booleanOf('无'), false],
    ['TRUE', () => booleanOf('TRUE'), true],
    ['false', () => booleanOf('false'), false],
    ['full-width ＴＲＵＥ', () => booleanOf('ＴＲＵＥ'), true],
    ['也许', () => booleanOf('也许'), undefined],
    ['2022-12-31', () => dateOfText('2022-12-31'), '2022-12-31'],
    ['2022/12/31', () => dateOfText('2022/12/31'), '2022-12-31'],
    ['2022/1/5', () => dateOfText('2022/1/5'), '2022-01-05'],
    ['2022年12月31日', () => dateOfText('2022年12月31日'), '2022-12-31'],
    ['full-width ２０２２年１月５日', () => dateOfText('２０２２年１月５日'), '2022-01-05'],
    ['2022.12.31', () => dateOfText('2022.12.31'), '2022-12-31'],
    ['last year', () => dateOfText('last year'), undefined],
    ['serial 44926', () => dateOfSerial(44926), '2022-12-31'],
    ['serial 45.5', () => dateOfSerial(45.5), undefined],
    ['full-width ４５', () => decimalText('４５'), '45'],
    ['1,200', () => decimalText('1,200'), '1200'],
    ['四十五', () => decimalText('四十五'), undefined],
    ['７０％', () => percentText('７０％'), '70%'],
    ['70 %', () => percentText('70 %'), '70%'],
    ['ideographic spaces', () => foldWidth('\u3000儿童福利院\u3000'), '儿童福利院'],
    ['enum by code', () => enumMemberOf(categories, 'children_welfare_home'), 'children_welfare_home'],
    ['enum by zh label', () => enumMemberOf(categories, '儿童福利院'), 'children_welfare_home'],
    ['enum by en label, any case', () => enumMemberOf(categories, "Children's Welfare Home"), 'children_welfare_home'],
    ['enum label with half-width brackets', () => enumMemberOf(categories, '综治中心(网格化服务管理中心)'), 'township_governance_center'],
    ['enum: unknown', () => enumMemberOf(categories, '儿童福利'), undefined],
    ['nearest: a shorter label', () => nearestMember(categories, '儿童福利')?.code, 'children_welfare_home'],
    ['nearest: a typo in a code', () => nearestMember(categories, 'childrens_welfare_home')?.code, 'children_welfare_home'],
    ['nearest: nothing close', () => nearestMember(categories, '火星基地'), undefined],
  ];
  for (const [note, actual, want] of cases) it(note, () => expect(actual()).toEqual(want));
});

/** An officer's workbook: zh sheet names and headers, no codes row. */
async function workbook(name: string, institutions: ExcelJS.CellValue[][], regions?: ExcelJS.CellValue[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('地区').addRows(regions ?? [['编号', '名称', '层级', '上级地区'], ['530000', '云南省', '省'], ['530100', '昆明市', '州（市）', '530000']]);
  wb.addWorksheet('机构').addRows(institutions);
  const folder = join(dir, name.replace(/\W/g, '_'));
  mkdirSync(folder, { recursive: true });
  const file = join(folder, '云南-昆明.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}

describe('an officer-typed workbook reads as the YAML would', () => {
  it('labels, 是/有, Chinese dates, full-width digits, serial dates', async () => {
    const file = await workbook('typed', [
      ['编号', '名称', '类别', '所在地区', '岗位总数', '社会工作岗位数', '已设立社会工作室（站）', '社会工作纳入专业技术岗位管理'],
      ['KM-1', '昆明市儿童福利院', '儿童福利院', '５３０１００', '８０', '1,200', '有', 'TRUE'],
      ['KM-2', '学校', "\u3000children's welfare home ", 530100, 10, 2, '否', false],
      ['KM-3', '综治', '综治中心(网格化服务管理中心)', '530100', undefined, undefined, '无', '是'],
    ], [
      ['编号', '名称', '层级', '上级地区', '社会工作服务站', '建站日期'],
      ['530000', '云南省', '省'],
      ['530100', '昆明市', 'prefecture', '530000', '有', '2021年3月15日'],
      ['530101', '五华区', 'County', '530100', '有', '2021/3/5'],
      ['530102', '盘龙区', '县（市、区）', '530100', '有', 44926],
      ['530103', '官渡区', '县（市、区）', '530100', '无'],
    ]);
    const r = await loadSpreadsheetFacts(policy, file);
    expect(r.diagnostics).toEqual([]);
    const inst = (id: string) => r.facts!.byKind.get('institution')!.get(id)!.data;
    const region = (id: string) => r.facts!.byKind.get('region')!.get(id)!.data;
    expect(inst('KM-1').category).toBe('children_welfare_home');
    expect((inst('KM-1').region as { id: string }).id).toBe('530100');
    expect(inst('KM-1').posts).toEqual({ total: 80, social_work: 1200 });
    expect(inst('KM-1').sw_room).toBe(true);
    expect(inst('KM-2').category).toBe('children_welfare_home');
    expect(inst('KM-2').sw_room).toBe(false);
    expect(inst('KM-2').sw_in_professional_track).toBe(false);
    expect(inst('KM-3').category).toBe('township_governance_center');
    expect(inst('KM-3').sw_room).toBe(false);
    expect('posts' in inst('KM-3')).toBe(false);
    expect(region('530000').level).toBe('province');
    expect(region('530101').level).toBe('county');
    expect(region('530100').sw_station).toEqual({ established: '2021-03-15' });
    expect(region('530101').sw_station).toEqual({ established: '2021-03-05' });
    expect(region('530102').sw_station).toEqual({ established: '2022-12-31' });
    expect(region('530103').sw_station).toBeNull();
  });
});

describe('intake errors name the file, sheet, cell and header (golden)', () => {
  const HEAD = ['编号', '名称', '类别', '所在地区', '社会工作岗位数', '已设立社会工作室（站）'];
  const cases: { name: string; row: ExcelJS.CellValue[]; code: string; where: string; help?: string }[] = [
    { name: 'unknown-label', row: ['KM-1', 'x', '儿童福利', '530100'], code: 'F0005', where: '云南-昆明.xlsx 机构!C2（类别）', help: '是否想写 `儿童福利院`' },
    { name: 'misspelt-code', row: ['KM-1', 'x', 'childrens_welfare_home', '530100'], code: 'F0005', where: '云南-昆明.xlsx 机构!C2（类别）', help: '是否想写 `儿童福利院`' },
    { name: 'number-in-words', row: ['KM-1', 'x', '学校', '530100', '四十五'], code: 'F0004', where: '云南-昆明.xlsx 机构!E2（社会工作岗位数）' },
    { name: 'not-yes-or-no', row: ['KM-1', 'x', '学校', '530100', 3, '也许'], code: 'F0004', where: '云南-昆明.xlsx 机构!F2（已设立社会工作室（站））' },
    { name: 'unknown-region', row: ['KM-1', 'x', '学校', '539999'], code: 'F0007', where: '云南-昆明.xlsx 机构!D2（所在地区）' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const file = await workbook(c.name, [HEAD, c.row]);
      const r = await runCli(['eval', POLICY, '--facts', file, '--as-of', '2022-06-01']);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`error ${c.code}: \`${c.where}\``);
      if (c.help) expect(r.stderr).toContain(c.help);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expectGolden(`test/spreadsheet/golden/intake/${c.name}.zh.txt`, r.stderr.split(join(dir, c.name.replace(/\W/g, '_'))).join('<dir>'));
    });
  }

  it('a date that does not exist, written the Chinese way', async () => {
    const file = await workbook('bad-date', [['编号', '名称', '类别', '所在地区']], [['编号', '层级', '建站日期'], ['530000', '省', '2022年2月30日']]);
    const r = await runCli(['eval', POLICY, '--facts', file, '--as-of', '2022-06-01']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('error F0011: `云南-昆明.xlsx 地区!C2（建站日期）`');
    expectGolden('test/spreadsheet/golden/intake/bad-date.zh.txt', r.stderr.split(join(dir, 'bad_date')).join('<dir>'));
  });
});

describe('missing facts name the cell to fill', () => {
  it('text output: the empty cell, or the row and the column to add; JSON keeps the bare paths', async () => {
    const file = await workbook('missing', [
      ['编号', '名称', '类别', '所在地区', '岗位总数', '专业技术岗位数', '社会工作岗位数', '已明确岗位职责与任职条件'],
      ['KM-1', '昆明市儿童福利院', '儿童福利院', '530100', 80, 60, 45],
    ]);
    const zh = await runCli(['eval', POLICY, '--facts', file, '--as-of', '2022-06-01', '--all']);
    expect(zh.code).toBe(0);
    // Lines are wrapped at spaces and between ideographs: compare without whitespace.
    const squash = (t: string) => t.replace(/\s+/g, '');
    const flat = squash(zh.stdout);
    // The column is there but the cell is empty: its cell and header.
    expect(flat).toContain(squash('institutions[KM-1].post_duties_defined → 云南-昆明.xlsx 机构!H2（已明确岗位职责与任职条件）'));
    // No such column: the row, and the column to add.
    expect(flat).toContain(squash('institutions[KM-1].sw_post_tasks → 云南-昆明.xlsx 机构 第 2 行（缺少列：社会工作岗位职责任务）'));
    const en = await runCli(['eval', POLICY, '--facts', file, '--as-of', '2022-06-01', '--all', '--lang', 'en']);
    // In en, the column to add is named by its en label.
    expect(squash(en.stdout)).toContain(squash('→ 云南-昆明.xlsx 机构 row 2 (no column social-work post tasks)'));
    expect(squash(en.stdout)).toContain(squash('→ 云南-昆明.xlsx 机构!H2 (post duties and qualifications defined)'));
    const json = await runCli(['eval', POLICY, '--facts', file, '--as-of', '2022-06-01', '--format', 'json']);
    const results = (JSON.parse(json.stdout) as { results: { missing: string[]; explanation: string }[] }).results;
    expect(results.flatMap((r) => r.missing)).toContain('institutions[KM-1].post_duties_defined');
    expect(json.stdout).not.toContain('→');
  });
});
