/**
 * Puts a run's stored files back on disk (in a fresh temporary folder) so `runs verify` can
 * load the policy and facts exactly as they were, without the repository. Every stored file
 * is checked against its hash first, and a stored path may not leave the folder.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { hashOfFiles, sha256 } from './run-record.js';
import type { StoredFileContent } from './queries.js';

/** A run's files restored into a temporary folder; `dispose()` removes it. */
export interface Restored {
  readonly root: string;
  /** The facts to evaluate: the restored copy, or the original path when it still has the recorded hash. */
  readonly factsPath?: string;
  readonly problems: readonly Diagnostic[];
  dispose(): void;
}

function inside(root: string, path: string): string | undefined {
  const target = resolve(root, path);
  const rel = relative(root, target);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? target : undefined;
}

/** The hash of the facts at `path` now (a file, or a folder's regular files), or undefined when unreadable. */
function currentFactsHash(path: string): string | undefined {
  try {
    if (!statSync(path).isDirectory()) return sha256(readFileSync(path));
    const names = readdirSync(path).filter((n) => !n.startsWith('.') && statSync(join(path, n)).isFile()).sort();
    return hashOfFiles(names.map((n) => ({ path: n, sha256: sha256(readFileSync(join(path, n))) })));
  } catch {
    return undefined;
  }
}

/** Restores run `run`'s files; problems name tampered files and missing facts. */
export function restoreRun(run: number, files: readonly StoredFileContent[], facts: { path: string; hash: string; copy: boolean }): Restored {
  const root = mkdtempSync(join(tmpdir(), 'clausal-verify-'));
  const dispose = () => rmSync(root, { recursive: true, force: true });
  const problems: Diagnostic[] = [];
  const factsFiles = files.filter((f) => f.role === 'facts');
  for (const f of files) {
    if (!f.content) continue;
    if (sha256(f.content) !== f.sha256) {
      problems.push(error('R0507', undefined, { run, file: f.path }));
      continue;
    }
    const target = inside(join(root, f.role === 'facts' ? 'facts' : 'policy'), f.path);
    if (!target) {
      problems.push(error('R0507', undefined, { run, file: f.path }));
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content);
  }
  let factsPath: string | undefined;
  if (facts.copy) {
    const isFolder = factsFiles.length !== 1 || facts.hash !== factsFiles[0].sha256;
    factsPath = isFolder ? join(root, 'facts') : join(root, 'facts', factsFiles[0].path);
  } else {
    const now = currentFactsHash(facts.path);
    if (now === facts.hash) factsPath = facts.path;
    else problems.push(error('R0508', undefined, { run, path: facts.path, ...(now === undefined ? { 'why.zh': '已不存在', 'why.en': 'no longer exists' } : { 'why.zh': '已被改动', 'why.en': 'has changed since' }), why: '' }));
  }
  return { root: join(root, 'policy'), factsPath, problems, dispose };
}
