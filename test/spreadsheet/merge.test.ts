/**
 * Facts from several files: a folder of per-prefecture workbooks (the zh template filled the way
 * officers fill it), repeated `--facts`, YAML beside workbooks. Merged results are those of the
 * one-file example; references across files resolve; an id defined in two files names both
 * places (F0300, golden); a folder with nothing to read is bad facts (F0301).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseYaml, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { factsTemplate } from '../../src/loader/facts-template.js';
import type { KindInfo, Policy } from '../../src/model/types.js';
import { expectGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const EXAMPLE = 'policies/yunnan-social-work/examples/province.yaml';
const policy: Policy = loadPolicy(POLICY).policy!;
const example = parseYaml(readFileSync(EXAMPLE, 'utf8')) as Record<string, Record<string, unknown>[]>;
const dir = mkdtempSync(join(tmpdir(), 'clausal-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function at(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** The cell an officer enters for a YAML value in the zh template: labels, 是/否, 有/无, date cells. */
function officerCell(kind: KindInfo, path: string, v: unknown): ExcelJS.CellValue | undefined {
  if (v === undefined) return undefined;
  const field = kind.fields.get(path);
  if (v === null) return '无';
  if (field?.isRecord) return '有';
  if (Array.isArray(v)) return v.join('；');
  if (field?.type.t === 'enum' && typeof v === 'string') return policy.enums.get(field.type.name)!.members.get(v)?.zh ?? v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (field?.type.t === 'date' && typeof v === 'string') return new Date(`${v}T00:00:00Z`);
  return v as ExcelJS.CellValue;
}

/** A filled zh template holding the given subjects of each list. */
async function prefectureWorkbook(file: string, lists: Record<string, Record<string, unknown>[]>): Promise<void> {
  const wb = factsTemplate(policy, 'zh');
  for (const kind of policy.kinds.values()) {
    const ws = wb.getWorksheet(kind.label!.zh)!;
    const codes = (ws.getRow(2).values as string[]).slice(1);
    (lists[kind.listKey] ?? []).forEach((subject, i) => {
      codes.forEach((path, c) => {
        const v = officerCell(kind, path, at(subject, path));
        if (v !== undefined) ws.getCell(3 + i, c + 1).value = v;
      });
    });
  }
  await wb.xlsx.writeFile(file);
}

/** Splits the example: regions in the first file, institutions and workers alternating between two. */
function split(): [Record<string, Record<string, unknown>[]>, Record<string, Record<string, unknown>[]>] {
  const insts = example.institutions;
  const a = new Set(insts.filter((_, i) => i % 2 === 0).map((x) => x.id));
  return [
    { regions: example.regions, institutions: insts.filter((x) => a.has(x.id)), workers: example.workers.filter((w) => a.has(w.institution)) },
    { institutions: insts.filter((x) => !a.has(x.id)), workers: example.workers.filter((w) => !a.has(w.institution)) },
  ];
}

const sortedStatuses = (json: string) => (JSON.parse(json) as { results: { subject: { id: string }; rule: string; status: string; missing: string[] }[] }).results.map((r) => `${r.subject.id} ${r.rule} ${r.status} ${r.missing.join(',')}`).sort();

describe('a folder of prefecture workbooks', () => {
  let expected: string[];
  const folder = join(dir, 'province');
  beforeAll(async () => {
    const [a, b] = split();
    mkdirSync(folder, { recursive: true });
    await prefectureWorkbook(join(folder, '云南-昆明.xlsx'), a);
    await prefectureWorkbook(join(folder, '云南-曲靖.xlsx'), b);
    // A lock file Excel leaves beside an open workbook is not facts.
    writeFileSync(join(folder, '~$云南-昆明.xlsx'), 'lock');
    const yaml = await runCli(['eval', POLICY, '--facts', EXAMPLE, '--format', 'json', '--as-of', '2022-06-01']);
    expected = sortedStatuses(yaml.stdout);
  });

  it('evaluates to the results of the one-file example, references across files resolved', async () => {
    const r = await runCli(['eval', POLICY, '--facts', folder, '--format', 'json', '--as-of', '2022-06-01']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(expected.length).toBeGreaterThan(100);
    expect(sortedStatuses(r.stdout)).toEqual(expected);
  });

  it('repeated --facts: a workbook and a YAML file', async () => {
    const [, b] = split();
    const yamlFile = join(dir, 'qujing.yaml');
    writeFileSync(yamlFile, stringify(b));
    const r = await runCli(['eval', POLICY, '--facts', join(folder, '云南-昆明.xlsx'), '--facts', yamlFile, '--format', 'json', '--as-of', '2022-06-01']);
    expect(r.stderr).toBe('');
    expect(sortedStatuses(r.stdout)).toEqual(expected);
  });
});

describe('merge errors', () => {
  it('an id defined in two workbooks names both places (golden)', async () => {
    const folder = join(dir, 'dup');
    mkdirSync(folder, { recursive: true });
    const regions = [{ id: '530000', name: '云南省', level: 'province' }];
    await prefectureWorkbook(join(folder, '云南-昆明.xlsx'), { regions, institutions: [{ id: 'KM-1', category: 'school', region: '530000' }] });
    await prefectureWorkbook(join(folder, '云南-曲靖.xlsx'), { institutions: [{ id: 'QJ-1', category: 'school', region: '530000' }, { id: 'KM-1', category: 'hospital', region: '530000' }] });
    for (const lang of ['zh', 'en']) {
      const r = await runCli(['eval', POLICY, '--facts', folder, '--as-of', '2022-06-01', '--lang', lang]);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('F0300');
      // The en message names the column by its en label; the sheet keeps its name in the workbook.
      const header = lang === 'zh' ? '（编号）' : ' (id)';
      expect(r.stderr).toContain(`云南-昆明.xlsx 机构!A3${header}`);
      expect(r.stderr).toContain(`云南-曲靖.xlsx 机构!A4${header}`);
      expectGolden(`test/spreadsheet/golden/merge-duplicate.${lang}.txt`, r.stderr.split(folder).join('<dir>'));
    }
  });

  it('an id in two YAML files names both lines; a missing reference names its own file', async () => {
    const folder = join(dir, 'dup-yaml');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'a.yaml'), 'regions:\n  - { id: "530000", level: province }\n');
    writeFileSync(join(folder, 'b.yaml'), 'regions:\n  - { id: "530100", level: prefecture, parent: "530000" }\n  - { id: "530000", level: province }\n');
    const r = await runCli(['eval', POLICY, '--facts', folder, '--lang', 'en']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`error F0300: duplicate region id \`530000\`: defined in ${join(folder, 'a.yaml')}:2 and in ${join(folder, 'b.yaml')}:3`);
    writeFileSync(join(folder, 'b.yaml'), 'regions:\n  - { id: "530100", level: prefecture, parent: "539999" }\n');
    const r2 = await runCli(['eval', POLICY, '--facts', folder, '--lang', 'en']);
    expect(r2.code).toBe(4);
    expect(r2.stderr).toContain(`${join(folder, 'b.yaml')}:2:`);
    expect(r2.stderr).toContain('error F0007: `regions[0].parent` refers to region `539999`');
  });

  it('a folder with no facts files in it is bad facts (F0301)', async () => {
    const folder = join(dir, 'nothing');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'notes.txt'), 'x');
    const r = await runCli(['eval', POLICY, '--facts', folder]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('F0301');
  });
});
