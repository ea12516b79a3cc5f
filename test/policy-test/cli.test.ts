/**
 * `clausal test` in-process: exit codes, and the text and JSON reports (golden files; run
 * with UPDATE_GOLDEN=1 to regenerate after a deliberate change).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, fixtureDir, golden, HERE } from './helpers.js';

describe('clausal test: reports', () => {
  it.each([
    ['small.zh.txt', [fixtureDir('small')], 0],
    ['small-coverage.en.txt', [fixtureDir('small'), '--coverage', '--lang', 'en'], 0],
    ['small-coverage.zh.txt', [fixtureDir('small'), '--coverage'], 0],
    ['small-coverage.en.json', [fixtureDir('small'), '--coverage', '--format', 'json', '--lang', 'en'], 0],
    ['failing.en.txt', [fixtureDir('failing'), '--lang', 'en'], 1],
    ['failing.zh.txt', [fixtureDir('failing')], 1],
    ['failing.en.json', [fixtureDir('failing'), '--format=json', '--lang=en'], 1],
  ] as const)('%s', async (name, argv, code) => {
    const run = await cli(['test', ...argv]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    if (name.endsWith('.json')) expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
    golden(`cli/${name}`, run.stdout);
  });

  it('a bad test file is reported as diagnostics, is not run, and fails the command', async () => {
    const run = await cli(['test', fixtureDir('bad'), '--lang', 'en']);
    expect(run.code).toBe(1);
    golden('cli/bad.en.stderr.txt', run.stderr);
    golden('cli/bad.en.txt', run.stdout);
    const json = JSON.parse((await cli(['test', fixtureDir('bad'), '--format', 'json'])).stdout) as { notRun: string[]; summary: { files: number } };
    expect(json.notRun).toEqual([`${fixtureDir('bad')}/tests.yaml`]);
    expect(json.summary.files).toBe(1);
  });
});

describe('clausal test: exit codes', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'clausal-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const policyText = readFileSync(join(HERE, 'fixtures', 'small', 'policy.clause'), 'utf8');

  /** A policy directory in a temporary place, with the given extra files. */
  function dir(name: string, files: Record<string, string>, policy = policyText): string {
    const d = join(tmp, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'policy.clause'), policy);
    for (const [f, t] of Object.entries(files)) writeFileSync(join(d, f), t);
    return d;
  }

  it.each([
    ['no policy dir', [], 2, 'X0003'],
    ['two policy dirs', [fixtureDir('small'), fixtureDir('failing')], 2, 'X0003'],
    ['an unknown format', [fixtureDir('small'), '--format', 'xml'], 2, 'X0004'],
    ['an unknown option', [fixtureDir('small'), '--coverag'], 2, 'X0002'],
    ['a flag with a value', [fixtureDir('small'), '--coverage=yes'], 2, 'X0004'],
    ['an unknown language', [fixtureDir('small'), '--lang', 'fr'], 2, 'X0004'],
    ['a directory that does not exist', ['test/policy-test/fixtures/nowhere'], 1, 'X0006'],
    ['a policy without test files', [fixtureDir('none')], 1, 'T0001'],
  ] as const)('%s', async (_note, argv, code, diagnostic) => {
    const run = await cli(['test', ...argv]);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(diagnostic);
  });

  it('a broken policy: exit 1, its own diagnostics, no tests run', async () => {
    const d = dir('broken', { 'tests.yaml': 'tests: []\n' }, 'policy broken version "1"\nparam x: integer = 1 @\n');
    const run = await cli(['test', d]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('S0001');
    expect(run.stdout).toBe('');
  });

  it('an unreadable test file: T0014', async () => {
    const d = dir('unreadable', {});
    mkdirSync(join(d, 'tests.yaml'));
    const run = await cli(['test', d, '--lang', 'en']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('T0014');
    expect(run.stderr).toContain('EISDIR');
  });

  it('test files are found by name: tests.yaml, tests.yml, *.tests.yaml; others are rule files', async () => {
    const ok = (rule: string) => `as_of: 2022-06-01\ntests:\n  - { name: n, facts: { units: [{ id: U, flag: true }] }, expect: [{ rule: ${rule}, status: compliant }] }\n`;
    const d = dir('names', { 'tests.yml': ok('flag-rule'), 'a.tests.yaml': ok('flag-rule'), 'b.tests.yml': ok('flag-rule') });
    const run = await cli(['test', d, '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { files: string[]; summary: { checks: number } };
    expect(report.files.map((f) => f.slice(d.length + 1))).toEqual(['a.tests.yaml', 'b.tests.yml', 'tests.yml']);
    expect(report.summary.checks).toBe(3);
  });
});
