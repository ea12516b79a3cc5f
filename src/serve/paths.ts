/**
 * Request paths -> files inside the workbench's root directory, and nothing else. Every path a
 * client names is checked twice: as text (relative, forward slashes, no `.`/`..` segments, no
 * NUL, no drive letters), and after resolving symbolic links (the real path must still lie
 * under the root's real path), so neither `../../etc/passwd` nor a link pointing out escapes.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A file the client may name, resolved. */
export interface ResolvedPath {
  /** The path relative to the root, with forward slashes (as the client names it). */
  readonly rel: string;
  /** The real absolute path on disk. */
  readonly abs: string;
}

/** Whether `rel` is a well-formed relative path: segments of ordinary names joined by `/`. */
export function isSafeRelativePath(rel: string): boolean {
  if (rel.length === 0 || rel.length > 1024) return false;
  // Backslashes are separators on Windows and a way to smuggle `..\` past a `/` split elsewhere.
  if (/[\\\0]/.test(rel) || rel.startsWith('/') || /^[A-Za-z]:/.test(rel) || isAbsolute(rel)) return false;
  // Hidden names (`.git`, `.env.json`, a save's own temporary file) are never served or written.
  return rel.split('/').every((seg) => seg !== '' && !seg.startsWith('.') && !/[\x00-\x1f]/.test(seg));
}

/** Whether `child` (a real path) is `root` itself or lies under it. */
export function isInside(root: string, child: string): boolean {
  const r = relative(root, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r) && r.split(sep)[0] !== '..');
}

/**
 * Resolves a client-named path to an existing regular file under `root` (a real path), or
 * undefined when the name is malformed, missing, not a file, or leads outside the root.
 */
export function resolveFileInside(root: string, rel: string): ResolvedPath | undefined {
  if (!isSafeRelativePath(rel)) return undefined;
  const joined = resolve(root, ...rel.split('/'));
  if (!isInside(root, joined)) return undefined;
  let real: string;
  try {
    real = realpathSync(joined);
    if (!statSync(real).isFile()) return undefined;
  } catch {
    return undefined;
  }
  // INVARIANT: only paths whose real location is under the root leave this function.
  if (!isInside(root, real)) return undefined;
  return { rel, abs: real };
}
