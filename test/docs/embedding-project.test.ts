/**
 * The embedding example of docs/embedding/README(.en).md runs when a developer copies it into a
 * project of their own: a fresh folder with `clausal` in node_modules (a link to this repository,
 * as `npm install ../clausal` makes; its dist/ is the built package), the block saved as
 * `example.mjs` and run with plain `node`. docs.test.ts runs the same block against the source
 * tree; this test is about what the reader meets outside the repository: the package entry
 * point, the paths the page tells them to use, and a bad policy or bad facts printed as
 * diagnostics (file:line:col, the line at fault) with exit code 1 instead of a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBlocks } from './blocks.js';
import { REPO } from './runner.js';

const PAGES = [
  { page: 'docs/embedding/README.md', lang: 'zh' },
  { page: 'docs/embedding/README.en.md', lang: 'en' },
] as const;

const POLICY = 'node_modules/clausal/policies/yunnan-social-work/2021';
const FACTS = 'node_modules/clausal/policies/yunnan-social-work/examples/province.yaml';

/** The page's runnable example (its first `ts` block) and the output the page shows for it. */
function example(page: string): { code: string; output: string } {
  const blocks = extractBlocks(page, readFileSync(join(REPO, page), 'utf8'));
  const i = blocks.findIndex((b) => b.lang === 'ts' && b.text.includes('example.mjs'));
  const out = blocks[i + 1];
  if (i < 0 || out?.lang !== 'text' || !out.flags.has('output')) throw new Error(`${page}: no example with its output`);
  return { code: blocks[i].text, output: out.text };
}

let project: string;

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist/index.js'))) throw new Error('dist/index.js is missing: run npm run build first');
  project = mkdtempSync(join(tmpdir(), 'clausal-embed-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(REPO, join(project, 'node_modules', 'clausal'), 'dir');
  // A policy of the developer's own, beside their program, with one mistake an officer makes.
  cpSync(join(REPO, 'policies/yunnan-social-work/2021'), join(project, 'my-policy'), { recursive: true });
  const params = join(project, 'my-policy/10-params.clause');
  writeFileSync(params, readFileSync(params, 'utf8').replace('"minimum share of social-work posts in civil-affairs units" = 70%', '"minimum share of social-work posts in civil-affairs units" = 75'));
  writeFileSync(join(project, 'bad-facts.yaml'), 'institutions:\n  - id: X-1\n    category: no_such_category\n');
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function run(page: string, env: Record<string, string>) {
  writeFileSync(join(project, 'example.mjs'), example(page).code);
  const r = spawnSync(process.execPath, ['example.mjs'], { cwd: project, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the embedding example in a project of its own', () => {
  it.each(PAGES)('$page: prints what the page shows, with the paths it explains', ({ page }) => {
    const r = run(page, { CLAUSAL_POLICY: POLICY, CLAUSAL_FACTS: FACTS });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd()).toBe(example(page).output.trimEnd());
  });

  it.each(PAGES)('$page: a bad policy prints its diagnostics with file:line:col and exits 1', ({ page, lang }) => {
    const r = run(page, { CLAUSAL_POLICY: 'my-policy', CLAUSAL_FACTS: FACTS });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const headline = r.stderr.split('\n')[0];
    expect(headline).toMatch(/^my-policy\/10-params\.clause:4:127: error C0003: /);
    expect(headline).toContain(lang === 'zh' ? '类型不符' : 'type mismatch');
    // The line at fault and the underline under `75`, as `clausal check` shows them.
    expect(r.stderr).toContain('4 | param civil_affairs_share: percent');
    expect(r.stderr).toMatch(/\n {2}\| +\^\^\n/);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+|Error:/);
    // What the page shows for this mistake is what the program prints.
    const shown = extractBlocks(page, readFileSync(join(REPO, page), 'utf8')).find((b) => b.lang === 'text' && b.text.startsWith('my-policy/'));
    expect(shown, 'the page shows the bad-policy output').toBeDefined();
    expect(r.stderr.trimEnd()).toBe(shown!.text.trimEnd());
  });

  it('bad facts are printed as diagnostics naming the facts file and line', () => {
    const r = run('docs/embedding/README.md', { CLAUSAL_POLICY: POLICY, CLAUSAL_FACTS: 'bad-facts.yaml' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bad-facts\.yaml:3:\d+: error F\d{4}: /);
    expect(r.stderr).toContain('no_such_category');
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+|Error:/);
  });
});
