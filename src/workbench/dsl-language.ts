/**
 * Syntax highlighting of `.clause` files: a CodeMirror StreamLanguage whose token classes follow
 * src/syntax/tokens.ts (keywords, dates before ratios before percentages before numbers,
 * strings, `#` comments). Highlighting only: diagnostics come from the real parser.
 */
import { StreamLanguage, type StreamParser } from '@codemirror/language';

/** Keywords of the language, as in src/syntax/tokens.ts. */
export const DSL_KEYWORDS: readonly string[] = [
  'policy', 'version', 'title', 'en', 'source', 'effective', 'until', 'extends', 'enum', 'kind', 'from', 'param', 'set', 'table',
  'define', 'rule', 'uncheckable', 'because', 'cite', 'quote', 'for', 'where', 'must', 'should', 'may', 'eligible', 'when', 'by',
  'modality', 'explain', 'and', 'or', 'not', 'in', 'true', 'false', 'none', 'today', 'many', 'list',
  'if', 'then', 'else', 'compute', 'override', 'numbering',
];

const DECLARATION = new Set(['policy', 'enum', 'kind', 'param', 'set', 'table', 'define', 'rule', 'uncheckable', 'override']);
const MODALITY = new Set(['must', 'should', 'may', 'eligible', 'compute']);
const ATOM = new Set(['true', 'false', 'none', 'today']);
const OPERATOR = new Set(['and', 'or', 'not', 'in', 'if', 'then', 'else']);
const KEYWORDS = new Set(DSL_KEYWORDS);
const TYPES = new Set(['integer', 'number', 'percent', 'ratio', 'date', 'duration', 'boolean', 'string']);

/** The tokenizer (exported for tests). */
export const clauseParser: StreamParser<{ afterDecl: boolean; afterIn?: boolean }> = {
  name: 'clause',
  startState: () => ({ afterDecl: false, afterIn: false }),
  token(stream, state) {
    if (stream.eatSpace()) return null;
    if (stream.match(/^#.*/)) return 'comment';
    if (stream.match(/^"(?:[^"\\\n]|\\.)*"?/)) return 'string';
    if (stream.match(/^\d{4}-\d{2}-\d{2}/)) return 'number';
    if (stream.match(/^\d+(?:\.\d+)?:\d+(?:\.\d+)?/)) return 'number';
    if (stream.match(/^\d+(?:\.\d+)?%/)) return 'number';
    if (stream.match(/^\d+[ymd](?![A-Za-z0-9_])/)) return 'number';
    if (stream.match(/^\d+(?:\.\d+)?/)) return 'number';
    // The contextual `step` of a value rule is a keyword only before its number; a Chinese name
    // right after `in` is a unit (`integer in 岗位`, `compute in 元`).
    if (stream.match(/^step(?=\s+\d)/)) {
      state.afterDecl = false;
      state.afterIn = false;
      return 'keyword';
    }
    if (stream.match(/^[\u3400-\u4dbf\u4e00-\u9fff][\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9_]*/)) {
      const wasIn = state.afterIn;
      const wasDecl = state.afterDecl;
      state.afterIn = false;
      state.afterDecl = false;
      return wasDecl ? 'variableName.definition' : wasIn ? 'typeName' : 'variableName';
    }
    // Rule ids may hold hyphens (`civil-affairs-post-share`); elsewhere `a-b` is a subtraction.
    const word = stream.match(state.afterDecl ? /^[A-Za-z_][A-Za-z0-9_-]*/ : /^[A-Za-z_][A-Za-z0-9_]*/);
    if (word && Array.isArray(word)) {
      const w = word[0];
      const wasDecl = state.afterDecl;
      state.afterDecl = DECLARATION.has(w);
      state.afterIn = w === 'in';
      if (wasDecl) return 'variableName.definition';
      if (MODALITY.has(w)) return 'controlKeyword';
      if (ATOM.has(w)) return 'atom';
      if (OPERATOR.has(w)) return 'operatorKeyword';
      if (KEYWORDS.has(w)) return 'keyword';
      if (TYPES.has(w)) return 'typeName';
      return 'variableName';
    }
    state.afterDecl = false;
    state.afterIn = false;
    if (stream.match(/^(?:->|<=|>=|==|!=|[<>+\-*/=:])/)) return 'operator';
    stream.next();
    return 'punctuation';
  },
  languageData: { commentTokens: { line: '#' } },
};

/** The `.clause` language for CodeMirror. */
export const clauseLanguage = StreamLanguage.define(clauseParser);
