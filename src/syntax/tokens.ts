/**
 * The lexical grammar: one ordered token list. Order matters: longer and more specific
 * patterns (dates, ratios, percentages, durations) come before plain numbers, and keywords
 * fall back to identifiers when a longer name starts with them (`rule-id`, `index`).
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

// Chevrotain drops the `u` flag, so \p{L} would silently fail on 社会工作: spell the ranges out.
const NAME_START = 'A-Za-z_\\u3400-\\u4dbf\\u4e00-\\u9fff';
const NAME_PART = 'A-Za-z0-9_\\u3400-\\u4dbf\\u4e00-\\u9fff';

/** Any token that may stand where a field name is expected (identifiers and keywords). */
export const NameLike = createToken({ name: 'NameLike', pattern: Lexer.NA });

/**
 * Identifiers may contain inner hyphens so rule and policy ids read as written
 * (`civil-affairs-post-share`); subtraction therefore needs spaces: `a - b`.
 */
export const Identifier = createToken({
  name: 'Identifier',
  pattern: new RegExp(`[${NAME_START}][${NAME_PART}]*(?:-[${NAME_PART}]+)*`),
  categories: [NameLike],
});

const keywordTokens: TokenType[] = [];
function keyword(word: string): TokenType {
  const t = createToken({ name: `Kw_${word}`, pattern: new RegExp(word), longer_alt: Identifier, categories: [NameLike], label: `\`${word}\`` });
  keywordTokens.push(t);
  return t;
}

export const Policy = keyword('policy');
export const Version = keyword('version');
export const Title = keyword('title');
export const En = keyword('en');
export const Source = keyword('source');
export const Effective = keyword('effective');
export const Until = keyword('until');
export const Extends = keyword('extends');
export const Numbering = keyword('numbering');
export const Enum = keyword('enum');
export const Kind = keyword('kind');
export const From = keyword('from');
export const Param = keyword('param');
export const SetKw = keyword('set');
export const Table = keyword('table');
export const Define = keyword('define');
export const Rule = keyword('rule');
export const Uncheckable = keyword('uncheckable');
export const Because = keyword('because');
export const Cite = keyword('cite');
export const Quote = keyword('quote');
export const For = keyword('for');
export const Where = keyword('where');
export const Must = keyword('must');
export const Should = keyword('should');
export const May = keyword('may');
export const Eligible = keyword('eligible');
export const When = keyword('when');
export const By = keyword('by');
export const Modality = keyword('modality');
export const Explain = keyword('explain');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const In = keyword('in');
export const True = keyword('true');
export const False = keyword('false');
export const None = keyword('none');
export const Today = keyword('today');
export const Many = keyword('many');
export const List = keyword('list');
export const If = keyword('if');
export const Then = keyword('then');
export const Else = keyword('else');
export const Compute = keyword('compute');
export const Override = keyword('override');

/**
 * Aggregate function names are contextual, not keywords: `count(x in …)` is an aggregate,
 * while `share` or `min` elsewhere are ordinary names (a parameter may be called `share`).
 */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set(['count', 'sum', 'all', 'any', 'share', 'min', 'max']);

/** Every keyword, in declaration order (used by the printer and tests). */
export const KEYWORDS: readonly TokenType[] = keywordTokens;

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\u3000\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: 'comments' });

export const DateLiteral = createToken({ name: 'DateLiteral', pattern: /\d{4}-\d{2}-\d{2}/, label: 'a date' });
/**
 * A date written another common way (`2022年12月31日`, `2022/12/31`, `2022.12.31`, `2022-1-5`).
 * Lexed only to say "write dates as 2022-12-31" at the date and read it as that date, rather
 * than as a number followed by a stray name. The year starts with 19 or 20, so arithmetic such
 * as `365/12/2` is never taken for a date (the printer puts spaces around `/` and `-` anyway).
 */
export const LooseDate = createToken({
  name: 'LooseDate',
  pattern: /(?:19|20)\d{2}(?:年\s*\d{1,2}\s*月\s*\d{1,2}(?:\s*日)?|\/\d{1,2}\/\d{1,2}|\.\d{1,2}\.\d{1,2}|-\d{1,2}-\d{1,2})(?!\d)/,
  start_chars_hint: ['1', '2'],
  label: 'a date',
});
export const RatioLiteral = createToken({ name: 'RatioLiteral', pattern: /\d+(?:\.\d+)?:\d+(?:\.\d+)?/, label: 'a ratio' });
export const PercentLiteral = createToken({ name: 'PercentLiteral', pattern: /\d+(?:\.\d+)?%/, label: 'a percentage' });
export const DurationLiteral = createToken({
  name: 'DurationLiteral',
  pattern: new RegExp(`\\d+[ymd](?![${NAME_PART}])`),
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  label: 'a duration',
});
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?/, label: 'a number' });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\n]|\\.)*"/, label: 'a string' });
/** A string missing its closing quote: lexed so the error points at the string, not past it. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n]|\\.)*/, label: 'a string' });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: '`->`' });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/, label: '`==`' });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, label: '`!=`' });
export const LtEq = createToken({ name: 'LtEq', pattern: /<=/, label: '`<=`' });
export const GtEq = createToken({ name: 'GtEq', pattern: />=/, label: '`>=`' });
export const Lt = createToken({ name: 'Lt', pattern: /</, label: '`<`' });
export const Gt = createToken({ name: 'Gt', pattern: />/, label: '`>`' });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: '`=`' });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: '`+`' });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: '`-`' });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: '`*`' });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: '`/`' });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: '`(`' });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: '`)`' });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: '`{`' });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/, label: '`}`' });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: '`,`' });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: '`:`' });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, label: '`;`' });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: '`.`' });

/** The ordered token list; the lexer tries them in this order. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  DateLiteral,
  LooseDate,
  RatioLiteral,
  PercentLiteral,
  DurationLiteral,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  Arrow,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  LParen,
  RParen,
  LCurly,
  RCurly,
  Comma,
  Colon,
  Semicolon,
  Dot,
  // Longest first, so `en` cannot shadow `enum`.
  ...[...keywordTokens].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  NameLike,
];

/** The lexer, built once. */
export const clauseLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: true });
