/**
 * Diagnostics that need more than one file or directory: extension (`extends`) chains, empty
 * policy directories, and CLI option errors. Each case asserts the code and the message.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageOf } from '../../src/model/diagnostics.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { buildFacts } from '../../src/facts/facts.js';
import { compileMemory, policyOf, runCli, PRELUDE } from '../helpers/policy.js';

const BASE = { 'base.clause': 'policy base version "1"\nparam ratio: ratio\nparam n: integer = 1\n' };

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'clausal-tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('extension and directory diagnostics', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['override of a parameter the base lacks', { 's.clause': 'policy s version "1" extends "base"\nparam ratoi = 1:100\n' }, 'C0021', 'the extended policy has no parameter `ratoi`'],
    ['override that changes a parameter type', { 's.clause': 'policy s version "1" extends "base"\nparam n: date = 2021-01-01\n' }, 'C0034', 'an extending policy cannot change the type of `n`'],
    ['extended policy that cannot be loaded', { 's.clause': 'policy s version "1" extends "nowhere"\n' }, 'C0020', 'cannot load the extended policy `nowhere`'],
  ];
  it.each(cases)('%s', (_note, files, code, message) => {
    const r = compileMemory(files, undefined, { base: BASE });
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics.map((x) => x.code))).toBeDefined();
    expect(messageOf(d!, 'en')).toBe(message);
  });

  it('a supplement sets an unset parameter of its base', () => {
    const r = compileMemory({ 's.clause': 'policy s version "1" extends "base"\nparam ratio = 1:100 from 2022-01-01\n' }, undefined, { base: BASE });
    expect(r.diagnostics).toEqual([]);
    expect(r.policy!.params.get('ratio')!.history.map((h) => h.from)).toEqual(['2022-01-01']);
  });

  it('an extension cycle is reported, not followed forever', () => {
    const root = tree({ 'a/p.clause': 'policy a version "1" extends "../b"\n', 'b/p.clause': 'policy b version "1" extends "../a"\n' });
    const r = loadPolicy(join(root, 'a'));
    expect(r.diagnostics.map((d) => d.code)).toContain('C0031');
  });

  it('a directory without rule files', () => {
    const root = tree({ 'notes.txt': 'nothing here' });
    const r = loadPolicy(root);
    expect(r.diagnostics.map((d) => [d.code, messageOf(d, 'en')])).toEqual([['C0026', `no rule files (.clause or .yaml) in \`${root}\``]]);
  });

  it('a nested field under a field that is not a record', () => {
    const r = compileMemory({ 'p.clause': 'policy t version "1"\nkind unit from units { posts: integer posts.total: integer }\n' });
    expect(r.diagnostics.map((d) => [d.code, messageOf(d, 'en')])).toEqual([['C0038', 'field `posts.total` is nested under `posts`, which is not a record']]);
  });

  it('an explanation template without its closing brace', () => {
    const r = compileMemory({ 'p.clause': 'policy t version "1"\nkind unit from units { n: integer }\nrule r cite "一" for unit u must u.n > 0 explain "值 {u.n"\n' });
    expect(r.diagnostics.map((d) => [d.code, messageOf(d, 'en')])).toEqual([['C0023', 'bad explanation template: missing `}`']]);
  });

  it('a ratio with a zero denominator', () => {
    const r = compileMemory({ 'p.clause': 'policy t version "1"\nparam r: ratio = 1:0\n' });
    expect(r.diagnostics.map((d) => [d.code, messageOf(d, 'en')])).toEqual([['S0007', 'number `1:0` cannot be represented']]);
  });

  it('too many subjects in the facts', () => {
    const policy = policyOf({ 'p.clause': PRELUDE });
    const kind = policy.kinds.get('unit')!;
    const raw = [0, 1, 2].map((i) => ({ kind, value: { id: `U${i}` }, at: ['units', i] as (string | number)[] }));
    const r = buildFacts(policy, raw, 'facts.yaml', undefined, { maxSubjects: 2, maxErrors: 50, maxWarnings: 20 });
    expect(r.facts).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.factsPath, messageOf(d, 'en')])).toEqual([['F0012', 'units[2]', 'facts exceed a limit: subjects over 2']]);
  });

  it('an option given without its value is a usage error', async () => {
    const r = await runCli(['eval', 'policies/yunnan-social-work/2021', '--facts', '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error X0007: option `--facts` needs a value');
  });
});
