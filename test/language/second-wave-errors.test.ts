/**
 * Diagnostics of the second-wave constructs (conditionals, value rules, units, rounding, open
 * extension, article numbering), one broken input each: the first diagnostic's code, line, column and English
 * message from test/cases/second-wave-errors.yaml, and every diagnostic of every case with its
 * code frame in a reviewed baseline (test/baselines/second-wave-errors.txt).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { messageOf } from '../../src/model/diagnostics.js';
import { LineIndex } from '../../src/model/span.js';
import { DiagnosticRenderer } from '../../src/report/diagnostics.js';
import { compileMemory } from '../helpers/policy.js';
import { expectGolden } from '../helpers/golden.js';

interface Case {
  note: string;
  text: string;
  base?: Record<string, string>;
  /** The source text (`source "source.txt"`), for the cases about article numbering. */
  source?: string;
  want: { code: string; line: number; col: number; message: string };
}

const cases = parse(readFileSync('test/cases/second-wave-errors.yaml', 'utf8')) as Case[];
const compile = (c: Case) => compileMemory({ 'p.clause': c.text }, c.source, c.base ? { base: c.base } : {});

describe('second-wave diagnostics', () => {
  it('has at least 30 distinct broken inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.note)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.note, c] as const))('%s', (_note, c) => {
    const result = compile(c);
    const first = result.diagnostics.find((d) => d.span?.file === 'p.clause') ?? result.diagnostics[0];
    expect(first, 'a diagnostic').toBeDefined();
    const pos = first.span ? new LineIndex(c.text).position(first.span.start) : { line: 0, column: 0 };
    expect({ code: first.code, line: pos.line, col: pos.column, message: messageOf(first, 'en') }).toEqual(c.want);
    for (const d of result.diagnostics) expect(messageOf(d, 'zh')).not.toMatch(/\{\w+\}/);
  });

  it('renders every case with code frames (baseline)', () => {
    const out: string[] = [];
    for (const c of cases) {
      const renderer = new DiagnosticRenderer(new Map([['p.clause', c.text]]), 'en');
      out.push(`=== ${c.note}`, renderer.renderAll(compile(c).diagnostics));
    }
    expectGolden('test/baselines/second-wave-errors.txt', out.join('\n'));
  });
});
