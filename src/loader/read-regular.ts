/**
 * Reads a file the way every loader must (Node only): open once, `fstat` the open descriptor,
 * refuse anything that is not a regular file, and read through a bounded reader that stops one
 * byte past the limit whatever `stat` said. A `stat` of the name followed by a read of the name
 * was fooled by a symlink to `/dev/zero` or `/dev/urandom` (memory grew to many GB), a named
 * pipe (the read blocked forever), a `/proc` file (size 0, content unbounded) or a file swapped
 * between the two calls; a policy repository someone cloned can contain any of them.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** What reading gave: the bytes, or why there are none. */
export type ReadRegular =
  | { readonly ok: true; readonly bytes: Buffer }
  /** Larger than the limit: `size` is what `fstat` said, or one past the limit for a file that lied. */
  | { readonly ok: false; readonly problem: 'too-large'; readonly size: number }
  /** Not a regular file: `what` names it (`a character device`, `a named pipe`, …). */
  | { readonly ok: false; readonly problem: 'not-regular'; readonly what: string }
  /** The file system refused (`ENOENT`, `EISDIR`, `EACCES`, …). */
  | { readonly ok: false; readonly problem: 'io'; readonly detail: string };

/**
 * A file's identity: device and inode. Names are not enough to tell whether two paths are the
 * same file (a symlink, a hard link, `./x` and `x`); the identity is.
 */
export function fileIdentity(st: Pick<Stats, 'dev' | 'ino'>): string {
  return `${st.dev}:${st.ino}`;
}

/** The sets currently collecting the identities of the files read (see {@link watchReads}). */
const watchers = new Set<Map<string, string>>();

/**
 * Starts collecting the identity of every regular file the loaders open (with the name it was
 * first opened by), until `stop()`. The CLI watches each command run so that `--out` can refuse
 * to replace a file the same run read (the facts, a rule file, the source text, `tests.yaml`),
 * whatever name reached it. Nothing is kept while no one watches, so a long-running server does
 * not accumulate identities.
 */
export function watchReads(): { readonly seen: ReadonlyMap<string, string>; stop(): void } {
  const seen = new Map<string, string>();
  watchers.add(seen);
  return { seen, stop: () => void watchers.delete(seen) };
}

/**
 * Counts `path` as read by the watched runs before it is opened (a command that will stream its
 * facts only after opening its output), so a target naming it is refused before any work.
 */
export function noteRead(path: string): void {
  if (watchers.size === 0) return;
  try {
    const st = statSync(path);
    if (st.isFile()) for (const seen of watchers) if (!seen.has(fileIdentity(st))) seen.set(fileIdentity(st), path);
  } catch {
    // not there (yet): the loader will report it when it opens it
  }
}

/** What a non-regular file is, in words for a diagnostic. */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** {@link fileKind} in Chinese, for the `what.zh` argument of a diagnostic. */
export function fileKindZh(st: Stats): string {
  if (st.isDirectory()) return '目录';
  if (st.isFIFO()) return '命名管道';
  if (st.isCharacterDevice()) return '字符设备';
  if (st.isBlockDevice()) return '块设备';
  if (st.isSocket()) return '套接字';
  return '非普通文件';
}

/**
 * Opens `path` for reading without blocking on a named pipe and without acquiring a terminal,
 * and checks what the descriptor is. Returns the descriptor of a regular file (the caller closes
 * it) and its `fstat`, or why not. Never throws.
 */
export function openRegular(path: string): { fd: number; stats: Stats } | Exclude<ReadRegular, { ok: true } | { problem: 'too-large' }> {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    return { ok: false, problem: 'io', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) {
      closeSync(fd);
      return { ok: false, problem: 'io', detail: 'EISDIR' };
    }
    if (!stats.isFile()) {
      closeSync(fd);
      return { ok: false, problem: 'not-regular', what: fileKind(stats) };
    }
    for (const seen of watchers) if (!seen.has(fileIdentity(stats))) seen.set(fileIdentity(stats), path);
    return { fd, stats };
  } catch (e) {
    closeSync(fd);
    return { ok: false, problem: 'io', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

/** Reads the regular file `path` whole if it holds at most `maxBytes` bytes. Never throws. */
export function readRegularFile(path: string, maxBytes: number): ReadRegular {
  const opened = openRegular(path);
  if (!('fd' in opened)) return opened;
  const { fd, stats } = opened;
  try {
    if (stats.size > maxBytes) return { ok: false, problem: 'too-large', size: stats.size };
    // Bounded whatever fstat said: room for one byte past the limit tells "too large" apart.
    const cap = maxBytes + 1;
    let buf = Buffer.allocUnsafe(Math.min(cap, Math.max(stats.size, 64 * 1024)));
    let filled = 0;
    for (;;) {
      if (filled === buf.length) {
        if (buf.length >= cap) break;
        const bigger = Buffer.allocUnsafe(Math.min(cap, buf.length * 2));
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const n = readSync(fd, buf, filled, buf.length - filled, null);
      if (n === 0) break;
      filled += n;
    }
    if (filled > maxBytes) return { ok: false, problem: 'too-large', size: filled };
    return { ok: true, bytes: buf.subarray(0, filled) };
  } catch (e) {
    return { ok: false, problem: 'io', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  } finally {
    closeSync(fd);
  }
}
