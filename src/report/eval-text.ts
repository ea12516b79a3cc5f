/**
 * Text report for a terminal: a summary, then subjects grouped with their most urgent results
 * first (violations, pending, unknown, advisory), wrapped to 80 columns. `not_applicable`
 * results are counted in the summary but not listed.
 */
import type { Lang } from '../model/diagnostics.js';
import { STATUSES, type EvaluationReport, type RuleResult, type SubjectInfo } from '../model/result.js';
import { displayWidth } from './diagnostics.js';
import { STATUS_LABELS, STATUS_RANK } from './labels.js';
import type { Policy } from '../model/types.js';
import { decimalsOf, formatTotal, provinceWord, subjectsPhrase, totalAreaName, totalLabel, totalsOf } from './totals.js';

/** Options of the text report. */
export interface TextReportOptions {
  readonly lang: Lang;
  readonly width?: number;
  /** ANSI colours (only when writing to a terminal). */
  readonly color?: boolean;
  /** Names and regions of subjects, for headings. */
  readonly subjects?: ReadonlyMap<string, SubjectInfo>;
  /** List compliant and eligible results too (default: only those needing attention). */
  readonly all?: boolean;
  /** The evaluated policy: value rules' units and rounding steps for the totals. */
  readonly policy?: Policy;
}

const COLORS: Partial<Record<string, string>> = { violation: '31', pending: '33', unknown: '35', advisory: '36', compliant: '32', eligible: '32', ineligible: '90' };

/** Wraps text to a display width, breaking CJK anywhere and latin text at spaces. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  const limit = width - displayWidth(indent);
  for (const token of text.match(/[\x21-\x7e]+|\s+|./gu) ?? []) {
    const tw = displayWidth(token);
    if (w + tw > limit && line.trim()) {
      lines.push(indent + line.trimEnd());
      line = /^\s+$/.test(token) ? '' : token;
      w = /^\s+$/.test(token) ? 0 : tw;
    } else {
      line += token;
      w += tw;
    }
  }
  if (line.trim()) lines.push(indent + line.trimEnd());
  return lines;
}

/** The totals block: each value rule and shortfall summed for the province and per prefecture. */
function totalsText(report: EvaluationReport, options: TextReportOptions, width: number): string[] {
  const { lang } = options;
  const input = { report, lang, subjects: options.subjects, policy: options.policy };
  const lines = totalsOf(input);
  if (lines.length === 0) return [];
  const out = ['', lang === 'zh' ? '合计（全省与各州（市））:' : 'Totals (province and by prefecture):'];
  for (const line of lines) {
    const decimals = decimalsOf(line, input);
    out.push(...wrap(totalLabel(line, lang), width, '  '));
    const rows = [[provinceWord(lang), line.province] as const, ...line.areas.map((a) => [totalAreaName(a.region, lang), a.cell] as const)];
    for (const [name, cell] of rows) out.push(...wrap(`${name}  ${formatTotal(cell.sum, line.unit, decimals)} · ${subjectsPhrase(cell, lang)}`, width, '      '));
  }
  return out;
}

/** Renders the report. */
export function reportToText(report: EvaluationReport, options: TextReportOptions): string {
  const { lang } = options;
  const width = options.width ?? 80;
  const paint = (status: string, s: string) => (options.color && COLORS[status] ? `\u001b[${COLORS[status]}m${s}\u001b[0m` : s);
  const out: string[] = [];
  const title = report.policy.title ? `${report.policy.title}` : report.policy.id;
  out.push(...wrap(title, width, ''));
  out.push(`${report.policy.id} ${report.policy.version} · ${lang === 'zh' ? '评估日期' : 'as of'} ${report.asOf}`);
  const counts = STATUSES.filter((s) => report.summary[s] > 0).map((s) => `${paint(s, STATUS_LABELS[s][lang])} ${report.summary[s]}`);
  out.push(...wrap(`${lang === 'zh' ? '汇总' : 'Summary'}: ${counts.join(' · ')}`, width, ''));
  out.push(...totalsText(report, options, width));

  const bySubject = new Map<string, RuleResult[]>();
  for (const r of report.results) {
    if (r.status === 'not_applicable') continue;
    if (!options.all && (r.status === 'compliant' || r.status === 'eligible')) continue;
    const key = `${r.subject.kind}\u0000${r.subject.id}`;
    const list = bySubject.get(key) ?? [];
    list.push(r);
    bySubject.set(key, list);
  }
  const groups = [...bySubject.values()].map((list) => list.slice().sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status]));
  // Subjects with the most urgent findings first; facts order among equals (sort is stable).
  groups.sort((a, b) => STATUS_RANK[a[0].status] - STATUS_RANK[b[0].status]);
  if (groups.length === 0) out.push('', lang === 'zh' ? '没有需要关注的结果。' : 'Nothing needs attention.');
  for (const list of groups) {
    const s = list[0].subject;
    const info = options.subjects?.get(`${s.kind}\u0000${s.id}`);
    out.push('', `${info?.name ? `${info.name} ` : ''}(${s.kind} ${s.id})`);
    for (const r of list) {
      const head = `  ${paint(r.status, STATUS_LABELS[r.status][lang])}  ${r.cite}  ${r.rule}`;
      out.push(head);
      out.push(...wrap(r.explanation, width, '      '));
    }
  }
  if (!options.all) {
    out.push('', lang === 'zh' ? '（符合、符合条件与不适用的结果只计入汇总；用 --format json 查看全部。）' : '(Compliant, eligible and not-applicable results are only counted; use --format json for all.)');
  }
  return `${out.join('\n')}\n`;
}
