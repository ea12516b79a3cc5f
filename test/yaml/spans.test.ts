/**
 * Spans of expressions inside YAML scalars point into the YAML file: exactly for plain,
 * quoted (escape-free) and block scalars, at the whole scalar when escapes rewrite the text.
 */
import { describe, expect, it } from 'vitest';
import type * as A from '../../src/model/ast.js';
import { childExprs } from '../../src/syntax/parse.js';
import { parseYamlPolicyFile } from '../../src/yaml/load-yaml.js';

function names(e: A.Expr | undefined): A.NameRef[] {
  const out: A.NameRef[] = [];
  const stack = e ? [e] : [];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'name') out.push(x);
    stack.push(...childExprs(x));
  }
  return out;
}

function firstRule(yaml: string): A.RuleDecl {
  const r = parseYamlPolicyFile('s.yaml', yaml);
  expect(r.diagnostics).toEqual([]);
  const rule = r.value.decls.find((d): d is A.RuleDecl => d.kind === 'rule');
  expect(rule).toBeDefined();
  return rule!;
}

const STYLES: readonly { note: string; must: string }[] = [
  { note: 'plain', must: 'must: alpha >= beta * gamma' },
  { note: 'plain over two lines', must: 'must: alpha >=\n      beta * gamma' },
  { note: 'double-quoted', must: 'must: "alpha >= beta * gamma"' },
  { note: 'single-quoted', must: "must: 'alpha >= beta * gamma'" },
  { note: 'literal block', must: 'must: |\n      alpha >=\n        beta * gamma\n' },
  { note: 'folded block with a comment after', must: 'must: >- # why\n      alpha >=\n      beta * gamma\n    # trailing comment' },
  { note: 'double-quoted over two lines', must: 'must: "alpha >=\n      beta * gamma"' },
];

describe('expression spans inside YAML scalars', () => {
  it.each(STYLES)('$note: every name underlines itself', ({ must }) => {
    const yaml = `rules:\n  - id: r\n    ${must}\n`;
    const rule = firstRule(yaml);
    const found = names(rule.requirement);
    expect(found.map((n) => n.name).sort()).toEqual(['alpha', 'beta', 'gamma']);
    for (const n of found) expect(yaml.slice(n.span.start, n.span.end)).toBe(n.name);
    expect(yaml.slice(rule.requirement!.span.start, rule.requirement!.span.end).replace(/\s+/g, ' ')).toBe('alpha >= beta * gamma');
  });

  it('escapes: spans cover the whole scalar', () => {
    const yaml = 'rules:\n  - id: r\n    must: "alpha == \\"x\\""\n';
    const rule = firstRule(yaml);
    const whole = '"alpha == \\"x\\""';
    for (const n of names(rule.requirement)) expect(yaml.slice(n.span.start, n.span.end)).toBe(whole);
    expect(rule.requirement).toMatchObject({ kind: 'binary', right: { kind: 'string', value: 'x' } });
  });

  it('a DSL string literal split over YAML lines is parsed from the folded value', () => {
    const yaml = 'rules:\n  - id: r\n    must: alpha == "x\n      y"\n';
    const rule = firstRule(yaml);
    expect(rule.requirement).toMatchObject({ kind: 'binary', right: { kind: 'string', value: 'x y' } });
  });

  it('names, keys and literals point at their YAML text', () => {
    const yaml = [
      'policy: p',
      'version: "1"',
      'kinds:',
      '  institution: { from: institutions, fields: { posts.total: list integer }, relations: { ws: { many: worker, by: institution } } }',
      'tables:',
      '  t: { params: { tier: post_tier }, result: integer, rows: [[assistant, 11]] }',
      'rules:',
      '  - id: my-rule',
      '    for: institution  i',
      '    modality: should',
      '    eligible_when: i.ok',
      '    from: "2021-01-01"',
      '    cite: 三（二）',
      '',
    ].join('\n');
    const r = parseYamlPolicyFile('s.yaml', yaml);
    expect(r.diagnostics).toEqual([]);
    const text = (s: { start: number; end: number } | undefined) => (s ? yaml.slice(s.start, s.end) : undefined);
    const [header, kind, table, rule] = r.value.decls as [A.PolicyHeader, A.KindDecl, A.TableDecl, A.RuleDecl];
    expect(text(header.idSpan)).toBe('p');
    expect(text(kind.nameSpan)).toBe('institution');
    const [field, rel] = kind.members as [A.FieldDecl, A.RelationDecl];
    expect(text(field.nameSpan)).toBe('posts.total');
    expect(text(field.type.span)).toBe('list integer');
    expect(field.type).toMatchObject({ name: 'integer', list: true });
    expect([text(rel.targetSpan), text(rel.viaSpan)]).toEqual(['worker', 'institution']);
    expect(text(table.formals[0].span)).toBe('tier');
    expect(text(table.rows[0].keys[0].span)).toBe('assistant');
    expect(text(table.rows[0].value.span)).toBe('11');
    expect(text(rule.idSpan)).toBe('my-rule');
    expect([text(rule.subjectKindSpan), text(rule.variableSpan)]).toEqual(['institution', 'i']);
    expect(text(rule.modalitySpan)).toBe('should');
    expect(text(rule.from?.span)).toBe('2021-01-01');
    expect(text(rule.cite?.span)).toBe('三（二）');
  });

  it('numbers keep their source text, not the YAML value', () => {
    const r = parseYamlPolicyFile('n.yaml', 'params:\n  a: 0.70\n  b: 1.10\n  c: 007\n');
    expect(r.diagnostics).toEqual([]);
    const texts = r.value.decls.map((d) => (d.kind === 'param' ? d.history[0].value : undefined));
    expect(texts).toMatchObject([{ kind: 'number', text: '0.70' }, { kind: 'number', text: '1.10' }, { kind: 'number', text: '007' }]);
  });
});
