/**
 * Broken policies, one case each: the first diagnostic's code, line, column and message are
 * asserted from test/cases/check-errors.yaml, and every diagnostic of every case is rendered
 * with its code frame into a reviewed baseline (test/baselines/check-errors.txt).
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
  source?: string;
  want: { code: string; line: number; col: number; message: string };
}

const cases = parse(readFileSync('test/cases/check-errors.yaml', 'utf8')) as Case[];

describe('check diagnostics', () => {
  it('has at least 30 distinct broken inputs with distinct notes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.note)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.note, c] as const))('%s', (_note, c) => {
    const result = compileMemory({ 'p.clause': c.text }, c.source);
    const first = result.diagnostics[0];
    expect(first, 'a diagnostic').toBeDefined();
    const pos = first.span ? new LineIndex(c.text).position(first.span.start) : { line: 0, column: 0 };
    expect({ code: first.code, line: pos.line, col: pos.column, message: messageOf(first, 'en') }).toEqual(c.want);
    // Every message has a zh wording too (no placeholder left unfilled).
    for (const d of result.diagnostics) expect(messageOf(d, 'zh')).not.toMatch(/\{\w+\}/);
  });

  it('renders every case with code frames (baseline)', () => {
    const out: string[] = [];
    for (const c of cases) {
      const result = compileMemory({ 'p.clause': c.text }, c.source);
      const renderer = new DiagnosticRenderer(new Map([['p.clause', c.text]]), 'en');
      out.push(`=== ${c.note}`, renderer.renderAll(result.diagnostics));
    }
    expectGolden('test/baselines/check-errors.txt', out.join('\n'));
  });
});
