/**
 * Writes a file so readers see either the old content or the new, never half of it: write a
 * temporary file beside the target, fsync it, then rename over the target (atomic within one
 * file system). Every file a command writes goes through {@link atomicFile}, which first asks
 * `out-target.ts` what the target may be (a regular file or nothing, not an input of the run,
 * not read-only unless forced; a symlink is written through) and asks again just before the
 * rename, since the run may have read more files, or the target changed, in between.
 */
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError } from '../pipeline/engine.js';
import { resolveOutTarget, type OutRules } from './out-target.js';

/** A file being written: visible at `path` only once committed. */
export interface AtomicFile {
  write(chunk: string | Uint8Array): void;
  /** fsync, give the replaced file's mode, rename over the target. Throws {@link OutputError}. */
  commit(): void;
  /** Removes the temporary file; the target stays as it was. Never throws. */
  discard(): void;
}

/** Removes a temporary file that may never have been made (its folder may not even exist). */
function removeQuietly(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    // ENOTDIR and the like: then there is no file to remove
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already failing: the first error is the one to report
  }
}

/** Where `path` may be written under `rules`, or an {@link OutputError} naming why not. */
function targetOf(path: string, rules: OutRules): { file: string; mode?: number } {
  const target = resolveOutTarget(path, rules);
  if (!target.ok) throw new OutputError(path, target.diagnostic.code, target.diagnostic);
  return target;
}

/**
 * Opens an atomic write of `path`. The target is checked now (so a refused target fails before
 * any work) and again at commit. The temporary file is created on the first write, in the folder
 * of the file that will be replaced (for a symlink, its target's folder), so the rename stays
 * within one file system. Throws {@link OutputError} for a refused target.
 */
export function atomicFile(path: string, rules: OutRules = {}): AtomicFile {
  const first = targetOf(path, rules);
  const tmp = join(dirname(first.file), `.${basename(first.file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  let done = false;
  const fail = (e: unknown): never => {
    if (e instanceof OutputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') throw new OutputError(path, code);
    throw e;
  };
  const open = (): number => {
    if (fd === undefined) {
      try {
        fd = openSync(tmp, 'wx', 0o666);
      } catch (e) {
        fail(e);
      }
    }
    return fd!;
  };
  const abandon = (): void => {
    if (fd !== undefined) closeQuietly(fd);
    fd = undefined;
    removeQuietly(tmp);
  };
  return {
    write(chunk) {
      const f = open();
      try {
        writeAll(f, chunk);
      } catch (e) {
        fail(e);
      }
    },
    commit() {
      if (done) return;
      done = true;
      try {
        const f = open();
        const target = targetOf(path, rules);
        // The folder the temporary file is in is the one renamed into: a link retargeted since
        // the start would otherwise move the output across folders (or file systems).
        if (target.file !== first.file) throw new OutputError(path, 'target changed during the run');
        if (target.mode !== undefined) fchmodSync(f, target.mode);
        fsyncSync(f);
        closeSync(f);
        fd = undefined;
        renameSync(tmp, target.file);
      } catch (e) {
        abandon();
        fail(e);
      }
      syncFolder(dirname(first.file));
    },
    discard() {
      if (done) return;
      done = true;
      abandon();
    },
  };
}

/** Makes the rename itself durable; a folder that cannot be opened or synced (some file systems) is not an error. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // the file is written and renamed; only its durability across a power cut is unconfirmed
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

/** Writes chunks to `path` atomically; on failure the old file is untouched and an {@link OutputError} thrown. */
export function writeFileAtomic(path: string, chunks: Iterable<string | Uint8Array>, rules: OutRules = {}): void {
  const file = atomicFile(path, rules);
  try {
    for (const chunk of chunks) file.write(chunk);
    file.commit();
  } catch (e) {
    file.discard();
    throw e;
  }
}

/**
 * Writes all of `chunk` to `fd`. `writeSync` may write fewer bytes than asked without throwing (a disk
 * that fills in the middle of a chunk): unchecked, a full disk left a truncated report and exit 0.
 */
export function writeAll(fd: number, chunk: string | Uint8Array): void {
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  let offset = 0;
  while (offset < bytes.length) {
    const n = writeSync(fd, bytes, offset, bytes.length - offset);
    // The next call after a short write reports the cause (ENOSPC); zero bytes would loop forever.
    if (n <= 0) throw Object.assign(new Error('no bytes written'), { code: 'EIO' });
    offset += n;
  }
}
