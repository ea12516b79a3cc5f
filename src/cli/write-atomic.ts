/**
 * Writes a file so readers see either the old content or the new, never half of it: write a
 * temporary file beside the target, then rename over it (atomic within one file system).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes chunks to `path` atomically; on failure the old file is untouched and the error rethrown. */
export function writeFileAtomic(path: string, chunks: Iterable<string | Uint8Array>): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    for (const chunk of chunks) writeAll(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing: the original error is the one to report
      }
    }
    rmSync(tmp, { force: true });
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
