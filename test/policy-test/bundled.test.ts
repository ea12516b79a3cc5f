/**
 * The bundled policy's own tests: they pass, every rule of the directory is tested, and the
 * branch coverage stays at 90% or more.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const DIR = 'policies/yunnan-social-work/2021';

interface Report {
  summary: { failed: number; checks: number };
  coverage: { rules: { percent: number; covered: number; total: number }; branches: { percent: number }; byRule: { rule: string; checks: number }[] };
}

describe(`clausal test ${DIR}`, () => {
  it('passes with 100% of rules and at least 90% of branches', async () => {
    const run = await cli(['test', DIR, '--coverage', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.summary.failed).toBe(0);
    expect(report.coverage.rules.percent).toBe(100);
    expect(report.coverage.branches.percent).toBeGreaterThanOrEqual(90);
  });

  it('checks every rule id written in the directory\'s rule files', async () => {
    const ids = readdirSync(DIR)
      .filter((f) => /\.(clause|ya?ml)$/.test(f) && !/(^|\.)tests\.ya?ml$/.test(f))
      .flatMap((f) => {
        const text = readFileSync(join(DIR, f), 'utf8');
        return [...text.matchAll(/^rule\s+([\w-]+)/gm), ...text.matchAll(/^\s*- id:\s*([\w-]+)/gm)].map((m) => m[1]);
      });
    expect(ids.length).toBeGreaterThan(0);
    const run = await cli(['test', DIR, '--coverage', '--format', 'json']);
    const tested = new Map((JSON.parse(run.stdout) as Report).coverage.byRule.map((r) => [r.rule, r.checks]));
    for (const id of ids) expect(tested.get(id), id).toBeGreaterThan(0);
  });

  it('the text report names the figures', async () => {
    const run = await cli(['test', DIR, '--coverage', '--lang', 'en']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0 failed/);
    expect(run.stdout).toMatch(/coverage: rules 32\/32 \(100%\), branches \d+\/\d+/);
  });
});
