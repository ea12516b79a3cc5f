/**
 * `numbering` in the policy header, in the DSL and the YAML form: the declared scheme is checked
 * against the source text (C0221 where they disagree, at the header's line and column), an
 * unknown scheme is C0220, and the formatter keeps the clause.
 */
import { describe, expect, it } from 'vitest';
import { compileMemory } from '../helpers/policy.js';
import { LineIndex } from '../../src/model/span.js';
import { messageOf } from '../../src/model/diagnostics.js';
import { formatClauseText } from '../../src/syntax/format.js';

const ARTICLES = '第一条 为规范职业津贴发放，制定本办法。\n第二条 持证社区工作者每月发放职业津贴。\n津贴按月发放。\n';
const SECTIONS = '一、总体要求\n（一）各单位应设置岗位。\n';

const dsl = (numbering: string) => `policy t version "1" source "source.txt"\n  numbering "${numbering}"\nkind unit from units { n: integer }\n`;
const yaml = (numbering: string) => `policy: t\nversion: "1"\nsource: source.txt\nnumbering: ${numbering}\nkinds:\n  unit:\n    from: units\n    fields:\n      n: integer\n`;

/** [note, file name, text, source, expected code or null, line, column] */
const CASES: ReadonlyArray<[string, string, string, string, string | null, number, number]> = [
  ['dsl articles on an article text', 'p.clause', dsl('第X条'), ARTICLES, null, 0, 0],
  ['dsl sections on a section text', 'p.clause', dsl('一、（一）'), SECTIONS, null, 0, 0],
  ['dsl articles on a section text', 'p.clause', dsl('第X条'), SECTIONS, 'C0221', 2, 13],
  ['dsl sections on an article text', 'p.clause', dsl('一、（一）'), ARTICLES, 'C0221', 2, 13],
  ['dsl unknown scheme', 'p.clause', dsl('1.'), ARTICLES, 'C0220', 2, 13],
  ['yaml articles on an article text', 'p.yaml', yaml('第X条'), ARTICLES, null, 0, 0],
  ['yaml sections on an article text', 'p.yaml', yaml('一、（一）'), ARTICLES, 'C0221', 4, 12],
  ['yaml unknown scheme (the schema names the two)', 'p.yaml', yaml('第X章'), ARTICLES, 'Y0002', 4, 12],
];

describe('numbering declared in the header', () => {
  it.each(CASES)('%s', (_note, file, text, source, code, line, column) => {
    const loaded = compileMemory({ [file]: text }, source);
    if (code === null) {
      expect(loaded.diagnostics).toEqual([]);
      return;
    }
    const [d] = loaded.diagnostics;
    expect(d?.code).toBe(code);
    expect(new LineIndex(text).position(d.span!.start)).toEqual({ line, column });
    expect(messageOf(d, 'zh')).not.toMatch(/\{\w+\}/);
  });

  it('cites follow the declared scheme: 第二条第二款 exists, 第九十九条 does not', () => {
    const rules = (cite: string) => `${dsl('第X条')}rule r cite "${cite}" quote "津贴按月发放" for unit u must u.n > 0\n`;
    expect(compileMemory({ 'p.clause': rules('第二条第二款') }, ARTICLES).diagnostics).toEqual([]);
    expect(compileMemory({ 'p.clause': rules('第九十九条') }, ARTICLES).diagnostics.map((d) => d.code)).toEqual(['C0006']);
  });

  it('the formatter keeps the clause', () => {
    const out = formatClauseText('p.clause', 'policy t version "1" source "source.txt" numbering "第X条"\n');
    expect(out.output).toBe('policy t version "1"\n  source "source.txt"\n  numbering "第X条"\n');
  });
});
