/**
 * CSV text as officers' machines write it: GBK/GB18030 (Excel on Chinese Windows), UTF-8 with
 * or without a byte-order mark, UTF-16; CRLF line ends. The same province must give the same
 * results whichever of these it arrives in, and bytes that are none of them are refused with
 * F0700 (exit 4), never read as mojibake.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8 } from '../../src/loader/decode-text.js';
import { parseCsv } from '../../src/loader/spreadsheet-intake.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { encodeGbk, gbkEncodable } from '../helpers/gbk.js';
import { csvSetOf } from '../helpers/csv-set.js';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const EXAMPLE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: (number[] | Uint8Array)[]) => new Uint8Array(parts.flatMap((p) => [...p]));
const utf16le = (s: string) => new Uint8Array([...s].flatMap((c) => { const n = c.charCodeAt(0); return [n & 255, n >> 8]; }));
const utf16be = (s: string) => new Uint8Array([...s].flatMap((c) => { const n = c.charCodeAt(0); return [n >> 8, n & 255]; }));

const TEXT = '编号,名称,层级\r\n530000,云南省,province\r\n530100,昆明市,prefecture\r\n';

describe('decodeText', () => {
  const cases: { note: string; bytes: Uint8Array; encoding: string; text: string }[] = [
    { note: 'UTF-8 without BOM', bytes: utf8(TEXT), encoding: 'utf-8', text: TEXT },
    { note: 'UTF-8 with BOM (Excel "CSV UTF-8")', bytes: concat([0xef, 0xbb, 0xbf], utf8(TEXT)), encoding: 'utf-8-bom', text: TEXT },
    { note: 'GBK (Excel "CSV" on Chinese Windows)', bytes: encodeGbk(TEXT), encoding: 'gb18030', text: TEXT },
    { note: 'GB18030 four-byte sequence (㐀, outside GBK)', bytes: concat(encodeGbk('名称,'), [0x81, 0x39, 0xee, 0x39]), encoding: 'gb18030', text: '名称,\u3400' },
    { note: 'UTF-16LE with BOM', bytes: concat([0xff, 0xfe], utf16le(TEXT)), encoding: 'utf-16le', text: TEXT },
    { note: 'UTF-16BE with BOM', bytes: concat([0xfe, 0xff], utf16be(TEXT)), encoding: 'utf-16be', text: TEXT },
    { note: 'ASCII only', bytes: utf8('id,level\n1,province\n'), encoding: 'utf-8', text: 'id,level\n1,province\n' },
    { note: 'empty file', bytes: new Uint8Array(), encoding: 'utf-8', text: '' },
  ];
  it.each(cases)('$note', ({ bytes, encoding, text }) => {
    const d = decodeText(bytes);
    expect(d).toEqual({ ok: true, text, encoding });
  });

  it('GBK text is never taken for UTF-8 (no mojibake), for every line of the example province and the policy text', () => {
    const lines = [EXAMPLE, `${POLICY}/source.txt`].flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => /[^\x00-\x7f]/.test(l) && gbkEncodable(l));
    expect(lines.length).toBeGreaterThan(150);
    for (const line of lines) {
      const d = decodeText(encodeGbk(line));
      expect(d.ok && d.text).toBe(line);
    }
  });

  it('refuses bytes that are neither UTF-8 nor GB18030, with the first bad byte', () => {
    // 0xff is not a GB18030 lead byte, 0x80 alone is not a character in either.
    const bytes = concat(utf8('id,名称\r\n'), [0x80, 0xff], utf8('\r\n'));
    const d = decodeText(bytes);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.byteOffset).toBe(utf8('id,名称\r\n').length);
    expect(d.offset).toBe('id,名称\r\n'.length);
    expect(firstInvalidUtf8(bytes)).toBe(d.byteOffset);
  });

  it('a UTF-8 byte-order mark followed by GBK is refused, not guessed', () => {
    expect(decodeText(concat([0xef, 0xbb, 0xbf], encodeGbk('云南省'))).ok).toBe(false);
  });
});

describe('parseCsv line ends', () => {
  it.each([
    ['CRLF', 'a,b\r\n1,2\r\n'],
    ['LF', 'a,b\n1,2\n'],
    ['CR only (old Mac Excel)', 'a,b\r1,2\r'],
    ['no final line end', 'a,b\r\n1,2'],
  ])('%s', (_, text) => {
    const rows = parseCsv('t.csv', text);
    expect(rows.map((r) => r.cells.map((c) => c?.value))).toEqual([['a', 'b'], ['1', '2']]);
    expect(rows.map((r) => r.row)).toEqual([1, 2]);
  });

  it('a quoted field keeps its CRLF, and the next record is still row 3', () => {
    const rows = parseCsv('t.csv', 'a,b\r\n"x\r\ny",2\r\n3,4\r\n');
    expect(rows.map((r) => r.cells.map((c) => c?.value))).toEqual([['a', 'b'], ['x\r\ny', '2'], ['3', '4']]);
    expect(rows[2].row).toBe(3);
  });
});

describe('eval --facts <CSV folder> in any encoding', () => {
  const policy = loadPolicy(POLICY).policy!;
  const example = parseYaml(readFileSync(EXAMPLE, 'utf8')) as Record<string, Record<string, unknown>[]>;
  const set = csvSetOf(policy, example);
  const encodings: [string, (s: string) => Uint8Array][] = [
    ['utf-8', utf8],
    ['utf-8-bom', (s) => concat([0xef, 0xbb, 0xbf], utf8(s))],
    ['gbk', encodeGbk],
  ];

  it.each(encodings)('%s with zh headers and CRLF gives the YAML example\'s JSON, byte for byte', async (name, encode) => {
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    for (const [list, text] of set) writeFileSync(join(folder, `${list}.csv`), encode(text));
    const fromYaml = await runCli(['eval', POLICY, '--facts', EXAMPLE, '--format', 'json', '--as-of', '2022-06-01']);
    const fromCsv = await runCli(['eval', POLICY, '--facts', folder, '--format', 'json', '--as-of', '2022-06-01']);
    expect(fromCsv.stderr).toBe('');
    expect(fromCsv.code).toBe(0);
    expect(fromCsv.stdout).toBe(fromYaml.stdout);
  });

  it('mixed encodings in one folder (one file GBK, one UTF-8) are each decoded by themselves', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder, { recursive: true });
    [...set].forEach(([list, text], i) => writeFileSync(join(folder, `${list}.csv`), i % 2 ? encodeGbk(text) : utf8(text)));
    const fromYaml = await runCli(['eval', POLICY, '--facts', EXAMPLE, '--format', 'json', '--as-of', '2022-06-01']);
    const fromCsv = await runCli(['eval', POLICY, '--facts', folder, '--format', 'json', '--as-of', '2022-06-01']);
    expect(fromCsv.stdout).toBe(fromYaml.stdout);
  });

  it.each(['zh', 'en'] as const)('undecodable bytes: F0700 with file:line:col, exit 4 (%s)', async (lang) => {
    const folder = join(dir, `bad-${lang}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'regions.csv'), concat(utf8('编号,名称,层级\r\n530000,'), [0x80, 0xff], utf8(',province\r\n')));
    const r = await runCli(['eval', POLICY, '--facts', folder, '--as-of', '2022-06-01', '--lang', lang]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${join(folder, 'regions.csv')}:2:8: error F0700`);
    expect(r.stderr).toContain(lang === 'zh' ? 'GBK/GB18030' : 'neither UTF-8 nor GBK/GB18030');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('text that is valid in both encodings', () => {
  it.each([
    ['为 (GBK CE AA, UTF-8 Ϊ)', '为'],
    ['社会工作 为 0', '社会工作 为 0'],
    ['a short GBK cell', '编号,名称\r\n1,为民\r\n'],
  ])('GBK %s is read as GBK', (_, text) => {
    const d = decodeText(encodeGbk(text));
    expect(d).toEqual({ ok: true, text, encoding: 'gb18030' });
  });

  it.each([
    ['Chinese', '编号,名称\r\n1,昆明市儿童福利院\r\n'],
    ['a minority name with the middle dot', '姓名\r\n阿依古丽·买买提\r\n'],
    ['signs officers type', '面积\r\n12×3 m²,±5,30°\r\n'],
  ])('UTF-8 %s stays UTF-8', (_, text) => {
    expect(decodeText(utf8(text))).toEqual({ ok: true, text, encoding: 'utf-8' });
  });
});
