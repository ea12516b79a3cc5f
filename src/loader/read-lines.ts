/**
 * Reads a text file line by line with bounded memory (Node only): a megabyte at a time,
 * decoded as UTF-8 across chunk boundaries. Used to stream NDJSON facts, where a file may hold
 * millions of subjects that are never all in memory.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** One line of a file, without its line break. */
export interface TextLine {
  /** The line's text (a trailing `\r` removed). */
  readonly text: string;
  /** 1-based line number. */
  readonly line: number;
  /** Offset of the line's first character from the start of the file, in UTF-16 code units. */
  readonly offset: number;
}

/** Bytes that are not UTF-8 (refused, not replaced: an id must say what the file says). */
export class NotUtf8Error extends Error {
  /** Start of the megabyte chunk in which the bad bytes were found. */
  constructor(readonly byteOffset: number) {
    super(`not UTF-8 (in the chunk from byte ${byteOffset})`);
  }
}

/**
 * The lines of `path`, read lazily. Throws the fs error (with its `code`) when the file cannot
 * be read, and {@link NotUtf8Error} for bytes that are not UTF-8.
 */
export function* readLines(path: string, chunkSize = 1 << 20): Generator<TextLine> {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(chunkSize);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let bytesRead = 0;
    let pending = '';
    let line = 0;
    let offset = 0;
    let first = true;
    for (;;) {
      const n = readSync(fd, buf, 0, chunkSize, null);
      let text: string;
      try {
        text = n > 0 ? decoder.decode(buf.subarray(0, n), { stream: true }) : decoder.decode();
      } catch {
        throw new NotUtf8Error(bytesRead);
      }
      bytesRead += n;
      if (first && text.length > 0) {
        // A byte-order mark is not part of the first line.
        if (text.charCodeAt(0) === 0xfeff) {
          text = text.slice(1);
          offset = 1;
        }
        first = false;
      }
      const all = pending + text;
      let start = 0;
      for (let nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', start)) {
        const end = nl > start && all.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        line++;
        yield { text: all.slice(start, end), line, offset };
        offset += nl + 1 - start;
        start = nl + 1;
      }
      pending = all.slice(start);
      if (n === 0) break;
    }
    if (pending.length > 0) {
      line++;
      yield { text: pending.endsWith('\r') ? pending.slice(0, -1) : pending, line, offset };
    }
  } finally {
    closeSync(fd);
  }
}
