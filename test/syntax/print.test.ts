/**
 * Golden tests of the canonical printer: input text -> expected canonical text. Every case
 * also checks that the canonical text is a fixed point of the formatter and parses to the
 * same AST as the input (`formatClauseText` verifies the latter itself and throws otherwise).
 */
import { describe, expect, test } from 'vitest';
import type * as A from '../../src/model/ast.js';
import { stripSpans } from '../../src/model/ast.js';
import { formatClauseText } from '../../src/syntax/format.js';
import { parseClauseFile, parseExpression } from '../../src/syntax/parse.js';
import { printExpr, printFile, printString } from '../../src/syntax/print.js';

/** Raw (no escape processing), with the common indentation and the first newline removed. */
function src(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = String.raw({ raw: strings.raw }, ...values).replace(/^\n/, '');
  const lines = raw.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n').replace(/[ ]+$/, '');
}

interface Case { readonly name: string; readonly input: string; readonly want: string }

const declarations: Case[] = [
  {
    name: 'policy header with every clause, reordered to the canonical order',
    input: src`
      policy yunnan-social-work version "2025.1" extends "base" effective 2021-01-01 until 2030-12-31
        source "云政发〔2021〕1号" title "云南省社会工作岗位设置" en "Yunnan social work posts"
    `,
    want: src`
      policy yunnan-social-work version "2025.1"
        title "云南省社会工作岗位设置" en "Yunnan social work posts"
        source "云政发〔2021〕1号"
        effective 2021-01-01 until 2030-12-31
        extends "base"
    `,
  },
  {
    name: 'policy header alone, extends without source',
    input: 'policy p version "1"   extends  "base"\n',
    want: 'policy p version "1"\n  extends "base"\n',
  },
  {
    name: 'policy header: effective without until, title without en',
    input: 'policy p version "1" effective 2021-01-01 title "标题"',
    want: 'policy p version "1"\n  title "标题"\n  effective 2021-01-01\n',
  },
  {
    name: 'enum with labels, commas dropped except before a member named `en`',
    input: src`
      enum level "级别" en "Level" { province "省级" en "Province", city "市级", en "英文成员", county }
    `,
    want: src`
      enum level "级别" en "Level" {
        province "省级" en "Province"
        city "市级",
        en "英文成员"
        county
      }
    `,
  },
  {
    name: 'empty enum stays on one line; keyword member names',
    input: 'enum e {\n}\nenum k { where count "数" }',
    want: 'enum e {}\n\nenum k {\n  where\n  count "数"\n}\n',
  },
  {
    name: 'kind with fields, records, lists, relations and a transitive relation',
    input: src`
      kind institution from institutions "机构" en "Institution" {
        name : text "名称"   posts.total:int
        posts.social_work: int "社工岗位" en "Social work posts"
        tags: list text
        workers: many worker by institution "职工"
        descendants: many region by parent *
        en: text
      }
    `,
    want: src`
      kind institution from institutions "机构" en "Institution" {
        name: text "名称"
        posts.total: int
        posts.social_work: int "社工岗位" en "Social work posts"
        tags: list text
        workers: many worker by institution "职工"
        descendants: many region by parent*
        en: text
      }
    `,
  },
  {
    name: 'a kind field named `en` after a zh-only label (needs the parser gate)',
    input: 'kind k from ks { a: int "甲"\n en: text "英" en.b: int }',
    want: 'kind k from ks {\n  a: int "甲"\n  en: text "英"\n  en.b: int\n}\n',
  },
  {
    name: 'params: typed with history, unset, override without type, labels',
    input: src`
      param ratio: percent "比例" en "Ratio" = 70% from 2021-01-01 ,75% from 2025-01-01
      param unset: int "未设"
      param ratio = 80%
      param start "起始" = 2021-01-01
      param mix: number = 1, 2 from 2022-01-01
    `,
    want: src`
      param ratio: percent "比例" en "Ratio" = 70% from 2021-01-01, 75% from 2025-01-01

      param unset: int "未设"

      param ratio = 80%

      param start "起始" = 2021-01-01

      param mix: number = 1, 2 from 2022-01-01
    `,
  },
  {
    name: 'sets: typed, labelled, untyped, empty',
    input: 'set big: text "大类" = { "hospital","school" }\nset s = {a , b}\nset none-yet: level = { }',
    want: 'set big: text "大类" = {"hospital", "school"}\n\nset s = {a, b}\n\nset none-yet: level = {}\n',
  },
  {
    name: 'table with several keys; `;` only where the next row would continue the value',
    input: src`
      table grade(l: level, n: int) -> int "等级" en "Grade" {
        province, 1 -> 3;
        city, n -> f
        ; (county), 2 -> x;
        -1, 2 -> y;
        not b, 3 -> 4
        {a}, 5 -> 6
      }
    `,
    want: src`
      table grade(l: level, n: int) -> int "等级" en "Grade" {
        province, 1 -> 3
        city, n -> f;
        (county), 2 -> x;
        -1, 2 -> y;
        not b, 3 -> 4
        {a}, 5 -> 6
      }
    `,
  },
  {
    name: 'empty table and table without formals',
    input: 'table t() -> int {}',
    want: 'table t() -> int {}\n',
  },
  {
    name: 'define with formals and label, without formals, empty formals dropped',
    input: 'define big(i: institution, n: list int) "大" en "Big" = i.posts.total>n\ndefine answer = 42\ndefine f() = 1',
    want: 'define big(i: institution, n: list int) "大" en "Big" = i.posts.total > n\n\ndefine answer = 42\n\ndefine f = 1\n',
  },
  {
    name: 'obligation with every clause, reordered; explain zh + en re-escaped',
    input: src`
      rule civil-affairs-share "民政比例" en "Civil affairs share"
        explain "比例 \"{x}\"\n不足\\" en "too	low\t!"
        until 2029-12-31
        from 2021-01-01
        by i.founded + 2y
        must share(w in i.workers where w.active: w.social_work) >= ratio
        where i.kind in big-kinds
        for institution i
        quote "原文"
        cite "第三条第一款"
    `,
    want: src`
      rule civil-affairs-share "民政比例" en "Civil affairs share"
        cite "第三条第一款"
        quote "原文"
        for institution i
        where i.kind in big-kinds
        must share(w in i.workers where w.active : w.social_work) >= ratio
        by i.founded + 2y
        from 2021-01-01
        until 2029-12-31
        explain "比例 \"{x}\"\n不足\\" en "too\tlow\t!"
    `,
  },
  {
    name: 'should and may obligations, rule without title, explain without en',
    input: 'rule a should x > 1 explain "说明"\nrule b "乙" may y',
    want: 'rule a\n  should x > 1\n  explain "说明"\n\nrule b "乙"\n  may y\n',
  },
  {
    name: 'entitlements: modality printed only when not must',
    input: src`
      rule subsidy "补贴" modality should for worker w eligible when w.age >= 18
      rule grant eligible when true modality may
      rule plain eligible when true modality must
    `,
    want: src`
      rule subsidy "补贴"
        for worker w
        eligible when w.age >= 18
        modality should

      rule grant
        eligible when true
        modality may

      rule plain
        eligible when true
    `,
  },
  {
    name: 'a modality clause before an obligation keyword: the keyword wins; after it: folded into the keyword',
    input: 'rule a modality may must x\nrule b must x modality should',
    want: 'rule a\n  must x\n\nrule b\n  should x\n',
  },
  {
    name: 'rule with a title only',
    input: 'rule r "标题" en "Title"',
    want: 'rule r "标题" en "Title"\n',
  },
];

/** Expression cases, printed as the body of `define x = …`. */
const expressions: [input: string, want: string][] = [
  ['1.50', '1.50'],
  ['007', '007'],
  ['12.5%', '12.5%'],
  ['1:500', '1:500'],
  ['0.5:1.25', '0.5:1.25'],
  ['2021-02-28', '2021-02-28'],
  ['2y + 6m + 30d', '2y + 6m + 30d'],
  [String.raw`"a\"b\\c\nd\te	f 中文"`, String.raw`"a\"b\\c\nd\te\tf 中文"`],
  [String.raw`"\q"`, '"q"'],
  ['true or false', 'true or false'],
  ['none', 'none'],
  ['today', 'today'],
  ['x', 'x'],
  ['社会工作.岗位', '社会工作.岗位'],
  ['civil-affairs.total-posts', 'civil-affairs.total-posts'],
  ['a.b.c', 'a.b.c'],
  ['a.count.not.en', 'a.count.not.en'],
  ['f()', 'f()'],
  ['f( a ,b )', 'f(a, b)'],
  ['years_between(w.birth, today) >= 18', 'years_between(w.birth, today) >= 18'],
  ['f(x).y', 'f(x).y'],
  ['{}', '{}'],
  ['{1,2 ,3}', '{1, 2, 3}'],
  ['not x', 'not x'],
  ['not not x == y', 'not not x == y'],
  ['-x', '-x'],
  ['- - 1', '- -1'],
  ['-x.y', '-x.y'],
  ['a - -b', 'a - -b'],
  ['a or b or c', 'a or b or c'],
  ['a and b or c and d', 'a and b or c and d'],
  ['not a and b', 'not a and b'],
  ['a and not b', 'a and not b'],
  ['a==b', 'a == b'],
  ['a!=b', 'a != b'],
  ['a<b', 'a < b'],
  ['a<=b', 'a <= b'],
  ['a>b', 'a > b'],
  ['a>=b', 'a >= b'],
  ['a in {1, 2}', 'a in {1, 2}'],
  ['a not  in s', 'a not in s'],
  ['a+b*c - d/e', 'a + b * c - d / e'],
  ['c-d', 'c-d'],
  ['a - b - c', 'a - b - c'],
  ['a - (b - c)', 'a - (b - c)'],
  ['(a - b) - c', '(a - b) - c'],
  ['(a or b) and c', '(a or b) and c'],
  ['((a))', '((a))'],
  ['(a + b) * c', '(a + b) * c'],
  ['-(a + b)', '-(a + b)'],
  ['(-a).b', '(-a).b'],
  ['(not a) == b', '(not a) == b'],
  ['count(x in s)', 'count(x in s)'],
  ['count(x in i.workers where x.age > 35)', 'count(x in i.workers where x.age > 35)'],
  ['sum(x in s : x.n)', 'sum(x in s : x.n)'],
  ['sum(x in s where 1:2)', 'sum(x in s where 1:2)'],
  ['sum(x in s where n : 2)', 'sum(x in s where n : 2)'],
  ['all(x in s where x.a : x.b > 1)', 'all(x in s where x.a : x.b > 1)'],
  ['any(x in s where x.ok)', 'any(x in s where x.ok)'],
  ['share(w in i.workers where w.active : w.social_work) >= 70%', 'share(w in i.workers where w.active : w.social_work) >= 70%'],
  ['count(x in s).n', 'count(x in s).n'],
  ['today - 2021-01-01 > 30d', 'today - 2021-01-01 > 30d'],
];

const comments: Case[] = [
  {
    name: 'file header comment keeps its blank line; comments before declarations',
    input: src`
      # 云南省社会工作政策
      # second line


      policy p version "1"
      # about the enum
      enum e { a }
      # about b

      # directly above b
      define b = 1
    `,
    want: src`
      # 云南省社会工作政策
      # second line

      policy p version "1"

      # about the enum
      enum e {
        a
      }

      # about b

      # directly above b
      define b = 1
    `,
  },
  {
    name: 'comments before and after rule clauses move with their clause',
    input: src`
      rule r "标题" # after the title
        # about must
        must x > 1 # why
        # about for
        for institution i
        where i.open   # open only
    `,
    want: src`
      rule r "标题" # after the title
        # about for
        for institution i
        where i.open # open only
        # about must
        must x > 1 # why
    `,
  },
  {
    name: 'kind fields, enum members, table rows: leading, end-of-line and dangling comments',
    input: src`
      kind k from ks { # the kind
        # the name
        name: text # end of name
        n: int
        # nothing follows
      } # after the kind
      enum e {
        # first
        a "甲", # end of a
        b
      }
      table t(a: int) -> int {
        # row one
        1 -> 2 # end of row one
        3 -> 4;   # end of row two
      }
    `,
    want: src`
      kind k from ks { # the kind
        # the name
        name: text # end of name
        n: int
        # nothing follows
      } # after the kind

      enum e {
        # first
        a "甲" # end of a
        b
      }

      table t(a: int) -> int {
        # row one
        1 -> 2 # end of row one
        3 -> 4 # end of row two
      }
    `,
  },
  {
    name: 'comments inside a multi-line expression move above the clause; two end-of-line comments too',
    input: src`
      rule r
        where a and # first reason
          b or # second reason
          c
        must
          # inside the requirement
          d
    `,
    want: src`
      rule r
        # first reason
        # second reason
        where a and b or c
        # inside the requirement
        must d
    `,
  },
  {
    name: 'comments in one-line declarations and empty braces',
    input: src`
      param p: int = # old value was 1
        2
      define d =
        # explained
        1
      enum e { # nothing yet
      }
      enum f {} # empty
      enum g {
        # todo
      }
    `,
    want: src`
      param p: int = 2 # old value was 1

      # explained
      define d = 1

      enum e { # nothing yet
      }

      enum f {} # empty

      enum g {
        # todo
      }
    `,
  },
  {
    name: 'trailing comments at the end of the file, blank lines kept between groups',
    input: 'define a = 1\n# end 1\n# end 2\n\n\n# end 3   \n',
    want: 'define a = 1\n\n# end 1\n# end 2\n\n# end 3\n',
  },
  {
    name: 'a file of comments only',
    input: '# only\n\n# comments',
    want: '# only\n\n# comments\n',
  },
  {
    name: 'CRLF line ends and trailing blanks are normalised',
    input: '# c\r\ndefine a = 1 # x\r\n\r\ndefine b = 2\r\n',
    want: '# c\ndefine a = 1 # x\n\ndefine b = 2\n',
  },
];

function checkCase(input: string, want: string): void {
  const result = formatClauseText('t.clause', input);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.output).toBe(want);
  // The canonical text is a fixed point and means the same as the input.
  expect(formatClauseText('t.clause', want).output).toBe(want);
  expect(stripSpans(parseClauseFile('t.clause', want).value)).toEqual(stripSpans(parseClauseFile('t.clause', input).value));
}

describe('printFile: declarations', () => {
  test.each(declarations)('$name', ({ input, want }) => checkCase(input, want));
});

describe('printFile: expressions', () => {
  test.each(expressions)('%s', (input, want) => checkCase(`define x = ${input}\n`, `define x = ${want}\n`));
});

describe('printFile: comments', () => {
  test.each(comments)('$name', ({ input, want }) => checkCase(input, want));

  test('without the source text every comment goes on its own line', () => {
    const text = 'define a = 1 # x\ndefine b = 2\n';
    expect(printFile(parseClauseFile('t.clause', text).value)).toBe('define a = 1\n\n# x\ndefine b = 2\n');
  });

  test('an empty file prints as nothing', () => {
    expect(formatClauseText('t.clause', '').output).toBe('');
    expect(formatClauseText('t.clause', '\n\n  \n').output).toBe('');
  });
});

describe('formatClauseText', () => {
  test('refuses a file with syntax errors and returns the diagnostics', () => {
    const result = formatClauseText('t.clause', 'rule r must (x\n');
    expect(result.output).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain('S0004');
  });

  test('refuses impossible dates and unterminated strings', () => {
    expect(formatClauseText('t.clause', 'define d = 2021-02-30').output).toBeUndefined();
    expect(formatClauseText('t.clause', 'define s = "abc').output).toBeUndefined();
  });
});

// ───────────── ASTs built in code: the printer adds the parentheses precedence needs ─────────────

const at = { file: '', start: 0, end: 0 };
const n = (name: string): A.Expr => ({ kind: 'name', name, span: at });
const num = (text: string): A.Expr => ({ kind: 'number', text, span: at });
const bin = (op: A.BinaryOp, left: A.Expr, right: A.Expr): A.Expr => ({ kind: 'binary', op, left, right, span: at });
const un = (op: 'not' | '-', operand: A.Expr): A.Expr => ({ kind: 'unary', op, operand, span: at });
const fld = (target: A.Expr, field: string): A.Expr => ({ kind: 'field', target, field, fieldSpan: at, span: at });

/** Drops `paren` nodes: the parser adds them where the printer had to add parentheses. */
function unparen(e: unknown): unknown {
  if (Array.isArray(e)) return e.map(unparen);
  if (e !== null && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (o.kind === 'paren') return unparen(o.inner);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unparen(v)]));
  }
  return e;
}

describe('printExpr without paren nodes', () => {
  const cases: [A.Expr, string][] = [
    [bin('-', n('a'), bin('-', n('b'), n('c'))), 'a - (b - c)'],
    [bin('-', bin('-', n('a'), n('b')), n('c')), 'a - b - c'],
    [bin('/', n('a'), bin('*', n('b'), n('c'))), 'a / (b * c)'],
    [bin('*', bin('+', n('a'), n('b')), n('c')), '(a + b) * c'],
    [bin('+', n('a'), bin('*', n('b'), n('c'))), 'a + b * c'],
    [bin('and', bin('or', n('a'), n('b')), n('c')), '(a or b) and c'],
    [bin('or', n('a'), bin('or', n('b'), n('c'))), 'a or (b or c)'],
    [bin('and', n('a'), un('not', n('b'))), 'a and not b'],
    [un('not', bin('and', n('a'), n('b'))), 'not (a and b)'],
    [un('not', bin('==', n('a'), n('b'))), 'not a == b'],
    [bin('==', un('not', n('a')), n('b')), '(not a) == b'],
    [bin('==', bin('<', n('a'), n('b')), n('c')), '(a < b) == c'],
    [bin('in', n('a'), bin('in', n('b'), n('c'))), 'a in (b in c)'],
    [un('-', bin('+', n('a'), n('b'))), '-(a + b)'],
    [un('-', un('-', num('1'))), '- -1'],
    [un('-', un('not', n('a'))), '-(not a)'],
    [fld(un('-', n('a')), 'b'), '(-a).b'],
    [fld(bin('+', n('a'), n('b')), 'c'), '(a + b).c'],
    [un('-', fld(n('a'), 'b')), '-a.b'],
    [bin('-', n('a'), un('-', n('b'))), 'a - -b'],
    [{ kind: 'duration', amount: 1e21, unit: 'd', span: at }, '1000000000000000000000d'],
  ];
  test.each(cases)('%#: %s', (e, want) => {
    const printed = printExpr(e);
    expect(printed).toBe(want);
    const back = parseExpression(printed, 'x');
    expect(back.diagnostics).toEqual([]);
    expect(unparen(stripSpans(back.value))).toEqual(stripSpans(e));
  });

  test('printString escapes quotes, backslashes, newlines and tabs only', () => {
    expect(printString('a"b\\c\nd\te中')).toBe(String.raw`"a\"b\\c\nd\te中"`);
  });
});
