/**
 * The engine never turns text into code: no `eval(…)`, no `Function` constructor (`new
 * Function(…)` or `Function(…)`), no `vm` module, no dynamic `import(…)` of anything, anywhere
 * under src/. Found with the TypeScript parser rather than a regex, so comments, strings and
 * type-level `import('…').T` are not mistaken for calls, and a call is not missed for its layout.
 *
 * Reviewed exceptions go in ALLOWED with the reason; there are none. (ajv compiles the YAML
 * rule-file schema with `new Function`; that schema is a constant of this package, never user
 * input, and facts are validated without ajv for that reason: see src/facts/facts.ts and
 * docs/dependencies.md.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** `path:line: what` entries that have been reviewed, each with its reason. */
const ALLOWED: ReadonlyMap<string, string> = new Map();

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every place in `text` that evaluates text as code. */
export function codeFromText(path: string, text: string): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => found.push(`${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  const isVm = (spec: ts.Expression | undefined) => !!spec && ts.isStringLiteral(spec) && /^(node:)?vm$/.test(spec.text);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) at(node, 'dynamic import()');
      else if (ts.isIdentifier(callee) && callee.text === 'eval') at(node, 'eval()');
      else if (ts.isIdentifier(callee) && callee.text === 'Function') at(node, 'Function()');
      else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'eval') at(node, '….eval()');
      else if (ts.isIdentifier(callee) && callee.text === 'require' && isVm(node.arguments[0])) at(node, "require('vm')");
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') {
      at(node, 'new Function()');
    } else if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && isVm(node.moduleSpecifier)) {
      at(node, "import from 'vm'");
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && isVm(node.moduleReference.expression)) {
      at(node, "import = require('vm')");
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('no code from text under src/', () => {
  it('the scanner finds each form it looks for (and nothing in comments, strings or types)', () => {
    const hits = codeFromText('probe.ts', [
      'eval("1");',
      'globalThis.eval("1");',
      'new Function("return 1");',
      'Function("return 1")();',
      'import("./x.js");',
      'await import(name);',
      "import vm from 'node:vm';",
      "import * as v from 'vm';",
      "export { Script } from 'vm';",
      "const r = require('vm');",
      '// eval("comment") new Function() import("x")',
      'const s = "eval(1) new Function() import(x)";',
      "type T = typeof import('./y.js');",
      "let x: import('./y.js').Y;",
      'const evaluate = (f: () => void) => f(); evaluate(() => {});',
    ].join('\n'));
    expect(hits.map((h) => h.replace(/^probe\.ts:\d+: /, ''))).toEqual([
      'eval()', '….eval()', 'new Function()', 'Function()', 'dynamic import()', 'dynamic import()',
      "import from 'vm'", "import from 'vm'", "import from 'vm'", "require('vm')",
    ]);
  });

  it('finds nothing in src/ beyond the reviewed allow-list', () => {
    const files = sources('src');
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((f) => codeFromText(f, readFileSync(f, 'utf8')));
    expect(hits.filter((h) => !ALLOWED.has(h))).toEqual([]);
  });
});
