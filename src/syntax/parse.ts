/**
 * Text -> AST for `.clause` files and for single expressions (used by the YAML form and by
 * explanation templates). Never throws on user input: lexing and parsing errors, impossible
 * literals, exceeded limits all come back as diagnostics.
 */
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import type * as A from '../model/ast.js';
import { error, type Diagnostic, type DiagnosticArgs, type MessageTemplate } from '../model/diagnostics.js';
import type { Span } from '../model/span.js';
import { clauseParser, setSyntaxErrorQuota, TooManySyntaxErrors } from './parser.js';
import { clauseLexer, DateLiteral, StringLiteral } from './tokens.js';
import { repairTypingSlips } from './typing-slips.js';
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
  LooseDate: { zh: '日期', en: 'a date' },
  UnterminatedString: { zh: '字符串', en: 'a string' },
  EOF: { zh: '文件结尾', en: 'the end of the file' },
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

function parserDiagnostic(e: IRecognitionException, builder: AstBuilder, lastToken: IToken | undefined, whole: 'file' | 'expression'): Diagnostic {
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
  // "expected EOF" is Chevrotain's way of saying the file should have ended: say that in words.
  const onlyEnd = info.expected.length > 0 && info.expected.every((n) => n === 'EOF');
  if (info.kind === 'redundant' || onlyEnd) {
    if (whole === 'expression') return error('S0313', span, { found: info.found });
    return error('S0008', span, { found: info.found }, keywordHint(info.found, [...DECLARATION_KEYWORDS, ...CLAUSE_KEYWORDS]));
  }
  const keywords = info.expected.filter((n) => n.startsWith('Kw_')).map((n) => n.slice(3));
  return error(info.kind === 'mismatch' ? 'S0002' : 'S0003', span, { ...expected, found: info.found }, keywordHint(info.found, keywords));
}

/** Words that start a declaration, and words that start a clause of a rule. */
const DECLARATION_KEYWORDS = ['policy', 'enum', 'kind', 'param', 'set', 'table', 'define', 'rule', 'uncheckable', 'override'];
const CLAUSE_KEYWORDS = ['cite', 'quote', 'for', 'where', 'must', 'should', 'may', 'eligible', 'modality', 'by', 'compute', 'from', 'until', 'explain'];

/**
 * "did you mean `param`?" for a misspelt keyword (`parm`, `muts`, `rul`). Transposed letters
 * count as one slip, and a short word must be one slip away, so `x` never becomes `by`.
 */
function keywordHint(found: string, keywords: readonly string[]): MessageTemplate | undefined {
  if (!/^[A-Za-z][A-Za-z_]*$/.test(found) || keywords.includes(found)) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of new Set(keywords)) {
    const d = slipDistance(found.toLowerCase(), k);
    if (d < bestDistance) { best = k; bestDistance = d; }
  }
  if (best === undefined || bestDistance > (found.length <= 4 ? 1 : 2)) return undefined;
  return { zh: `是否想写关键字 \`${best}\`？`, en: `did you mean the keyword \`${best}\`?` };
}

/** Edit distance where swapping two neighbouring letters is one edit (optimal string alignment). */
function slipDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
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

function lexAndCheck(written: string, file: string, builder: AstBuilder, limits: ParseLimits, offsetShift: number) {
  // Full-width marks and broken strings are repaired first (same length, same offsets), so a
  // slip is one diagnostic and the parser reads what the officer meant.
  const repaired = repairTypingSlips(written, file, offsetShift);
  const text = repaired.text;
  const diagnostics: Diagnostic[] = [...repaired.diagnostics];
  const lexed = clauseLexer.tokenize(text);
  for (const e of lexed.errors) {
    const start = e.offset + offsetShift;
    diagnostics.push(error('S0001', { file, start, end: start + Math.max(1, e.length) }, { text: written.substr(e.offset, Math.min(e.length, 20)) }));
  }
  const tokens: IToken[] = [];
  /** Where a string was left open: parse errors later on that line are its consequence. */
  const openStringLines: Span[] = [];
  for (const t of lexed.tokens) {
    const name = t.tokenType.name;
    if (name === 'UnterminatedString') {
      // Read as a string ending at the line's end, so the next line is not blamed for it.
      diagnostics.push(error('S0005', builder.tokenSpan(openingQuote(tokens, t))));
      const lineStart = text.lastIndexOf('\n', t.startOffset) + 1;
      openStringLines.push({ file, start: lineStart + offsetShift, end: (t.endOffset ?? t.startOffset) + 1 + offsetShift });
      tokens.push(retyped(t, StringLiteral, t.image));
    } else if (name === 'LooseDate') {
      const iso = isoOfLooseDate(t.image);
      const span = builder.tokenSpan(t);
      // Full-width digits in the date are part of the same slip: one message, in the date's words.
      for (let i = diagnostics.length - 1; i >= 0; i--) {
        const d = diagnostics[i];
        if (d.code === 'S0310' && d.span && d.span.start >= span.start && d.span.end <= span.end) diagnostics.splice(i, 1);
      }
      diagnostics.push(error('S0311', span, { found: written.slice(t.startOffset, (t.endOffset ?? t.startOffset) + 1), fix: iso }));
      tokens.push(retyped(t, DateLiteral, iso));
    } else {
      tokens.push(t);
    }
  }
  const maxTokens = limits.maxTokens ?? DEFAULT_PARSE_LIMITS.maxTokens!;
  const nesting = tokens.length > maxTokens
    ? error('S0015', builder.tokenSpan(tokens[maxTokens]), { limit: maxTokens })
    : nestingProblem(tokens, builder, limits);
  return { tokens, comments: (lexed.groups.comments ?? []) as IToken[], diagnostics, nesting, openStringLines };
}

/**
 * The string whose closing quote is missing. In `rule r "标题 cite "一"` the lexer pairs the
 * first two quotes and leaves the last one open, but the officer forgot to close `"标题`: a
 * string on the same line that ends with a keyword (`… cite "`) is the one left open.
 */
function openingQuote(before: readonly IToken[], open: IToken): IToken {
  for (let i = before.length - 1; i >= 0 && before[i].endLine === open.startLine; i--) {
    const t = before[i];
    if (t.tokenType.name === 'StringLiteral' && /\s(?:cite|quote|en|explain|because|for|where|must|should|may|by)\s*"$/.test(t.image)) return t;
  }
  return open;
}

/** The same token (same place) read as another token type, e.g. a repaired date. */
function retyped(t: IToken, type: TokenType, image: string): IToken {
  return { ...t, image, tokenType: type, tokenTypeIdx: type.tokenTypeIdx! };
}

/** `2022年1月5日`, `2022/1/5`, `2022.1.5` -> `2022-01-05`. */
function isoOfLooseDate(image: string): string {
  const [y, m, d] = image.match(/\d+/g) ?? ['', '', ''];
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** Drops parse errors that an open string on the same line already explains. */
function withoutStringConsequences(diagnostics: Diagnostic[], openStringLines: readonly Span[]): Diagnostic[] {
  if (openStringLines.length === 0) return diagnostics;
  const isParseError = (d: Diagnostic) => ['S0002', 'S0003', 'S0004', 'S0008', 'S0313'].includes(d.code);
  return diagnostics.filter((d) => !isParseError(d) || !openStringLines.some((l) => d.span && d.span.start >= l.start && d.span.start <= l.end));
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

const LEXICAL: ReadonlySet<string> = new Set(['S0001', 'S0005', 'S0310', 'S0311', 'S0312']);

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
  const diagnostics = withoutStringConsequences([...lexed.diagnostics, ...clauseParser.errors.map((e) => parserDiagnostic(e, builder, last, 'file'))], lexed.openStringLines);
  if (tooManyErrors) return { value: empty, diagnostics: capped(diagnostics, limits, file) };
  if (overflow || !cst) return { value: empty, diagnostics: [...diagnostics, error('S0010', { file, start: 0, end: 0 }, { limit: limits.maxDepth })] };
  const ast = builder.file_(cst, lexed.comments);
  diagnostics.push(...builder.diagnostics);
  diagnostics.push(...depthProblems(ast, limits));
  // Lexical errors first: a bad character or open string explains the parse errors after it.
  const lexical = (d: Diagnostic) => (LEXICAL.has(d.code) ? 0 : 1);
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
  const diagnostics = withoutStringConsequences([...lexed.diagnostics, ...clauseParser.errors.map((e) => parserDiagnostic(e, builder, last, 'expression'))], lexed.openStringLines);
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
