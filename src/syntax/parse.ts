/**
 * Text -> AST for `.clause` files and for single expressions (used by the YAML form and by
 * explanation templates). Never throws on user input: lexing and parsing errors, impossible
 * literals, exceeded limits all come back as diagnostics.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import type * as A from '../model/ast.js';
import { error, type Diagnostic, type DiagnosticArgs } from '../model/diagnostics.js';
import type { Span } from '../model/span.js';
import { clauseParser, setSyntaxErrorQuota, TooManySyntaxErrors } from './parser.js';
import { clauseLexer } from './tokens.js';
import { AstBuilder } from './to-ast.js';

/** Limits that keep hostile input from exhausting memory or the stack. */
export interface ParseLimits {
  /** Largest rule file, in characters. */
  readonly maxFileSize: number;
  /** Deepest nesting of brackets and runs of prefix operators (the parser recurses on them). */
  readonly maxDepth: number;
  /** Deepest expression tree, including long operator chains (later stages recurse on it). */
  readonly maxExprDepth: number;
  /** Diagnostics reported per file before the rest are summarised. */
  readonly maxErrors: number;
  /**
   * Most tokens in one file or expression (S0015). Parsing costs about 15 µs a token, so a
   * 4 MiB file of `1+1+1…` (two million tokens) would take half a minute; the bundled policy
   * has under 2,000 tokens in all.
   */
  readonly maxTokens?: number;
}

/** Defaults: generous for real policies, small enough to stop abuse early. */
// Chevrotain's recovery gives up somewhere past 150 nested brackets; no real rule nests 10 deep.
export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxFileSize: 4 * 1024 * 1024, maxDepth: 100, maxExprDepth: 1000, maxErrors: 50, maxTokens: 100_000 };

/** The result of parsing. `value` is present even when there are errors (best effort). */
export interface ParseResult<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

const TOKEN_NAMES: Record<string, { zh: string; en: string }> = {
  Identifier: { zh: '名称', en: 'a name' },
  NameLike: { zh: '名称', en: 'a name' },
  StringLiteral: { zh: '字符串', en: 'a string' },
  DateLiteral: { zh: '日期', en: 'a date' },
  NumberLiteral: { zh: '数字', en: 'a number' },
  PercentLiteral: { zh: '百分比', en: 'a percentage' },
  RatioLiteral: { zh: '比例', en: 'a ratio' },
  DurationLiteral: { zh: '时长', en: 'a duration' },
};

// Tokens that can start an expression: listing them one by one reads worse than "an expression".
const EXPRESSION_START = new Set([
  'NumberLiteral', 'PercentLiteral', 'RatioLiteral', 'DateLiteral', 'DurationLiteral', 'StringLiteral', 'Minus', 'LParen', 'LCurly',
  'Identifier', 'Kw_not', 'Kw_true', 'Kw_false', 'Kw_none', 'Kw_today',
]);

function describeExpected(names: readonly string[]): DiagnosticArgs {
  const describe = (lang: 'zh' | 'en') => {
    const isExpression = names.includes('NumberLiteral') && names.includes('Identifier');
    const shownNames = isExpression ? names.filter((n) => !EXPRESSION_START.has(n)) : names;
    const parts = [...new Set(shownNames.map((n) => TOKEN_NAMES[n]?.[lang] ?? displayToken(n)))];
    if (isExpression) parts.unshift(lang === 'zh' ? '表达式' : 'an expression');
    if (parts.length === 0) return lang === 'zh' ? '声明' : 'a declaration';
    const shown = parts.slice(0, 6);
    const more = parts.length > 6 ? (lang === 'zh' ? ' 等' : ', …') : '';
    return lang === 'zh' ? ` ${shown.join('、')}${more} ` : `${shown.slice(0, -1).join(', ')}${shown.length > 1 ? ' or ' : ''}${shown[shown.length - 1]}${more}`;
  };
  return { 'expected.zh': describe('zh').trim(), 'expected.en': describe('en') };
}

function displayToken(name: string): string {
  if (name.startsWith('Kw_')) return `\`${name.slice(3)}\``;
  const symbols: Record<string, string> = {
    Arrow: '->', EqEq: '==', NotEq: '!=', LtEq: '<=', GtEq: '>=', Lt: '<', Gt: '>', Equals: '=', Plus: '+', Minus: '-',
    Star: '*', Slash: '/', LParen: '(', RParen: ')', LCurly: '{', RCurly: '}', Comma: ',', Colon: ':', Semicolon: ';', Dot: '.',
  };
  return `\`${symbols[name] ?? name}\``;
}

interface StructuredError {
  kind: 'mismatch' | 'redundant' | 'noViableAlt' | 'earlyExit';
  expected: string[];
  found: string;
}

function parserDiagnostic(e: IRecognitionException, builder: AstBuilder, lastToken: IToken | undefined): Diagnostic {
  let info: StructuredError;
  try {
    info = JSON.parse(e.message) as StructuredError;
  } catch {
    info = { kind: 'noViableAlt', expected: [], found: e.token?.image ?? '' };
  }
  // At end of input Chevrotain's token has NaN positions: point just after the last real token.
  const atEnd = !e.token || Number.isNaN(e.token.startOffset) || e.token.tokenType?.name === 'EOF';
  const span = atEnd ? (() => { const s = builder.tokenSpan(lastToken); return { ...s, start: s.end }; })() : builder.tokenSpan(e.token);
  const expected = describeExpected(info.expected);
  if (atEnd) return error('S0004', span, expected);
  if (info.kind === 'redundant') return error('S0008', span, { found: info.found });
  return error(info.kind === 'mismatch' ? 'S0002' : 'S0003', span, { ...expected, found: info.found });
}

/**
 * Rejects nesting the recursive-descent parser could not survive (deep brackets or long
 * runs of prefix operators), before parsing, so the limit is a diagnostic, not a stack overflow.
 */
function nestingProblem(tokens: readonly IToken[], builder: AstBuilder, limits: ParseLimits): Diagnostic | undefined {
  let depth = 0;
  let prefixRun = 0;
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (name === 'LParen' || name === 'LCurly') depth++;
    else if (name === 'RParen' || name === 'RCurly') depth = Math.max(0, depth - 1);
    prefixRun = name === 'Kw_not' || name === 'Minus' ? prefixRun + 1 : 0;
    if (depth > limits.maxDepth || prefixRun > limits.maxDepth) {
      return error('S0010', builder.tokenSpan(t), { limit: limits.maxDepth });
    }
  }
  return undefined;
}

/** Depth of an expression tree, iteratively (the tree may be too deep for recursion). */
export function exprDepth(root: A.Expr): number {
  let max = 0;
  const stack: [A.Expr, number][] = [[root, 1]];
  while (stack.length) {
    const [e, d] = stack.pop()!;
    if (d > max) max = d;
    for (const child of childExprs(e)) stack.push([child, d + 1]);
  }
  return max;
}

/** The direct sub-expressions of an expression. */
export function childExprs(e: A.Expr): A.Expr[] {
  switch (e.kind) {
    case 'field': return [e.target];
    case 'call': return [...e.args];
    case 'set': return [...e.items];
    case 'unary': return [e.operand];
    case 'binary': return [e.left, e.right];
    case 'paren': return [e.inner];
    case 'if': return [e.condition, e.then, e.otherwise];
    case 'aggregate': return [e.source, ...(e.where ? [e.where] : []), ...(e.body ? [e.body] : [])];
    default: return [];
  }
}

function lexAndCheck(text: string, file: string, builder: AstBuilder, limits: ParseLimits, offsetShift: number) {
  const diagnostics: Diagnostic[] = [];
  const lexed = clauseLexer.tokenize(text);
  for (const e of lexed.errors) {
    const start = e.offset + offsetShift;
    diagnostics.push(error('S0001', { file, start, end: start + Math.max(1, e.length) }, { text: text.substr(e.offset, Math.min(e.length, 20)) }));
  }
  const tokens: IToken[] = [];
  for (const t of lexed.tokens) {
    if (t.tokenType.name === 'UnterminatedString') {
      diagnostics.push(error('S0005', builder.tokenSpan(t)));
      continue;
    }
    tokens.push(t);
  }
  const maxTokens = limits.maxTokens ?? DEFAULT_PARSE_LIMITS.maxTokens!;
  const nesting = tokens.length > maxTokens
    ? error('S0015', builder.tokenSpan(tokens[maxTokens]), { limit: maxTokens })
    : nestingProblem(tokens, builder, limits);
  return { tokens, comments: (lexed.groups.comments ?? []) as IToken[], diagnostics, nesting };
}

function capped(diagnostics: Diagnostic[], limits: ParseLimits, file: string): Diagnostic[] {
  if (diagnostics.length <= limits.maxErrors) return diagnostics;
  const kept = diagnostics.slice(0, limits.maxErrors);
  kept.push({ code: 'S0012', severity: 'warning', span: undefined, args: { limit: limits.maxErrors }, factsPath: file });
  return kept;
}

function runParser<T>(entry: () => T, limits: ParseLimits): { value: T | undefined; overflow: boolean; tooManyErrors: boolean } {
  // One more than is shown, so the cap's S0012 notice still appears when parsing stops early.
  setSyntaxErrorQuota(limits.maxErrors + 1);
  try {
    return { value: entry(), overflow: false, tooManyErrors: false };
  } catch (e) {
    if (e instanceof TooManySyntaxErrors) return { value: undefined, overflow: false, tooManyErrors: true };
    // The nesting pre-check should make this unreachable; keep it as the last line of defence.
    if (e instanceof RangeError) return { value: undefined, overflow: true, tooManyErrors: false };
    throw e;
  } finally {
    setSyntaxErrorQuota(Number.POSITIVE_INFINITY);
  }
}

/** Parses a whole `.clause` file. */
export function parseClauseFile(file: string, text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParseResult<A.SourceFileAst> {
  const builder = new AstBuilder(file, text.length);
  const empty: A.SourceFileAst = { kind: 'file', path: file, decls: [], comments: [], span: { file, start: 0, end: text.length } };
  if (text.length > limits.maxFileSize) {
    return { value: empty, diagnostics: [error('S0009', { file, start: 0, end: 0 }, { limit: limits.maxFileSize, size: text.length })] };
  }
  const lexed = lexAndCheck(text, file, builder, limits, 0);
  if (lexed.nesting) return { value: empty, diagnostics: [...lexed.diagnostics, lexed.nesting] };
  clauseParser.input = lexed.tokens;
  const { value: cst, overflow, tooManyErrors } = runParser(() => clauseParser.file(), limits);
  const last = lexed.tokens[lexed.tokens.length - 1];
  const diagnostics = [...lexed.diagnostics, ...clauseParser.errors.map((e) => parserDiagnostic(e, builder, last))];
  if (tooManyErrors) return { value: empty, diagnostics: capped(diagnostics, limits, file) };
  if (overflow || !cst) return { value: empty, diagnostics: [...diagnostics, error('S0010', { file, start: 0, end: 0 }, { limit: limits.maxDepth })] };
  const ast = builder.file_(cst, lexed.comments);
  diagnostics.push(...builder.diagnostics);
  diagnostics.push(...depthProblems(ast, limits));
  // Lexical errors first: a bad character or open string explains the parse errors after it.
  const lexical = (d: Diagnostic) => (d.code === 'S0001' || d.code === 'S0005' ? 0 : 1);
  diagnostics.sort((a, b) => lexical(a) - lexical(b) || (a.span?.start ?? 0) - (b.span?.start ?? 0));
  return { value: ast, diagnostics: capped(diagnostics, limits, file) };
}

function depthProblems(ast: A.SourceFileAst, limits: ParseLimits): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of ast.decls) {
    for (const e of declExprs(d)) {
      if (exprDepth(e) > limits.maxExprDepth) out.push(error('S0010', e.span, { limit: limits.maxExprDepth }));
    }
  }
  return out;
}

/** Every expression directly held by a declaration. */
export function declExprs(d: A.Decl): A.Expr[] {
  switch (d.kind) {
    case 'param': return d.history.map((h) => h.value);
    case 'setdecl': return [...d.items];
    case 'table': return d.rows.flatMap((r) => [...r.keys, r.value]);
    case 'define': return [d.body];
    case 'rule': return [d.where, d.requirement, d.eligibleWhen, d.compute?.value, d.deadline].filter((e): e is A.Expr => !!e);
    default: return [];
  }
}

/**
 * Parses one expression embedded in another file (a YAML scalar, an explanation placeholder).
 * `offset` is where the expression text starts in `file`, so spans point into that file.
 */
export function parseExpression(text: string, file: string, offset = 0, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParseResult<A.Expr | undefined> {
  const builder = new AstBuilder(file, text.length, offset);
  if (text.length > limits.maxFileSize) {
    return { value: undefined, diagnostics: [error('S0009', { file, start: offset, end: offset }, { limit: limits.maxFileSize, size: text.length })] };
  }
  const lexed = lexAndCheck(text, file, builder, limits, offset);
  if (lexed.nesting) return { value: undefined, diagnostics: [...lexed.diagnostics, lexed.nesting] };
  clauseParser.input = lexed.tokens;
  const { value: cst, overflow, tooManyErrors } = runParser(() => clauseParser.expression(), limits);
  const last = lexed.tokens[lexed.tokens.length - 1];
  const diagnostics = [...lexed.diagnostics, ...clauseParser.errors.map((e) => parserDiagnostic(e, builder, last))];
  if (tooManyErrors) return { value: undefined, diagnostics: capped(diagnostics, limits, file) };
  if (lexed.tokens.length === 0) {
    const at: Span = { file, start: offset, end: offset };
    return { value: undefined, diagnostics: [...diagnostics, error('S0004', at, describeExpected([]))] };
  }
  if (overflow || !cst) return { value: undefined, diagnostics: [...diagnostics, error('S0010', { file, start: offset, end: offset }, { limit: limits.maxDepth })] };
  const expr = builder.expression(cst);
  diagnostics.push(...builder.diagnostics);
  if (exprDepth(expr) > limits.maxExprDepth) diagnostics.push(error('S0010', expr.span, { limit: limits.maxExprDepth }));
  return { value: expr, diagnostics: capped(diagnostics, limits, file) };
}
