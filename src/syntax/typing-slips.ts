/**
 * Slips an officer makes typing a rule file with a Chinese input method, repaired before
 * lexing so that each slip gives ONE diagnostic at the place it happened and the parser then
 * reads the file as the officer meant it (no cascade of follow-on errors):
 *
 * - full-width punctuation outside strings (`：`, `，`, `（）`, `＝`, `【】`…) becomes its
 *   half-width twin, one S0310 per run of marks ("use the half-width `:`");
 * - a string opened or closed with a full-width quote (`“…”`, `"…”`) gets ASCII quotes (S0310);
 * - a string that runs onto the next line, where a lone `"` closes it, is one S0312 at the
 *   opening quote instead of an error on each line.
 *
 * INVARIANT: the repaired text has the same length as the original and every repair replaces
 * one UTF-16 unit by one (full-width marks, their ASCII twins and the newline are all in the
 * BMP), so every offset the lexer and parser report still points into the file as written.
 * Text inside strings and comments is the document's own wording and is never touched.
 */
import { error, type Diagnostic } from '../model/diagnostics.js';

/**
 * Full-width punctuation (and digits) and the half-width character the grammar expects in its
 * place. `【】` and `「」` stand for braces: the grammar has no square brackets, and braces are
 * what an input method turns into them.
 */
export const FULL_WIDTH: Readonly<Record<string, string>> = {
  '：': ':', '（': '(', '）': ')', '，': ',', '、': ',', '；': ';', '＝': '=', '＜': '<', '＞': '>', '＋': '+', '－': '-',
  '＊': '*', '／': '/', '｛': '{', '｝': '}', '【': '{', '】': '}', '「': '{', '」': '}', '“': '"', '”': '"', '．': '.',
  '％': '%', '＃': '#', '！': '!', '０': '0', '１': '1', '２': '2', '３': '3', '４': '4', '５': '5', '６': '6', '７': '7',
  '８': '8', '９': '9',
};

const isFullWidthQuote = (c: string | undefined): boolean => c === '“' || c === '”';
const has = (c: string): boolean => Object.prototype.hasOwnProperty.call(FULL_WIDTH, c);

/** The repaired text (same length) and one diagnostic per slip. */
export interface RepairedText {
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

/** Index of the end of the line holding `from` (the `\n`, or the text's length). */
function lineEnd(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  return n < 0 ? text.length : n;
}

/** Offsets of the unescaped `"` on `text[from, to)`, outside a trailing comment. */
function quotesOn(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  let inString = false;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') { out.push(i); inString = !inString; }
    else if (c === '#' && !inString) break;
  }
  return out;
}

/**
 * Repairs the slips in `text` (a whole rule file or one expression); `offsetShift` is where
 * `text` starts in `file`, so diagnostics point into that file.
 */
export function repairTypingSlips(text: string, file: string, offsetShift = 0): RepairedText {
  const diagnostics: Diagnostic[] = [];
  // Repairs are few: keep them by offset and copy the text only when there is one.
  const out = new Map<number, string>();
  const at = (start: number, end: number) => ({ file, start: start + offsetShift, end: end + offsetShift });
  const slip = (start: number, end: number, found: string, fix: string) => diagnostics.push(error('S0310', at(start, end), { found, fix }));
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      i = lineEnd(text, i);
    } else if (c === '"' || isFullWidthQuote(c)) {
      if (c !== '"') { out.set(i, '"'); slip(i, i + 1, c, '"'); }
      i = closeString(text, out, i, diagnostics, slip, at);
    } else if (has(c)) {
      let j = i;
      while (j < text.length && has(text[j]) && !isFullWidthQuote(text[j])) {
        out.set(j, FULL_WIDTH[text[j]]);
        j++;
        if (text[j - 1] === '＃') break;
      }
      slip(i, j, text.slice(i, j), [...text.slice(i, j)].map((m) => FULL_WIDTH[m]).join(''));
      i = text[j - 1] === '＃' ? lineEnd(text, j) : j;
    } else {
      i++;
    }
  }
  if (out.size === 0) return { text, diagnostics };
  let repaired = '';
  let from = 0;
  for (const [offset, ch] of [...out].sort((a, b) => a[0] - b[0])) {
    repaired += text.slice(from, offset) + ch;
    from = offset + 1;
  }
  return { text: repaired + text.slice(from), diagnostics };
}

/** Scans the string opened at `open`; returns the offset just past it (or its line). */
function closeString(
  text: string, out: Map<number, string>, open: number, diagnostics: Diagnostic[],
  slip: (start: number, end: number, found: string, fix: string) => void,
  at: (start: number, end: number) => { file: string; start: number; end: number },
): number {
  const fullWidthOpen = text[open] !== '"';
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') { i++; continue; }
    if (c === '"') {
      // `"标题” cite "一"`: the string was closed with a full-width quote, so this `"` opens the
      // next string and the line's last `"` would be left open. Close at the `”` instead.
      const early = fullWidthOpen ? -1 : text.slice(open + 1, i).search(/[“”][ \t]/);
      if (early >= 0 && quotesOn(text, i + 1, lineEnd(text, i)).length % 2 === 1) {
        const q = open + 1 + early;
        out.set(q, '"');
        slip(q, q + 1, text[q], '"');
        return q + 1;
      }
      return i + 1;
    }
    // A string opened with “ closes with ” (or “): an officer types the pair, not a mix.
    if (fullWidthOpen && isFullWidthQuote(c)) { out.set(i, '"'); return i + 1; }
    if (c === '\n') break;
  }
  const eol = lineEnd(text, open);
  const line = text.slice(open + 1, eol).replace(/\r$/, '');
  // `"标题”` at the end of the line: the closing quote was typed full-width (a full-width quote
  // inside the string, `"“三无”人员"`, is the document's wording and is left alone).
  const trailing = /[“”]\s*$/.exec(line);
  if (!fullWidthOpen && trailing) {
    const q = open + 1 + trailing.index;
    out.set(q, '"');
    slip(q, q + 1, text[q], '"');
    return eol;
  }
  // A lone `"` on the next line closes a string that was broken over two lines: one error at
  // the opening quote; the string is read as one (its newline as a space) so the parser goes on.
  if (eol < text.length) {
    const nextEnd = lineEnd(text, eol + 1);
    const quotes = quotesOn(text, eol + 1, nextEnd);
    if (quotes.length % 2 === 1) {
      out.set(eol, ' ');
      diagnostics.push(error('S0312', at(open, eol)));
      return quotes[0] + 1;
    }
  }
  // Otherwise the lexer reads it as an unterminated string (S0005, ends at the line's end).
  return eol;
}
