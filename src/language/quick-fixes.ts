/**
 * Edits that fix a diagnostic mechanically: take the checker's "did you mean" suggestion,
 * turn full-width punctuation typed with a Chinese input method into the ASCII the grammar
 * wants, write a date such as `2021/3/5` or `2021年3月5日` as `2021-03-05`. Each fix replaces
 * exactly the text the diagnostic underlines (or, for a date, the date that starts there), so
 * nothing else in the file moves. Pure: the language server offers these as code actions.
 */
import type { Diagnostic, MessageTemplate } from '../model/diagnostics.js';
import type { Span } from '../model/span.js';
import { isValidDate } from '../model/dates.js';

/** One fix: replace `span` of the diagnostic's file by `newText`. */
export interface QuickFix {
  readonly title: MessageTemplate;
  readonly span: Span;
  readonly newText: string;
}

/** Full-width punctuation and the ASCII the grammar expects in its place. */
export { FULL_WIDTH } from '../syntax/typing-slips.js';

const DID_YOU_MEAN = /^did you mean (?:the keyword |the \w+ declared as )?`([^`]+)`(?: at \S+)?\?$/;
/** A date written another common way, at the start of a text. */
const LOOSE_DATE = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?:\s*日)?/;

/** The fixes for one diagnostic of a file whose current text is `text`. */
export function quickFixes(d: Diagnostic, text: string): QuickFix[] {
  const s = d.span;
  if (!s) return [];
  const under = text.slice(s.start, s.end);
  const out: QuickFix[] = [];
  const suggestion = d.help ? DID_YOU_MEAN.exec(d.help.en)?.[1] : undefined;
  if (suggestion !== undefined && under.length > 0) {
    // A cite or string keeps its quotes; a name is replaced as it stands.
    const quoted = under.length >= 2 && under.startsWith('"') && under.endsWith('"');
    out.push({ title: { zh: `改为 \`${suggestion}\``, en: `change to \`${suggestion}\`` }, span: s, newText: quoted ? JSON.stringify(suggestion) : suggestion });
  }
  // The parser already read the full-width marks (or the date) as meant: the fix is what it read.
  if (d.code === 'S0310' && under === d.args.found) {
    const ascii = String(d.args.fix);
    out.push({ title: { zh: `全角标点改为 \`${ascii}\``, en: `replace full-width \`${under}\` with \`${ascii}\`` }, span: s, newText: ascii });
  }
  if (d.code === 'S0311' && under === d.args.found && isValidDate(String(d.args.fix))) {
    out.push({ title: { zh: `日期写作 ${d.args.fix}`, en: `write the date as ${d.args.fix}` }, span: s, newText: String(d.args.fix) });
    return out;
  }
  // A syntax error stops at the date's first number; a type error (`2022/12/31` parses as a
  // division) underlines exactly the date.
  const m = LOOSE_DATE.exec(text.slice(s.start, s.start + 40));
  if (m && (d.code.startsWith('S') || d.code.startsWith('Y') || m[0] === under)) {
    {
      const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
      if (iso !== m[0] && isValidDate(iso)) {
        out.push({ title: { zh: `日期写作 ${iso}`, en: `write the date as ${iso}` }, span: { file: s.file, start: s.start, end: s.start + m[0].length }, newText: iso });
      }
    }
  }
  return out;
}
