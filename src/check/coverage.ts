/**
 * Source coverage: every paragraph of the policy's source document, with the rules whose
 * quotes fall in it, or the declared reason it cannot be checked. A paragraph before the first
 * section (title, addressees, preamble) is front matter, a section title alone on its line a
 * heading. The share reported is of the
 * checkable paragraphs: encoded / (encoded + uncovered).
 */
import type { Labels, Policy, SourceParagraph } from '../model/types.js';
import { citeCovers, locateQuote, normaliseForQuote } from './source-outline.js';

/** How one paragraph is accounted for. */
export type ParagraphState = 'encoded' | 'not_checkable' | 'front_matter' | 'heading' | 'uncovered';

/** Coverage of one paragraph. */
export interface ParagraphCoverage {
  readonly cite: string;
  readonly line: number;
  readonly text: string;
  readonly state: ParagraphState;
  /** Rule ids whose quotes fall in this paragraph. */
  readonly rules: readonly string[];
  /** Why it is not checkable (state `not_checkable`). */
  readonly reason?: Labels;
}

/** Coverage of a whole document. */
export interface SourceCoverage {
  readonly source: string;
  readonly paragraphs: readonly ParagraphCoverage[];
  readonly encoded: number;
  readonly notCheckable: number;
  readonly uncovered: number;
  /** Encoded share of the checkable paragraphs, 0..1 (1 when nothing is checkable). */
  readonly share: number;
  /** Rules without a quote: they cannot be placed in the document. */
  readonly unplacedRules: readonly string[];
}

/** Computes the source coverage of a policy (undefined when it names no source document). */
export function sourceCoverage(policy: Policy): SourceCoverage | undefined {
  const doc = policy.source;
  if (!doc) return undefined;
  const rulesOf = new Map<SourceParagraph, string[]>();
  const unplacedRules: string[] = [];
  for (const rule of policy.rules) {
    const found = rule.quote ? locateQuote(doc, rule.quote) : [];
    if (found.length === 0) unplacedRules.push(rule.id);
    for (const p of found) rulesOf.set(p, [...(rulesOf.get(p) ?? []), rule.id]);
  }
  const paragraphs: ParagraphCoverage[] = doc.paragraphs.map((p) => {
    const rules = rulesOf.get(p) ?? [];
    const base = { cite: p.cite, line: p.line, text: p.text, rules };
    if (rules.length) return { ...base, state: 'encoded' as const };
    if (!p.cite) return { ...base, state: 'front_matter' as const };
    // A section title alone on its line (`四、规范专业岗位聘用（任）`) states no clause.
    // So does a chapter title (`第二章 津贴标准`).
    if (/^[一二三四五六七八九十]+、[^。；]*$/.test(p.text) || /^第[一二三四五六七八九十百零〇两]+章[^。；]*$/.test(p.text)) return { ...base, state: 'heading' as const };
    const marked = policy.uncheckable.find((u) =>
      // Articles: `第七条` accounts for all its 款 (sections keep matching one cite exactly).
      u.quote ? normaliseForQuote(p.text).includes(normaliseForQuote(u.quote)) : u.cite === p.cite || (p.cite.startsWith('第') && citeCovers(u.cite, p.cite)),
    );
    if (marked) return { ...base, state: 'not_checkable' as const, reason: marked.reason };
    return { ...base, state: 'uncovered' as const };
  });
  const count = (s: ParagraphState) => paragraphs.filter((p) => p.state === s).length;
  const encoded = count('encoded');
  const uncovered = count('uncovered');
  return {
    source: doc.path,
    paragraphs,
    encoded,
    notCheckable: count('not_checkable'),
    uncovered,
    share: encoded + uncovered === 0 ? 1 : encoded / (encoded + uncovered),
    unplacedRules,
  };
}
