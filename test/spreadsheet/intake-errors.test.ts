/**
 * Every intake error, one row of a table: the officer's workbook (zh sheets and headers, as the
 * template writes them), then where the message must point (file, sheet, row, Chinese column
 * header, cell) and its zh and en text, golden. The en location names the column by its en
 * label; the sheet keeps the name it has in the workbook, since that is what the officer opens.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const dir = mkdtempSync(join(tmpdir(), 'clausal-intake-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Rows = ExcelJS.CellValue[][];
const REGIONS: Rows = [['编号', '名称', '层级', '上级地区'], ['530000', '云南省', '省'], ['530100', '昆明市', '州（市）', '530000']];
const INST_HEAD = ['编号', '名称', '类别', '所在地区', '社会工作岗位数', '已设立社会工作室（站）'];

interface Case {
  readonly name: string;
  readonly code: string;
  /** Sheets of the workbook `云南-昆明.xlsx` (or several workbooks, by file name). */
  readonly books: Readonly<Record<string, Readonly<Record<string, Rows>>>> | Readonly<Record<string, Rows>>;
  /** Where the zh message points: file, sheet, cell (with its row), and the Chinese header. */
  readonly zh: string;
  /** The same place as `--lang en` names it. */
  readonly en: string;
  /** A did-you-mean the help must carry, zh and en. */
  readonly hint?: readonly [string, string];
  readonly exit?: number;
}

const book = (institutions: Rows, regions: Rows = REGIONS): Record<string, Rows> => ({ 地区: regions, 机构: institutions });

const CASES: Case[] = [
  { name: 'F0004 number in words', code: 'F0004', books: book([INST_HEAD, ['KM-1', 'x', '学校', '530100', '四十五']]), zh: '云南-昆明.xlsx 机构!E2（社会工作岗位数）', en: '云南-昆明.xlsx 机构!E2 (social-work posts)' },
  { name: 'F0004 not yes or no', code: 'F0004', books: book([INST_HEAD, ['KM-1', 'x', '学校', '530100', 3, '也许']]), zh: '云南-昆明.xlsx 机构!F2（已设立社会工作室（站））', en: '云南-昆明.xlsx 机构!F2 (social-work room set up)' },
  { name: 'F0004 header by code', code: 'F0004', books: book([['id', 'name', 'category', 'region', 'posts.social_work'], ['KM-1', 'x', '学校', '530100', 'many']]), zh: '云南-昆明.xlsx 机构!E2（社会工作岗位数）', en: '云南-昆明.xlsx 机构!E2 (social-work posts)' },
  { name: 'F0005 unknown label', code: 'F0005', books: book([INST_HEAD, ['KM-1', 'x', '儿童福利', '530100']]), zh: '云南-昆明.xlsx 机构!C2（类别）', en: '云南-昆明.xlsx 机构!C2 (category)', hint: ['是否想写 `儿童福利院`', "did you mean `children's welfare home` (`children_welfare_home`)"] },
  { name: 'F0005 misspelt code', code: 'F0005', books: book([INST_HEAD, ['KM-1', 'x', 'childrens_welfare_home', '530100']]), zh: '云南-昆明.xlsx 机构!C2（类别）', en: '云南-昆明.xlsx 机构!C2 (category)', hint: ['是否想写 `儿童福利院`', 'did you mean'] },
  { name: 'F0007 unknown region', code: 'F0007', books: book([INST_HEAD, ['KM-1', 'x', '学校', '539999']]), zh: '云南-昆明.xlsx 机构!D2（所在地区）', en: '云南-昆明.xlsx 机构!D2 (region)' },
  { name: 'F0008 parent cycle', code: 'F0008', books: book([INST_HEAD], [['编号', '层级', '上级地区'], ['530000', '省', '530100'], ['530100', '州（市）', '530000']]), zh: '云南-昆明.xlsx 地区!C2（上级地区）', en: '云南-昆明.xlsx 地区!C2 (parent region)' },
  { name: 'F0010 row without id', code: 'F0010', books: book([INST_HEAD, [undefined, '某机构', '学校', '530100']]), zh: '云南-昆明.xlsx 机构 第 2 行', en: '云南-昆明.xlsx 机构 row 2' },
  { name: 'F0011 date that does not exist', code: 'F0011', books: book([INST_HEAD], [['编号', '层级', '社会工作服务站', '建站日期'], ['530000', '省', '有', '2022年2月30日']]), zh: '云南-昆明.xlsx 地区!D2（建站日期）', en: '云南-昆明.xlsx 地区!D2 (station established)' },
  { name: 'F0020 control character in an id', code: 'F0020', books: book([INST_HEAD, ['KM\u202e1', 'x', '学校', '530100']]), zh: '云南-昆明.xlsx 机构!A2（编号）', en: '云南-昆明.xlsx 机构!A2 (id)' },
  { name: 'F0022 unknown column', code: 'F0022', books: book([[...INST_HEAD, '社会工作岗位'], ['KM-1', 'x', '学校', '530100', 3, '有', 2]]), zh: '云南-昆明.xlsx 机构!G1', en: '云南-昆明.xlsx 机构!G1', hint: ['是否想写 `社会工作岗位数`', 'did you mean `social-work posts` (`posts.social_work`)'], exit: 0 },
  { name: 'F0023 column twice', code: 'F0023', books: book([[...INST_HEAD, 'category'], ['KM-1', 'x', '学校', '530100', 3, '有', 'school']]), zh: '云南-昆明.xlsx 机构!G1', en: '云南-昆明.xlsx 机构!G1' },
  { name: 'F0025 none with a filled field', code: 'F0025', books: book([INST_HEAD], [['编号', '层级', '社会工作服务站', '建站日期'], ['530000', '省', '无', '2021-03-15']]), zh: '云南-昆明.xlsx 地区!D2（建站日期）', en: '云南-昆明.xlsx 地区!D2 (station established)' },
  { name: 'F0350 unknown sheet', code: 'F0350', books: { ...book([INST_HEAD]), 机构列表: [['编号'], ['X']] }, zh: '云南-昆明.xlsx 中的表 `机构列表`', en: 'the sheet `机构列表` of 云南-昆明.xlsx', hint: ['是否想写 `机构`', 'did you mean `institution` (`institutions`)'], exit: 0 },
  { name: 'F0351 id twice in a workbook', code: 'F0351', books: book([INST_HEAD, ['KM-1', 'x', '学校', '530100'], ['KM-2', 'y', '学校', '530100'], ['KM-1', 'z', '学校', '530100']]), zh: '`云南-昆明.xlsx 机构!A4（编号）` 与 `云南-昆明.xlsx 机构!A2（编号）` 相同', en: '`云南-昆明.xlsx 机构!A4 (id)` repeats `云南-昆明.xlsx 机构!A2 (id)`' },
  {
    name: 'F0300 id in two workbooks',
    code: 'F0300',
    books: { '云南-昆明.xlsx': book([INST_HEAD, ['KM-1', 'x', '学校', '530100']]), '云南-曲靖.xlsx': { 机构: [INST_HEAD, ['QJ-1', 'y', '学校', '530100'], ['KM-1', 'z', '学校', '530100']] } },
    zh: '云南-昆明.xlsx 机构!A2（编号） 和 云南-曲靖.xlsx 机构!A3（编号）',
    en: '云南-昆明.xlsx 机构!A2 (id) and in 云南-曲靖.xlsx 机构!A3 (id)',
  },
  { name: 'F0024 not a workbook', code: 'F0024', books: {}, zh: '云南-昆明.xlsx', en: '云南-昆明.xlsx' },
];

function isMulti(books: Case['books']): books is Readonly<Record<string, Readonly<Record<string, Rows>>>> {
  return Object.keys(books).some((k) => k.endsWith('.xlsx'));
}

/** Writes the case's workbooks into a folder of their own; the path to pass to `--facts`. */
async function write(c: Case): Promise<{ folder: string; facts: string }> {
  const folder = join(dir, c.code + c.name.replace(/\W/g, '_'));
  mkdirSync(folder, { recursive: true });
  if (c.code === 'F0024') {
    writeFileSync(join(folder, '云南-昆明.xlsx'), 'not a workbook');
    return { folder, facts: join(folder, '云南-昆明.xlsx') };
  }
  const books = isMulti(c.books) ? c.books : { '云南-昆明.xlsx': c.books };
  for (const [file, sheets] of Object.entries(books)) {
    const wb = new ExcelJS.Workbook();
    for (const [sheet, rows] of Object.entries(sheets)) wb.addWorksheet(sheet).addRows(rows);
    await wb.xlsx.writeFile(join(folder, file));
  }
  return { folder, facts: isMulti(c.books) ? folder : join(folder, '云南-昆明.xlsx') };
}

describe('each intake error names the file, sheet, cell and column (golden, zh and en)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { folder, facts } = await write(c);
      const out: string[] = [];
      for (const lang of ['zh', 'en'] as const) {
        const r = await runCli(['eval', POLICY, '--facts', facts, '--as-of', '2022-06-01', '--lang', lang]);
        expect(r.code, r.stderr).toBe(c.exit ?? 4);
        const line = r.stderr.split('\n').find((l) => l.includes(` ${c.code}: `));
        expect(line, r.stderr).toBeDefined();
        expect(line).toContain(lang === 'zh' ? c.zh : c.en);
        if (c.hint) expect(r.stderr).toContain(c.hint[lang === 'zh' ? 0 : 1]);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        out.push(`--- ${lang}\n${r.stderr.split(folder).join('<dir>')}`);
      }
      expectGolden(`test/spreadsheet/golden/intake-errors/${c.code}-${c.name.slice(6).replace(/\W+/g, '-')}.txt`, out.join('\n'));
    });
  }
});
