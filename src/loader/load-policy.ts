/**
 * Loads a policy directory from the file system: every `.clause`, `.yaml` and `.yml` file
 * (sorted by name, so rule order is stable), the source document its header names, and the
 * policy it `extends`, recursively. Node-only: the browser build gives files to
 * {@link compileSources} directly.
 */
import { fileKindArgs } from '../model/fs-problem.js';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { compileSources, isRuleFileName, type LoadedPolicy, type PolicySourceFile } from '../policy-sources.js';
import { readTextFile } from './read-text.js';

/** Options of {@link loadPolicy}. */
export interface LoadPolicyOptions {
  /** Largest rule or source file read, in bytes. */
  readonly maxFileSize?: number;
  /** Largest compiled size in expression nodes (C0101 above it); see `DEFAULT_MAX_COMPILED_SIZE`. */
  readonly maxCompiledSize?: number;
  /**
   * The folder `source` and `extends` may reach into (S0101 outside it); default
   * {@link defaultPolicyRoot} of the policy directory. `clausal check|eval --policy-root DIR`.
   */
  readonly root?: string;
  /**
   * Texts to use instead of what some rule files hold on disk (a workbench's unsaved edits),
   * keyed by the absolute path of the file as the loader names it (`join(dir, name)` with an
   * absolute `dir`). Only files the directory holds are read this way; a key naming no such
   * file is ignored.
   */
  readonly texts?: ReadonlyMap<string, string>;
}

const DEFAULT_MAX_FILE = 4 * 1024 * 1024;

function readText(path: string, max: number): { text?: string; problem?: string; notRegular?: string; notUtf8?: { shown: string; offset: number; byte: number } } {
  const read = readTextFile(path, max);
  if (read.ok) return { text: read.text };
  if (read.problem === 'too-large') return { problem: String(read.size) };
  if (read.problem === 'not-regular') return { notRegular: read.what };
  // Decoding bad bytes as U+FFFD would change what a quote or label says: refuse the file.
  if (read.problem === 'not-utf8') return { problem: 'not UTF-8', notUtf8: { shown: read.text, offset: read.offset, byte: read.byteOffset } };
  return { problem: read.detail };
}

/**
 * The root a policy's `source` and `extends` may not leave: the nearest folder above the policy
 * directory that holds `.git` (the repository it was cloned in) or a `policies` folder; else the
 * policy directory's parent, so sibling versions (`extends "../2021"`) still resolve.
 */
export function defaultPolicyRoot(realDir: string): string {
  for (let d = dirname(realDir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git')) || existsSync(join(d, 'policies'))) return d;
    if (dirname(d) === d) return dirname(realDir);
  }
}

/** Whether `path` (real) is `root` or inside it. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of `path`, or of its folder joined with its name when it does not exist yet. */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/** Loads and checks the policy in `dir`. Never throws on user input. */
export function loadPolicy(dir: string, options: LoadPolicyOptions = {}): LoadedPolicy {
  if (options.root === undefined) {
    try {
      options = { ...options, root: defaultPolicyRoot(realpathSync(dir)) };
    } catch {
      // The directory is missing: loadWithChain reports it.
    }
  } else options = { ...options, root: realOrSelf(options.root) };
  return loadWithChain(dir, options, []);
}

function loadWithChain(dir: string, options: LoadPolicyOptions, chain: string[]): LoadedPolicy {
  const max = options.maxFileSize ?? DEFAULT_MAX_FILE;
  let real: string;
  let names: string[];
  try {
    real = realpathSync(dir);
    if (!statSync(real).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    names = readdirSync(real).filter(isRuleFileName).sort();
  } catch {
    return { diagnostics: [error('X0006', undefined, { path: dir })] };
  }
  if (chain.includes(real)) {
    return { diagnostics: [error('C0031', undefined, { path: [...chain, real].join(' -> ') })] };
  }
  const files: PolicySourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const unreadable = new Map<string, string>();
  for (const name of names) {
    const path = join(dir, name);
    const edited = options.texts?.get(path);
    const read: ReturnType<typeof readText> = edited === undefined ? readText(path, max) : Buffer.byteLength(edited) <= max ? { text: edited } : { problem: String(Buffer.byteLength(edited)) };
    const { text, problem, notUtf8, notRegular } = read;
    if (notUtf8) {
      diagnostics.push(error('S0014', { file: path, start: notUtf8.offset, end: notUtf8.offset + 1 }, { byte: notUtf8.byte }));
      unreadable.set(path, notUtf8.shown);
      continue;
    }
    if (notRegular !== undefined) {
      diagnostics.push(error('S0100', { file: path, start: 0, end: 0 }, { path, ...fileKindArgs(notRegular) }));
      continue;
    }
    if (text === undefined) {
      diagnostics.push(error('S0009', { file: path, start: 0, end: 0 }, { limit: max, size: problem ?? '?' }));
      continue;
    }
    files.push({ path, text });
  }
  if (files.length === 0 && diagnostics.length === 0) {
    return { diagnostics: [error('C0026', undefined, { path: dir })] };
  }
  const result = compileSources(files, {
    readSource: (relative) => {
      const shown = join(dir, relative);
      const target = resolve(dir, relative);
      if (options.root !== undefined && !inside(options.root, realOrSelf(target))) {
        return { path: shown, refused: error('S0101', undefined, { path: relative, root: options.root }) };
      }
      const { text, notRegular } = readText(target, max * 4);
      if (notRegular !== undefined) return { path: shown, refused: error('S0100', undefined, { path: shown, ...fileKindArgs(notRegular) }) };
      return { path: shown, text };
    },
    loadBase: (relative) => {
      const target = resolve(dir, relative);
      if (options.root !== undefined && !inside(options.root, realOrSelf(target))) {
        return { diagnostics: [error('S0101', undefined, { path: relative, root: options.root })] };
      }
      return loadWithChain(target, options, [...chain, real]);
    },
  }, { maxCompiledSize: options.maxCompiledSize });
  const texts = unreadable.size ? new Map([...(result.texts ?? []), ...unreadable]) : result.texts;
  return { ...result, diagnostics: [...diagnostics, ...result.diagnostics], texts };
}
