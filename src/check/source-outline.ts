/**
 * Reads the clause numbering of a Chinese policy document. Two schemes, detected from the text:
 *
 * - sections: `一、…` and items `（一）…` inside them (the Yunnan notice). A paragraph belongs to
 *   the last heading above it, so `三（十）` covers all four of its paragraphs, and text before a
 *   section's first item cites the section alone (`三`).
 * - articles, as laws and regulations number them: `第一章` chapters, `第七条` articles; inside an
 *   article each paragraph that is not an item is a 款 (`第七条第二款`), and `（一）` lines are
 *   项 of the 款 above them (`第七条第一款第三项`, also citable as `第七条第三项` in the first 款).
 *   A document whose lines start with `第X条` uses this scheme.
 *
 * In both, `1.` / `１．` and `（1）` lines are sub-items: they stay within the clause above them
 * (they start no new 款), so a quote from them is verified under that clause.
 */
import type { SourceDocument, SourceParagraph } from '../model/types.js';

const NUMERAL = '[一二三四五六七八九十百零〇两]+';
const SECTION = new RegExp(`^(${NUMERAL})、`);
const ITEM = new RegExp(`^（(${NUMERAL})）`);
const CHAPTER = new RegExp(`^第(${NUMERAL})章`);
const ARTICLE = new RegExp(`^第(${NUMERAL})条`);
/** `1.`, `１．`, `（1）`, `(1)`: sub-items below an item. */
const SUB_ITEM = /^(?:[0-9０-９]+[.．、](?![0-9０-９])|[（(][0-9０-９]+[)）])/;

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 -> 一, 12 -> 十二, 20 -> 二十, 105 -> 一百零五: how 款 and 项 are counted in cites. */
export function chineseNumeral(n: number): string {
  if (n < 10) return DIGITS[n];
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
  const rest = n % 100;
  return `${DIGITS[Math.floor(n / 100)]}百${rest === 0 ? '' : rest < 10 ? `零${DIGITS[rest]}` : rest < 20 ? `一${chineseNumeral(rest)}` : chineseNumeral(rest)}`;
}

/** Which numbering a document uses. */
export type NumberingScheme = 'sections' | 'articles';

/** How a policy header writes each scheme (`numbering "第X条"`). */
export const SCHEME_NAMES: Readonly<Record<NumberingScheme, string>> = { articles: '第X条', sections: '一、（一）' };

/** The scheme a header's `numbering` names, or undefined for an unknown name. */
export function schemeNamed(name: string): NumberingScheme | undefined {
  return name === SCHEME_NAMES.articles ? 'articles' : name === SCHEME_NAMES.sections ? 'sections' : undefined;
}

/** The scheme of a text: articles when a line starts with `第X条`. */
export function detectScheme(text: string): NumberingScheme {
  return text.split('\n').some((l) => ARTICLE.test(l.replace(/^[\s\u3000\ufeff]+/, ''))) ? 'articles' : 'sections';
}

/** Splits a document into paragraphs with their cites, by `scheme` (default: detected from the text). */
export function outlineSource(path: string, text: string, scheme: NumberingScheme = detectScheme(text)): SourceDocument {
  return scheme === 'articles' ? outlineArticles(path, text) : outlineSections(path, text);
}

interface Line { readonly text: string; readonly start: number; readonly end: number; readonly line: number }

function lines(text: string): Line[] {
  const out: Line[] = [];
  let offset = 0;
  let line = 1;
  for (const raw of text.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const lineNo = line++;
    const trimmed = raw.replace(/^[\s\u3000\ufeff]+/, '').replace(/\s+$/, '');
    if (!trimmed) continue;
    const lead = raw.length - raw.replace(/^[\s\u3000\ufeff]+/, '').length;
    out.push({ text: trimmed, start: start + lead, end: start + lead + trimmed.length, line: lineNo });
  }
  return out;
}

function outlineSections(path: string, text: string): SourceDocument {
  const paragraphs: SourceParagraph[] = [];
  const cites = new Set<string>();
  let section = '';
  let item = '';
  for (const l of lines(text)) {
    const s = SECTION.exec(l.text);
    const i = ITEM.exec(l.text);
    if (s) {
      section = s[1];
      item = '';
      cites.add(section);
    } else if (i && section) {
      item = i[1];
      cites.add(`${section}（${item}）`);
    }
    const cite = section ? (item ? `${section}（${item}）` : section) : '';
    paragraphs.push({ cite, text: l.text, start: l.start, end: l.end, line: l.line });
  }
  return { path, text, paragraphs, cites };
}

function outlineArticles(path: string, text: string): SourceDocument {
  const paragraphs: SourceParagraph[] = [];
  const cites = new Set<string>();
  let chapter = '';
  let article = '';
  let kuan = 0;
  let item = '';
  for (const l of lines(text)) {
    const c = CHAPTER.exec(l.text);
    const a = ARTICLE.exec(l.text);
    const i = ITEM.exec(l.text);
    if (c) {
      chapter = `第${c[1]}章`;
      cites.add(chapter);
      article = '';
      paragraphs.push({ cite: chapter, text: l.text, start: l.start, end: l.end, line: l.line });
      continue;
    }
    if (a) {
      article = `第${a[1]}条`;
      kuan = 1;
      item = '';
      cites.add(article);
      cites.add(`${article}第一款`);
    } else if (article && i) {
      item = i[1];
      cites.add(`${article}第${chineseNumeral(kuan)}款第${item}项`);
      if (kuan === 1) cites.add(`${article}第${item}项`);
    } else if (article && !SUB_ITEM.test(l.text)) {
      kuan++;
      item = '';
      cites.add(`${article}第${chineseNumeral(kuan)}款`);
    }
    const cite = article ? `${article}第${chineseNumeral(kuan)}款${item ? `第${item}项` : ''}` : chapter;
    paragraphs.push({ cite, text: l.text, start: l.start, end: l.end, line: l.line });
  }
  return { path, text, paragraphs, cites };
}

/**
 * Whether a rule's cite covers a paragraph's cite: the same clause or one inside it (`三`
 * covers `三（二）`; `第七条` covers `第七条第二款`; `第七条第三项` is the third 项 of its first 款).
 */
export function citeCovers(cite: string, paragraphCite: string): boolean {
  if (cite === paragraphCite || paragraphCite.startsWith(`${cite}（`) || paragraphCite.startsWith(`${cite}第`)) return true;
  const short = /^(第.+条)(第.+项)$/.exec(cite);
  return !!short && !cite.includes('款') && paragraphCite === `${short[1]}第一款${short[2]}`;
}

/** Whitespace-insensitive form used to find quotes (line breaks inside a quote are allowed). */
export function normaliseForQuote(text: string): string {
  return text.replace(/[\s\u3000]+/g, '');
}

/** The paragraphs a quote falls in (by whitespace-insensitive match), or empty when it is absent. */
export function locateQuote(doc: SourceDocument, quote: string): SourceParagraph[] {
  const needle = normaliseForQuote(quote);
  if (!needle) return [];
  const found: SourceParagraph[] = [];
  for (const p of doc.paragraphs) {
    if (normaliseForQuote(p.text).includes(needle)) found.push(p);
  }
  return found;
}
