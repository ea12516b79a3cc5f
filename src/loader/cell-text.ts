/**
 * What an officer's cell text means: the forms people actually type into a workbook made in
 * China (full-width digits from a Chinese input method, `2022年12月31日`, `是`/`有`, the
 * enum's Chinese label instead of its code). Pure functions on text, so the browser's
 * self-check page reads cells exactly as `eval` does.
 */
import type { EnumInfo, Labels } from '../model/types.js';

/**
 * Full-width forms folded to ASCII (`７０％` -> `70%`, `：` -> `:`, U+3000 -> space), outer
 * whitespace removed. NFKC does the folding; it leaves CJK ideographs alone.
 */
export function foldWidth(text: string): string {
  return text.normalize('NFKC').trim();
}

/** Outer whitespace removed, including the ideographic space a Chinese input method types. */
export function trimText(text: string): string {
  return text.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
}

const TRUE_WORDS = new Set(['true', '是', '有', 'yes', 'y', '√', '✓']);
const FALSE_WORDS = new Set(['false', '否', '无', '沒有', '没有', 'no', 'n', '×', '✗']);

/** A boolean cell's text: `是/否`, `有/无`, `TRUE/FALSE` in any case; undefined when it is none of them. */
export function booleanOf(text: string): boolean | undefined {
  const t = foldWidth(text).toLowerCase();
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return undefined;
}

/**
 * A date cell's text as `YYYY-MM-DD`: `2022-12-31`, `2022/12/31`, `2022.12.31`, `2022年12月31日`
 * (months and days with or without a leading zero). Undefined when the text is not in one of
 * these forms; whether the date exists is checked later, with the other facts.
 */
export function dateOfText(text: string): string | undefined {
  const t = foldWidth(text);
  const m = /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)$/.exec(t);
  if (!m) return undefined;
  const month = m[2] ?? m[4];
  const day = m[3] ?? m[5];
  return `${m[1]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** Excel's day 0 (serial numbers count days from 1899-12-30 in the 1900 date system). */
const EXCEL_EPOCH_DAYS = Date.UTC(1899, 11, 30) / 86_400_000;

/**
 * A number typed into a date column whose cell lost its date format: Excel shows
 * `44926` for 2022-12-31. Only whole numbers in the years 1901-2099 are read as dates;
 * anything else stays a number and is reported as not a date.
 */
export function dateOfSerial(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 367 || n > 73_050) return undefined;
  const d = new Date((EXCEL_EPOCH_DAYS + n) * 86_400_000);
  const pad = (x: number, w = 2) => String(x).padStart(w, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * A numeric cell's text as plain decimal text: full-width digits folded, thousands separators
 * (`1,200`) removed. Undefined when the text is not a decimal number.
 */
export function decimalText(text: string): string | undefined {
  let t = foldWidth(text);
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? t : undefined;
}

/** A percentage cell's text (`70%`, `７０％`, `70 %`) as its fraction's decimal text source: `70%`. */
export function percentText(text: string): string | undefined {
  const t = foldWidth(text).replace(/\s+/g, '');
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))%$/.exec(t);
  return m ? `${m[1]}%` : undefined;
}

/** Text compared loosely: width folded, inner whitespace dropped, ASCII lower-cased. */
export function looseKey(text: string): string {
  return foldWidth(text).replace(/\s+/g, '').toLowerCase();
}

/** Every way an enum member may be written (code, zh label, en label), loosely keyed. */
export function enumSpellings(e: EnumInfo): Map<string, string> {
  const out = new Map<string, string>();
  for (const [code, labels] of e.members) {
    out.set(looseKey(code), code);
    if (labels?.zh) out.set(looseKey(labels.zh), code);
    if (labels?.en) out.set(looseKey(labels.en), code);
  }
  return out;
}

const spellingCache = new WeakMap<EnumInfo, Map<string, string>>();

/** The member code an enum cell names by its code, zh label or en label; undefined when none. */
export function enumMemberOf(e: EnumInfo, text: string): string | undefined {
  let spellings = spellingCache.get(e);
  if (!spellings) {
    spellings = enumSpellings(e);
    spellingCache.set(e, spellings);
  }
  return spellings.get(looseKey(text));
}

/**
 * The label an officer most likely meant: one containing the text or contained in it (`福利院`
 * in `儿童福利院`), else the nearest by edit distance. Shown as the zh label with its code.
 */
export function nearestMember(e: EnumInfo, text: string): { code: string; label?: string } | undefined {
  const near = nearestLabel(e.members, text);
  return near && { code: near.code, label: near.labels?.zh };
}

/**
 * Of named things (enum members, a sheet's columns, the policy's lists) by code with their
 * labels, the one a text most likely means, by code, zh label or en label: containment first,
 * then edit distance; undefined when nothing is close.
 */
export function nearestLabel(entries: Iterable<readonly [string, Labels | undefined]>, text: string): { code: string; labels?: Labels } | undefined {
  const key = looseKey(text);
  if (key === '') return undefined;
  let best: { code: string; labels?: Labels } | undefined;
  let bestScore = Infinity;
  for (const [code, labels] of entries) {
    for (const spelling of [labels?.zh, code, labels?.en]) {
      if (!spelling) continue;
      const s = looseKey(spelling);
      const contains = s.includes(key) || key.includes(s);
      // Containment wins over any edit distance; among containments, the closest length.
      const score = contains ? Math.abs(s.length - key.length) / 1000 : distance(key, s);
      if (score < bestScore) {
        bestScore = score;
        best = { code, labels };
      }
    }
  }
  return best && bestScore <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
