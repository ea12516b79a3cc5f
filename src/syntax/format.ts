/**
 * `clausal fmt`: rewrite a `.clause` file in the canonical layout of `print.ts`. Formatting
 * is refused for a file with syntax errors: the parser's best-effort AST of broken text
 * would lose whatever it skipped, and a formatter must never delete the author's words.
 */
import type { SourceFileAst } from '../model/ast.js';
import { hasErrors, type Diagnostic } from '../model/diagnostics.js';
import { parseClauseFile } from './parse.js';
import { printFile } from './print.js';

/** The outcome of formatting one file: `output` only when the file parsed without errors. */
export interface FormatResult {
  /** The canonical text; absent when the file has syntax errors. */
  readonly output?: string;
  /** The parser's diagnostics (warnings only when `output` is present). */
  readonly diagnostics: Diagnostic[];
}

/**
 * Formats the text of a `.clause` file. Comments are kept (see `printFile`). The output is
 * parsed again and compared with the input's AST; a difference is a printer bug, reported by
 * throwing rather than by silently changing the meaning of a policy.
 */
export function formatClauseText(path: string, text: string): FormatResult {
  const parsed = parseClauseFile(path, text);
  const diagnostics = [...parsed.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics };
  const output = printFile(parsed.value, { source: text });
  const again = parseClauseFile(path, output);
  if (hasErrors(again.diagnostics) || !sameAst(again.value, parsed.value)) {
    throw new Error(`internal error: formatting ${path} would change its meaning`);
  }
  return { output, diagnostics };
}

/**
 * Equality under `stripSpans` (spans, comments and the path ignored, absent = undefined),
 * without building the stripped copies: formatting a large file compares thousands of nodes.
 */
function sameAst(a: SourceFileAst, b: SourceFileAst): boolean {
  return same(a, b);
}

function ignored(key: string): boolean {
  return key === 'span' || key.endsWith('Span') || key === 'comments' || key === 'path';
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k of Object.keys(x)) if (!ignored(k) && !same(x[k], y[k])) return false;
  for (const k of Object.keys(y)) if (!ignored(k) && x[k] === undefined && y[k] !== undefined) return false;
  return true;
}
