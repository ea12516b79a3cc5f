/**
 * What a command's output may replace, decided in one place for every writer (`--out` of eval,
 * export, diff, template, bundle, ledger, runs, `facts --out-dir`, `fmt`, the workbench's save).
 *
 * - Only a regular file, or nothing. A device (`/dev/full`, `/dev/null`), a named pipe, a socket
 *   or a directory is refused (X0110): the atomic rename would otherwise replace the node itself
 *   (as root, `/dev/full` became a regular file and the command exited 0).
 * - A symbolic link is written through: the file it resolves to is checked like any other and
 *   replaced, and the link stays a link. That is what shell redirection, `cp` and editors do, and
 *   what a user who links `report.json` into a shared folder means. A link that leads nowhere
 *   (dangling, a loop) is refused (X0113) rather than replaced by a file.
 * - Never a file the same run read (X0111): `--out` naming the facts, a rule file, the source
 *   text or `tests.yaml` would destroy the input. Files are compared by device and inode, so a
 *   link, a hard link or another spelling of the name is caught too. `fmt`, which rewrites its
 *   input on purpose, says so with `rewrites`.
 * - A read-only file (no write permission bit, or not writable by this user) is replaced only
 *   with `--force` (X0112): its mode is how a user marks a file as not to be touched, and root
 *   passes every permission check.
 * - A replaced file keeps its permission bits. Its owner and group are those of the writer (only
 *   root could keep them), and a hard link elsewhere keeps the old content (a rename makes a new
 *   file), as with every atomic writer.
 */
import { fsDetail } from '../model/fs-problem.js';
import { accessSync, constants, lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { fileIdentity, fileKind, fileKindZh } from '../loader/read-regular.js';

/** What a writer allows. */
export interface OutRules {
  /** `--force`: replace a read-only file. */
  readonly force?: boolean;
  /** Identities of the files this run read (`watchReads().seen`), with the name each was read by. */
  readonly inputs?: ReadonlyMap<string, string>;
  /** The command rewrites its input on purpose (`fmt`): being an input is not a reason to refuse. */
  readonly rewrites?: boolean;
}

/** Where to write: the file to replace (links resolved) and the mode to give it, or why not. */
export type OutTarget =
  | { readonly ok: true; readonly file: string; readonly mode?: number }
  | { readonly ok: false; readonly diagnostic: Diagnostic };

const errnoOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Decides where writing `path` goes under `rules`. Never throws. */
export function resolveOutTarget(path: string, rules: OutRules = {}): OutTarget {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (e) {
    // Nothing there yet: a new file (a missing folder is reported when the temporary file is made).
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return { ok: true, file: path };
    return { ok: false, diagnostic: error('X0005', undefined, { path, ...fsDetail(errnoOf(e), undefined, 'write') }) };
  }
  let file = path;
  let shown = path;
  if (st.isSymbolicLink()) {
    try {
      file = realpathSync(path);
      st = statSync(file);
    } catch (e) {
      let target = '?';
      try {
        target = readlinkSync(path);
      } catch {
        // the link vanished meanwhile: `?` says we could not read it
      }
      return { ok: false, diagnostic: error('X0113', undefined, { path, target, ...fsDetail(errnoOf(e)) }) };
    }
    shown = `${path} -> ${file}`;
  }
  if (!st.isFile()) {
    return { ok: false, diagnostic: error('X0110', undefined, { path: shown, what: fileKind(st), 'what.zh': fileKindZh(st) }) };
  }
  const input = rules.rewrites ? undefined : rules.inputs?.get(fileIdentity(st));
  if (input !== undefined) return { ok: false, diagnostic: error('X0111', undefined, { path: shown, input }) };
  if (!rules.force && readOnly(file, st)) {
    return { ok: false, diagnostic: error('X0112', undefined, { path: shown, mode: (st.mode & 0o7777).toString(8).padStart(4, '0') }) };
  }
  // Set-user-id and set-group-id bits are dropped, as a write(2) to the file itself would drop them.
  return { ok: true, file, mode: st.mode & 0o777 };
}

/** No write bit for anyone (root writes anything, so the mode is the user's statement), or not writable by us. */
function readOnly(file: string, st: Stats): boolean {
  if ((st.mode & 0o222) === 0) return true;
  try {
    accessSync(file, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}
