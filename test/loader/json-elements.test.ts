/** The streaming JSON tokenizer cuts a file into the same values `JSON.parse` reads, whatever the chunk size. */
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPieces, NotStreamable } from '../../src/loader/json-elements.js';

const dir = mkdtempSync(join(tmpdir(), 'clausal-json-elements-'));
let n = 0;

/** The pieces of `text` read `chunk` bytes at a time, put back together as the object they came from. */
function reassemble(text: string | Buffer, chunk: number): unknown {
  const path = join(dir, `p${++n}.json`);
  writeFileSync(path, text);
  const fd = openSync(path, 'r');
  try {
    const out: Record<string, unknown> = {};
    let list: unknown[] | undefined;
    for (const p of jsonPieces(fd, chunk)) {
      if (p.type === 'key') {
        list = p.list ? [] : undefined;
        out[p.key] = p.list ? list : JSON.parse(p.text!);
      } else if (p.type === 'element') list!.push(JSON.parse(p.text));
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

describe('jsonPieces', () => {
  it('reads any object of lists and values as JSON.parse does, with chunks of 1 to 64 bytes (fast-check)', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    const doc = fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }).filter((k) => !/^(0|[1-9]\d*)$/.test(k)), fc.oneof(fc.array(value, { maxLength: 5 }), value), { maxKeys: 4 });
    fc.assert(
      fc.property(doc, fc.integer({ min: 1, max: 64 }), fc.boolean(), (d, chunk, pretty) => {
        const text = JSON.stringify(d, null, pretty ? 2 : undefined);
        expect(reassemble(text, chunk)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  const bad: [string, string | Buffer][] = [
    ['a list at the top', '[1]'],
    ['truncated', '{"a": [1, 2'],
    ['text after the object', '{"a": []} 1'],
    ['a missing comma', '{"a": [1 2]}'],
    ['an unquoted key', '{a: []}'],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x5b, 0x22, 0xff, 0x22, 0x5d, 0x7d])],
  ];
  for (const [name, text] of bad) {
    it(`refuses ${name} (the caller then reads the whole text, which names the place)`, () => {
      expect(() => reassemble(text, 4)).toThrow(NotStreamable);
    });
  }

  it('skips a byte-order mark', () => {
    expect(reassemble('\ufeff{"a": [1, "x"]}', 3)).toEqual({ a: [1, 'x'] });
  });
});
