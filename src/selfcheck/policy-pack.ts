/**
 * A checked policy carried inside the self-check page: the parsed files of each policy level
 * (the policy and the policies it extends) with their source document, as JSON. The page checks
 * them again with the same checker, which yields the same `Policy` the CLI evaluates with, but
 * never parses rule text: no grammar, no YAML rule loader, and no ajv (which compiles schemas
 * with `new Function`, forbidden by the page's Content-Security-Policy). Browser-safe.
 */
import type { SourceFileAst } from '../model/ast.js';
import { hasErrors, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import { checkPolicy } from '../check/checker.js';

/** One policy level as the page carries it. */
export interface PackedPolicy {
  /** The level's rule files, parsed (spans keep their line and column offsets). */
  readonly files: readonly SourceFileAst[];
  /** The source document the level's header names, if it names one. */
  readonly source?: { readonly path: string; readonly text: string };
  /** The level it extends. */
  readonly base?: PackedPolicy;
}

/** Packs a checked policy (as `loadPolicy` gives it) with the policies it extends. */
export function packPolicy(policy: Policy): PackedPolicy {
  const header = policy.files.flatMap((f) => f.decls).find((d) => d.kind === 'policy');
  // `policy.source` falls back to the base's document; carry it only on the level that names it.
  const named = header?.kind === 'policy' && header.source !== undefined;
  return {
    files: policy.files,
    source: named && policy.source ? { path: policy.source.path, text: policy.source.text } : undefined,
    base: policy.base ? packPolicy(policy.base) : undefined,
  };
}

/** Checks a packed policy level by level, base first. */
export function unpackPolicy(packed: PackedPolicy): { readonly policy?: Policy; readonly diagnostics: readonly Diagnostic[] } {
  let base: Policy | undefined;
  if (packed.base) {
    const b = unpackPolicy(packed.base);
    if (!b.policy || hasErrors(b.diagnostics)) return b;
    base = b.policy;
  }
  const checked = checkPolicy({ files: packed.files, source: packed.source, base });
  return { policy: checked.policy, diagnostics: checked.diagnostics };
}

/** Every file a packed policy was made from, by path (for the content hash). */
export function packedTexts(packed: PackedPolicy, texts: ReadonlyMap<string, string>): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (let level: PackedPolicy | undefined = packed; level; level = level.base) {
    for (const f of level.files) out.push({ path: f.path, text: texts.get(f.path) ?? '' });
    if (level.source) out.push({ path: level.source.path, text: level.source.text });
  }
  return out;
}
