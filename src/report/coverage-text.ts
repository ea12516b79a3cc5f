/** Source coverage as text: one line per paragraph, then the share of checkable clauses encoded. */
import type { Lang } from '../model/diagnostics.js';
import type { SourceCoverage } from '../check/coverage.js';

const STATE: Record<string, Record<Lang, string>> = {
  encoded: { zh: '已编码', en: 'encoded' },
  not_checkable: { zh: '不可检验', en: 'not checkable' },
  front_matter: { zh: '文头', en: 'front matter' },
  heading: { zh: '标题', en: 'heading' },
  uncovered: { zh: '未编码', en: 'NOT ENCODED' },
};

function excerpt(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}

/** Renders coverage for a terminal. */
export function coverageToText(c: SourceCoverage, lang: Lang): string {
  const out: string[] = [];
  for (const p of c.paragraphs) {
    const detail = p.state === 'encoded' ? p.rules.join(', ') : p.reason ? (lang === 'en' ? p.reason.en ?? p.reason.zh : p.reason.zh) : '';
    out.push(`${c.source}:${p.line}  ${(p.cite || '—').padEnd(6, '\u3000')} ${STATE[p.state][lang]}  ${excerpt(p.text)}${detail ? `  → ${detail}` : ''}`);
  }
  const pct = (c.share * 100).toFixed(1);
  out.push('');
  out.push(lang === 'zh'
    ? `可检验段落 ${c.encoded + c.uncovered} 个，已编码 ${c.encoded} 个（${pct}%）；不可检验 ${c.notCheckable} 个；未编码 ${c.uncovered} 个。`
    : `${c.encoded + c.uncovered} checkable paragraphs, ${c.encoded} encoded (${pct}%); ${c.notCheckable} not checkable; ${c.uncovered} not encoded.`);
  if (c.unplacedRules.length) out.push(lang === 'zh' ? `没有引文、无法定位的规则：${c.unplacedRules.join(', ')}` : `rules without a quote: ${c.unplacedRules.join(', ')}`);
  return `${out.join('\n')}\n`;
}
