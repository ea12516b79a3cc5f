/**
 * What one recorded run holds, gathered from the loaded policy and the facts on disk: every
 * rule and source file (content and SHA-256, stored relative to their common folder so the
 * run replays without the repository), the facts' hash (and optionally a gzip copy), the
 * parameters in force, and every result row. Node-only (reads files).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix as posixPath, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LoadedPolicy } from '../policy-sources.js';
import type { Policy, RuleInfo } from '../model/types.js';
import type { RuleResult, SubjectInfo, Summary } from '../model/result.js';
import { paramsAsOf } from '../eval/evaluate.js';
import { paramValueJson } from './param-value.js';
import { policyContentHash } from '../policy-digest.js';

/** A file stored with a run. */
export interface StoredFile {
  /** `policy` (a rule file), `source` (a source document) or `facts`. */
  readonly role: 'policy' | 'source' | 'facts';
  /** Path relative to the run's common folder (policy, source) or the facts folder (facts), with `/`. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  /** The bytes (gzip-compressed when `compressed`); absent for facts recorded without a copy. */
  readonly content?: Uint8Array;
  readonly compressed: boolean;
}

/** A parameter's value on the run's as-of date. */
export interface ParamInForce {
  readonly name: string;
  /** JSON text of the value (see param-value.ts), null when none is in force. */
  readonly value: string | null;
  /** The date the value took effect, when its history says. */
  readonly since: string | null;
}

/** Everything {@link recordRun} writes for one `eval`. */
export interface RunRecord {
  /** A random key for the run; receipts hash it, so they differ between runs. */
  readonly runKey: string;
  readonly policy: { readonly id: string; readonly version: string };
  /** The policy's content digest (`sha256:…`, see policy-digest.ts): the same the self-check page shows. */
  readonly policyHash: string;
  /** The evaluated policy folder, relative to the stored files' common folder (`.` when it is that folder). */
  readonly policyDir: string;
  readonly asOf: string;
  readonly lang: string;
  readonly engineVersion: string;
  readonly commandLine: readonly string[];
  readonly cwd: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly factsPath: string;
  readonly factsHash: string;
  readonly factsCopy: boolean;
  readonly files: readonly StoredFile[];
  readonly params: readonly ParamInForce[];
  /** The policy's rules (id, clause, quote), so a receipt shows the quote without the files. */
  readonly rules: readonly RuleInfo[];
  readonly subjects: number;
  readonly results: readonly RuleResult[];
  readonly infos: ReadonlyMap<string, SubjectInfo>;
  readonly summary: Summary;
}

/** The engine version stored with every run (and compared by `runs verify`). */
export const ENGINE_VERSION = 'clausal 0.1.0';

/** Hex SHA-256 of bytes. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A new run key. */
export function newRunKey(): string {
  return randomUUID();
}

/**
 * The receipt of one decision: a stable hash of the run, the subject and the rule, so the
 * same decision in another run has another receipt, and a receipt names one row.
 */
export function receiptOf(runKey: string, kind: string, id: string, rule: string): string {
  return `r-${sha256(`${runKey}\u0000${kind}\u0000${id}\u0000${rule}`).slice(0, 20)}`;
}

function commonFolder(paths: readonly string[]): string {
  let common = dirname(paths[0]);
  for (const p of paths) {
    while (common !== dirname(common) && !(p === common || p.startsWith(common.endsWith(sep) ? common : common + sep))) common = dirname(common);
  }
  return common;
}

const posix = (p: string) => p.split(sep).join('/');

/** The policy's rule and source files, relative to their common folder. */
export function policyFiles(loaded: LoadedPolicy, policyDir: string, cwd: string): { files: StoredFile[]; policyDir: string; policyHash: string } {
  const byPath = new Map<string, { role: 'policy' | 'source'; text: string }>();
  for (const [p, text] of loaded.texts ?? []) byPath.set(resolve(cwd, p), { role: 'policy', text });
  for (let p: Policy | undefined = loaded.policy; p; p = p.base) {
    if (p.source) byPath.set(resolve(cwd, p.source.path), { role: 'source', text: p.source.text });
  }
  const dir = resolve(cwd, policyDir);
  const common = commonFolder([...byPath.keys(), join(dir, 'x')]);
  const files = [...byPath].map(([abs, { role, text }]): StoredFile => {
    const content = new TextEncoder().encode(text);
    return { role, path: posix(relative(common, abs)), sha256: sha256(content), bytes: content.length, content, compressed: false };
  }).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const policyDirInCommon = posix(relative(common, dir)) || '.';
  const policyHash = policyContentHash(files.map((f) => ({ path: posixPath.relative(policyDirInCommon, f.path), sha256: f.sha256 })));
  return { files, policyDir: policyDirInCommon, policyHash };
}

/** The hash of a set of stored files: over their paths and content hashes. */
export function hashOfFiles(files: readonly Pick<StoredFile, 'path' | 'sha256'>[]): string {
  return sha256([...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => `${f.path}\u0000${f.sha256}\n`).join(''));
}

/** The facts file (or every file of a facts folder), hashed and, with `copy`, gzip-compressed. */
export function factsFiles(factsPath: string, copy: boolean): { files: StoredFile[]; hash: string } {
  const isDir = statSync(factsPath).isDirectory();
  const names = isDir ? readdirSync(factsPath).filter((n) => !n.startsWith('.') && statSync(join(factsPath, n)).isFile()).sort() : [''];
  const files = names.map((name): StoredFile => {
    const bytes = readFileSync(isDir ? join(factsPath, name) : factsPath);
    const path = isDir ? name : factsPath.split(/[\\/]/).pop()!;
    return { role: 'facts', path, sha256: sha256(bytes), bytes: bytes.length, content: copy ? gzipSync(bytes) : undefined, compressed: copy };
  });
  return { files, hash: isDir ? hashOfFiles(files) : files[0].sha256 };
}

/** The parameters in force on `asOf`, with the date each took effect. */
export function paramsInForce(policy: Policy, asOf: string): ParamInForce[] {
  const values = paramsAsOf(policy, asOf);
  return [...policy.params.values()].map((p) => {
    let since: string | null = null;
    let found = false;
    for (const v of p.history) if (v.from === undefined || v.from <= asOf) { since = v.from ?? null; found = true; }
    return { name: p.name, value: found ? paramValueJson(values[p.name]) : null, since };
  });
}
