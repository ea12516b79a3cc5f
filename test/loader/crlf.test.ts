/**
 * CRLF everywhere: rule files (`.clause` and YAML), the source document and facts saved on
 * Windows (Notepad, Excel, editors set to CRLF) load and evaluate exactly as their LF
 * originals, and diagnostics still point at the right line and column.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const EXAMPLE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-crlf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/** A copy of the 2021 policy with every file's line ends turned into CRLF. */
function crlfPolicy(name: string): string {
  const target = join(dir, name);
  cpSync(POLICY, target, { recursive: true });
  for (const f of readdirSync(target)) writeFileSync(join(target, f), crlf(readFileSync(join(target, f), 'utf8')));
  return target;
}

describe('CRLF line ends', () => {
  it('the 2021 policy (rule files, YAML rule file, source document) loads cleanly and evaluates the same', async () => {
    const policyDir = crlfPolicy('policy');
    expect(readFileSync(join(policyDir, '40-grading.yaml'), 'utf8')).toContain('\r\n');
    const loaded = loadPolicy(policyDir);
    expect(loaded.diagnostics.map((d) => `${d.code} ${d.span?.file}`)).toEqual([]);
    const facts = join(dir, 'province.yaml');
    writeFileSync(facts, crlf(readFileSync(EXAMPLE, 'utf8')));
    const lf = await runCli(['eval', POLICY, '--facts', EXAMPLE, '--format', 'json', '--as-of', '2022-06-01']);
    const both = await runCli(['eval', policyDir, '--facts', facts, '--format', 'json', '--as-of', '2022-06-01']);
    expect(both.stderr).toBe('');
    expect(both.stdout).toBe(lf.stdout);
  });

  it('the policy\'s own tests pass with CRLF files', async () => {
    const r = await runCli(['test', crlfPolicy('tested')]);
    expect(r.code).toBe(0);
  });

  it.each([
    ['.clause', 'p.clause', 'policy t version "1"\r\nkind unit from units {\r\n  n: integer\r\n}\r\nrule r cite "一" for unit u must u.n >= "x"\r\n', 5],
    ['YAML', 'p.yaml', 'policy: t\r\nversion: "1"\r\nkinds:\r\n  unit:\r\n    from: units\r\n    fields: { n: integer }\r\nrules:\r\n  - { id: r, cite: 一, for: unit u, must: "u.n >= \\"x\\"" }\r\n', 8],
  ])('a diagnostic in a CRLF %s file names the right line', async (_, file, text, line) => {
    const own = mkdtempSync(join(dir, 'p-'));
    writeFileSync(join(own, file), text);
    const r = await runCli(['check', own, '--lang', 'en']);
    expect(r.code).toBe(1);
    const first = /^(.*?):(\d+):(\d+): error/m.exec(r.stderr);
    expect(first?.[1]).toBe(join(own, file));
    expect(Number(first?.[2])).toBe(line);
    // No carriage return leaks into the shown source line.
    expect(r.stderr).not.toContain('\r');
  });
});
