/**
 * The one content digest of a policy, shared by the self-check page (`clausal bundle`), recorded
 * runs (`--record`, `runs show`) and the decision API, so a digest seen on a page matches the
 * `policy_hash` of a recorded run over the same rules.
 *
 * Definition: SHA-256 over one line per file, `<sha256 of the file>  <path>\n`, sorted by path,
 * where the path is relative to the evaluated policy folder with `/` between segments (a base
 * policy reached through `extends` is `../2015/00-policy.clause`). That is the layout `sha256sum`
 * prints, so the digest can be re-derived with standard tools; it covers the rule files and the
 * source documents of the policy and of every policy it extends. Node-only (uses node:crypto).
 */
import { createHash } from 'node:crypto';

/** One file of a policy, named relative to the policy folder, with the hex SHA-256 of its bytes. */
export interface PolicyFileHash {
  readonly path: string;
  readonly sha256: string;
}

/** Hex SHA-256 of UTF-8 text or bytes. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

const byPath = (a: PolicyFileHash, b: PolicyFileHash) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** `sha256:` and the hex digest over `files` (paths relative to the policy folder). */
export function policyContentHash(files: readonly PolicyFileHash[]): string {
  return `sha256:${sha256Hex([...files].sort(byPath).map((f) => `${f.sha256}  ${f.path}\n`).join(''))}`;
}

/** The digest of a policy's files given as text, with the per-file hashes sorted by path. */
export function policyDigest(files: readonly { path: string; text: string }[]): { hash: string; files: PolicyFileHash[] } {
  const listed = files.map((f) => ({ path: f.path, sha256: sha256Hex(f.text) })).sort(byPath);
  return { hash: policyContentHash(listed), files: listed };
}
