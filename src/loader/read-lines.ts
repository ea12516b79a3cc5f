/**
 * Reads a text file line by line with bounded memory (Node only): a megabyte at a time, cut
 * after its last line break, so each piece decodes on its own (a line break is one byte in
 * UTF-8, never part of another character). Used to stream NDJSON facts, where a file may hold
 * millions of subjects that are never all in memory.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, readSync } from 'node:fs';
import { openRegular } from './read-regular.js';

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
  /** Start of the piece of the file in which the bad bytes were found. */
  constructor(readonly byteOffset: number) {
    super(`not UTF-8 (in the piece from byte ${byteOffset})`);
  }
}

/** A path that is not a regular file (a device, a named pipe, a socket). */
export class NotRegularError extends Error {
  constructor(readonly what: string) {
    super(`not a regular file (${what})`);
  }
}

/**
 * The lines of `path`, read lazily. Throws the fs error (with its `code`) when the file cannot
 * be read, and {@link NotUtf8Error} for bytes that are not UTF-8.
 */
export function* readLines(path: string, chunkSize = 1 << 20): Generator<TextLine> {
  // Opened once and checked on the descriptor: a named pipe or a device is refused, not read.
  const opened = openRegular(path);
  if (!('fd' in opened)) {
    if (opened.problem === 'not-regular') throw new NotRegularError(opened.what);
    throw Object.assign(new Error(opened.detail), { code: opened.detail });
  }
  const fd = opened.fd;
  try {
    let buf = Buffer.allocUnsafe(chunkSize);
    let kept = 0; // bytes of an unfinished line carried over from the previous read
    let fileOffset = 0; // bytes of the file before buf[0]
    let line = 0;
    let offset = 0;
    let first = true;
    for (;;) {
      if (kept === buf.length) {
        // A line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, kept);
        buf = bigger;
      }
      const n = readSync(fd, buf, kept, buf.length - kept, null);
      const filled = kept + n;
      let end = n === 0 ? filled : buf.lastIndexOf(10, filled - 1) + 1;
      if (end <= 0) {
        if (n === 0) break;
        kept = filled;
        continue;
      }
      if (end > filled) end = filled;
      const piece = buf.subarray(0, end);
      if (!isUtf8(piece)) throw new NotUtf8Error(fileOffset);
      let text = piece.toString('utf8');
      if (first) {
        // A byte-order mark is not part of the first line.
        if (text.charCodeAt(0) === 0xfeff) {
          text = text.slice(1);
          offset = 1;
        }
        first = false;
      }
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        const stop = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        line++;
        yield { text: text.slice(start, stop), line, offset };
        offset += nl + 1 - start;
        start = nl + 1;
      }
      if (start < text.length) {
        // Only at the end of the file: the last line has no line break.
        line++;
        yield { text: text.endsWith('\r') ? text.slice(start, -1) : text.slice(start), line, offset };
        offset += text.length - start;
      }
      buf.copy(buf, 0, end, filled);
      kept = filled - end;
      fileOffset += end;
      if (n === 0 && kept === 0) break;
    }
  } finally {
    closeSync(fd);
  }
}
