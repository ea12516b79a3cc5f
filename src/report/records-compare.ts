/**
 * Renderings of `clausal runs compare` (text, Markdown, JSON) and the "change since the
 * previous recorded run" section of the eval HTML report.
 */
import type { Lang } from '../model/diagnostics.js';
import type { Status } from '../model/result.js';
import { CHANGE_KINDS, type ChangeKind, type Comparison } from '../records/compare.js';
import { STATUS_LABELS } from './labels.js';

const KIND_WORDS: Record<ChangeKind, Record<Lang, string>> = {
  new: { zh: '新增问题', en: 'new' },
  worsened: { zh: '恶化', en: 'worsened' },
  resolved: { zh: '已整改', en: 'resolved' },
  eased: { zh: '好转', en: 'eased' },
  changed: { zh: '其他变化', en: 'other change' },
};

/** A status's name in a language; statuses this build does not know are shown as they are. */
export function statusWord(s: string | null, lang: Lang): string {
  if (s === null) return lang === 'zh' ? '（无）' : '(none)';
  return STATUS_LABELS[s as Status]?.[lang] ?? s;
}

/** The name of a change kind. */
export function changeWord(k: ChangeKind, lang: Lang): string {
  return KIND_WORDS[k][lang];
}

function headline(c: Comparison, lang: Lang): string {
  const parts = CHANGE_KINDS.map((k) => `${changeWord(k, lang)} ${c.counts[k]}`).join(lang === 'zh' ? '，' : ', ');
  return lang === 'zh'
    ? `第 ${c.a.run} 次（${c.a.asOf}，${c.a.policyVersion}）→ 第 ${c.b.run} 次（${c.b.asOf}，${c.b.policyVersion}）：${parts}`
    : `run ${c.a.run} (${c.a.asOf}, ${c.a.policyVersion}) -> run ${c.b.run} (${c.b.asOf}, ${c.b.policyVersion}): ${parts}`;
}

function table(title: string, first: string, rows: readonly { key: string; counts: Record<ChangeKind, number> }[], lang: Lang): string {
  const head = `| ${first} | ${CHANGE_KINDS.map((k) => changeWord(k, lang)).join(' | ')} |\n|---|${CHANGE_KINDS.map(() => '---:').join('|')}|\n`;
  return `## ${title}\n\n${head}${rows.map((r) => `| ${r.key} | ${CHANGE_KINDS.map((k) => r.counts[k]).join(' | ')} |\n`).join('')}\n`;
}

const md = (s: string) => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);

/** Markdown: the headline, counts by prefecture and by clause, and every change. */
export function comparisonToMarkdown(c: Comparison, lang: Lang): string {
  const zh = lang === 'zh';
  let out = `# ${zh ? '两次检查的变化' : 'Changes between two runs'}\n\n${headline(c, lang)}\n\n`;
  if (c.changes.length === 0) return `${out}${zh ? '两次结果相同。' : 'The two runs have the same results.'}\n`;
  out += table(zh ? '按州（市）' : 'By prefecture', zh ? '州（市）' : 'Prefecture', c.byPrefecture.map((p) => ({ key: md(p.prefecture), counts: p.counts })), lang);
  out += table(zh ? '按条款' : 'By clause', zh ? '条款' : 'Clause', c.byClause.map((p) => ({ key: md(p.cite), counts: p.counts })), lang);
  out += `## ${zh ? '逐项变化' : 'Each change'}\n\n| ${zh ? '变化 | 对象 | 州（市） | 条款 | 规则 | 之前 | 之后' : 'Change | Subject | Prefecture | Clause | Rule | Before | After'} |\n|---|---|---|---|---|---|---|\n`;
  for (const x of c.changes) {
    out += `| ${changeWord(x.kind, lang)} | ${md(x.subject.name ? `${x.subject.name}（${x.subject.id}）` : x.subject.id)} | ${md(x.prefecture ?? '—')} | ${md(x.cite)} | ${md(x.rule)} | ${statusWord(x.before, lang)} | ${statusWord(x.after, lang)} |\n`;
  }
  return out;
}

/** Plain text: the headline and one line per change. */
export function comparisonToText(c: Comparison, lang: Lang): string {
  const lines = [headline(c, lang)];
  for (const x of c.changes) {
    lines.push(`  ${changeWord(x.kind, lang).padEnd(lang === 'zh' ? 4 : 12)} ${x.subject.kind} ${x.subject.id}${x.subject.name ? ` ${x.subject.name}` : ''}  ${x.cite} ${x.rule}: ${statusWord(x.before, lang)} -> ${statusWord(x.after, lang)}`);
  }
  if (c.changes.length === 0) lines.push(lang === 'zh' ? '  两次结果相同' : '  same results');
  return `${lines.join('\n')}\n`;
}

/** JSON: the comparison as is. */
export function comparisonToJson(c: Comparison): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The HTML section "change since the previous recorded run" for the eval report. */
export function changeSectionHtml(c: Comparison, lang: Lang): string {
  const zh = lang === 'zh';
  const cells = CHANGE_KINDS.map((k) => `<div class="card"><span>${esc(changeWord(k, lang))}</span><b>${c.counts[k]}</b></div>`).join('');
  const clauses = c.byClause.length
    ? `<table><thead><tr><th>${zh ? '条款' : 'Clause'}</th>${CHANGE_KINDS.map((k) => `<th class="n">${esc(changeWord(k, lang))}</th>`).join('')}</tr></thead><tbody>${c.byClause.map((r) => `<tr><td>${esc(r.cite)}</td>${CHANGE_KINDS.map((k) => `<td class="n">${r.counts[k]}</td>`).join('')}</tr>`).join('')}</tbody></table>`
    : `<p>${zh ? '与上次结果相同。' : 'Same results as last time.'}</p>`;
  const lede = zh
    ? `与上次记录的检查（第 ${c.a.run} 次，评估日期 ${esc(c.a.asOf)}，版本 ${esc(c.a.policyVersion)}）相比：`
    : `Compared with the previous recorded run (run ${c.a.run}, as of ${esc(c.a.asOf)}, version ${esc(c.a.policyVersion)}):`;
  return `<section id="since-previous">\n<h2>${zh ? '与上次检查相比' : 'Change since the previous run'}</h2>\n<p class="lede">${lede}</p>\n<div class="cards">${cells}</div>\n${clauses}\n</section>\n`;
}
