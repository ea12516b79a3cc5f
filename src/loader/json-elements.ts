/**
 * A small streaming tokenizer for JSON facts files (Node only): reads the file a chunk at a time
 * and yields, for the top-level object, each key and then either each element of its array (as
 * text, for `JSON.parse`) or its one non-array value. Memory is one chunk plus one element,
 * whatever the size of the file: `JSON.parse` of a whole province holds the text (UTF-16, twice
 * the file) and a tree of every field of every subject at once.
 *
 * It checks the structure only as far as it must to cut the text (brackets, strings, commas);
 * each piece is then checked by `JSON.parse`. Anything else (not an object at the top, a stray
 * byte, bytes that are not UTF-8, an unterminated value) throws {@link NotStreamable}: the caller
 * then reads the file the whole-text way, whose messages (F0002, F0019) name the exact place.
 */
import { isUtf8 } from 'node:buffer';
import { readSync } from 'node:fs';

/** The file is not a JSON object of lists this tokenizer can cut (or not JSON at all). */
export class NotStreamable extends Error {}

/** One step of the top-level object. */
export type JsonPiece =
  /** A key; `list`: its value is an array, whose elements follow, then an `end`. Otherwise `text` is the value. */
  | { readonly type: 'key'; readonly key: string; readonly list: boolean; readonly text?: string }
  | { readonly type: 'element'; readonly text: string }
  | { readonly type: 'end' };

const WS = new Uint8Array(256);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;
/** Bytes that end a scalar (number, true, false, null). */
const STOP = new Uint8Array(256);
STOP[0x2c] = STOP[0x5d] = STOP[0x7d] = STOP[0x20] = STOP[0x09] = STOP[0x0a] = STOP[0x0d] = 1;

class Reader {
  buf: Buffer;
  len = 0;
  pos = 0;
  eof = false;

  constructor(private readonly fd: number, chunk: number) {
    this.buf = Buffer.allocUnsafe(chunk);
  }

  /** Reads more bytes, keeping those from `keep` on (moved to the front). False at the end of the file. */
  more(keep: number): boolean {
    if (this.eof) return false;
    if (keep > 0) {
      this.buf.copy(this.buf, 0, keep, this.len);
      this.len -= keep;
      this.pos -= keep;
    }
    if (this.len === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    const n = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, null);
    if (n === 0) this.eof = true;
    this.len += n;
    return n > 0;
  }

  /** Skips white space; the next byte, or -1 at the end of the file. */
  peek(): number {
    for (;;) {
      while (this.pos < this.len) {
        const b = this.buf[this.pos];
        if (WS[b] === 0) return b;
        this.pos++;
      }
      if (!this.more(this.pos)) return -1;
    }
  }

  /** The end (exclusive) of the value starting at `pos` within the bytes read, or -1 if it runs past them. */
  private end(from: number): number {
    const buf = this.buf;
    const len = this.len;
    let i = from;
    const first = buf[i];
    if (first === 0x22) return this.stringEnd(i + 1);
    if (first !== 0x7b && first !== 0x5b) {
      while (i < len && STOP[buf[i]] === 0) i++;
      return i < len || this.eof ? i : -1;
    }
    let depth = 0;
    while (i < len) {
      const b = buf[i];
      if (b === 0x22) {
        i = this.stringEnd(i + 1);
        if (i < 0) return -1;
        continue;
      }
      if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        if (--depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }

  /** The index after the quote closing a string whose text starts at `from`, or -1. */
  private stringEnd(from: number): number {
    const buf = this.buf;
    let i = from;
    for (;;) {
      const q = buf.indexOf(0x22, i);
      if (q < 0 || q >= this.len) return -1;
      let k = q - 1;
      while (k >= from && buf[k] === 0x5c) k--;
      if ((q - 1 - k) % 2 === 0) return q + 1;
      i = q + 1;
    }
  }

  /** The text of the value at `pos` (white space skipped), leaving `pos` after it. */
  value(): string {
    if (this.peek() < 0) throw new NotStreamable('unexpected end');
    for (;;) {
      const e = this.end(this.pos);
      if (e >= 0 && e > this.pos) {
        const bytes = this.buf.subarray(this.pos, e);
        if (!isUtf8(bytes)) throw new NotStreamable('not UTF-8');
        this.pos = e;
        return bytes.toString('utf8');
      }
      if (e === this.pos) throw new NotStreamable('empty value');
      if (!this.more(this.pos)) throw new NotStreamable('unexpected end');
    }
  }

  expect(b: number): void {
    if (this.peek() !== b) throw new NotStreamable(`expected ${String.fromCharCode(b)}`);
    this.pos++;
  }
}

/**
 * The pieces of the JSON object in the open file `fd`, read `chunk` bytes at a time (see the
 * module comment). Throws {@link NotStreamable} where the file is not such an object.
 */
export function* jsonPieces(fd: number, chunk = 1 << 20): Generator<JsonPiece> {
  const r = new Reader(fd, chunk);
  r.more(0);
  if (r.len >= 3 && r.buf[0] === 0xef && r.buf[1] === 0xbb && r.buf[2] === 0xbf) r.pos = 3;
  r.expect(0x7b);
  if (r.peek() === 0x7d) {
    r.pos++;
  } else {
    for (;;) {
      if (r.peek() !== 0x22) throw new NotStreamable('expected a key');
      const key = JSON.parse(r.value()) as string;
      r.expect(0x3a);
      if (r.peek() === 0x5b) {
        r.pos++;
        yield { type: 'key', key, list: true };
        if (r.peek() === 0x5d) {
          r.pos++;
        } else {
          for (;;) {
            yield { type: 'element', text: r.value() };
            const b = r.peek();
            r.pos++;
            if (b === 0x5d) break;
            if (b !== 0x2c) throw new NotStreamable('expected , or ]');
          }
        }
        yield { type: 'end' };
      } else {
        yield { type: 'key', key, list: false, text: r.value() };
      }
      const b = r.peek();
      r.pos++;
      if (b === 0x7d) break;
      if (b !== 0x2c) throw new NotStreamable('expected , or }');
    }
  }
  if (r.peek() !== -1) throw new NotStreamable('text after the object');
}
