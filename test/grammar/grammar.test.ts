/**
 * Keeps grammar/ in step with the parser: the generated files (railroad diagrams, serialized
 * grammar, copied diagram scripts) must equal a fresh generation, and the hand-written EBNF
 * must name every parser rule, keyword, aggregate name and token, so a new rule cannot land
 * without its documentation. The README's example must parse and be canonically formatted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { formatClauseText } from '../../src/syntax/format.js';
import { DIAGRAM_ASSETS, DIAGRAMS_RESOURCE_BASE, grammarArtifacts } from '../../src/syntax/grammar-doc.js';
import { parseClauseFile } from '../../src/syntax/parse.js';
import { clauseParser } from '../../src/syntax/parser.js';
import { AGGREGATE_NAMES, allTokens, KEYWORDS } from '../../src/syntax/tokens.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const grammarDir = join(root, 'grammar');
const REGENERATE = 'run `npm run grammar` to regenerate it';

/** A committed text file, with Windows line endings (a checkout setting) undone. */
function committed(rel: string): string {
  const file = join(grammarDir, rel);
  if (!existsSync(file)) throw new Error(`grammar/${rel} is missing: ${REGENERATE}`);
  return readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
}

/** Where two texts first part, so a stale-file failure says what changed without a 50 KB diff. */
function firstDifference(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: generated ${JSON.stringify(a[at] ?? '<end>')}, committed ${JSON.stringify(b[at] ?? '<end>')}`;
}

/** The folder of the installed chevrotain package (its entry point sits below it). */
function chevrotainRoot(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('chevrotain'));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== 'chevrotain') {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the chevrotain package folder');
    dir = parent;
  }
  return dir;
}

describe('generated grammar files are up to date', () => {
  const fresh = grammarArtifacts();
  const generated: { file: string; text: string }[] = [
    { file: 'diagrams.html', text: fresh.html },
    { file: 'serialized-grammar.json', text: fresh.serialized },
  ];

  test.each(generated)('grammar/$file', ({ file, text }) => {
    const old = committed(file);
    expect(old === text, `grammar/${file} is stale (${firstDifference(text, old)}): ${REGENERATE}`).toBe(true);
  });

  test.each(DIAGRAM_ASSETS.map((a) => ({ ...a })))('grammar/diagrams/$to is the installed chevrotain/$from', ({ from, to }) => {
    const installed = readFileSync(join(chevrotainRoot(), from), 'utf8').replace(/\r\n/g, '\n');
    const old = committed(join('diagrams', to));
    expect(old === installed, `grammar/diagrams/${to} differs from the installed Chevrotain's: ${REGENERATE}`).toBe(true);
  });

  test('the diagram page loads nothing from the network', () => {
    const refs = [...fresh.html.matchAll(/(?:src|href)\s*=\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref.startsWith(DIAGRAMS_RESOURCE_BASE), ref).toBe(true);
    const local = new Set(DIAGRAM_ASSETS.map((a) => `${DIAGRAMS_RESOURCE_BASE}${a.to}`));
    for (const ref of refs) expect(local.has(ref), `${ref} is not among the copied DIAGRAM_ASSETS`).toBe(true);
  });

  test('the generation is deterministic', () => {
    expect(grammarArtifacts()).toEqual(fresh);
  });
});

describe('grammar/clause.ebnf covers the parser', () => {
  const ebnf = committed('clause.ebnf');
  // Comments may mention anything; only the productions themselves count as coverage.
  const code = ebnf.replace(/\/\*[\s\S]*?\*\//g, ' ');
  const productions = [...code.matchAll(/^([A-Za-z][A-Za-z0-9_]*)\s*::=/gm)].map((m) => m[1]);
  const parserRules = Object.keys(clauseParser.getGAstProductions());

  test('comments are closed and every statement is a production', () => {
    expect(ebnf.split('/*').length, 'unbalanced /* */ comments').toBe(ebnf.split('*/').length);
    const statements = code.split(/\n\s*\n/).map((s) => s.trim()).filter((s) => s !== '');
    for (const s of statements) expect(s, 'a statement that is not `name ::= …`').toMatch(/^[A-Za-z][A-Za-z0-9_]*\s*::=/);
    expect(new Set(productions).size, 'a production is defined twice').toBe(productions.length);
  });

  test.each(parserRules)('parser rule %s has a production', (rule) => {
    expect(productions, `grammar/clause.ebnf has no \`${rule} ::=\`: document the new parser rule there`).toContain(rule);
  });

  test('lowerCamel productions are exactly the parser rules', () => {
    // The EBNF's naming convention; a leftover production for a removed rule fails here.
    const lower = productions.filter((p) => /^[a-z]/.test(p));
    expect([...lower].sort()).toEqual([...parserRules].sort());
  });

  const quoted = (text: string) => code.includes(`'${text}'`);

  test.each(KEYWORDS.map((k) => k.name.replace(/^Kw_/, '')))('keyword `%s` appears quoted', (word) => {
    expect(quoted(word), `grammar/clause.ebnf never writes '${word}'`).toBe(true);
  });

  test.each([...AGGREGATE_NAMES])('aggregate name `%s` appears quoted', (name) => {
    expect(quoted(name), `grammar/clause.ebnf never writes '${name}' (AggregateName)`).toBe(true);
  });

  // Punctuation is written literally ('->'); every other token has a production of its name.
  const tokens = allTokens.filter((t) => !KEYWORDS.includes(t));
  const literal = (label: string | undefined) => /^`(.+)`$/.exec(label ?? '')?.[1];
  test.each(tokens.map((t) => ({ name: t.name, text: literal(t.LABEL) })))('token $name is documented', ({ name, text }) => {
    if (text !== undefined) expect(quoted(text), `grammar/clause.ebnf never writes '${text}'`).toBe(true);
    else expect(productions, `grammar/clause.ebnf has no \`${name} ::=\``).toContain(name);
  });
});

describe('grammar/README.md examples', () => {
  const readme = committed('README.md');
  const blocks = [...readme.matchAll(/```clause\n([\s\S]*?)```/g)].map((m, i) => ({ n: i + 1, text: m[1] }));

  test('there is an example', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  test.each(blocks)('example $n parses cleanly and is canonically formatted', ({ n, text }) => {
    const file = `grammar/README.md#example-${n}`;
    expect(parseClauseFile(file, text).diagnostics).toEqual([]);
    expect(formatClauseText(file, text).output).toBe(text);
  });
});
