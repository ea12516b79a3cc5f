/**
 * The VS Code extension's TextMate grammar (editors/vscode/syntaxes/clause.tmLanguage.json),
 * run by the engine VS Code uses (vscode-textmate + vscode-oniguruma) on every bundled `.clause`
 * file and compared token by token with the real lexer: each keyword, string, comment, number
 * and name the parser sees must get the matching scope, so highlighting never disagrees with
 * the language (a keyword added to src/syntax/tokens.ts fails here until the grammar has it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { LineIndex } from '../../src/model/span.js';
import { clauseLexer, KEYWORDS } from '../../src/syntax/tokens.js';

const GRAMMAR = 'editors/vscode/syntaxes/clause.tmLanguage.json';
const POLICIES = 'policies/yunnan-social-work';

function clauseFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? clauseFiles(join(dir, e.name)) : e.name.endsWith('.clause') ? [join(dir, e.name)] : []));
}

let grammar: vsctm.IGrammar;
beforeAll(async () => {
  const wasm = readFileSync('node_modules/vscode-oniguruma/release/onig.wasm');
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope: string) => (scope === 'source.clause' ? vsctm.parseRawGrammar(readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null),
  });
  grammar = (await registry.loadGrammar('source.clause'))!;
});

/** The scopes of every character of `text`, line by line. */
function scopesOf(text: string): string[][][] {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    const perChar: string[][] = [];
    for (const t of r.tokens) for (let i = t.startIndex; i < t.endIndex; i++) perChar[i] = t.scopes;
    return perChar;
  });
}

/** What scope a lexer token must have. */
function expected(tokenName: string): RegExp {
  if (tokenName === 'Comment') return /^comment\./;
  if (tokenName === 'StringLiteral') return /^string\./;
  if (/^(Date|Ratio|Percent|Duration|Number)Literal$/.test(tokenName)) return /^constant\.numeric/;
  if (tokenName.startsWith('Kw_')) return /^(keyword\.|constant\.language)/;
  if (tokenName === 'Identifier') return /^(variable\.|entity\.name\.|support\.)/;
  return /^(keyword\.operator|punctuation)/;
}

describe('TextMate grammar', () => {
  const files = clauseFiles(POLICIES);

  it('finds the bundled .clause files', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('agrees with the lexer on %s', (file) => {
    const text = readFileSync(file, 'utf8');
    const lexed = clauseLexer.tokenize(text);
    const tokens = [...lexed.tokens, ...(lexed.groups.comments ?? [])];
    expect(tokens.length).toBeGreaterThan(10);
    const scopes = scopesOf(text);
    const lines = new LineIndex(text);
    const wrong: string[] = [];
    for (const t of tokens) {
      const { line, column } = lines.position(t.startOffset);
      const inner = scopes[line - 1][column - 1]?.at(-1) ?? '(none)';
      if (!expected(t.tokenType.name).test(inner)) wrong.push(`${line}:${column} ${t.tokenType.name} \`${t.image}\` got ${inner}`);
    }
    expect(wrong).toEqual([]);
  });

  it('knows every keyword of the language', () => {
    const words = KEYWORDS.map((k) => String(k.PATTERN).replace(/^\/|\/$/g, ''));
    const unscoped = words.filter((w) => !/^(keyword\.|constant\.language)/.test(scopesOf(`${w} `)[0][0]?.at(-1) ?? ''));
    expect(unscoped).toEqual([]);
  });

  it.each([
    ['a keyword inside a hyphenated rule id is part of the id', 'rule school-in-area', 5, 'entity.name.function.rule.clause'],
    ['a keyword as the prefix of a name is a name', 'must_have and x', 0, 'variable.other.clause'],
    ['a builtin before its parenthesis', 'ceil(x)', 0, 'support.function.builtin.clause'],
    ['a rounding builtin with a step', 'round_half_even(x, 0.01)', 0, 'support.function.builtin.clause'],
    ['a full-width string stays a string', '"三（二）"', 2, 'string.quoted.double.clause'],
    ['a date, not a subtraction', '2021-06-30', 4, 'constant.numeric.date.clause'],
    ['a conditional', 'if x then 1 else 2', 0, 'keyword.control.conditional.clause'],
  ])('%s', (_, line, at, scope) => {
    expect(scopesOf(line)[0][at].at(-1)).toBe(scope);
  });
});
