/**
 * The {@link Output} of an eval run: stdout, or `--out` written atomically (a temporary file
 * beside the target, fsync, rename on commit; removed on discard, so a failed run leaves the old
 * file as it was). File-system failures become {@link OutputError}s (X0005).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError, type Output } from '../pipeline/engine.js';
import { writeAll } from './write-atomic.js';
import type { CliIo } from './main.js';

function failure(path: string, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code === 'string') throw new OutputError(path, code);
  throw e;
}

/** Removes a temporary file that may never have been made (its folder may not even exist). */
function removeQuietly(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    // ENOTDIR and the like: then there is no file to remove
  }
}

/** Output to the process's stdout (bytes as they are; an injected stdout, in tests, gets text). */
export function stdoutOutput(io: CliIo): Output {
  const raw = io.stdout === process.stdout;
  const decoder = new TextDecoder();
  return {
    write: (chunk) => void io.stdout.write(typeof chunk === 'string' || raw ? chunk : decoder.decode(chunk)),
    commit: () => {},
    discard: () => {},
  };
}

/** Output to `path`, visible only once committed. The temporary file is created on the first write. */
export function fileOutput(path: string): Output {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  let done = false;
  const open = (): number => {
    if (fd === undefined) {
      try {
        fd = openSync(tmp, 'wx');
      } catch (e) {
        failure(path, e);
      }
    }
    return fd;
  };
  const close = (): void => {
    if (fd === undefined) return;
    const f = fd;
    fd = undefined;
    closeSync(f);
  };
  return {
    write(chunk) {
      const f = open();
      try {
        writeAll(f, chunk);
      } catch (e) {
        failure(path, e);
      }
    },
    commit() {
      if (done) return;
      done = true;
      const f = open();
      try {
        fsyncSync(f);
        close();
        renameSync(tmp, path);
      } catch (e) {
        try {
          close();
        } catch {
          // already failing: the first error is the one to report
        }
        removeQuietly(tmp);
        failure(path, e);
      }
    },
    discard() {
      if (done) return;
      done = true;
      try {
        close();
      } catch {
        // discarding: nothing to keep
      }
      removeQuietly(tmp);
    },
  };
}
