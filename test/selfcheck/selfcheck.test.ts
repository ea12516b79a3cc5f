/**
 * The self-check page's logic in Node (the browser test covers the wiring): the packed policy
 * evaluates as the loaded one does, the page's JSON and HTML equal the CLI's byte for byte,
 * picked files are read through the CLI's loaders, paths and digests do not depend on the
 * platform, and `clausal bundle`'s usage errors.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { fileNameOf } from '../../src/loader/spreadsheet-intake.js';
import { ENGINE_VERSION } from '../../src/model/version.js';
import { packPolicy, packedTexts, unpackPolicy } from '../../src/selfcheck/policy-pack.js';
import { factsFromPickedFiles } from '../../src/selfcheck/facts-intake.js';
import { runSelfCheck } from '../../src/selfcheck/run-check.js';
import { readPageData, selfCheckCsp, selfCheckHtml, PAGE_DATA_ID } from '../../src/selfcheck/page-data.js';
import { portablePath, readPageAssets } from '../../src/cli/cmd-bundle.js';
import { policyDigest } from '../../src/policy-digest.js';
import { encodeGbk } from '../helpers/gbk.js';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const EXAMPLE = 'policies/yunnan-social-work/examples/province.yaml';
const AS_OF = '2022-06-01';
const dir = mkdtempSync(join(tmpdir(), 'clausal-selfcheck-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loaded = loadPolicy(POLICY);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('the packed policy', () => {
  it('survives JSON and checks to a policy that gives the CLI\'s JSON and HTML, byte for byte', async () => {
    const packed = JSON.parse(JSON.stringify(packPolicy(loaded.policy!)));
    const unpacked = unpackPolicy(packed);
    expect(unpacked.diagnostics).toEqual([]);
    const intake = await factsFromPickedFiles(unpacked.policy!, [{ path: 'province.yaml', bytes: readFileSync(EXAMPLE) }]);
    expect(intake.diagnostics).toEqual([]);
    for (const lang of ['zh', 'en'] as const) {
      const run = runSelfCheck(unpacked.policy!, intake.facts!, AS_OF, lang);
      const json = await runCli(['eval', POLICY, '--facts', EXAMPLE, '--as-of', AS_OF, '--format', 'json', '--lang', lang]);
      expect(run.json).toBe(json.stdout);
      const html = await runCli(['eval', POLICY, '--facts', EXAMPLE, '--as-of', AS_OF, '--format', 'html', '--lang', lang]);
      expect(run.html).toBe(html.stdout);
    }
  });

  it('carries every rule file and the source document, once', () => {
    const texts = packedTexts(packPolicy(loaded.policy!), loaded.texts!);
    expect(texts.map((t) => fileNameOf(t.path)).sort()).toEqual(['00-policy.clause', '10-params.clause', '20-occupation.clause', '30-posts.clause', '40-grading.yaml', '50-incentives.clause', '60-organisation.clause', '70-not-checkable.clause', 'source.txt']);
    for (const t of texts) expect(t.text).toBe(readFileSync(t.path, 'utf8'));
  });
});

describe('the missing-facts list', () => {
  it('has one row per fact that unknown results wait for, with the field\'s label and the clauses', async () => {
    const intake = await factsFromPickedFiles(loaded.policy!, [{ path: 'province.yaml', bytes: readFileSync(EXAMPLE) }]);
    const run = runSelfCheck(loaded.policy!, intake.facts!, AS_OF, 'zh');
    const wanted = new Set(run.report.results.filter((r) => r.status === 'unknown').flatMap((r) => r.missing));
    expect(new Set(run.missing.map((m) => m.path))).toEqual(wanted);
    const station = run.missing.find((m) => m.path === 'regions[530111008].sw_station.established');
    expect(station).toMatchObject({ kind: 'region', id: '530111008', name: '六甲街道', field: 'sw_station.established', label: '建站日期', cites: ['三（十）'] });
  });
});

describe('picked files', () => {
  const regions = '编号,名称,层级\r\n530000,云南省,省\r\n530100,昆明市,州（市）\r\n';
  const cases: { note: string; files: { path: string; bytes: Uint8Array }[]; code?: string; subjects?: number; encoding?: string }[] = [
    { note: 'nothing picked', files: [], subjects: undefined },
    { note: 'a GBK CSV set', files: [{ path: 'regions.csv', bytes: encodeGbk(regions) }], subjects: 2, encoding: 'gb18030' },
    { note: 'a UTF-8 CSV set with BOM', files: [{ path: 'regions.csv', bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(regions)]) }], subjects: 2, encoding: 'utf-8-bom' },
    { note: 'a YAML file', files: [{ path: 'f.yaml', bytes: utf8('regions:\r\n  - { id: "530000", level: province }\r\n') }], subjects: 1 },
    { note: 'a workbook with CSV files', files: [{ path: 'a.xlsx', bytes: new Uint8Array() }, { path: 'regions.csv', bytes: utf8(regions) }], code: 'F0701' },
    { note: 'two YAML files', files: [{ path: 'a.yaml', bytes: utf8('{}') }, { path: 'b.yaml', bytes: utf8('{}') }], code: 'F0701' },
    { note: 'a Word document', files: [{ path: '说明.docx', bytes: new Uint8Array([0x50, 0x4b]) }], code: 'F0015' },
    { note: 'a YAML file in GBK', files: [{ path: 'f.yaml', bytes: encodeGbk('regions:\n  - { id: "1", name: 云南省, level: province }\n') }], code: 'F0019' },
    { note: 'a damaged workbook', files: [{ path: 'f.xlsx', bytes: utf8('not a workbook') }], code: 'F0024' },
  ];
  it.each(cases)('$note', async ({ files, code, subjects, encoding }) => {
    const r = await factsFromPickedFiles(loaded.policy!, files);
    expect(r.diagnostics.map((d) => d.code)).toEqual(code ? [code] : []);
    expect(r.facts?.subjects.length).toBe(subjects);
    if (encoding) expect([...r.encodings.values()]).toEqual([encoding]);
  });

  it('F0701 names both kinds of file in the language asked for', async () => {
    const r = await factsFromPickedFiles(loaded.policy!, [{ path: 'a.xlsx', bytes: new Uint8Array() }, { path: 'b.json', bytes: utf8('{}') }]);
    const { messageOf } = await import('../../src/model/diagnostics.js');
    expect(messageOf(r.diagnostics[0], 'zh')).toBe('不能同时选择工作簿（.xlsx）和YAML/JSON 文件：请只选一个工作簿、一组 CSV 文件或一个 YAML/JSON 文件');
    expect(messageOf(r.diagnostics[0], 'en')).toBe('cannot take a workbook (.xlsx) together with a YAML/JSON file: choose one workbook, one set of CSV files, or one YAML/JSON file');
  });
});

describe('paths from Windows', () => {
  it.each([
    ['C:\\policies\\2021', 'C:\\policies\\2021\\00-policy.clause', '00-policy.clause'],
    ['C:\\policies\\2021', 'C:\\policies\\2020\\10-params.clause', '../2020/10-params.clause'],
    ['policies\\2021', 'policies\\2021\\source.txt', 'source.txt'],
    ['D:\\省\\政策\\2021\\', 'D:\\省\\政策\\2021\\40-grading.yaml', '40-grading.yaml'],
  ])('portablePath(%s, %s) with path.win32 is %s', (policyDir, file, want) => {
    expect(portablePath(policyDir, file, path.win32)).toBe(want);
  });

  it.each([
    ['policies/2021', 'policies/2021/00-policy.clause', '00-policy.clause'],
    ['/srv/p/2021', '/srv/p/2020/a.clause', '../2020/a.clause'],
  ])('portablePath(%s, %s) with path.posix is %s', (policyDir, file, want) => {
    expect(portablePath(policyDir, file, path.posix)).toBe(want);
  });

  it.each([
    'C:\\Users\\张三\\Desktop\\昆明\\institutions.csv',
    '\\\\server\\share\\昆明\\regions.csv',
    'D:\\data\\昆明\\',
    '/home/a/昆明/workers.csv',
    'workers.csv',
  ])('fileNameOf(%s) is what path.win32.basename gives', (p) => {
    expect(fileNameOf(p)).toBe(path.win32.basename(p));
  });

  it('a digest built from Windows paths equals the one built from POSIX paths', () => {
    const texts = [{ name: '00-policy.clause', text: 'policy t version "1"\r\n' }, { name: 'source.txt', text: '一、总则\r\n' }];
    const win = policyDigest(texts.map((t) => ({ path: portablePath('C:\\p\\2021', `C:\\p\\2021\\${t.name}`, path.win32), text: t.text })));
    const posix = policyDigest(texts.map((t) => ({ path: portablePath('/p/2021', `/p/2021/${t.name}`, path.posix), text: t.text })));
    expect(win).toEqual(posix);
  });
});

describe('the content digest', () => {
  it('is SHA-256 over the sha256sum-style listing of the files, sorted by path', () => {
    const files = [{ path: 'b.clause', text: 'b' }, { path: 'a.clause', text: 'a' }];
    const hex = (s: string) => createHash('sha256').update(s).digest('hex');
    const listing = `${hex('a')}  a.clause\n${hex('b')}  b.clause\n`;
    expect(policyDigest(files)).toEqual({ hash: `sha256:${hex(listing)}`, files: [{ path: 'a.clause', sha256: hex('a') }, { path: 'b.clause', sha256: hex('b') }] });
  });

  it.each([
    ['a policy on its own', POLICY, EXAMPLE],
    ['a policy extending another (paths with ../)', 'policies/community-worker-allowance/2024', 'policies/community-worker-allowance/examples/city.yaml'],
  ])('of %s is the policy hash of a recorded run over the same rules', async (_what, policy, facts) => {
    const page = await runCli(['bundle', policy, '--out', join(dir, 'digest.html'), '--lang', 'en']);
    expect(page.code).toBe(0);
    const digest = /sha256:[0-9a-f]{64}/.exec(page.stdout)?.[0];
    const db = join(dir, `digest-${fileNameOf(policy)}.duckdb`);
    expect((await runCli(['eval', policy, '--facts', facts, '--as-of', AS_OF, '--record', db, '--format', 'json'])).code).not.toBe(3);
    const shown = await runCli(['runs', 'show', '1', '--db', db, '--format', 'json']);
    expect(JSON.parse(shown.stdout).policyHash).toBe(digest);
  });

  it('changes when one character of one rule file changes', () => {
    expect(policyDigest([{ path: 'a', text: 'x >= 30%' }]).hash).not.toBe(policyDigest([{ path: 'a', text: 'x >= 31%' }]).hash);
  });
});

describe('the page file', () => {
  it('allows only its own script and the report\'s, never eval, and nothing from the network', () => {
    const csp = selfCheckCsp('console.log(1)');
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+';/);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline'; *script|https?:|connect-src/);
  });

  it('holds its data where the page reads it, even when policy text contains </script>', () => {
    const packed = { files: [], source: { path: 'source.txt', text: '</script><script>alert(1)</script>' } };
    const data = { format: 1 as const, policy: { id: 'p', version: '1' }, hash: 'sha256:0', files: [], engine: ENGINE_VERSION, packed };
    const html = selfCheckHtml({ script: 'void 0', css: '', data });
    expect(html.match(/<script/g)?.length).toBe(2);
    const block = new RegExp(`<script type="application/json" id="${PAGE_DATA_ID}">([^<]*)</script>`).exec(html)?.[1];
    expect(readPageData(block)).toEqual(data);
    expect(readPageData('{"format":2}')).toBeUndefined();
    expect(readPageData('not json')).toBeUndefined();
  });

  it('the engine version is the package\'s', () => {
    expect(ENGINE_VERSION).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('X0700 when the page\'s code is not built', () => {
    const r = readPageAssets(join(dir, 'nowhere'));
    expect('code' in r && r.code).toBe('X0700');
  });
});

describe('clausal bundle usage', () => {
  it.each([
    [['bundle'], 2, 'X0003'],
    [['bundle', POLICY], 2, 'X0003'],
    [['bundle', POLICY, '--out', join(dir, 'x.txt')], 2, 'X0004'],
    [['bundle', join(dir, 'no-such-policy'), '--out', join(dir, 'x.html')], 1, 'X0006'],
  ])('%j exits %i with %s', async (argv, code, diag) => {
    const r = await runCli(argv);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(diag);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
