/**
 * What the workbench shows of a directory: the policy versions in it (directories holding rule
 * files), their rule files and source documents with their texts, and the facts files beside
 * them. The browser compiles and evaluates everything itself; the server only reads and writes.
 *
 * A directory is a policy version when it holds a `.clause` file or a YAML file with a
 * top-level `policy:` key (the header); its `.yaml` files are then rule files, as
 * `loadPolicy` reads them. YAML, JSON and NDJSON files anywhere else are facts files.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { readRegularFile } from '../loader/read-regular.js';
import { join } from 'node:path';
import { isRuleFileName } from '../policy-sources.js';
import { factsFormatOf } from '../facts/parse-facts.js';
import { isTestFileName } from '../policy-test/load-tests.js';

/** Limits of a workspace scan. */
export interface WorkspaceLimits {
  /** Deepest directory level scanned below the root. */
  readonly maxDepth: number;
  /** Most directory entries looked at in all. */
  readonly maxEntries: number;
  /** Largest rule or source file whose text is sent. */
  readonly maxFileBytes: number;
  /** Most bytes of text sent in one workspace answer. */
  readonly maxTotalBytes: number;
}

/** Defaults: a policy family (a few versions, supplements, examples) fits many times over. */
export const DEFAULT_WORKSPACE_LIMITS: WorkspaceLimits = {
  maxDepth: 6,
  maxEntries: 20_000,
  maxFileBytes: 4 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
};

/** A text file sent whole to the browser. */
export interface WorkspaceFile {
  /** Relative to the root, forward slashes. */
  readonly path: string;
  readonly text: string;
  /** sha256 of the UTF-8 bytes, hex: what a save must name to overwrite this version. */
  readonly hash: string;
  /** `test`: a version's tests.yaml (or `*.tests.yaml`), edited and saved but not compiled as rules. */
  readonly role: 'rule' | 'source' | 'test';
}

/** A policy version directory. */
export interface WorkspacePolicy {
  /** Relative to the root (`.` for the root itself). */
  readonly dir: string;
  /** Its rule files, sorted by name as `loadPolicy` orders them. */
  readonly files: readonly string[];
  /** Its test files, sorted by name as `clausal test` reads them. */
  readonly tests: readonly string[];
}

/** A facts file (fetched on demand: facts can be large). */
export interface WorkspaceFacts {
  readonly path: string;
  readonly size: number;
}

/** The answer of `GET /api/workspace`. */
export interface Workspace {
  /** The root directory's own name, for the title bar. */
  readonly name: string;
  readonly policies: readonly WorkspacePolicy[];
  readonly files: readonly WorkspaceFile[];
  readonly facts: readonly WorkspaceFacts[];
  /** Files left out by a limit, so the page can say so instead of silently missing them. */
  readonly skipped: readonly string[];
}

/** sha256 of a text's UTF-8 bytes, hex. */
export function hashText(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

const HEADER = /^policy:/m;

/**
 * Whether a directory (a real path) is a policy version: it holds a `.clause` file, or a YAML
 * rule file with the `policy:` header. Saves are allowed only into such directories, so a facts
 * file, which is named like a YAML rule file, is never rewritten by the workbench.
 */
export function isPolicyDir(abs: string, limits: WorkspaceLimits = DEFAULT_WORKSPACE_LIMITS): boolean {
  let names: string[];
  try {
    names = readdirSync(abs).filter(isRuleFileName);
  } catch {
    return false;
  }
  if (names.some((n) => n.endsWith('.clause'))) return true;
  return names.some((n) => {
    try {
      // Descriptor-based and bounded: a rule-file name linked to /dev/zero is not read forever.
      const read = readRegularFile(join(abs, n), limits.maxFileBytes);
      return read.ok && HEADER.test(read.bytes.toString('utf8'));
    } catch {
      return false;
    }
  });
}

interface Dir {
  readonly rel: string;
  readonly abs: string;
  readonly files: string[];
}

/** Scans `root` (a real path) for policy versions, sources and facts. */
export function scanWorkspace(root: string, name: string, limits: WorkspaceLimits = DEFAULT_WORKSPACE_LIMITS): Workspace {
  const dirs: Dir[] = [];
  let entries = 0;
  const skipped: string[] = [];
  const walk = (abs: string, rel: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch {
      return;
    }
    const dir: Dir = { rel, abs, files: [] };
    dirs.push(dir);
    for (const n of names) {
      if (++entries > limits.maxEntries) {
        skipped.push(rel === '.' ? n : `${rel}/${n}`);
        return;
      }
      // Hidden entries hold editor swap files, VCS data and our own temporary files mid-save.
      if (n.startsWith('.') || n === 'node_modules') continue;
      const childAbs = join(abs, n);
      let st;
      try {
        // lstat: a symbolic link is not followed, so the scan never leaves the root.
        st = lstatSync(childAbs);
      } catch {
        continue;
      }
      const childRel = rel === '.' ? n : `${rel}/${n}`;
      if (st.isDirectory()) {
        if (depth < limits.maxDepth) walk(childAbs, childRel, depth + 1);
      } else if (st.isFile()) dir.files.push(n);
    }
  };
  walk(root, '.', 0);

  const files: WorkspaceFile[] = [];
  const policies: WorkspacePolicy[] = [];
  const facts: WorkspaceFacts[] = [];
  let total = 0;
  const read = (d: Dir, n: string): string | undefined => {
    const path = d.rel === '.' ? n : `${d.rel}/${n}`;
    // Read at most what the limits leave room for: a 2 GB source text is skipped after 4 MiB, not loaded.
    const read = readRegularFile(join(d.abs, n), Math.min(limits.maxFileBytes, limits.maxTotalBytes - total));
    if (!read.ok) {
      skipped.push(path);
      return undefined;
    }
    total += read.bytes.length;
    return read.bytes.toString('utf8');
  };
  for (const d of dirs) {
    const ruleNames = d.files.filter(isRuleFileName);
    const texts = new Map<string, string>();
    const isPolicy = ruleNames.some((n) => n.endsWith('.clause'))
      || ruleNames.some((n) => {
        const t = read(d, n);
        if (t !== undefined) texts.set(n, t);
        return t !== undefined && HEADER.test(t);
      });
    const pathOf = (n: string) => (d.rel === '.' ? n : `${d.rel}/${n}`);
    if (isPolicy) {
      for (const n of ruleNames) {
        const text = texts.get(n) ?? read(d, n);
        if (text !== undefined) files.push({ path: pathOf(n), text, hash: hashText(text), role: 'rule' });
      }
      const testNames = d.files.filter(isTestFileName);
      for (const n of testNames) {
        const text = read(d, n);
        if (text !== undefined) files.push({ path: pathOf(n), text, hash: hashText(text), role: 'test' });
      }
      policies.push({ dir: d.rel, files: ruleNames.map(pathOf), tests: testNames.map(pathOf) });
    }
    for (const n of d.files) {
      if (n.endsWith('.txt')) {
        const text = read(d, n);
        if (text !== undefined) files.push({ path: pathOf(n), text, hash: hashText(text), role: 'source' });
      } else if (!isPolicy && factsFormatOf(n) && !/^tests\.ya?ml$|\.tests\.ya?ml$/.test(n)) {
        // Sizes from the texts already read would miss unread files; stat them instead.
        try {
          facts.push({ path: pathOf(n), size: lstatSync(join(d.abs, n)).size });
        } catch {
          // vanished between the listing and now: not worth a message
        }
      }
    }
  }
  return { name, policies, files, facts, skipped };
}
