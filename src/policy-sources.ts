/**
 * From rule-file texts to a checked policy, without touching the file system: parses each
 * file in its form (`.clause` or YAML), then checks them together. Used by the Node loader
 * and by anything that holds files in memory (tests, a browser editor).
 */
import { error, hasErrors, type Diagnostic } from './model/diagnostics.js';
import type { SourceFileAst } from './model/ast.js';
import type { Policy } from './model/types.js';
import { checkPolicy } from './check/checker.js';
import { parseClauseFile } from './syntax/parse.js';
import { parseYamlPolicyFile } from './yaml/load-yaml.js';

/** A rule file's path (for messages) and text. */
export interface PolicySourceFile {
  readonly path: string;
  readonly text: string;
}

/** A loaded policy: present when loading got far enough to check, even with errors. */
export interface LoadedPolicy {
  readonly policy?: Policy;
  readonly diagnostics: readonly Diagnostic[];
  /** Every file's text by path, for rendering diagnostics with source lines. */
  readonly texts?: ReadonlyMap<string, string>;
}

/** How a policy's header references are resolved. */
export interface SourceResolver {
  /** Reads the source document named by `source "…"` (text undefined when unreadable). */
  readSource(relative: string): { readonly path: string; readonly text?: string; readonly refused?: Diagnostic };
  /** Loads the policy named by `extends "…"`. */
  loadBase(relative: string): LoadedPolicy;
  /**
   * Parses a rule file; an editor passes a cache here, so that a keystroke re-parses only the
   * file it changed (ASTs are immutable, so sharing them between compiles is safe).
   */
  parse?(file: PolicySourceFile): ParsedRuleFile;
}

/** A parsed rule file and its syntax diagnostics. */
export interface ParsedRuleFile {
  readonly value: SourceFileAst;
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether a file name is a rule file (policy tests live in `tests.yaml` / `*.tests.yaml`). */
export function isRuleFileName(name: string): boolean {
  if (name === 'tests.yaml' || name === 'tests.yml' || /\.tests\.ya?ml$/.test(name)) return false;
  return name.endsWith('.clause') || name.endsWith('.yaml') || name.endsWith('.yml');
}

/** Parses one rule file by its extension. */
export function parseRuleFile(file: PolicySourceFile): ParsedRuleFile {
  return file.path.endsWith('.clause') ? parseClauseFile(file.path, file.text) : parseYamlPolicyFile(file.path, file.text);
}

/** Parses and checks a policy's files. */
export function compileSources(files: readonly PolicySourceFile[], resolver: SourceResolver, options: { readonly maxCompiledSize?: number } = {}): LoadedPolicy {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const diagnostics: Diagnostic[] = [];
  const asts: SourceFileAst[] = [];
  for (const f of files) {
    const parsed = resolver.parse ? resolver.parse(f) : parseRuleFile(f);
    diagnostics.push(...parsed.diagnostics);
    asts.push(parsed.value);
  }
  // Checking files with syntax errors would bury the real problem under follow-on errors.
  if (hasErrors(diagnostics)) return { diagnostics, texts };
  const header = asts.flatMap((a) => a.decls).find((d) => d.kind === 'policy');
  let base: Policy | undefined;
  if (header?.kind === 'policy' && header.extends) {
    const loaded = resolver.loadBase(header.extends.value);
    for (const [p, t] of loaded.texts ?? []) texts.set(p, t);
    if (!loaded.policy || hasErrors(loaded.diagnostics)) {
      return { diagnostics: [...loaded.diagnostics, error('C0020', header.extends.span, { path: header.extends.value })], texts };
    }
    base = loaded.policy;
  }
  let source: { path: string; text: string } | { path: string; missing: true } | undefined;
  if (header?.kind === 'policy' && header.source) {
    const read = resolver.readSource(header.source.value);
    // A source outside the policy root, or not a regular file: said at the header, not read.
    if (read.refused) return { diagnostics: [...diagnostics, { ...read.refused, span: header.source.span }], texts };
    source = read.text === undefined ? { path: read.path, missing: true } : { path: read.path, text: read.text };
  }
  const checked = checkPolicy({ files: asts, source, base, maxCompiledSize: options.maxCompiledSize, texts });
  return { policy: checked.policy, diagnostics: [...diagnostics, ...checked.diagnostics], texts };
}
