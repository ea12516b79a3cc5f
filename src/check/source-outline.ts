/**
 * Reads the clause numbering of a Chinese policy document: sections `一、…` and items
 * `（一）…` inside them. A paragraph belongs to the last heading above it, so `三（十）`
 * covers all four of its paragraphs, and text before a section's first item cites the
 * section alone (`三`).
 */
import type { SourceDocument, SourceParagraph } from '../model/types.js';

const SECTION = /^([一二三四五六七八九十]+)、/;
const ITEM = /^（([一二三四五六七八九十]+)）/;

/** Splits a document into paragraphs with their cites. */
export function outlineSource(path: string, text: string): SourceDocument {
  const paragraphs: SourceParagraph[] = [];
  const cites = new Set<string>();
  let section = '';
  let item = '';
  let offset = 0;
  let line = 1;
  for (const raw of text.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const lineNo = line++;
    const trimmed = raw.replace(/^[\s\u3000\ufeff]+/, '').replace(/\s+$/, '');
    if (!trimmed) continue;
    const s = SECTION.exec(trimmed);
    const i = ITEM.exec(trimmed);
    if (s) {
      section = s[1];
      item = '';
      cites.add(section);
    } else if (i && section) {
      item = i[1];
      cites.add(`${section}（${item}）`);
    }
    const cite = section ? (item ? `${section}（${item}）` : section) : '';
    const lead = raw.length - raw.replace(/^[\s\u3000\ufeff]+/, '').length;
    paragraphs.push({ cite, text: trimmed, start: start + lead, end: start + lead + trimmed.length, line: lineNo });
  }
  return { path, text, paragraphs, cites };
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
