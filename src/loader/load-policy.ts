/**
 * Loads a policy directory from the file system: every `.clause`, `.yaml` and `.yml` file
 * (sorted by name, so rule order is stable), the source document its header names, and the
 * policy it `extends`, recursively. Node-only: the browser build gives files to
 * {@link compileSources} directly.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { compileSources, isRuleFileName, type LoadedPolicy, type PolicySourceFile } from '../policy-sources.js';
import { readTextFile } from './read-text.js';

/** Options of {@link loadPolicy}. */
export interface LoadPolicyOptions {
  /** Largest rule or source file read, in bytes. */
  readonly maxFileSize?: number;
  /** Largest compiled size in expression nodes (C0101 above it); see `DEFAULT_MAX_COMPILED_SIZE`. */
  readonly maxCompiledSize?: number;
}

const DEFAULT_MAX_FILE = 4 * 1024 * 1024;

function readText(path: string, max: number): { text?: string; problem?: string; notUtf8?: { shown: string; offset: number; byte: number } } {
  const read = readTextFile(path, max);
  if (read.ok) return { text: read.text };
  if (read.problem === 'too-large') return { problem: String(read.size) };
  // Decoding bad bytes as U+FFFD would change what a quote or label says: refuse the file.
  if (read.problem === 'not-utf8') return { problem: 'not UTF-8', notUtf8: { shown: read.text, offset: read.offset, byte: read.byteOffset } };
  return { problem: read.detail };
}

/** Loads and checks the policy in `dir`. Never throws on user input. */
export function loadPolicy(dir: string, options: LoadPolicyOptions = {}): LoadedPolicy {
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
    const { text, problem, notUtf8 } = readText(path, max);
    if (notUtf8) {
      diagnostics.push(error('S0014', { file: path, start: notUtf8.offset, end: notUtf8.offset + 1 }, { byte: notUtf8.byte }));
      unreadable.set(path, notUtf8.shown);
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
      const { text } = readText(resolve(dir, relative), max * 4);
      return { path: join(dir, relative), text };
    },
    loadBase: (relative) => loadWithChain(resolve(dir, relative), options, [...chain, real]),
  }, { maxCompiledSize: options.maxCompiledSize });
  const texts = unreadable.size ? new Map([...(result.texts ?? []), ...unreadable]) : result.texts;
  return { ...result, diagnostics: [...diagnostics, ...result.diagnostics], texts };
}
