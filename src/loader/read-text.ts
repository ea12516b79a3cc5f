/**
 * Reads a text file for the loaders (Node only), refusing what would otherwise be read
 * wrongly or at great cost: a file over a byte limit (checked with `stat`, before any byte is
 * read), and bytes that are not UTF-8. `readFileSync(path, 'utf8')` would silently turn a
 * Latin-1 `ö` into U+FFFD, so an id or a quote would no longer say what the file says.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
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
  /** The file system refused (`ENOENT`, `EISDIR`, `EACCES`, …). */
  | { readonly ok: false; readonly problem: 'io'; readonly detail: string };

/** Reads `path` as UTF-8 if it is at most `maxBytes` long and valid UTF-8. Never throws. */
export function readTextFile(path: string, maxBytes: number): ReadText {
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { ok: false, problem: 'io', detail: 'EISDIR' };
    // A file that grows between stat and read is still cut off below.
    if (st.size > maxBytes) return { ok: false, problem: 'too-large', size: st.size };
    bytes = readFileSync(path);
  } catch (e) {
    return { ok: false, problem: 'io', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  if (bytes.length > maxBytes) return { ok: false, problem: 'too-large', size: bytes.length };
  if (isUtf8(bytes)) return { ok: true, text: bytes.toString('utf8') };
  const byteOffset = firstInvalidUtf8(bytes);
  return { ok: false, problem: 'not-utf8', text: bytes.toString('utf8'), offset: bytes.subarray(0, byteOffset).toString('utf8').length, byteOffset };
}

/** What reading raw bytes gave (for loaders that decode themselves, such as CSV). */
export type ReadBytes =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly problem: 'too-large'; readonly size: number }
  | { readonly ok: false; readonly problem: 'io'; readonly detail: string };

/** Reads `path` whole if it is at most `maxBytes` long (checked before any byte is read). Never throws. */
export function readBytesFile(path: string, maxBytes: number): ReadBytes {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { ok: false, problem: 'io', detail: 'EISDIR' };
    if (st.size > maxBytes) return { ok: false, problem: 'too-large', size: st.size };
    const bytes = readFileSync(path);
    if (bytes.length > maxBytes) return { ok: false, problem: 'too-large', size: bytes.length };
    return { ok: true, bytes };
  } catch (e) {
    return { ok: false, problem: 'io', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}
