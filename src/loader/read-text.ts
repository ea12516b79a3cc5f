/**
 * Reads a text file for the loaders (Node only), refusing what would otherwise be read
 * wrongly or at great cost: anything but a regular file, a file over a byte limit (from the
 * open descriptor's `fstat`, and again by a reader that stops past the limit), and bytes that
 * are not UTF-8. `readFileSync(path, 'utf8')` would silently turn a
 * Latin-1 `ö` into U+FFFD, so an id or a quote would no longer say what the file says.
 */
import { isUtf8 } from 'node:buffer';
import { readRegularFile } from './read-regular.js';
import { firstInvalidUtf8 } from './decode-text.js';

export { firstInvalidUtf8 };

/** What reading gave: the text, or why there is none. */
export type ReadText =
  | { readonly ok: true; readonly text: string }
  /** Larger than the limit; nothing was read. */
  | { readonly ok: false; readonly problem: 'too-large'; readonly size: number }
  /**
   * Not UTF-8. `text` is the lossy decoding (for showing the line) and `offset` the position
   * in it of the first bad byte, as a UTF-16 offset like every span.
   */
  | { readonly ok: false; readonly problem: 'not-utf8'; readonly text: string; readonly offset: number; readonly byteOffset: number }
  /** Not a regular file (a device, a named pipe, a socket): `what` names it. */
  | { readonly ok: false; readonly problem: 'not-regular'; readonly what: string }
  /** The file system refused (`ENOENT`, `EISDIR`, `EACCES`, …). */
  | { readonly ok: false; readonly problem: 'io'; readonly detail: string };

/**
 * Reads `path` as UTF-8 if it is a regular file of at most `maxBytes` bytes and valid UTF-8
 * (descriptor-based and bounded, see `read-regular.ts`). Never throws.
 */
export function readTextFile(path: string, maxBytes: number): ReadText {
  const read = readRegularFile(path, maxBytes);
  if (!read.ok) return read;
  const bytes = read.bytes;
  if (isUtf8(bytes)) return { ok: true, text: bytes.toString('utf8') };
  const byteOffset = firstInvalidUtf8(bytes);
  return { ok: false, problem: 'not-utf8', text: bytes.toString('utf8'), offset: bytes.subarray(0, byteOffset).toString('utf8').length, byteOffset };
}

/** What reading raw bytes gave (for loaders that decode themselves, such as CSV). */
export type ReadBytes =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly problem: 'too-large'; readonly size: number }
  | { readonly ok: false; readonly problem: 'not-regular'; readonly what: string }
  | { readonly ok: false; readonly problem: 'io'; readonly detail: string };

/** Reads the regular file `path` whole if it is at most `maxBytes` long (bounded, descriptor-based). Never throws. */
export function readBytesFile(path: string, maxBytes: number): ReadBytes {
  return readRegularFile(path, maxBytes);
}
