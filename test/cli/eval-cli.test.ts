/** `clausal eval` as users meet it: exit codes, JSON shape, messages for bad facts and usage. */
import { mkdtempSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-cli-'));

function factsFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const REGIONS = `regions:
  - { id: "530000", name: 云南省, level: province }
  - { id: "530100", name: 昆明市, level: prefecture, parent: "530000" }
`;

describe('clausal eval: the README command', () => {
  it('evaluates the bundled policy on the example province (zh text)', async () => {
    const r = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const word of ['违规', '待达标', '信息不全', '建议改进', '符合', '符合条件', '不符合条件', '不适用']) expect(r.stdout).toContain(word);
  });

  it('shows every status at least once in JSON, in contract shape and order', async () => {
    const r = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['policy', 'asOf', 'results', 'summary']);
    expect(out.policy).toEqual({ id: 'yunnan-social-work', version: '2021' });
    expect(out.asOf).toBe('2022-06-01');
    const first = out.results[0];
    expect(Object.keys(first).slice(0, 8)).toEqual(['subject', 'rule', 'cite', 'modality', 'status', 'due', 'missing', 'explanation']);
    for (const s of ['compliant', 'violation', 'pending', 'advisory', 'not_applicable', 'unknown', 'eligible', 'ineligible']) {
      expect(out.summary[s], s).toBeGreaterThan(0);
    }
    const total = Object.values(out.summary as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(out.results.length);
    const cwh = out.results.find((x: { subject: { id: string }; rule: string }) => x.subject.id === 'KM-CWH-01' && x.rule === 'civil-affairs-post-share');
    expect(cwh).toMatchObject({ cite: '三（二）', modality: 'must', status: 'compliant', due: '2022-12-31', missing: [] });
  });

  it('writes explanations in English with --lang en', async () => {
    const r = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2023-03-01', '--format', 'json', '--lang', 'en']);
    const out = JSON.parse(r.stdout);
    const swh = out.results.find((x: { subject: { id: string }; rule: string }) => x.subject.id === 'KM-SWH-01' && x.rule === 'civil-affairs-post-share');
    expect(swh.status).toBe('violation');
    expect(swh.explanation).toContain('not met, deadline passed');
    expect(swh.explanation).not.toMatch(/[\u4e00-\u9fff]{4}/);
  });

  it('orders results by subject as in the facts file, then by rule as in the policy', async () => {
    const r = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'ndjson']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const subjects = [...new Set(lines.map((l) => `${l.subject.kind}:${l.subject.id}`))];
    expect(subjects[0]).toBe('region:530000');
    expect(subjects.findIndex((s) => s.startsWith('institution'))).toBeLessThan(subjects.findIndex((s) => s.startsWith('worker')));
  });

  it('exits 3 when --fail-on matches, 0 when it does not', async () => {
    expect((await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'json', '--fail-on', 'violation'])).code).toBe(3);
    const onlyPending = factsFile('one.yaml', `institutions:\n  - { id: X, name: 儿童福利院, category: children_welfare_home, posts: { total: 10, professional: 10, social_work: 7 } }\n`);
    expect((await runCli(['eval', POLICY, '--facts', onlyPending, '--as-of', '2022-06-01', '--fail-on', 'violation'])).code).toBe(0);
  });

  it('writes --out atomically and leaves an existing file alone when it cannot', async () => {
    const out = join(dir, 'out.json');
    const ok = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'json', '--out', out]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).asOf).toBe('2022-06-01');
    const bad = await runCli(['eval', POLICY, '--facts', PROVINCE, '--format', 'json', '--out', join(dir, 'no-such-dir', 'x.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error X0005: .*所在文件夹不存在/);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });
});

const BAD_FACTS: { note: string; file: string; text: string; code: string; where: RegExp }[] = [
  { note: 'wrong type', file: 'a.yaml', text: `${REGIONS}institutions:\n  - { id: X, category: school, posts: { total: many } }\n`, code: 'F0004', where: /a\.yaml:5:\d+: error F0004: `institutions\[0\]\.posts\.total` should be integer/ },
  { note: 'unknown category', file: 'b.yaml', text: `institutions:\n  - { id: X, category: zoo }\n`, code: 'F0005', where: /b\.yaml:2:\d+: error F0005: `institutions\[0\]\.category`: `zoo` is not a value of institution_category/ },
  { note: 'duplicate id', file: 'c.yaml', text: `${REGIONS}  - { id: "530100", name: 又一个, level: prefecture }\n`, code: 'F0006', where: /c\.yaml:4:\d+: error F0006: duplicate region id `530100`/ },
  { note: 'worker whose institution does not exist', file: 'd.yaml', text: `workers:\n  - { id: W1, institution: NOPE }\n`, code: 'F0007', where: /d\.yaml:2:\d+: error F0007: `workers\[0\]\.institution` refers to institution `NOPE`/ },
  { note: 'region whose parent does not exist', file: 'e.yaml', text: `regions:\n  - { id: "1", level: county, parent: "9" }\n`, code: 'F0007', where: /e\.yaml:2:\d+: error F0007/ },
  { note: 'cycle of parents', file: 'f.yaml', text: `regions:\n  - { id: "1", parent: "2" }\n  - { id: "2", parent: "1" }\n`, code: 'F0008', where: /error F0008: .*1 -> 2 -> 1|error F0008: .*2 -> 1 -> 2/ },
  { note: 'impossible date', file: 'g.yaml', text: `regions:\n  - { id: "1", sw_station: { established: 2021-02-30 } }\n`, code: 'F0011', where: /g\.yaml:2:\d+: error F0011/ },
  { note: 'YAML syntax error', file: 'h.yaml', text: `regions:\n  - { id: "1"\n`, code: 'F0002', where: /h\.yaml:\d+:\d+: error F0002/ },
  { note: 'JSON syntax error', file: 'i.json', text: `{"regions": [ {"id": "1",, } ]}`, code: 'F0002', where: /i\.json:1:\d+: error F0002/ },
  { note: 'top level is a list', file: 'j.json', text: `[1, 2]`, code: 'F0003', where: /error F0003/ },
  { note: 'subject without id', file: 'k.yaml', text: `regions:\n  - { name: 无名 }\n`, code: 'F0010', where: /k\.yaml:2:\d+: error F0010/ },
  { note: 'ndjson line without a kind', file: 'l.ndjson', text: `{"kind":"region","id":"1"}\n{"id":"2"}\n`, code: 'F0013', where: /l\.ndjson:2:1: error F0013: line 2/ },
  { note: 'unsupported extension', file: 'm.txt', text: `x`, code: 'F0015', where: /error F0015: unsupported facts file type `\.txt`/ },
];

describe('clausal eval: bad facts exit 4 with the facts path and position', () => {
  it.each(BAD_FACTS.map((c) => [c.note, c] as const))('%s', async (_note, c) => {
    const path = factsFile(c.file, c.text);
    const r = await runCli(['eval', POLICY, '--facts', path, '--as-of', '2022-06-01', '--lang', 'en']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(c.code);
    expect(r.stderr).toMatch(c.where);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
  });

  it('a missing facts file is exit 4 too', async () => {
    const r = await runCli(['eval', POLICY, '--facts', join(dir, 'absent.yaml')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/error F0001: .*（文件不存在）/);
  });

  it('unknown extra fields are warnings, not errors', async () => {
    const path = factsFile('extra.yaml', `regions:\n  - { id: "1", level: province, colour: blue }\n`);
    const r = await runCli(['eval', POLICY, '--facts', path, '--as-of', '2022-06-01', '--format', 'json', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning F0009: `regions\[0\]\.colour` is not a declared field/);
  });

  it('keys like __proto__ and constructor are data, never prototype changes', async () => {
    const path = factsFile('proto.json', JSON.stringify({
      regions: [{ id: '__proto__', level: 'province', __proto__: { polluted: 1 }, constructor: { prototype: { polluted: 1 } } }],
      __proto__: { polluted: 1 },
    }).replace('"regions"', '"__proto__":{"polluted":1},"regions"'));
    const r = await runCli(['eval', POLICY, '--facts', path, '--as-of', '2022-06-01', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(r.stdout).results.some((x: { subject: { id: string } }) => x.subject.id === '__proto__')).toBe(true);
  });
});

describe('clausal eval: usage errors exit 2, bad policies exit 1', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['missing --facts', ['eval', POLICY], 2, /error X0003/],
    ['bad --as-of', ['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-13-01'], 2, /error X0004: .*--as-of/],
    ['bad --format', ['eval', POLICY, '--facts', PROVINCE, '--format', 'pdf'], 2, /error X0004: .*--format/],
    ['bad --fail-on', ['eval', POLICY, '--facts', PROVINCE, '--fail-on', 'everything'], 2, /error X0004: .*--fail-on/],
    ['unknown option', ['eval', POLICY, '--facts', PROVINCE, '--asof', '2022-01-01'], 2, /error X0002: unknown option `--asof`/],
    ['unknown command', ['evaluate'], 2, /error X0001/],
    ['policy dir missing', ['eval', 'policies/none', '--facts', PROVINCE], 1, /error X0006/],
  ];
  it.each(cases)('%s', async (_note, argv, code, message) => {
    const r = await runCli([...argv, '--lang', 'en']);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it('a broken policy is exit 1 with file:line:col', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'clausal-broken-'));
    writeFileSync(join(broken, 'p.clause'), 'policy p version "1"\nparam x: integr = 1\n');
    const r = await runCli(['eval', broken, '--facts', PROVINCE, '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(broken, 'p.clause')}:2:10: error C0014: unknown type \`integr\``);
    chmodSync(broken, 0o755);
  });
});

describe('clausal eval --explain', () => {
  it('prints the trace of one subject: quote, parameters in force, every sub-expression', async () => {
    const r = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--explain', 'KM-SWH-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('civil-affairs-post-share  三（二）  应当  → 待达标  （期限 2022-12-31）');
    expect(r.stdout).toContain('原文：“到2022年底，社会工作专业岗位设置数量不低于专业技术岗位总量的70%”');
    expect(r.stdout).toContain('参数 `civil_affairs_share` = 70%');
    // In words for officers, the rule-file text after it for the author.
    expect(r.stdout).toContain('社会工作岗位数 ≥ 民政事业单位社会工作岗位占专业技术岗位比例下限 × 专业技术岗位数 = 否  `i.posts.social_work >= civil_affairs_share * i.posts.professional`');
    expect(r.stdout).toMatch(/\n\s+民政事业单位社会工作岗位占专业技术岗位比例下限 × 专业技术岗位数 = 42  `civil_affairs_share \* i\.posts\.professional`\n/);
    const en = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--explain', 'KM-SWH-01', '--lang', 'en']);
    expect(en.stdout).toContain('civil-affairs-post-share  三（二）  must  → pending  (due 2022-12-31)');
    expect(en.stdout).toMatch(/\n\s+civil_affairs_share \* i\.posts\.professional = 42\n/);
  });

  it('shows which version of a parameter history is in force', async () => {
    const r = await runCli(['eval', 'policies/yunnan-social-work/2025-draft', '--facts', PROVINCE, '--as-of', '2025-06-01', '--explain', 'KM-CWH-01', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('param civil_affairs_share = 75%  (from 2025-01-01)');
  });

  it('is a usage error for an id not in the facts', async () => {
    const r = await runCli(['eval', POLICY, '--facts', PROVINCE, '--explain', 'NOPE', '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error X0014: no subject with id `NOPE` in the facts');
  });
});
