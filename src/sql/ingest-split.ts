/**
 * A facts JSON file (`{"regions": [...], "institutions": [...]}`) split into one NDJSON file per
 * list, each line `{"o":N,"j":ITEM}` with N the item's position across all lists (the order results
 * follow) and ITEM the item's bytes as written (line breaks between tokens dropped: JSON strings
 * hold none). DuckDB reads NDJSON in parallel, a line at a time; a list of a hundred thousand
 * items read as one JSON value and unnested costs it ten times more.
 *
 * The top level is checked strictly here (an object of lists or `null`s, nothing after it); the
 * items' own syntax is DuckDB's to check. Anything else: undefined, and the JS loader reads the file.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A list of the file: its key, its items' count, and the NDJSON file of its items (none for `null`). */
export interface SplitList {
  readonly key: string;
  readonly items: number;
  readonly file?: string;
}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);

/** Splits `path` into `dir` (see the module comment); undefined when its top level is not an object of lists. */
export function splitJsonLists(path: string, dir: string): SplitList[] | undefined {
  const fd = openSync(path, 'r');
  const lists: { key: string; items: number; file?: string; fd?: number }[] = [];
  const buf = Buffer.allocUnsafe(1 << 20);
  let out = Buffer.allocUnsafe(1 << 21);
  let used = 0;
  let current: { fd?: number; items: number } | undefined;
  const flush = () => {
    if (current?.fd !== undefined && used) writeSync(current.fd, out, 0, used);
    used = 0;
  };
  const put = (bytes: Buffer, from: number, to: number) => {
    const n = to - from;
    if (used + n > out.length) {
      flush();
      if (n > out.length) out = Buffer.allocUnsafe(n * 2);
    }
    bytes.copy(out, used, from, to);
    used += n;
  };
  const text = (s: string) => {
    const b = Buffer.from(s, 'latin1');
    put(b, 0, b.length);
  };
  // Top-level states: before '{', a key or '}' expected, in a key, ':' expected, a value expected,
  // ',' or '}' expected, after the final '}'. Inside a list: an item or ']' expected, in an item,
  // ',' or ']' expected.
  type State = 'start' | 'key' | 'inKey' | 'colon' | 'value' | 'null' | 'next' | 'end' | 'item' | 'inItem' | 'afterItem';
  let state: State = 'start';
  let afterComma = false;
  let key: number[] = [];
  let keyEscaped = false;
  let nullAt = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let order = 0;
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      let itemFrom = state === 'inItem' ? 0 : -1;
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        switch (state) {
          case 'inItem':
            if (inString) {
              if (escaped) escaped = false;
              else if (b === 0x5c) escaped = true;
              else if (b === 0x22) inString = false;
              continue;
            }
            if (b === 0x22) inString = true;
            else if (b === 0x7b || b === 0x5b) depth++;
            else if (b === 0x0a || b === 0x0d) {
              // A line break between tokens: dropped, so that the item stays one line.
              put(buf, itemFrom, i);
              itemFrom = i + 1;
            } else if (depth === 0 && (b === 0x2c || b === 0x5d)) {
              put(buf, itemFrom, i);
              text('}\n');
              itemFrom = -1;
              state = b === 0x2c ? 'item' : 'next';
              afterComma = b === 0x2c;
              if (b === 0x5d) flush();
            } else if (b === 0x7d || b === 0x5d) {
              depth--;
              if (depth < 0) return undefined;
            }
            continue;
          case 'inKey':
            if (keyEscaped) keyEscaped = false;
            else if (b === 0x5c) keyEscaped = true;
            else if (b === 0x22) {
              let k: string;
              try {
                k = JSON.parse(`"${Buffer.from(key).toString('utf8')}"`) as string;
              } catch {
                return undefined;
              }
              lists.push({ key: k, items: 0 });
              state = 'colon';
              continue;
            }
            key.push(b);
            continue;
          default:
            break;
        }
        if (WS.has(b)) continue;
        switch (state) {
          case 'start':
            if (b !== 0x7b) return undefined;
            state = 'key';
            afterComma = false;
            break;
          case 'key':
            if (b === 0x7d && !afterComma) state = 'end';
            else if (b === 0x22) {
              key = [];
              state = 'inKey';
            } else return undefined;
            break;
          case 'colon':
            if (b !== 0x3a) return undefined;
            state = 'value';
            break;
          case 'value': {
            const list = lists[lists.length - 1];
            if (b === 0x5b) {
              list.file = join(dir, `${lists.length}.ndjson`);
              list.fd = openSync(list.file, 'w');
              current = list;
              state = 'item';
              afterComma = false;
            } else if (b === 0x6e) {
              state = 'null';
              nullAt = 1;
            } else return undefined;
            break;
          }
          case 'null':
            if (b !== 'null'.charCodeAt(nullAt++)) return undefined;
            if (nullAt === 4) state = 'next';
            break;
          case 'item':
            if (b === 0x5d && !afterComma) {
              flush();
              state = 'next';
              break;
            }
            if (b === 0x5d || b === 0x2c) return undefined;
            text(`{"o":${order++},"j":`);
            current!.items++;
            state = 'inItem';
            itemFrom = i;
            depth = 0;
            inString = false;
            escaped = false;
            i--;
            // Re-read this byte as the item's first (a string or an opening bracket).
            break;
          case 'next':
            if (b === 0x2c) {
              state = 'key';
              afterComma = true;
            } else if (b === 0x7d) state = 'end';
            else return undefined;
            break;
          case 'end':
            return undefined;
          default:
            return undefined;
        }
      }
      if (state === 'inItem' && itemFrom >= 0) put(buf, itemFrom, n);
    }
    if ((state as State) !== 'end') return undefined;
    return lists.map((l) => ({ key: l.key, items: l.items, ...(l.file ? { file: l.file } : {}) }));
  } finally {
    closeSync(fd);
    for (const l of lists) if (l.fd !== undefined) closeSync(l.fd);
  }
}
