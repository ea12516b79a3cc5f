/**
 * Officer mistakes (issue 17): each case of test/cases/officer-mistakes.yaml lists every
 * diagnostic the file must give, so a slip that cascades into follow-on errors fails; the zh
 * and en renderings with code frames and hints are the reviewed baseline
 * test/baselines/officer-mistakes.txt (UPDATE_GOLDEN=1 rewrites it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { messageOf, type Lang } from '../../src/model/diagnostics.js';
import { LineIndex } from '../../src/model/span.js';
import { DiagnosticRenderer } from '../../src/report/diagnostics.js';
import { parseClauseFile } from '../../src/syntax/parse.js';
import { allTokens } from '../../src/syntax/tokens.js';
import { compileMemory, runCli } from '../helpers/policy.js';
import { expectGolden } from '../helpers/golden.js';

interface Case {
  note: string;
  text?: string;
  yaml?: string;
  source?: string;
  want: { code: string; line: number; col: number }[];
}

const cases = parse(readFileSync('test/cases/officer-mistakes.yaml', 'utf8')) as Case[];

function compile(c: Case) {
  const [path, text] = c.yaml !== undefined ? ['p.yaml', c.yaml] : ['p.clause', c.text ?? ''];
  return { path, text, result: compileMemory({ [path]: text }, c.source ?? '一、社会工作岗位设置\n') };
}

describe('officer mistakes: one message each, at the place of the slip', () => {
  it.each(cases.map((c) => [c.note, c] as const))('%s', (_note, c) => {
    const { text, result } = compile(c);
    const index = new LineIndex(text);
    const got = result.diagnostics.map((d) => {
      const pos = d.span ? index.position(d.span.start) : { line: 0, column: 0 };
      return { code: d.code, line: pos.line, col: pos.column };
    });
    expect(got).toEqual(c.want);
    for (const d of result.diagnostics) for (const lang of ['zh', 'en'] as Lang[]) expect(messageOf(d, lang)).not.toMatch(/\{\w+\}/);
  });

  it('renders every case in zh and en with code frames (baseline)', () => {
    const out: string[] = [];
    for (const c of cases) {
      const { path, text, result } = compile(c);
      for (const lang of ['zh', 'en'] as Lang[]) {
        const renderer = new DiagnosticRenderer(new Map([[path, text]]), lang);
        out.push(`=== ${c.note} (${lang})`, renderer.renderAll(result.diagnostics));
      }
    }
    expectGolden('test/baselines/officer-mistakes.txt', out.join('\n'));
  });
});

describe('officer mistakes through `clausal check`', () => {
  const files: Record<string, string> = {
    'policy.clause': 'policy t version "1"\ntitle "社会工作岗位设置”\nkind unit from units "单位" { n: integer "人数" }\n',
    'params.clause': 'param limit：integer "下限" = 3\n',
    'rules.clause': 'rule r "人数下限" cite "一"\n  for unit u\n  by 2022年12月31日\n  must u.n >= limit\n)\n',
  };

  it.each(['zh', 'en'] as Lang[])('exit 1 with one message per mistake, in %s (golden)', async (lang) => {
    const dir = mkdtempSync(join(tmpdir(), 'clausal-officer-'));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const run = await runCli(['check', dir, ...(lang === 'en' ? ['--lang', 'en'] : [])]);
      expect(run.code).toBe(1);
      expectGolden(`test/officer/golden/check-cli.${lang}.txt`, (run.stdout + run.stderr).split(dir).join('<dir>'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('no token-type names in a message an officer sees', () => {
  const internal = [...allTokens.map((t) => t.name), 'EOF'];
  const pieces = [
    'policy t version "1"', 'kind', 'unit', 'from', 'units', '{', '}', '(', ')', ':', '=', 'param', 'rule', 'r', 'cite', '"一"',
    'for', 'u', 'must', 'u.n', '>=', '1', '70%', 'by', '2022-12-31', '2022年12月31日', '：', '，', '（', '）', '“', '”', '"open',
    'muts', 'parm', 'define', 'set', 'table', '->', 'if', 'then', 'else', '\n', '#', '@', 'en', 'explain', 'count(x in u.xs)',
  ];

  it('random broken files: messages and hints in zh and en name no token type (400 runs)', () => {
    const soup = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((p) => p.join(' '));
    fc.assert(fc.property(soup, (text) => {
      for (const d of parseClauseFile('p.clause', text).diagnostics) {
        for (const lang of ['zh', 'en'] as Lang[]) {
          const shown = `${messageOf(d, lang)} ${d.help?.[lang] ?? ''}`;
          for (const name of internal) expect(shown.includes(name) && !text.includes(name), `${name} in ${shown}`).toBe(false);
        }
      }
    }), { numRuns: 400 });
  });
});
