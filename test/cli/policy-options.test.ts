/**
 * `--max-compiled-size` (the budget of C0101) on every command that compiles a policy, and
 * `--policy-root` honoured by `runs verify`: a run recorded with a source above the policy's own
 * tree (allowed by `--policy-root`) re-evaluates from its restored files.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/policy.js';
import { put } from '../robustness/harness.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-policy-options-'));

describe('--max-compiled-size', () => {
  it.each([
    ['check', ['check', POLICY]],
    ['eval', ['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01']],
    ['test', ['test', POLICY]],
    ['export', ['export', POLICY, '--to', 'jsonlogic']],
    ['diff', ['diff', POLICY, POLICY]],
  ])('%s: a budget below the policy is C0101, exit 1; the default passes', async (_name, argv) => {
    const small = await runCli([...argv, '--max-compiled-size', '50', '--lang', 'en']);
    expect(small.code, small.stderr).toBe(1);
    expect(small.stderr).toMatch(/error C0101: the policy compiles to \d+ expression nodes, more than the limit of 50/);
    const roomy = await runCli([...argv, '--max-compiled-size', '1000000']);
    expect(roomy.code, roomy.stderr).toBe(0);
  });

  it('a bad value is a usage error (X0004, exit 2); a command that compiles nothing does not take it (X0002)', async () => {
    const bad = await runCli(['check', POLICY, '--max-compiled-size', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('X0004');
    const fmt = await runCli(['fmt', join(POLICY, '10-params.clause'), '--check', '--max-compiled-size', '5']);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain('X0002');
  });
});

describe('--policy-root and records', () => {
  it('runs verify re-evaluates a run whose source lies above the policy folder', async () => {
    put(dir, 'tree/shared/source.txt', '一、总则\n各单位应当设置岗位。\n');
    const policy = put(dir, 'tree/versions/v1/p.clause', [
      'policy t version "1"',
      '  source "../../shared/source.txt"',
      'kind unit from units "单位" { posts: integer "岗位" }',
      'rule has-posts cite "一" for unit u',
      '  quote "各单位应当设置岗位"',
      '  must u.posts > 0',
      '',
    ].join('\n')).replace(/\/p\.clause$/, '');
    const facts = put(dir, 'facts.yaml', 'units: [{ id: U1, posts: 3 }]\n');
    const db = join(dir, 'runs.duckdb');
    // Without --policy-root the source is outside the policy's tree (S0101).
    const refused = await runCli(['eval', policy, '--facts', facts, '--as-of', '2022-06-01']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('S0101');
    const recorded = await runCli(['eval', policy, '--facts', facts, '--as-of', '2022-06-01', '--policy-root', join(dir, 'tree'), '--record', db, '--record-facts', '--lang', 'en']);
    expect(recorded.code, recorded.stderr).toBe(0);
    const verified = await runCli(['runs', 'verify', '1', '--db', db, '--lang', 'en']);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });
});
