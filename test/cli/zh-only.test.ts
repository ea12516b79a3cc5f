/**
 * In zh mode (the default) nothing the CLI prints is English prose: the help of every command,
 * usage errors, file-system errors, `clausal test` and the eval text report, succeeding and
 * failing. Latin letters stay only where they name something (codes, paths, options, ids; see
 * test/helpers/english-words.ts). The same runs with `--lang en` must print English, so the
 * scan cannot pass by printing nothing.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/policy.js';
import { englishWords } from '../helpers/english-words.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { commandNames, commandOptions } from '../../src/cli/main.js';
import { fsDetail, fsWords } from '../../src/model/fs-problem.js';
import type { Policy } from '../../src/model/types.js';

const POLICY = 'policies/yunnan-social-work/2021';
const DRAFT = 'policies/yunnan-social-work/2025-draft';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-zh-'));

/** Every name the policy declares: these are ids, typed by users and shown as they are. */
function idsOf(policy: Policy): string[] {
  const ids = [policy.id, ...policy.rules.map((r) => r.id), ...policy.params.keys(), ...policy.sets.keys(), ...policy.tables.keys(), ...policy.defines.keys()];
  for (const k of policy.kinds.values()) ids.push(k.name, k.listKey, ...k.fields.keys(), ...[...k.fields.keys()].flatMap((f) => f.split('.')), ...k.relations.keys());
  for (const e of policy.enums.values()) ids.push(e.name, ...e.members.keys());
  return policy.base ? [...ids, ...idsOf(policy.base)] : ids;
}
const IDS = idsOf(loadPolicy(POLICY).policy!);

// A copy of the policy whose tests.yaml expects one wrong status: `clausal test` fails.
const failing = join(dir, 'failing');
cpSync(POLICY, failing, { recursive: true });
const tests = readFileSync(join(failing, 'tests.yaml'), 'utf8');
const wrong = tests.replace(/status: (compliant|violation)\b/, (_, s: string) => `status: ${s === 'compliant' ? 'violation' : 'compliant'}`);
writeFileSync(join(failing, 'tests.yaml'), wrong);
const unparsable = join(dir, 'cut.clause');
writeFileSync(unparsable, 'policy t version\n');
const badFacts = join(dir, 'bad.yaml');
writeFileSync(badFacts, 'institutions:\n  - { id: A, category: children_welfare_hom, posts: { total: ten } }\n');

/** Runs whose output (stdout and stderr) is scanned, each with the exit code it must give. */
const RUNS: ReadonlyArray<{ argv: string[]; code: number }> = [
  { argv: ['--help'], code: 0 },
  { argv: ['help', 'eval'], code: 0 },
  { argv: [], code: 2 },
  { argv: ['nonsense'], code: 2 },
  ...commandNames().map((name) => ({ argv: [name, '--help'], code: 0 })),
  ...commandNames().filter((n) => n !== 'lsp' && n !== 'serve').map((name) => ({ argv: [name, '--nope'], code: 2 })),
  { argv: ['check'], code: 2 },
  { argv: ['check', POLICY], code: 0 },
  { argv: ['check', POLICY, '--coverage'], code: 0 },
  { argv: ['check', join(dir, 'no-such-dir')], code: 1 },
  { argv: ['eval', POLICY], code: 2 },
  { argv: ['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01'], code: 0 },
  { argv: ['eval', POLICY, '--facts', PROVINCE, '--as-of', '2023-03-01', '--all'], code: 0 },
  { argv: ['eval', POLICY, '--facts', PROVINCE, '--as-of', '2023-03-01', '--explain', 'KM-CWH-01'], code: 0 },
  { argv: ['eval', POLICY, '--facts', join(dir, 'missing.yaml')], code: 4 },
  { argv: ['eval', POLICY, '--facts', join(dir, 'missing.xlsx')], code: 4 },
  { argv: ['eval', POLICY, '--facts', badFacts], code: 4 },
  { argv: ['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-13-01'], code: 2 },
  { argv: ['eval', POLICY, '--facts', PROVINCE, '--jobs', 'x'], code: 2 },
  { argv: ['eval', POLICY, '--facts', PROVINCE, '--format', 'json', '--out', join(dir, 'no-dir', 'out.json')], code: 1 },
  { argv: ['eval', POLICY, '--facts', PROVINCE, '--format', 'xlsx'], code: 2 },
  { argv: ['eval', POLICY, '--facts', PROVINCE, '--omit', 'violation'], code: 2 },
  { argv: ['test', POLICY], code: 0 },
  { argv: ['test', failing], code: 1 },
  { argv: ['test', POLICY, '--coverage'], code: 0 },
  { argv: ['diff', POLICY, DRAFT, '--facts', PROVINCE, '--as-of', '2026-01-01'], code: 0 },
  { argv: ['fmt', join(dir, 'none.clause')], code: 1 },
  { argv: ['fmt', unparsable], code: 1 },
  { argv: ['facts', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01'], code: 0 },
  { argv: ['template', POLICY], code: 2 },
  { argv: ['runs', 'list', '--db', join(dir, 'none.db')], code: 1 },
  { argv: ['runs', 'show', 'x', '--db', join(dir, 'none.db')], code: 2 },
  { argv: ['ledger'], code: 2 },
  { argv: ['bundle', POLICY], code: 2 },
  { argv: ['api', POLICY, '--port', '99999'], code: 2 },
  { argv: ['serve', POLICY, 'other'], code: 2 },
  { argv: ['export', POLICY], code: 2 },
];

describe('zh mode prints no English prose', () => {
  it.each(RUNS.map((r) => [r.argv.join(' ') || '(no arguments)', r] as const))('clausal %s', async (_, run) => {
    const zh = await runCli(run.argv);
    expect(zh.code).toBe(run.code);
    const printed = zh.stdout + zh.stderr;
    expect(printed.trim()).not.toBe('');
    expect(englishWords(printed, IDS)).toEqual([]);
    // The scan is not vacuous: the English run of the same command says it in English words.
    const en = await runCli([...run.argv, ...(run.argv.length ? ['--lang', 'en'] : [])]);
    if (run.argv.length) expect(englishWords(en.stdout + en.stderr, IDS).length).toBeGreaterThan(0);
  });
});

describe('help', () => {
  it.each(commandNames())('clausal %s --help describes every option the command takes, in zh and in en', async (name) => {
    for (const lang of ['zh', 'en']) {
      const r = await runCli([name, '--help', '--lang', lang]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(lang === 'zh' ? /^用法：/ : /^usage:/);
      const described = new Set([...r.stdout.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0].slice(2)));
      for (const option of commandOptions(name)) expect(described, `${name} --${option} (${lang})`).toContain(option);
    }
  });

  it('lists every command in the general help, and `help <command>` is the command help', async () => {
    const general = await runCli(['--help']);
    for (const name of commandNames()) expect(general.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect((await runCli(['help', 'serve'])).stdout).toBe((await runCli(['serve', '--help'])).stdout);
  });

  it('a usage error ends with the usage line in the same language', async () => {
    const zh = await runCli(['template', POLICY]);
    expect(zh.stderr).toBe('clausal: error X0003: 缺少 --out 文件.xlsx\n用法：clausal template <政策目录> --out 文件.xlsx\n详见 clausal template --help\n');
    const en = await runCli(['template', POLICY, '--lang', 'en']);
    expect(en.stderr).toBe('clausal: error X0003: missing  --out FILE.xlsx\nusage: clausal template <policy-dir> --out FILE.xlsx\nsee clausal template --help\n');
  });
});

describe('file-system errors in words', () => {
  it.each([
    [['eval', POLICY, '--facts', join(dir, 'missing.yaml')], `无法读取事实文件：${join(dir, 'missing.yaml')}（文件不存在）`, `cannot read the facts file: ${join(dir, 'missing.yaml')} (no such file (ENOENT))`],
    [['eval', POLICY, '--facts', PROVINCE, '--format', 'json', '--out', join(dir, 'no-dir', 'out.json')], `无法写入 \`${join(dir, 'no-dir', 'out.json')}\`：所在文件夹不存在`, `cannot write \`${join(dir, 'no-dir', 'out.json')}\`: its folder does not exist (ENOENT)`],
    [['fmt', dir], `找不到 \`${dir}（这是一个文件夹，不是文件）\``, `\`${dir} (is a directory, not a file (EISDIR))\` not found`],
  ])('clausal %j', async (argv, zh, en) => {
    expect((await runCli(argv)).stderr).toContain(zh);
    expect((await runCli([...argv, '--lang', 'en'])).stderr).toContain(en);
  });

  it('names permission and other errors in words, and keeps unknown codes as they are', () => {
    expect(fsWords('EACCES')).toEqual({ zh: '没有权限', en: 'permission denied (EACCES)' });
    expect(fsWords('ENOENT', 'write')).toEqual({ zh: '所在文件夹不存在', en: 'its folder does not exist (ENOENT)' });
    expect(fsWords('EADDRINUSE', 'listen').zh).toBe('端口已被占用');
    expect(fsDetail('EACCES', 'a.yaml')).toEqual({ detail: 'a.yaml: EACCES', 'detail.zh': 'a.yaml（没有权限）', 'detail.en': 'a.yaml (permission denied (EACCES))' });
    expect(fsWords('EWHATEVER')).toEqual({ zh: 'EWHATEVER', en: 'EWHATEVER' });
  });
});
