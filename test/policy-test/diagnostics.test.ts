/**
 * Bad test files: each case of cases/diagnostics.yaml lists the codes and positions it must
 * produce; the golden file shows the same diagnostics rendered in en and zh with code frames.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOGUE, type Diagnostic } from '../../src/model/diagnostics.js';
import { LineIndex } from '../../src/model/span.js';
import { parsePolicyTests } from '../../src/policy-test/parse-tests.js';
import { DiagnosticRenderer } from '../../src/report/diagnostics.js';
import { fixturePolicy, golden, HERE } from './helpers.js';

interface Case {
  readonly note: string;
  readonly text: string;
  readonly files?: Record<string, string>;
  readonly want: readonly string[];
}

const CASES = parse(readFileSync(join(HERE, 'cases', 'diagnostics.yaml'), 'utf8')) as Case[];
const policy = fixturePolicy();

function run(c: Case) {
  return parsePolicyTests(policy, 'tests.yaml', c.text, {
    readFacts: (relative) => ({ path: relative, text: c.files?.[relative], problem: c.files?.[relative] === undefined ? 'ENOENT' : undefined }),
  });
}

function where(d: Diagnostic, texts: ReadonlyMap<string, string>): string {
  if (!d.span) return d.code;
  const pos = new LineIndex(texts.get(d.span.file) ?? '').position(d.span.start);
  return `${d.code}${d.span.file === 'tests.yaml' ? '' : ` ${d.span.file}`} ${pos.line}:${pos.column}`;
}

describe('bad policy test files', () => {
  it.each(CASES.map((c) => [c.note, c] as const))('%s', (_note, c) => {
    const parsed = run(c);
    expect(parsed.diagnostics.map((d) => where(d, parsed.texts))).toEqual(c.want);
    const errors = parsed.diagnostics.some((d) => d.severity === 'error');
    expect(parsed.suite === undefined).toBe(errors);
  });

  it('renders the diagnostics of every case (golden)', () => {
    for (const lang of ['en', 'zh'] as const) {
      const out: string[] = [];
      for (const c of CASES) {
        const parsed = run(c);
        out.push(`== ${c.note}`, new DiagnosticRenderer(parsed.texts, lang).renderAll(parsed.diagnostics));
      }
      golden(`diagnostics.${lang}.txt`, out.join('\n'));
    }
  });

  it('refuses a file over the size limit before parsing it', () => {
    const parsed = parsePolicyTests(policy, 'tests.yaml', 'tests: []\n'.repeat(20), { maxFileSize: 100 });
    expect(parsed.diagnostics.map((d) => [d.code, d.args.limit, d.args.size])).toEqual([['S0009', 100, 200]]);
  });

  it('names a facts file as unreadable when no reader is given', () => {
    const parsed = parsePolicyTests(policy, 'tests.yaml', 'as_of: 2022-06-01\ntests:\n  - { name: x, facts: f.yaml, expect: [{ rule: flag-rule, status: unknown }] }\n');
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['F0001']);
  });

  it('every T code has zh and en wording with the same placeholders', () => {
    const codes = Object.keys(CATALOGUE).filter((c) => c.startsWith('T'));
    expect(codes.length).toBeGreaterThanOrEqual(14);
    for (const code of codes) {
      const t = CATALOGUE[code as keyof typeof CATALOGUE];
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(t.zh), code).toEqual(names(t.en));
    }
  });
});
