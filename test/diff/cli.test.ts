/** `clausal diff` as a command: arguments, exit codes, facts handling, `--out`. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

const FX = 'test/diff/fixtures';
const OLD = `${FX}/impact/old`;
const NEW = `${FX}/impact/new`;
const FACTS = `${FX}/impact/facts.yaml`;

const tmp = mkdtempSync(join(tmpdir(), 'clausal-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dir(name: string, files: Record<string, string>): string {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
}

const POLICY = (v: string, flagType: string) => `policy q version "${v}"
kind thing from things "物" {
  flag: ${flagType} "标志"
}
rule has-flag "有标志"
  cite "一"
  for thing t
  must has(t.flag)
`;

describe('usage and exit codes', () => {
  const cases: { note: string; argv: string[]; code: number; stderr: RegExp }[] = [
    { note: 'one directory only', argv: ['diff', OLD], code: 2, stderr: /X0003/ },
    { note: 'three directories', argv: ['diff', OLD, NEW, NEW], code: 2, stderr: /X0003/ },
    { note: '--as-of without --facts', argv: ['diff', OLD, NEW, '--as-of', '2024-01-01'], code: 2, stderr: /X0003.*--facts/ },
    { note: 'an unknown format', argv: ['diff', OLD, NEW, '--format', 'html'], code: 2, stderr: /X0004.*html/ },
    { note: 'an invalid date', argv: ['diff', OLD, NEW, '--facts', FACTS, '--as-of', '2024-02-30'], code: 2, stderr: /X0004.*2024-02-30/ },
    { note: 'an unknown option', argv: ['diff', OLD, NEW, '--fail-on', 'violation'], code: 2, stderr: /X0002/ },
    { note: 'a missing directory', argv: ['diff', OLD, `${FX}/nope`], code: 1, stderr: /X0006/ },
    { note: 'a missing facts file', argv: ['diff', OLD, NEW, '--facts', `${FX}/nope.yaml`, '--as-of', '2024-01-01'], code: 4, stderr: /F0001/ },
    { note: 'a facts file of an unknown type', argv: ['diff', OLD, NEW, '--facts', `${FX}/impact/old/00-policy.clause`, '--as-of', '2024-01-01'], code: 4, stderr: /F0015/ },
  ];
  for (const c of cases) {
    test(c.note, async () => {
      const run = await runCli(c.argv);
      expect(run.code).toBe(c.code);
      expect(run.stderr).toMatch(c.stderr);
      expect(run.stdout).toBe('');
    });
  }

  test('both policies are checked and both sets of errors shown before exiting 1', async () => {
    const a = dir('bad-a', { 'p.clause': POLICY('1', 'boolean').replace('has(t.flag)', 'has(t.nope)') });
    const b = dir('bad-b', { 'p.clause': POLICY('2', 'boolean').replace('kind thing', 'kind thing2').replace('for thing t', 'for thing t2') });
    const run = await runCli(['diff', a, b]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad-a[\\/]p\.clause:\d+:\d+: error C0002/);
    expect(run.stderr).toMatch(/bad-b[\\/]p\.clause:\d+:\d+: error C0013/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  test('facts valid for the old schema but not the new one: exit 4', async () => {
    const a = dir('flag-bool', { 'p.clause': POLICY('1', 'boolean') });
    const b = dir('flag-int', { 'p.clause': POLICY('2', 'integer') });
    const facts = join(tmp, 'things.yaml');
    writeFileSync(facts, 'things:\n  - { id: T1, flag: true }\n');
    const run = await runCli(['diff', a, b, '--facts', facts, '--as-of', '2024-01-01']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/F0004/);
  });

  test('a warning both schemas raise alike is reported once', async () => {
    const a = dir('warn-a', { 'p.clause': POLICY('1', 'boolean') });
    const b = dir('warn-b', { 'p.clause': POLICY('2', 'boolean') });
    const facts = join(tmp, 'extra.yaml');
    writeFileSync(facts, 'things:\n  - { id: T1, flag: true, colour: red }\n');
    const run = await runCli(['diff', a, b, '--facts', facts, '--as-of', '2024-01-01']);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/F0009/g)).toHaveLength(1);
  });
});

describe('output', () => {
  test('--as-of defaults to today when facts are given', async () => {
    const run = await runCli(['diff', OLD, NEW, '--facts', FACTS, '--format', 'json'], '2024-06-01');
    const explicit = await runCli(['diff', OLD, NEW, '--facts', FACTS, '--format', 'json', '--as-of', '2024-06-01']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).impact.asOf).toBe('2024-06-01');
    expect(run.stdout).toBe(explicit.stdout);
  });

  test('the impact follows the date: before the new share applies, only rule changes move statuses', async () => {
    const run = await runCli(['diff', OLD, NEW, '--facts', FACTS, '--as-of', '2023-06-01', '--format', 'json']);
    const rules = new Set((JSON.parse(run.stdout).impact.entries as { rule: string }[]).map((e) => e.rule));
    expect([...rules].sort()).toEqual(['class-b-room', 'prefecture-units', 'unit-named']);
  });

  test('--out writes the file and nothing to stdout', async () => {
    const out = join(tmp, 'diff.md');
    const run = await runCli(['diff', OLD, NEW, '--format', 'markdown', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe((await runCli(['diff', OLD, NEW, '--format', 'markdown'])).stdout);
  });

  test('JSON without facts has impact null and the documented top-level keys in order', async () => {
    const run = await runCli(['diff', OLD, NEW, '--format', 'json']);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['format', 'version', 'old', 'new', 'summary', 'changes', 'impact']);
    expect(json.impact).toBeNull();
    expect(json.format).toBe('clausal-diff');
  });

  test('the same directory on both sides: no changes, exit 0', async () => {
    const run = await runCli(['diff', OLD, OLD, '--lang', 'en']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No semantic changes.');
  });
});

describe('the cost of an amendment (values and totals)', () => {
  const CW = 'policies/community-worker-allowance';
  const argv = (a: string, b: string, ...more: string[]) => ['diff', `${CW}/${a}`, `${CW}/${b}`, '--facts', `${CW}/examples/city.yaml`, '--as-of', '2026-06-01', ...more];
  interface Sum { sum: string; subjects: number; unknown: number }
  interface Json { impact: { totals: { rule: string; measure: string; province: { old: Sum; new: Sum; delta: string } }[]; values: { rule: string; delta: string }[] } }

  test('each province total moves by the sum of its subjects\' changes, exactly', async () => {
    const run = await runCli(argv('2024', '2026-draft', '--format', 'json'));
    expect(run.code).toBe(0);
    const { impact } = JSON.parse(run.stdout) as Json;
    expect(impact.totals.map((t) => t.rule)).toEqual(['monthly-allowance', 'yearly-allowance', 'county-allowance-budget']);
    for (const t of impact.totals) {
      const cents = impact.values.filter((v) => v.rule === t.rule).reduce((n, v) => n + Math.round(Number(v.delta) * 100), 0);
      expect(cents).toBe(Math.round(Number(t.province.delta) * 100));
      expect(Math.round((Number(t.province.new.sum) - Number(t.province.old.sum)) * 100)).toBe(cents);
    }
  });

  test.each([
    ['zh', '新版使全省的「县级年度职业津贴预算」合计减少 3,950.00 元（23,500.00 元 → 19,550.00 元），涉及 2 个地区'],
    ['en', 'the new version lowers the province\'s "county yearly allowance budget" by 3,950.00 元 (23,500.00 元 → 19,550.00 元), in 2 regions'],
  ])('the reverse diff says the amounts fall (%s)', async (lang, sentence) => {
    const run = await runCli(argv('2026-draft', '2024', '--lang', lang));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(sentence);
    expect(run.stdout).toMatch(/-100\.00 元/);
  });
});
