/**
 * A GBK encoder for tests: Node (like browsers) decodes GB18030 but has no encoder for it, and
 * the tests need the bytes Excel on Chinese Windows writes. Built by decoding every two-byte GBK
 * sequence once (about 24,000), which takes a few milliseconds.
 */
let table: Map<string, number[]> | undefined;

function gbkTable(): Map<string, number[]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  }
  return table;
}

/** `text` in GBK (ASCII as itself); throws for a character GBK cannot hold. */
export function encodeGbk(text: string): Uint8Array {
  const out: number[] = [];
  const t = gbkTable();
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const bytes = t.get(ch);
      if (!bytes) throw new Error(`encodeGbk: ${ch} (U+${c.toString(16)}) is not in GBK`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

/** Whether GBK holds every character of `text`. */
export function gbkEncodable(text: string): boolean {
  const t = gbkTable();
  for (const ch of text) if (ch.codePointAt(0)! >= 0x80 && !t.has(ch)) return false;
  return true;
}
