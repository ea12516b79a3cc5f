/**
 * Findability (issue #17): a new user finds every command from the README and from the guide,
 * each with a line saying what it does and a link to where it is explained; the guide's index
 * leads to spreadsheets, the self-check page and the workbench; and no Markdown file in the
 * repository links outside it (a link into someone's home folder works on one machine only) or
 * to a file that does not exist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/cli/commands.js';
import { commandNames } from '../../src/cli/main.js';
import { REPO } from './runner.js';

/** The command-table rows of a page: `| \`… clausal NAME …\` | what | link |`. */
function commandRows(page: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of readFileSync(join(REPO, page), 'utf8').split('\n')) {
    const m = /^\|\s*`(?:npx\s+)?clausal\s+([a-z]+)\b[^`]*`\s*\|/.exec(line);
    if (!m) continue;
    rows.set(m[1], [...(rows.get(m[1]) ?? []), line]);
  }
  return rows;
}

/** Every Markdown file of the repository (not dependencies, build output or typedoc's pages). */
function markdownFiles(): string[] {
  const out: string[] = [];
  const skip = new Set(['node_modules', 'dist', '.git', 'docs/api']);
  const walk = (dir: string) => {
    for (const e of readdirSync(join(REPO, dir), { withFileTypes: true })) {
      const p = dir ? `${dir}/${e.name}` : e.name;
      if (skip.has(p) || skip.has(e.name) || e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.md')) out.push(p);
    }
  };
  walk('');
  return out.sort();
}

/** Link targets of a page outside code: Markdown links and images, and HTML href/src attributes. */
function linkTargets(text: string): string[] {
  const prose = text.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\1\2\s*$/gm, '').replace(/`[^`\n]*`/g, '');
  const targets = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  targets.push(...[...prose.matchAll(/\b(?:href|src)\s*=\s*"([^"]+)"/g)].map((m) => m[1]));
  targets.push(...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]));
  return targets;
}

const COMMANDS = commandNames().sort();

describe('every command is listed where users look', () => {
  it('knows the registered commands', () => {
    expect(COMMANDS).toEqual(expect.arrayContaining(['check', 'eval', 'test', 'diff', 'facts', 'template', 'fmt', 'export', 'serve', 'lsp', 'runs', 'ledger', 'bundle', 'api']));
  });

  it.each(['README.md', 'docs/guide/README.md', 'docs/guide/README.en.md'])('%s lists every command with a line and a link', (page) => {
    const rows = commandRows(page);
    const missing = [...COMMANDS, 'help'].filter((c) => !rows.has(c));
    expect(missing, `${page} does not list: ${missing.join(', ')}`).toEqual([]);
    const unlinked = [...rows].filter(([c, lines]) => c !== 'help' && !lines.some((l) => /\]\([^)]+\)/.test(l))).map(([c]) => c);
    expect(unlinked, `${page}: commands without a link to their docs`).toEqual([]);
  });

  it.each([
    ['docs/guide/README.md', ['spreadsheets.md', 'self-check-page.md', '../workbench.md']],
    ['docs/guide/README.en.md', ['spreadsheets.en.md', 'self-check-page.en.md', '../workbench.md']],
  ])('the guide index %s leads to spreadsheets, the self-check page and the workbench', (page, wanted) => {
    const text = readFileSync(join(REPO, page), 'utf8');
    const index = text.slice(0, text.search(/^## /m));
    const linked = linkTargets(index).map((t) => t.split('#')[0]);
    expect(wanted.filter((w) => !linked.includes(w))).toEqual([]);
  });
});

describe('links stay inside the repository', () => {
  const pages = markdownFiles();

  it('scans the README, the docs, the policies and the editor extensions', () => {
    for (const p of ['README.md', 'docs/guide/README.md', 'docs/workbench.md', 'SECURITY.md']) expect(pages).toContain(p);
  });

  it('no link points outside the repository or at a file that does not exist', () => {
    const bad: string[] = [];
    for (const page of pages) {
      for (const raw of linkTargets(readFileSync(join(REPO, page), 'utf8'))) {
        if (/^(https?|mailto):/i.test(raw) || raw.startsWith('#')) continue;
        const target = raw.split('#')[0].split('?')[0];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/') || target.startsWith('\\') || target.startsWith('~')) {
          bad.push(`${page}: ${raw} (not a path inside the repository)`);
          continue;
        }
        let decoded: string;
        try {
          decoded = decodeURI(target);
        } catch {
          bad.push(`${page}: ${raw} (bad escape)`);
          continue;
        }
        const abs = resolve(REPO, dirname(page), decoded);
        const rel = relative(REPO, abs);
        if (rel.startsWith('..') || rel.split(sep)[0] === '..') bad.push(`${page}: ${raw} (outside the repository)`);
        else if (rel.startsWith(`docs${sep}api`)) continue; // built by `npm run docs`, not committed
        else if (!existsSync(abs)) bad.push(`${page}: ${raw} (missing)`);
      }
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });
});
