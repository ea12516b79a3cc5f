/**
 * Facts from spreadsheets: the template written by `clausal template`, filled with exceljs the
 * way an officer would (typed cells: numbers, booleans, dates, `无`), read back by `eval` with
 * the same statuses as the YAML example; a folder of CSV files likewise; errors naming the
 * sheet (or file), row and column; zh headers; and the progress line only on a terminal.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/cli/commands.js';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/policy.js';
import { expectGolden } from '../helpers/golden.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { loadSpreadsheetFacts } from '../../src/loader/load-spreadsheet.js';
import { templateColumns } from '../../src/loader/facts-template.js';
import { createProgress } from '../../src/cli/progress.js';
import type { KindInfo, Policy } from '../../src/model/types.js';

const POLICY = 'policies/yunnan-social-work/2021';
const EXAMPLE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-sheet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const policy: Policy = loadPolicy(POLICY).policy!;
const example = parseYaml(readFileSync(EXAMPLE, 'utf8')) as Record<string, Record<string, unknown>[]>;

/** A YAML value at a dotted path: undefined when absent, null when none. */
function at(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null) return undefined;
    if (cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** The cell an officer would type for a YAML value (typed as Excel keeps it). */
function cellFor(kind: KindInfo, path: string, v: unknown, style: 'xlsx' | 'csv'): ExcelJS.CellValue | undefined {
  if (v === undefined) return undefined;
  const field = kind.fields.get(path);
  if (v === null) return style === 'xlsx' ? '无' : 'null';
  if (field?.isRecord) return undefined; // present groups are written through their fields
  if (Array.isArray(v)) return v.join('；');
  if (field?.type.t === 'date' && typeof v === 'string' && style === 'xlsx') return new Date(`${v}T00:00:00Z`);
  if (style === 'csv') return typeof v === 'boolean' ? (v ? '是' : 'FALSE') : String(v);
  return v as ExcelJS.CellValue;
}

/** What an officer picks from the zh template's dropdowns: enum labels, 是/否, 有 for a present group. */
function officerCell(kind: KindInfo, path: string, v: ExcelJS.CellValue | undefined): ExcelJS.CellValue | undefined {
  const field = kind.fields.get(path);
  if (field?.type.t === 'enum' && typeof v === 'string') return policy.enums.get(field.type.name)!.members.get(v)?.zh ?? v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  return v;
}

function kindsInOrder(): KindInfo[] {
  return [...policy.kinds.values()];
}

async function run(argv: string[], tty = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (c: string | Uint8Array) => { stdout += typeof c === 'string' ? c : new TextDecoder().decode(c); return true; } },
    stderr: { write: (c: string) => { stderr += c; return true; }, isTTY: tty },
    cwd: process.cwd(),
    env: {},
    today: '2022-06-01',
  });
  return { code, stdout, stderr };
}

const statuses = (json: string) => (JSON.parse(json) as { results: { subject: { id: string }; rule: string; status: string }[] }).results.map((r) => `${r.subject.id} ${r.rule} ${r.status}`);

describe('template and workbook round trip', () => {
  const template = join(dir, 'template.xlsx');
  const filled = join(dir, 'filled.xlsx');

  it('writes the template in zh: instructions, labelled sheets and headers, hidden codes, dropdowns of labels', async () => {
    const r = await runCli(['template', POLICY, '--out', template]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['填表说明', '地区', '机构', '社会工作者', '_lists']);
    const inst = wb.getWorksheet('机构')!;
    const labels = (inst.getRow(1).values as unknown[]).slice(1);
    const codes = (inst.getRow(2).values as unknown[]).slice(1);
    expect(labels.slice(0, 4)).toEqual(['编号', '名称', '类别', '所在地区']);
    expect(codes.slice(0, 4)).toEqual(['id', 'name', 'category', 'region']);
    expect(labels[codes.indexOf('posts.social_work')]).toBe('社会工作岗位数');
    expect(inst.getRow(2).hidden).toBe(true);
    expect(inst.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    const dv = inst.getCell(3, codes.indexOf('category') + 1).dataValidation;
    expect(dv.type).toBe('list');
    expect(String(dv.formulae[0])).toMatch(/^_lists!\$[A-Z]+\$2:\$[A-Z]+\$\d+$/);
    expect(inst.getCell(3, codes.indexOf('sw_room') + 1).dataValidation.formulae).toEqual(['"是,否"']);
    expect(inst.getCell(3, codes.indexOf('posts.total') + 1).dataValidation.type).toBe('whole');
    const regions = wb.getWorksheet('地区')!;
    const regionCodes = (regions.getRow(2).values as unknown[]).slice(1);
    expect(regions.getColumn(regionCodes.indexOf('sw_station.established') + 1).numFmt).toBe('yyyy-mm-dd');
    // The category dropdown offers every member by its zh label.
    const lists = wb.getWorksheet('_lists')!;
    const col = (lists.getRow(1).values as unknown[]).indexOf('institution_category');
    const members = lists.getColumn(col).values.slice(2).filter((v) => v !== undefined && v !== null);
    const e = policy.enums.get('institution_category')!;
    expect(members).toEqual([...e.members.values()].map((l) => l!.zh));
    expect(members).toContain('儿童福利院');
    // The instructions name, per column, the clauses that read it.
    const guide = wb.getWorksheet('填表说明')!;
    const rows = guide.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v))));
    expect(rows[0]).toEqual(['工作表', '列', '代码', '填写', '用于条款']);
    const social = rows.find((row) => row[0] === '机构' && row[2] === 'posts.social_work')!;
    expect(social[1]).toBe('社会工作岗位数');
    expect(social[4]).toMatch(/三（[一二三四五六七八九]+）/);
    const category = rows.find((row) => row[0] === '机构' && row[2] === 'category')!;
    expect(category[3]).toContain('从下拉列表选择');
  });

  it('--lang en writes English sheet names, headers and dropdowns', async () => {
    const en = join(dir, 'template-en.xlsx');
    const r = await runCli(['template', POLICY, '--out', en, '--lang', 'en']);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(en);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['instructions', 'region', 'institution', 'social worker', '_lists']);
    const inst = wb.getWorksheet('institution')!;
    expect((inst.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['id', 'name', 'category']);
    const codes = (inst.getRow(2).values as unknown[]).slice(1);
    expect(inst.getCell(3, codes.indexOf('sw_room') + 1).dataValidation.formulae).toEqual(['"TRUE,FALSE"']);
    const lists = wb.getWorksheet('_lists')!;
    const col = (lists.getRow(1).values as unknown[]).indexOf('institution_category');
    expect(lists.getColumn(col).values).toContain("children's welfare home");
  });

  it('an empty template evaluates to no results', async () => {
    const r = await run(['eval', POLICY, '--facts', template, '--format', 'json', '--as-of', '2022-06-01']);
    expect(r.code).toBe(0);
    expect(statuses(r.stdout)).toEqual([]);
  });

  it('filled with the example province gives the statuses of the YAML example', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    for (const kind of kindsInOrder()) {
      const ws = wb.getWorksheet(kind.label!.zh)!;
      // Columns by the hidden codes row, as the loader reads them.
      const cols = (ws.getRow(2).values as string[]).slice(1);
      (example[kind.listKey] ?? []).forEach((subject, i) => {
        cols.forEach((path, c) => {
          const v = officerCell(kind, path, cellFor(kind, path, at(subject, path), 'xlsx'));
          if (v !== undefined) ws.getCell(3 + i, c + 1).value = v;
        });
      });
    }
    await wb.xlsx.writeFile(filled);
    const fromYaml = await run(['eval', POLICY, '--facts', EXAMPLE, '--format', 'json', '--as-of', '2022-06-01']);
    const fromXlsx = await run(['eval', POLICY, '--facts', filled, '--format', 'json', '--as-of', '2022-06-01']);
    expect(fromXlsx.stderr).toBe('');
    expect(fromXlsx.code).toBe(0);
    expect(statuses(fromXlsx.stdout).length).toBeGreaterThan(100);
    expect(statuses(fromXlsx.stdout)).toEqual(statuses(fromYaml.stdout));
    // Explanations too: the same numbers, exactly.
    expect(fromXlsx.stdout).toBe(fromYaml.stdout);
  });
});

/** Writes a CSV file of the given rows (quoting as spreadsheets do). */
function csv(rows: readonly (readonly (string | undefined)[])[]): string {
  const q = (s: string | undefined) => (s === undefined ? '' : /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}

describe('a folder of CSV files', () => {
  it('gives the statuses of the YAML example', async () => {
    const folder = join(dir, 'csv');
    mkdirSync(folder, { recursive: true });
    for (const kind of kindsInOrder()) {
      const cols = templateColumns(kind).map((f) => (f === 'id' ? 'id' : f.path));
      const labels = templateColumns(kind).map((f) => (f === 'id' ? '编号' : f.label?.zh ?? ''));
      const rows = (example[kind.listKey] ?? []).map((s) => cols.map((p) => {
        const v = cellFor(kind, p, at(s, p), 'csv');
        return v === undefined ? undefined : String(v);
      }));
      writeFileSync(join(folder, `${kind.listKey}.csv`), '\ufeff' + csv([cols, labels, ...rows]));
    }
    const fromYaml = await run(['eval', POLICY, '--facts', EXAMPLE, '--format', 'json', '--as-of', '2022-06-01']);
    const fromCsv = await run(['eval', POLICY, '--facts', folder, '--format', 'json', '--as-of', '2022-06-01']);
    expect(fromCsv.stderr).toBe('');
    expect(fromCsv.stdout).toBe(fromYaml.stdout);
  });

  it('a folder without CSV files is bad facts (exit 4), not an empty evaluation', async () => {
    const empty = join(dir, 'empty-folder');
    mkdirSync(empty, { recursive: true });
    const r = await run(['eval', POLICY, '--facts', empty, '--lang', 'en']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`error F0301: no facts files (.xlsx, .yaml, .yml, .json, .ndjson, or CSV files) in the folder \`${empty}\``);
  });
});

/** A small workbook or CSV folder for error cases: the same rows either way. */
const REGIONS = [['id', 'name', 'level'], ['530000', '云南省', 'province'], ['530100', '昆明市', 'prefecture']];

describe('errors name the sheet (or file), row and column', () => {
  const cases: { note: string; institutions: (string | number | undefined)[][]; code: string; xlsx: string; csv: string; header: string }[] = [
    { note: 'wrong type', institutions: [['id', 'category', 'posts.social_work'], ['A', 'school', 'many']], code: 'F0004', xlsx: 'institutions!C2', csv: 'institutions.csv:2:3', header: '社会工作岗位数' },
    { note: 'unknown category', institutions: [['id', 'category'], ['A', 'school'], ['B', 'castle']], code: 'F0005', xlsx: 'institutions!B3', csv: 'institutions.csv:3:2', header: '类别' },
    { note: 'duplicate id', institutions: [['id', 'name'], ['A', 'x'], ['A', 'y']], code: 'F0351', xlsx: 'institutions!A3', csv: 'institutions.csv:3:1', header: '编号' },
    { note: 'reference to a missing region', institutions: [['id', 'region'], ['A', '539999']], code: 'F0007', xlsx: 'institutions!B2', csv: 'institutions.csv:2:2', header: '所在地区' },
  ];

  for (const c of cases) {
    it(`${c.note} (xlsx)`, async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('regions').addRows(REGIONS);
      wb.addWorksheet('institutions').addRows(c.institutions);
      const file = join(dir, `err-${c.code}.xlsx`);
      await wb.xlsx.writeFile(file);
      const result = await loadSpreadsheetFacts(policy, file);
      const d = result.diagnostics.find((x) => x.code === c.code)!;
      expect(d, JSON.stringify(result.diagnostics)).toBeDefined();
      // The workbook, sheet, cell and the column's Chinese header (the label when the sheet writes a code).
      expect(d.factsPath).toBe(`err-${c.code}.xlsx ${c.xlsx}（${c.header}）`);
      const r = await run(['eval', POLICY, '--facts', file, '--lang', 'en']);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`error ${c.code}`);
      expect(r.stderr).toContain(c.xlsx);
      expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.\\]/g, '\\$&')}#institutions:\\d+:\\d+: error ${c.code}`));
    });
    it(`${c.note} (csv)`, async () => {
      const folder = join(dir, `err-${c.code}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'regions.csv'), csv(REGIONS));
      writeFileSync(join(folder, 'institutions.csv'), csv(c.institutions.map((r) => r.map((x) => (x === undefined ? undefined : String(x))))));
      const result = await loadSpreadsheetFacts(policy, folder);
      const d = result.diagnostics.find((x) => x.code === c.code)!;
      expect(d.factsPath).toBe(`err-${c.code}/${c.csv}（${c.header}）`);
      const r = await run(['eval', POLICY, '--facts', folder, '--lang', 'en']);
      expect(r.code).toBe(4);
      const [row] = c.csv.split(':').slice(1);
      // The headline's line:col is the field's place in the file itself.
      expect(r.stderr).toContain(`${join(folder, 'institutions.csv')}:${row}:`);
      expect(r.stderr).toContain(c.csv);
    });
  }

  it('an Excel date in a text field and text in a date field', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('regions').addRows([['id', 'level', 'sw_station.established'], ['530000', 'province', new Date(Date.UTC(2021, 2, 15))], ['530001', 'province', '2021-02-30']]);
    const file = join(dir, 'dates.xlsx');
    await wb.xlsx.writeFile(file);
    const result = await loadSpreadsheetFacts(policy, file);
    expect(result.diagnostics.map((d) => [d.code, d.factsPath])).toEqual([['F0011', 'dates.xlsx regions!C3（建站日期）']]);
  });

  it('unknown, duplicate and record-conflicting columns', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('regions').addRows([['id', 'colour', 'level', '层级'], ['530000', 'red', 'province', 'province']]);
    const file = join(dir, 'columns.xlsx');
    await wb.xlsx.writeFile(file);
    const result = await loadSpreadsheetFacts(policy, file);
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.factsPath])).toEqual([['F0022', 'warning', 'columns.xlsx regions!B1'], ['F0023', 'error', 'columns.xlsx regions!D1']]);
    const wb2 = new ExcelJS.Workbook();
    wb2.addWorksheet('regions').addRows([['id', 'sw_station', 'sw_station.established'], ['530000', '无', '2021-01-01']]);
    const file2 = join(dir, 'record.xlsx');
    await wb2.xlsx.writeFile(file2);
    const result2 = await loadSpreadsheetFacts(policy, file2);
    expect(result2.diagnostics.map((d) => [d.code, d.factsPath])).toEqual([['F0025', 'record.xlsx regions!C2（建站日期）']]);
  });

  it('a file that is not a workbook', async () => {
    const file = join(dir, 'broken.xlsx');
    writeFileSync(file, 'not a zip');
    const r = await run(['eval', POLICY, '--facts', file]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('F0024');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('zh header aliases and cell typing', () => {
  it('reads zh labels as headers, 是/否, 无 and exact decimals', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('regions').addRows([
      ['编号', '名称', '层级', '社会工作服务站', '具备建站条件'],
      ['530000', '云南省', 'province', '无', '是'],
    ]);
    wb.addWorksheet('institutions').addRows([
      ['编号', '类别', '所在地区', '岗位总数', '社会工作岗位数', '社会工作服务领域'],
      ['KM-1', 'children_welfare_home', 530000, 10, 7, '矫治帮教；卫生健康'],
    ]);
    wb.addWorksheet('workers').addRows([['id', 'institution', '艰苦地区服务年限', '在艰苦地区工作'], ['W1', 'KM-1', 0.1, false]]);
    const file = join(dir, 'zh.xlsx');
    await wb.xlsx.writeFile(file);
    const result = await loadSpreadsheetFacts(policy, file);
    expect(result.diagnostics).toEqual([]);
    const facts = result.facts!;
    const region = facts.byKind.get('region')!.get('530000')!;
    expect(region.data.sw_station).toBeNull();
    expect(region.data.conditions_permit).toBe(true);
    const inst = facts.byKind.get('institution')!.get('KM-1')!;
    expect((inst.data.region as { id: string }).id).toBe('530000');
    expect((inst.data.posts as Record<string, unknown>).social_work).toBe(7);
    expect(inst.data.service_fields).toEqual(['矫治帮教', '卫生健康']);
    const worker = facts.byKind.get('worker')!.get('W1')!;
    expect(worker.data.hard_area).toBe(false);
    // 0.1 is exact, not the double nearest to it.
    expect(worker.data.hard_area_years).toEqual({ n: 1, d: 10 });
  });

  it('an empty cell is unknown, not false', async () => {
    const folder = join(dir, 'unknown');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'regions.csv'), csv([['id', 'level', 'conditions_permit'], ['530000', 'province', undefined]]));
    const result = await loadSpreadsheetFacts(policy, folder);
    expect(result.diagnostics).toEqual([]);
    expect('conditions_permit' in result.facts!.subjects[0].data).toBe(false);
  });
});

describe('progress line', () => {
  it('never appears when stderr is not a terminal', async () => {
    for (const format of ['text', 'json', 'ndjson']) {
      const r = await run(['eval', POLICY, '--facts', EXAMPLE, '--format', format, '--as-of', '2022-06-01'], false);
      expect(r.stderr).toBe('');
    }
  });

  it('never appears with JSON or NDJSON on stdout, even on a terminal', async () => {
    for (const format of ['json', 'ndjson']) {
      const r = await run(['eval', POLICY, '--facts', EXAMPLE, '--format', format, '--as-of', '2022-06-01'], true);
      expect(r.stderr).toBe('');
    }
  });

  it('on a terminal with text output: drawn, then cleared; stdout unchanged', async () => {
    const plain = await run(['eval', POLICY, '--facts', EXAMPLE, '--as-of', '2022-06-01', '--lang', 'en'], false);
    const r = await run(['eval', POLICY, '--facts', EXAMPLE, '--as-of', '2022-06-01', '--lang', 'en'], true);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stderr).toContain('\rloading facts');
    expect(r.stderr).toMatch(/\revaluating \[#+\.*\] \d+\/\d+ \(100%\)/);
    expect(r.stderr.endsWith('\r')).toBe(true);
  });

  it('is throttled to one redraw per 100 ms', () => {
    let out = '';
    let t = 0;
    const p = createProgress({ stderr: { write: (c: string) => { out += c; }, isTTY: true } }, true, 'en', () => t);
    p.phase('evaluating', 1000);
    for (let i = 1; i <= 1000; i++) {
      t += 1; // 1 ms per subject: 1 s in all
      p.tick(i);
    }
    const redraws = out.split('\r').length - 1;
    expect(redraws).toBeLessThanOrEqual(12);
  });
});

describe('rendered diagnostics (golden)', () => {
  it('xlsx and CSV, zh and en', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('regions').addRows([['编号', '名称', '层级'], ['530000', '云南省', 'province']]);
    wb.addWorksheet('institutions').addRows([['id', 'category', 'region', '社会工作岗位数', 'colour'], ['A', 'school', '530000', 'many', 'red'], ['B', 'castle', '530001', 3], ['A', 'school', '530000', 1]]);
    wb.addWorksheet('notes').addRows([['x']]);
    const folder = join(dir, 'golden');
    mkdirSync(folder, { recursive: true });
    const xlsx = join(folder, 'facts.xlsx');
    await wb.xlsx.writeFile(xlsx);
    writeFileSync(join(folder, 'regions.csv'), csv([['编号', '名称', '层级'], ['530000', '云南省', 'province']]));
    writeFileSync(join(folder, 'institutions.csv'), csv([['id', 'category', 'region', '社会工作岗位数'], ['A', 'school', '530000', 'many'], ['B', 'castle', '530001', '3'], ['A', 'school', '530000', '1']]));
    for (const lang of ['zh', 'en']) {
      for (const [name, facts] of [['xlsx', xlsx], ['csv', folder]]) {
        const r = await run(['eval', POLICY, '--facts', facts, '--lang', lang]);
        expect(r.code).toBe(4);
        expectGolden(`test/spreadsheet/golden/errors-${name}.${lang}.txt`, r.stderr.split(folder).join('<dir>'));
      }
    }
  });
});
