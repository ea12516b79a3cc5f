/**
 * Bad YAML rule files: each case names the diagnostic code, the 1-based line and column where
 * it starts, and the exact text it underlines (all offsets into the YAML file).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, messageOf } from '../../src/model/diagnostics.js';
import { LineIndex } from '../../src/model/span.js';
import { DEFAULT_YAML_LIMITS, parseYamlPolicyFile } from '../../src/yaml/load-yaml.js';

interface BadCase {
  readonly note: string;
  readonly yaml: string;
  readonly code: keyof typeof CATALOGUE;
  readonly line: number;
  readonly column: number;
  /** The text the diagnostic underlines. */
  readonly underlines?: string;
  /** For Y0002: the YAML path. */
  readonly where?: string;
  /** Words the en message must contain. */
  readonly says?: string;
}

const nest = (n: number, inner: string) => '['.repeat(n) + inner + ']'.repeat(n);

const laughs = (levels: number) => {
  const names = 'abcdefghijklmnopqrstuvwxyz';
  let out = `${names[0]}: &${names[0]} [${Array(9).fill('"lol"').join(', ')}]\n`;
  for (let i = 1; i < levels; i++) out += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]\n`;
  return out;
};

const CASES: readonly BadCase[] = [
  // YAML itself
  { note: 'syntax: unclosed flow sequence', yaml: 'sets:\n  s: [a, b\nrules: []\n', code: 'Y0001', line: 3, column: 1 },
  { note: 'syntax: `: ` inside a plain expression', yaml: 'rules:\n  - id: r\n    must: a: b\n', code: 'Y0001', line: 3, column: 11, underlines: 'a' },
  { note: 'syntax: tab indentation', yaml: 'params:\n\ta: 1\n', code: 'Y0001', line: 2, column: 1, underlines: '\t' },
  { note: 'syntax: reserved indicator', yaml: 'rules:\n  - id: r\n    must: @x\n', code: 'Y0001', line: 3, column: 11, underlines: '@' },
  { note: 'duplicate key', yaml: 'params:\n  a: 1\n  b: 2\n  a: 3\n', code: 'Y0003', line: 4, column: 3, underlines: 'a' },
  { note: 'duplicate key in a flow mapping', yaml: 'rules:\n  - { id: r, must: a, id: s }\n', code: 'Y0003', line: 2, column: 23, underlines: 'id' },
  { note: 'alias bomb (9 levels)', yaml: laughs(9), code: 'Y0004', line: 9, column: 8, underlines: '*h' },
  { note: 'recursive alias', yaml: 'a: &a [1, *a]\n', code: 'Y0004', line: 1, column: 11, underlines: '*a' },
  { note: 'alias to no anchor', yaml: 'params:\n  a: *nope\n', code: 'Y0001', line: 2, column: 6, underlines: '*nope' },
  { note: 'tag !!js/function', yaml: 'params:\n  a: !!js/function "function () {}"\n', code: 'Y0005', line: 2, column: 6, underlines: '!!js/function' },
  { note: 'local tag !foo on a collection', yaml: 'sets:\n  s: !foo [a]\n', code: 'Y0005', line: 2, column: 6, underlines: '!foo' },
  { note: 'tag on a document', yaml: '--- !policy\nrules: []\n', code: 'Y0005', line: 1, column: 5, underlines: '!policy' },
  { note: 'multiple documents', yaml: 'rules: []\n---\nrules: []\n', code: 'Y0006', line: 2, column: 1, underlines: '---' },
  { note: 'flow nesting deeper than 100', yaml: `x: ${nest(150, '1')}\n`, code: 'S0010', line: 1, column: 103, underlines: '[' },
  { note: 'block nesting deeper than 100', yaml: `${'- '.repeat(150)}x\n`, code: 'S0010', line: 1, column: 201, underlines: '-' },
  { note: 'nesting deeper than 100 through aliases', yaml: `a: &a ${nest(60, '1')}\nb: ${nest(60, '*a')}\n`, code: 'S0010', line: 2, column: 64, underlines: '*a' },
  { note: 'file too large', yaml: `rules: []\n${'#'.repeat(4 * 1024 * 1024)}\n`, code: 'S0009', line: 1, column: 1 },
  // schema
  { note: 'unknown top-level key', yaml: 'policy: p\nversion: "1"\nrulez: []\n', code: 'Y0002', line: 3, column: 1, underlines: 'rulez', where: 'rulez', says: 'unknown key' },
  { note: 'unknown rule key', yaml: 'rules:\n  - id: r\n    muts: a\n', code: 'Y0002', line: 3, column: 5, underlines: 'muts', where: 'rules[0].muts' },
  { note: 'rule without id', yaml: 'rules:\n  - id: a\n    must: x\n  - title: t\n    must: y\n', code: 'Y0002', line: 4, column: 5, where: 'rules[1]', says: 'missing `id`' },
  { note: 'wrong type: list as a parameter value', yaml: 'params:\n  a: { type: percent, value: [1, 2] }\n', code: 'Y0002', line: 2, column: 30, underlines: '[1, 2]', where: 'params.a.value', says: 'found a list' },
  { note: 'wrong type: rules is a mapping', yaml: 'rules:\n  r: { id: r }\n', code: 'Y0002', line: 2, column: 3, where: 'rules', says: 'expected a list' },
  { note: 'wrong type: cite is a mapping', yaml: 'rules:\n  - id: r\n    cite: { a: 1 }\n', code: 'Y0002', line: 3, column: 11, underlines: '{ a: 1 }', where: 'rules[0].cite' },
  { note: 'root is a list', yaml: '- a\n', code: 'Y0002', line: 1, column: 1, where: '(top level)' },
  { note: 'keyword as a name', yaml: 'params:\n  where: 1\n', code: 'Y0002', line: 2, column: 3, underlines: 'where', where: 'params.where', says: 'keyword' },
  { note: 'invalid name', yaml: 'enums:\n  e: { members: { "a b": x } }\n', code: 'Y0002', line: 2, column: 19, underlines: '"a b"', where: 'enums.e.members["a b"]' },
  { note: 'dotted field name in the path', yaml: 'kinds:\n  k:\n    from: ks\n    fields: { posts.total: 3 }\n', code: 'Y0002', line: 4, column: 28, underlines: '3', where: 'kinds.k.fields["posts.total"]' },
  { note: 'two requirements', yaml: 'rules:\n  - id: r\n    must: a\n    should: b\n', code: 'Y0002', line: 4, column: 5, underlines: 'should', where: 'rules[0].should' },
  { note: 'modality without eligible_when', yaml: 'rules:\n  - id: r\n    must: a\n    modality: may\n', code: 'Y0002', line: 4, column: 5, underlines: 'modality' },
  { note: 'bad modality', yaml: 'rules:\n  - id: r\n    eligible_when: a\n    modality: often\n', code: 'Y0002', line: 4, column: 15, underlines: 'often', says: 'one of' },
  { note: 'bad for clause', yaml: 'rules:\n  - id: r\n    for: institution\n', code: 'Y0002', line: 3, column: 10, underlines: 'institution' },
  { note: 'header key without policy', yaml: 'version: "1"\n', code: 'Y0002', line: 1, column: 1, underlines: 'version' },
  { note: 'date in the wrong format', yaml: 'rules:\n  - id: r\n    from: 2021/01/01\n', code: 'S0311', line: 3, column: 11, underlines: '2021/01/01', says: 'write dates as 2021-01-01' },
  { note: 'table row without a result', yaml: 'tables:\n  t: { params: { a: integer }, result: integer, rows: [[1]] }\n', code: 'Y0002', line: 2, column: 56, underlines: '[1]' },
  { note: 'value and history together', yaml: 'params:\n  q: { value: 1, history: [{ value: 2 }] }\n', code: 'Y0002', line: 2, column: 18, underlines: 'history' },
  // expressions and dates
  { note: 'expression error in a plain scalar', yaml: 'rules:\n  - id: r\n    must: i.a >= * 3\n', code: 'S0003', line: 3, column: 18, underlines: '*' },
  { note: 'expression error in a quoted scalar', yaml: 'rules:\n  - id: r\n    where: "i.a >= ) 3"\n', code: 'S0003', line: 3, column: 20, underlines: ')' },
  { note: 'expression error on the second line of a plain scalar', yaml: 'rules:\n  - id: r\n    must: i.a >=\n      3 and )\n', code: 'S0003', line: 4, column: 13, underlines: ')' },
  { note: 'expression error in a folded block', yaml: 'rules:\n  - id: r\n    must: >-\n      i.a >=\n      ) 3\n', code: 'S0003', line: 5, column: 7, underlines: ')' },
  { note: 'expression error behind an escape: the whole scalar', yaml: 'rules:\n  - id: r\n    must: "i.a == \\"x\\" )"\n', code: 'S0313', line: 3, column: 11, underlines: '"i.a == \\"x\\" )"' },
  { note: 'unterminated DSL string', yaml: 'defines:\n  d: i.name == "abc\n', code: 'S0005', line: 2, column: 16, underlines: '"abc' },
  { note: 'expression in a table cell', yaml: 'tables:\n  t: { params: { a: integer }, result: integer, rows: [[1, 2 +]] }\n', code: 'S0004', line: 2, column: 63 },
  { note: 'invalid rule date', yaml: 'rules:\n  - id: r\n    from: 2021-02-30\n', code: 'S0006', line: 3, column: 11, underlines: '2021-02-30' },
  { note: 'invalid quoted date', yaml: 'policy: p\nversion: "1"\neffective: { from: "2021-04-31" }\n', code: 'S0006', line: 3, column: 21, underlines: '2021-04-31' },
  { note: 'invalid date in a parameter history', yaml: 'params:\n  q: { history: [ { value: 1, from: 2023-02-29 } ] }\n', code: 'S0006', line: 2, column: 37, underlines: '2023-02-29' },
  { note: 'invalid date inside an expression', yaml: 'rules:\n  - id: r\n    by: 2021-12-31 + 0d\n    until: 2022-12-31\n    from: 2021-01-01\n    where: today < 2021-13-01\n', code: 'S0006', line: 6, column: 20, underlines: '2021-13-01' },
];

describe('bad YAML rule files', () => {
  it.each(CASES)('$note -> $code at $line:$column', (c) => {
    const { diagnostics } = parseYamlPolicyFile('bad.yaml', c.yaml);
    expect(diagnostics.length, JSON.stringify(diagnostics)).toBeGreaterThan(0);
    // The diagnostic of that code (a DSL error may come with a consequence, e.g. S0005 + S0004).
    const d = diagnostics.find((x) => x.code === c.code) ?? diagnostics[0];
    expect(d.code, messageOf(d, 'en')).toBe(c.code);
    expect(d.span, 'every diagnostic has a span').toBeDefined();
    expect(d.span!.file).toBe('bad.yaml');
    expect(new LineIndex(c.yaml).position(d.span!.start)).toEqual({ line: c.line, column: c.column });
    if (c.underlines !== undefined) expect(c.yaml.slice(d.span!.start, d.span!.end)).toBe(c.underlines);
    if (c.where !== undefined) expect(d.args.where).toBe(c.where);
    if (c.says !== undefined) expect(messageOf(d, 'en')).toContain(c.says);
    for (const lang of ['zh', 'en'] as const) expect(messageOf(d, lang)).not.toMatch(/\{\w+\}/);
  });

  it('suggests the key that was meant', () => {
    const { diagnostics } = parseYamlPolicyFile('bad.yaml', 'rules:\n  - id: r\n    muts: a\n');
    expect(diagnostics[0].help?.en).toBe('did you mean `must`?');
  });

  it('reports every schema problem, not only the first', () => {
    const { diagnostics } = parseYamlPolicyFile('bad.yaml', 'rulez: []\nparams:\n  a: { tipe: percent }\nrules:\n  - must: x\n');
    expect(diagnostics.map((d) => [d.code, d.args.where])).toEqual([
      ['Y0002', 'rulez'],
      ['Y0002', 'params.a.tipe'],
      ['Y0002', 'rules[0]'],
    ]);
  });

  it('defuses the billion laughs quickly', () => {
    const started = Date.now();
    const { diagnostics } = parseYamlPolicyFile('bomb.yaml', laughs(9));
    expect(diagnostics.map((d) => d.code)).toEqual(['Y0004']);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses very deep nesting without exhausting the stack', () => {
    // 20,000 levels: far past what a recursive composer survives.
    for (const text of [`x: ${nest(20_000, '1')}\n`, `${'- '.repeat(20_000)}x\n`, `${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`]) {
      const { diagnostics } = parseYamlPolicyFile('deep.yaml', text);
      expect(diagnostics.map((d) => d.code)).toEqual(['S0010']);
    }
  }, 30_000);

  it('accepts nesting up to the limit and honours a custom limit', () => {
    const text = `sets:\n  s: ${nest(2, '1')}\n`;
    expect(parseYamlPolicyFile('ok.yaml', text).diagnostics.every((d) => d.code !== 'S0010')).toBe(true);
    expect(parseYamlPolicyFile('ok.yaml', text, { ...DEFAULT_YAML_LIMITS, maxYamlDepth: 3 }).diagnostics[0].code).toBe('S0010');
  });

  it('allows ordinary aliases', () => {
    const text = 'sets:\n  a: &units [x, y]\n  b: *units\n';
    const r = parseYamlPolicyFile('ok.yaml', text);
    expect(r.diagnostics).toEqual([]);
    expect(r.value.decls.map((d) => d.kind === 'setdecl' && d.items.length)).toEqual([2, 2]);
  });

  it('caps the number of diagnostics', () => {
    const text = `rules:\n${Array.from({ length: 80 }, (_, i) => `  - id: r${i}\n    bad: 1\n`).join('')}`;
    const { diagnostics } = parseYamlPolicyFile('many.yaml', text);
    expect(diagnostics).toHaveLength(51);
    expect(diagnostics[50].code).toBe('S0012');
  });

  it('an empty or comment-only file is an empty policy file', () => {
    for (const text of ['', '# nothing yet\n', '---\n', '~\n']) {
      const r = parseYamlPolicyFile('empty.yaml', text);
      expect(r.diagnostics).toEqual([]);
      expect(r.value.decls).toEqual([]);
    }
  });

  it('never throws, whatever the input', () => {
    const sample = 'policy: p\nversion: "1"\nrules:\n  - id: r\n    for: institution i\n    must: i.a >= 70% * i.b\n    from: 2021-01-01\n';
    const pieces = ['\n', ' ', '  ', ': ', '- ', '[', ']', '{', '}', '&a ', '*a', '!x ', '"', "'", '#', '|', '>', '---', 'must', 'rules', '2021-02-30', '\t', '%', '?', ','];
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        parseYamlPolicyFile('fuzz.yaml', s);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(sample.length), fc.array(fc.constantFrom(...pieces), { maxLength: 6 }), fc.nat(20), (at, inserted, cut) => {
        const text = sample.slice(0, at) + inserted.join('') + sample.slice(Math.min(sample.length, at + cut));
        const r = parseYamlPolicyFile('fuzz.yaml', text);
        for (const d of r.diagnostics) {
          if (!d.span) continue;
          expect(d.span.start).toBeGreaterThanOrEqual(0);
          expect(d.span.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
