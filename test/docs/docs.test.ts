/**
 * The documentation runs: every code block of every page that shows a command or a rule file
 * is executed or checked (see runner.ts for the convention), each page in its own temporary
 * copy of `policies/`. Also: relative links resolve, the README keeps the contract's two
 * commands, and `fragment` (not run) stays rare.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractBlocks } from './blocks.js';
import { allPages, GENERATED_PAGES } from './pages.js';
import { REPO, runPage, type PageResult } from './runner.js';

const ALL = allPages();
// The diagnostic-codes pages run in test/docs/diagnostics.test.ts, which generates them by running
// every example and compares the result with the committed page: running them here too would
// double the time for nothing.
const PAGES = ALL.filter((p) => !GENERATED_PAGES.includes(p));
const BLOCKS = new Map(ALL.map((p) => [p, extractBlocks(p, readFileSync(join(REPO, p), 'utf8'))]));
const results: PageResult[] = [];

describe('documentation pages run', () => {
  it('covers the guide, the language reference, the embedding and the review docs', () => {
    for (const dir of ['docs/guide', 'docs/language', 'docs/embedding', 'docs/review']) {
      expect(PAGES.some((p) => p.startsWith(`${dir}/`)), dir).toBe(true);
    }
  });

  it.each(PAGES)('%s', async (page) => {
    const result = await runPage(page, BLOCKS.get(page)!);
    results.push(result);
    if (process.env.UPDATE_GOLDEN === '1' && result.rewrites.length) {
      // Rewrites the output shown in `console` blocks (those without `...`) to what ran: review the diff.
      const lines = readFileSync(join(REPO, page), 'utf8').split('\n');
      for (const r of [...result.rewrites].sort((a, b) => b.line - a.line)) {
        const open = lines[r.line - 1];
        if (!/^(`{3,}|~{3,})/.test(open)) continue;
        let end = r.line;
        while (end < lines.length && !/^(`{3,}|~{3,})\s*$/.test(lines[end])) end++;
        lines.splice(r.line, end - r.line, ...r.text.replace(/\n$/, '').split('\n'));
      }
      writeFileSync(join(REPO, page), lines.join('\n'));
      return;
    }
    expect(result.failures, result.failures.join('\n\n')).toEqual([]);
  });

  it('runs most blocks: `fragment` is for the odd illustrative piece', () => {
    const all = [...BLOCKS.values()].flat();
    const fragments = all.filter((b) => b.flags.has('fragment'));
    expect(fragments.length, fragments.map((b) => `${b.page}:${b.line}`).join(', ')).toBeLessThanOrEqual(Math.max(5, all.length * 0.05));
  });
});

describe('links and the README', () => {
  it('relative links point at files that exist', () => {
    const broken: string[] = [];
    for (const page of ALL) {
      const text = readFileSync(join(REPO, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (!target || /^[a-z]+:/.test(target)) continue;
        // docs/api is built by `npm run docs`, not committed.
        if (join(dirname(page), target).startsWith('docs/api')) continue;
        if (!existsSync(join(REPO, dirname(page), decodeURI(target)))) broken.push(`${page}: ${m[1]}`);
      }
    }
    expect(broken, broken.join('\n')).toEqual([]);
  });

  it('keeps the two commands fixed by the contract as the first lines of the first sh block', () => {
    const first = BLOCKS.get('README.md')!.find((b) => b.lang === 'sh')!;
    const lines = first.text.split('\n').slice(0, 2);
    expect(lines).toEqual([
      'npm ci && npx clausal eval policies/yunnan-social-work/2021 --facts policies/yunnan-social-work/examples/province.yaml --as-of 2022-06-01',
      'npm test',
    ]);
    const contract = join(REPO, '../shared/CONTRACT.md');
    if (existsSync(contract)) {
      const fixed = readFileSync(contract, 'utf8').split('\n').filter((l) => /^ {4}(npm ci|npm test)/.test(l)).map((l) => l.trim());
      expect(lines).toEqual(fixed);
    }
  });

  it('reports how much of the documentation ran', () => {
    // Printed so a reviewer sees the coverage of the run; the page tests above do the asserting.
    const executed = results.reduce((n, r) => n + r.executed, 0);
    const skipped = results.reduce((n, r) => n + r.skipped, 0);
    const notRun = results.reduce((n, r) => n + r.notRun, 0);
    if (results.length) console.info(`docs: ${results.length} pages, ${executed} blocks run or checked, ${skipped} not run (fragments and data shapes), ${notRun} commands recognised but not run`);
  });
});
