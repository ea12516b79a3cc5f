/**
 * A file's bytes to an {@link Output}, a megabyte at a time: how a sink takes a file DuckDB wrote
 * (`COPY … TO`) as its output without holding it in memory.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Output } from './engine.js';

/** Writes the bytes of `file` to `output` (not committed). */
export function copyFileTo(file: string, output: Output): void {
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) output.write(buf.slice(0, n));
  } finally {
    closeSync(fd);
  }
}
