/**
 * Property tests of the parser and the canonical printer (fast-check).
 *
 * 1. Round trip. A generator builds arbitrary declarations and expressions (bounded depth,
 *    identifiers from a pool without keywords, Chinese identifiers, strings with quotes,
 *    backslashes, newlines and tabs, keywords wherever the grammar takes any name).
 *    Generated expressions are *raw*: binary trees whose children may bind looser than their
 *    parent, with `paren` nodes sprinkled at random (an author's grouping). Two checks:
 *    - exact: the generated AST with the parentheses precedence needs made explicit as
 *      `paren` nodes (`explicitParens`, written from the grammar, not from the printer) must
 *      come back from `parse(print(ast))` unchanged, `paren` nodes included;
 *    - structural: the raw AST and `parse(print(raw))` are equal once every `paren` node is
 *      dropped on both sides (the printer put the needed parentheses in the right places).
 * 2. Robustness: random token soup (including junk characters, unterminated strings and
 *    brackets nested past the depth limit) and random edits of a valid policy never make
 *    `parseClauseFile` throw, and every diagnostic span lies inside the text. Edited texts
 *    that still parse cleanly must format (the formatter re-parses and compares) to a fixed point.
 * 3. Idempotence: `print(parse(print(ast))) === print(ast)`, and with comments added at random
 *    line ends and between lines, formatting twice equals formatting once and loses no comment.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type * as A from '../../src/model/ast.js';
import { stripSpans } from '../../src/model/ast.js';
import { formatClauseText } from '../../src/syntax/format.js';
import { parseClauseFile } from '../../src/syntax/parse.js';
import { printFile } from '../../src/syntax/print.js';
import { AGGREGATE_NAMES, KEYWORDS } from '../../src/syntax/tokens.js';

/** Per-test timeout: typical runs take 1–3 s each; the margin is for loaded CI machines. */
const SLOW = 60_000;

const WORDS = KEYWORDS.map((k) => k.name.replace(/^Kw_/, ''));
const KEYWORD_SET = new Set(WORDS);
const SPAN: A.Comment['span'] = { file: 'gen.clause', start: 0, end: 0 };

// ───────────────────────── names, literals ─────────────────────────

const IDENTIFIER_POOL = [
  'a', 'b', 'x', 'y', 'm', 'd', 'i', 'w', 'n2', 'x_1', '_tmp', 'civil-affairs', 'posts-total', 'a-1-b',
  'notice', 'index', 'order', 'android', 'enx', 'en-us', 'not-in', 'count2', 'rules', 'policy_id',
  '社工', '社会工作', '岗位总数', '机构', '乡镇-站点', 'worker_社工',
].filter((n) => !KEYWORD_SET.has(n));

const identifier = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...IDENTIFIER_POOL) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}(-[a-z0-9]{1,3})?$/).filter((n) => !KEYWORD_SET.has(n)) },
);
/** Where the grammar takes `NameLike`: any identifier or keyword (`en` included on purpose). */
const nameLike = fc.oneof(
  { weight: 6, arbitrary: identifier },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS) },
  // `en` after a zh-only label is where the grammar is most fragile (enum commas, kind fields).
  { weight: 1, arbitrary: fc.constant('en') },
);

const stringValue = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', '"', '\\', '\n', '\t', '中', '文', '{', '}', '#', "'", 'n', 't', '%', ':'),
  maxLength: 8,
});
const decimal = fc.stringMatching(/^\d{1,5}(\.\d{1,3})?$/);
const dateText = fc
  .tuple(fc.integer({ min: 1000, max: 2999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, mo, d]) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

const dateLit = dateText.map((value): A.DateLit => ({ kind: 'date', value, span: SPAN }));
const stringLit = stringValue.map((value): A.StringLit => ({ kind: 'string', value, span: SPAN }));
const label = fc
  .record({ zh: stringValue, en: fc.option(stringValue, { nil: undefined }) })
  .map((l): A.Label => ({ ...l, span: SPAN }));
const optLabel = fc.option(label, { nil: undefined });
const unitName = fc.constantFrom('元', '人', '岗位', '月', 'yuan');
const typeRef = fc
  .record({ name: identifier, list: fc.boolean(), unit: fc.option(unitName, { nil: undefined }) })
  .map(({ unit, ...t }): A.TypeRef => ({ kind: 'type', ...t, ...(unit !== undefined ? { unit, unitSpan: SPAN } : {}), span: SPAN }));
const formal = fc.record({ name: identifier, type: typeRef }).map((f): A.Formal => ({ ...f, span: SPAN }));

// ───────────────────────── expressions ─────────────────────────

const BINARY_OPS: A.BinaryOp[] = ['or', 'and', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in', '+', '-', '*', '/'];
const PARSER_AGGREGATES: A.AggregateFn[] = ['count', 'sum', 'all', 'any', 'share', 'min', 'max'];

const leaf: fc.Arbitrary<A.Expr> = fc.oneof(
  decimal.map((text): A.Expr => ({ kind: 'number', text, span: SPAN })),
  decimal.map((text): A.Expr => ({ kind: 'percent', text, span: SPAN })),
  fc.tuple(decimal, decimal).map(([left, right]): A.Expr => ({ kind: 'ratio', left, right, span: SPAN })),
  dateLit,
  fc.record({ amount: fc.integer({ min: 0, max: 999 }), unit: fc.constantFrom('y' as const, 'm' as const, 'd' as const) })
    .map((d): A.Expr => ({ kind: 'duration', ...d, span: SPAN })),
  stringLit,
  fc.boolean().map((value): A.Expr => ({ kind: 'bool', value, span: SPAN })),
  fc.constant<A.Expr>({ kind: 'none', span: SPAN }),
  fc.constant<A.Expr>({ kind: 'today', span: SPAN }),
  { weight: 4, arbitrary: identifier.map((name): A.Expr => ({ kind: 'name', name, span: SPAN })) },
);

const { expr } = fc.letrec<{ expr: A.Expr }>((tie) => {
  const sub = tie('expr');
  return {
    expr: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'expr' },
      { weight: 3, arbitrary: leaf },
      fc.record({ target: sub, field: nameLike }).map(({ target, field }): A.Expr => ({ kind: 'field', target, field, fieldSpan: SPAN, span: SPAN })),
      // An aggregate name followed by `(x in …` is an aggregate, so calls avoid those names; the
      // rounding functions (`round(x, 0.01)`) are drawn often enough to be printed and re-read.
      fc.record({ callee: fc.oneof(identifier.filter((n) => !AGGREGATE_NAMES.has(n)), fc.constantFrom('round', 'round_half_even', 'floor', 'ceil')), args: fc.array(sub, { maxLength: 3 }) })
        .map(({ callee, args }): A.Expr => ({ kind: 'call', callee, calleeSpan: SPAN, args, span: SPAN })),
      fc.array(sub, { maxLength: 3 }).map((items): A.Expr => ({ kind: 'set', items, span: SPAN })),
      fc.record({ op: fc.constantFrom('not' as const, '-' as const), operand: sub }).map((u): A.Expr => ({ kind: 'unary', ...u, span: SPAN })),
      { weight: 3, arbitrary: fc.record({ op: fc.constantFrom(...BINARY_OPS), left: sub, right: sub }).map((b): A.Expr => ({ kind: 'binary', ...b, span: SPAN })) },
      fc.record({
        fn: fc.constantFrom(...PARSER_AGGREGATES),
        variable: identifier,
        source: sub,
        where: fc.option(sub, { nil: undefined }),
        body: fc.option(sub, { nil: undefined }),
      }).map((g): A.Expr => ({ kind: 'aggregate', ...g, variableSpan: SPAN, span: SPAN })),
      sub.map((inner): A.Expr => ({ kind: 'paren', inner, span: SPAN })),
      fc.record({ condition: sub, then: sub, otherwise: sub }).map((i): A.Expr => ({ kind: 'if', ...i, span: SPAN })),
    ),
  };
});

// ───────────────────────── declarations ─────────────────────────

const policyDecl = fc
  .record({
    id: identifier,
    version: stringValue,
    title: optLabel,
    source: fc.option(stringLit, { nil: undefined }),
    effective: fc.option(fc.record({ from: dateLit, until: fc.option(dateLit, { nil: undefined }) }), { nil: undefined }),
    extends: fc.option(stringLit, { nil: undefined }),
    numbering: fc.option(stringLit, { nil: undefined }),
  })
  .map(({ effective, ...p }): A.Decl => ({
    kind: 'policy', ...p, idSpan: SPAN, effectiveFrom: effective?.from, effectiveUntil: effective?.until, span: SPAN,
  }));

const enumDecl = fc
  .record({
    name: identifier,
    label: optLabel,
    members: fc.array(fc.record({ name: nameLike, label: optLabel }).map((m): A.EnumMember => ({ ...m, span: SPAN })), { maxLength: 4 }),
  })
  .map((e): A.Decl => ({ kind: 'enum', ...e, nameSpan: SPAN, span: SPAN }));

const fieldName = fc.array(nameLike, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const kindMember: fc.Arbitrary<A.FieldDecl | A.RelationDecl> = fc.oneof(
  fc.record({ name: fieldName, type: typeRef, label: optLabel })
    .map((f): A.FieldDecl => ({ kind: 'field', ...f, nameSpan: SPAN, span: SPAN })),
  fc.record({ name: fieldName, target: identifier, via: identifier, transitive: fc.boolean(), label: optLabel })
    .map((r): A.RelationDecl => ({ kind: 'relation', ...r, nameSpan: SPAN, targetSpan: SPAN, viaSpan: SPAN, span: SPAN })),
);
const kindDecl = fc
  .record({ name: identifier, listKey: identifier, label: optLabel, members: fc.array(kindMember, { maxLength: 4 }) })
  .map((k): A.Decl => ({ kind: 'kind', ...k, nameSpan: SPAN, span: SPAN }));

const paramDecl = fc
  .record({
    name: identifier,
    type: fc.option(typeRef, { nil: undefined }),
    label: optLabel,
    history: fc.array(fc.record({ value: expr, from: fc.option(dateLit, { nil: undefined }) }).map((v): A.ParamValue => ({ ...v, span: SPAN })), { maxLength: 3 }),
  })
  .map((p): A.Decl => ({ kind: 'param', ...p, nameSpan: SPAN, span: SPAN }));

const setDecl = fc
  .record({ name: identifier, type: fc.option(typeRef, { nil: undefined }), label: optLabel, items: fc.array(expr, { maxLength: 3 }) })
  .map((s): A.Decl => ({ kind: 'setdecl', ...s, nameSpan: SPAN, span: SPAN }));

const tableDecl = fc
  .record({
    name: identifier,
    formals: fc.array(formal, { maxLength: 3 }),
    result: typeRef,
    label: optLabel,
    rows: fc.array(fc.record({ keys: fc.array(expr, { minLength: 1, maxLength: 3 }), value: expr }).map((r): A.TableRow => ({ ...r, span: SPAN })), { maxLength: 4 }),
    override: fc.boolean(),
  })
  .map(({ override, ...t }): A.Decl => ({ kind: 'table', ...(override ? { override } : {}), ...t, nameSpan: SPAN, span: SPAN }));

const defineDecl = fc
  .record({ name: identifier, formals: fc.array(formal, { maxLength: 2 }), label: optLabel, body: expr, override: fc.boolean() })
  .map(({ override, ...d }): A.Decl => ({ kind: 'define', ...(override ? { override } : {}), ...d, nameSpan: SPAN, span: SPAN }));

const computeClause = fc
  .record({ value: expr, unit: fc.option(unitName, { nil: undefined }), step: fc.option(decimal, { nil: undefined }) })
  .map(({ value, unit, step }): A.ComputeClause => ({
    value, ...(unit !== undefined ? { unit, unitSpan: SPAN } : {}), ...(step !== undefined ? { step, stepSpan: SPAN } : {}), span: SPAN,
  }));

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const ruleDecl = fc
  .record({
    id: identifier,
    title: optLabel,
    cite: opt(stringLit),
    quote: opt(stringLit),
    subject: opt(fc.tuple(identifier, identifier)),
    where: opt(expr),
    modality: fc.constantFrom('must' as const, 'should' as const, 'may' as const),
    requirement: opt(expr),
    eligibleWhen: opt(expr),
    compute: opt(computeClause),
    deadline: opt(expr),
    from: opt(dateLit),
    until: opt(dateLit),
    explain: opt(fc.record({ zh: stringLit, en: opt(stringLit) }).map((e): A.ExplainClause => ({ ...e, span: SPAN }))),
  })
  .map(({ subject, ...r }): A.Decl => ({
    kind: 'rule', ...r, idSpan: SPAN, subjectKind: subject?.[0], variable: subject?.[1], span: SPAN,
  }));

const decl = fc.oneof(policyDecl, enumDecl, kindDecl, paramDecl, setDecl, tableDecl, defineDecl, ruleDecl);
const file = fc.array(decl, { maxLength: 5 }).map((decls): A.SourceFileAst => ({ kind: 'file', path: 'gen.clause', decls, comments: [], span: SPAN }));

// ───────────────────────── normalisations ─────────────────────────

/** Binding strength per the grammar in `parser.ts` (loosest first). */
function prec(e: A.Expr): number {
  if (e.kind === 'binary') {
    if (e.op === 'or') return 1;
    if (e.op === 'and') return 2;
    if (e.op === '+' || e.op === '-') return 5;
    if (e.op === '*' || e.op === '/') return 6;
    return 4; // comparisons, `in`, `not in`
  }
  if (e.kind === 'unary') return e.op === 'not' ? 3 : 7;
  if (e.kind === 'field') return 8;
  if (e.kind === 'if') return 0;
  return 9;
}

/** The AST the parser builds from text that groups `e` the same way: needed parens made explicit. */
function explicitParens(e: A.Expr): A.Expr {
  const wrap = (c: A.Expr, min: number): A.Expr => {
    const inner = explicitParens(c);
    return prec(c) < min ? { kind: 'paren', inner, span: SPAN } : inner;
  };
  switch (e.kind) {
    case 'binary': {
      const p = prec(e);
      // Left-associative chains; comparisons take additive operands on both sides.
      const [l, r] = p === 4 ? [5, 5] : [p, p + 1];
      return { ...e, left: wrap(e.left, l), right: wrap(e.right, r) };
    }
    case 'unary': return { ...e, operand: wrap(e.operand, e.op === 'not' ? 3 : 7) };
    case 'field': return { ...e, target: wrap(e.target, 8) };
    case 'call': return { ...e, args: e.args.map(explicitParens) };
    case 'set': return { ...e, items: e.items.map(explicitParens) };
    case 'paren': return { ...e, inner: explicitParens(e.inner) };
    case 'if': return { ...e, condition: explicitParens(e.condition), then: explicitParens(e.then), otherwise: explicitParens(e.otherwise) };
    case 'aggregate': return {
      ...e,
      source: explicitParens(e.source),
      where: e.where && explicitParens(e.where),
      body: e.body && explicitParens(e.body),
    };
    default: return e;
  }
}

/** Applies `f` to every expression held directly by a declaration. */
function mapDeclExprs(d: A.Decl, f: (e: A.Expr) => A.Expr): A.Decl {
  const o = (e: A.Expr | undefined) => e && f(e);
  switch (d.kind) {
    case 'param': return { ...d, history: d.history.map((h) => ({ ...h, value: f(h.value) })) };
    case 'setdecl': return { ...d, items: d.items.map(f) };
    case 'table': return { ...d, rows: d.rows.map((r) => ({ ...r, keys: r.keys.map(f), value: f(r.value) })) };
    case 'define': return { ...d, body: f(d.body) };
    case 'rule': return { ...d, where: o(d.where), requirement: o(d.requirement), eligibleWhen: o(d.eligibleWhen), compute: d.compute && { ...d.compute, value: f(d.compute.value) }, deadline: o(d.deadline) };
    default: return d;
  }
}

function explicitFile(ast: A.SourceFileAst): A.SourceFileAst {
  return { ...ast, decls: ast.decls.map((d) => mapDeclExprs(d, explicitParens)) };
}

/** Drops every `paren` node (for the structural comparison). */
function unparen(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unparen);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.kind === 'paren') return unparen(o.inner);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unparen(x)]));
  }
  return v;
}

function parseClean(text: string): A.SourceFileAst {
  const r = parseClauseFile('gen.clause', text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`printed text does not parse: ${JSON.stringify(errors.slice(0, 2))}\n${text}`);
  return r.value;
}

// ───────────────────────── 1. round trip, 3. idempotence ─────────────────────────

describe('print/parse round trip on generated ASTs', () => {
  test('exact: parse(print(ast)) = ast with needed parens explicit (500 runs)', () => {
    fc.assert(
      fc.property(file, (raw) => {
        const ast = explicitFile(raw);
        const text = printFile(ast);
        expect(stripSpans(parseClean(text))).toEqual(stripSpans(ast));
      }),
      { numRuns: 500 },
    );
  }, SLOW);

  test('structural: parse(print(raw)) = raw once paren nodes are dropped (500 runs)', () => {
    fc.assert(
      fc.property(file, (raw) => {
        const text = printFile(raw);
        expect(unparen(stripSpans(parseClean(text)))).toEqual(unparen(stripSpans(raw)));
      }),
      { numRuns: 500 },
    );
  }, SLOW);

  test('idempotence: print(parse(print(ast))) === print(ast) (500 runs)', () => {
    fc.assert(
      fc.property(file, (raw) => {
        const once = printFile(raw);
        expect(printFile(parseClean(once), { source: once })).toBe(once);
      }),
      { numRuns: 500 },
    );
  }, SLOW);

  test('comments: formatting is idempotent and keeps every comment (300 runs)', () => {
    const commented = fc
      .tuple(file, fc.array(fc.tuple(fc.nat(), fc.constantFrom('end', 'line'), stringValue.map((s) => s.replace(/\n/g, ' '))), { maxLength: 6 }))
      .map(([ast, inserts]) => {
        const lines = printFile(ast).split('\n');
        for (const [at, where, text] of inserts) {
          const i = at % (lines.length);
          // Printed strings escape newlines, so the end of every line lies outside any string.
          if (where === 'end' && lines[i] !== '') lines[i] = `${lines[i]} # ${text}`;
          else lines.splice(i, 0, `# ${text}`);
        }
        return lines.join('\n');
      });
    fc.assert(
      fc.property(commented, (text) => {
        const once = formatClauseText('gen.clause', text);
        expect(once.output).toBeDefined();
        const reparsed = parseClauseFile('gen.clause', once.output!).value;
        expect(printFile(reparsed, { source: once.output })).toBe(once.output);
        const before = parseClauseFile('gen.clause', text).value.comments.map((c) => c.text.trimEnd()).sort();
        const after = reparsed.comments.map((c) => c.text).sort();
        expect(after).toEqual(before);
      }),
      { numRuns: 300 },
    );
  }, SLOW);
});

// ───────────────────────── 2. robustness ─────────────────────────

const SAMPLE = `# sample policy
policy yunnan-social-work version "2025.1"
  title "云南省社会工作岗位设置" en "Yunnan social work posts"
  effective 2021-01-01 until 2030-12-31

enum level "级别" { province "省级" en "Province", city "市级" }

kind institution from institutions "机构" {
  posts.total: int # all posts
  tags: list text
  workers: many worker by institution
  descendants: many region by parent*
}

param ratio: percent = 70% from 2021-01-01, 75% from 2025-01-01
set big: text = {"hospital", "school"}
table grade(l: level) -> int { province -> 3; city -> -2 }
define big-one(i: institution) = i.posts.total > 100 and not i.closed

rule civil-affairs-share "民政" en "Civil"
  cite "第三条"
  for institution i
  where i.kind in big or i.kind not in {"a"}
  must share(w in i.workers where w.active : w.social_work) >= ratio
  by i.founded + 2y
  explain "比例 \\"{x}\\"\\n不足" en "too low"

rule subsidy
  for worker w
  eligible when w.age >= 18 and (w.certified or -(1 - 2) == 1:500)
  modality should
`;

const TOKEN_SAMPLES = [
  'policy', 'version', 'title', 'en', 'source', 'effective', 'until', 'extends', 'enum', 'kind', 'from', 'param', 'set',
  'table', 'define', 'rule', 'cite', 'quote', 'for', 'where', 'must', 'should', 'may', 'eligible', 'when', 'by',
  'modality', 'explain', 'and', 'or', 'not', 'in', 'true', 'false', 'none', 'today', 'count', 'sum', 'all', 'any',
  'share', 'many', 'list', 'x', 'i', 'a-b', '社工', '"s"', '"中\\"文"', '"unterminated', '"bad\\', '1', '2.5', '70%',
  '1:500', '2021-01-01', '2021-02-30', '2y', '30d', '->', '==', '!=', '<=', '>=', '<', '>', '=', '+', '-', '*', '/',
  '(', ')', '{', '}', ',', ':', ';', '.', '@', '$', '\\', '→', '\n', '# comment\n', '#', '\u3000', '\ufeff',
  '('.repeat(210), '{'.repeat(205), ')'.repeat(50), 'not '.repeat(205), '-'.repeat(210), 'a.'.repeat(30),
];

function checkNeverThrows(text: string): void {
  const result = parseClauseFile('junk.clause', text);
  expect(result.value.kind).toBe('file');
  for (const d of result.diagnostics) {
    if (!d.span) continue;
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
  if (!result.diagnostics.some((d) => d.severity === 'error')) {
    // Whatever parses cleanly formats (the formatter checks the meaning) to a fixed point.
    const once = formatClauseText('junk.clause', text).output!;
    expect(printFile(parseClauseFile('junk.clause', once).value, { source: once })).toBe(once);
  }
}

describe('the parser never throws', () => {
  test('random token sequences (2,000 runs)', () => {
    const soup = fc.array(fc.constantFrom(...TOKEN_SAMPLES), { maxLength: 40 }).chain((tokens) =>
      fc.constantFrom(' ', '', '\n').map((sep) => tokens.join(sep)));
    fc.assert(fc.property(soup, checkNeverThrows), { numRuns: 2000 });
  }, SLOW);

  test('random edits of a valid policy (2,000 runs)', () => {
    const edit = fc.record({
      op: fc.constantFrom('delete', 'insert', 'swap', 'duplicate'),
      at: fc.nat({ max: SAMPLE.length }),
      length: fc.integer({ min: 1, max: 12 }),
      text: fc.constantFrom('"', '(', ')', '{', '}', '\\', '#', '\n', ' ', '-', ':', '.', ',', '%', 'x', '1', 'not ', '@', 'en ', '中'),
    });
    const mutated = fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
      let t = SAMPLE;
      for (const e of edits) {
        const at = Math.min(e.at, t.length);
        if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + e.length);
        else if (e.op === 'insert') t = t.slice(0, at) + e.text + t.slice(at);
        else if (e.op === 'swap') t = at + 1 < t.length ? t.slice(0, at) + t[at + 1] + t[at] + t.slice(at + 2) : t;
        else t = t.slice(0, at) + t.slice(at, at + e.length) + t.slice(at);
      }
      return t;
    });
    fc.assert(fc.property(mutated, checkNeverThrows), { numRuns: 2000 });
  }, SLOW);

  test('the sample itself formats to a fixed point', () => {
    const once = formatClauseText('sample.clause', SAMPLE);
    expect(once.diagnostics).toEqual([]);
    expect(formatClauseText('sample.clause', once.output!).output).toBe(once.output);
  });
});
