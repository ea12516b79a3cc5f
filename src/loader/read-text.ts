/**
 * Reads a text file for the loaders (Node only), refusing what would otherwise be read
 * wrongly or at great cost: a file over a byte limit (checked with `stat`, before any byte is
 * read), and bytes that are not UTF-8. `readFileSync(path, 'utf8')` would silently turn a
 * Latin-1 `ö` into U+FFFD, so an id or a quote would no longer say what the file says.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';

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

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      // No overlong forms, no UTF-16 surrogates.
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
