/**
 * Bytes of a text file -> text, for files as officers' machines write them. Excel on Chinese
 * Windows saves "CSV" in GBK (code page 936), "CSV UTF-8" with a byte-order mark, and other
 * tools write UTF-8 without one. Guessing wrong shows mojibake (`涓浗` for `中国`), which then
 * fails later as a baffling unknown id or label, so the choice is made here, once, strictly:
 *
 * 1. a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE), and the rest must decode under it;
 * 2. bytes that are valid UTF-8 are UTF-8, unless they are valid GB18030 (a superset of GBK)
 *    too and read more plausibly that way. Short GBK text can be valid UTF-8: `为` is CE AA in
 *    GBK, which UTF-8 reads as the Greek `Ϊ`. A text read wrongly as UTF-8 shows letters
 *    from U+0080–U+07FF (Latin, Greek, Cyrillic, Hebrew…) where Chinese facts have none, while
 *    UTF-8 read as GBK gives plausible-looking Chinese (`涓浗`), so the test is one-sided:
 *    GB18030 wins only when it has fewer implausible characters than the UTF-8 reading;
 * 3. otherwise GB18030, decoded with `fatal`;
 * 4. otherwise the file is refused with the offset of the first byte that is not UTF-8.
 *
 * Browser and Node alike (WHATWG `TextDecoder`; Node needs its full ICU for GB18030, which the
 * official builds have). No I/O here.
 */

/** The encodings {@link decodeText} recognises. */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** What decoding gave: the text (byte-order mark removed), or where it failed. */
export type DecodedText =
  | { readonly ok: true; readonly text: string; readonly encoding: TextEncodingName }
  /**
   * Neither UTF-8 nor GB18030. `text` is the lossy UTF-8 reading (to show the line),
   * `offset` the position in it of the first bad byte (a UTF-16 offset, like every span).
   */
  | { readonly ok: false; readonly text: string; readonly offset: number; readonly byteOffset: number };

function tryDecode(label: string, bytes: Uint8Array): string | undefined {
  try {
    // Throws RangeError for an encoding the runtime lacks (Node built with small ICU), and
    // TypeError (fatal) at the first malformed sequence: either way, not this encoding.
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Decodes a text file's bytes, choosing the encoding as described above. Never throws. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    const text = tryDecode('utf-8', b.subarray(3));
    if (text !== undefined) return { ok: true, text, encoding: 'utf-8-bom' };
    return notDecodable(b);
  }
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    const encoding = b[0] === 0xff ? 'utf-16le' : 'utf-16be';
    const text = tryDecode(encoding, b.subarray(2));
    if (text !== undefined) return { ok: true, text, encoding };
    return notDecodable(b);
  }
  const utf8 = tryDecode('utf-8', b);
  const gb = utf8 === undefined || implausible(utf8) > 0 ? tryDecode('gb18030', b) : undefined;
  if (utf8 !== undefined && (gb === undefined || implausible(gb) >= implausible(utf8))) return { ok: true, text: utf8, encoding: 'utf-8' };
  if (gb !== undefined) return { ok: true, text: gb, encoding: 'gb18030' };
  return notDecodable(b);
}

/**
 * Characters a Chinese facts file does not hold: controls other than tab and line ends, and
 * letters of U+0080–U+07FF apart from the Latin-1 signs officers type (`·` in minority names,
 * `×`, `°`, `±`, `§`).
 */
function implausible(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) n++;
    } else if (c >= 0x7f && c < 0x800 && !LATIN1_SIGNS.has(c)) n++;
  }
  return n;
}

const LATIN1_SIGNS = new Set([0xa0, 0xa7, 0xb0, 0xb1, 0xb7, 0xd7, 0xf7]);

function notDecodable(b: Uint8Array): DecodedText {
  const byteOffset = firstInvalidUtf8(b);
  const lossy = new TextDecoder('utf-8');
  return { ok: false, text: lossy.decode(b), offset: lossy.decode(b.subarray(0, byteOffset)).length, byteOffset };
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
