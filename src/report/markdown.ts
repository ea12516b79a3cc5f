/**
 * Markdown report for an email or a pull request: the policy and date, the counts per status
 * and per clause, then the violations and the pending items as tables. Long lists are cut
 * (a PR comment holds 65,536 characters) with a line that says how many were left out and
 * where to find them all.
 */
import type { Lang } from '../model/diagnostics.js';
import { STATUSES, type RuleResult, type Status } from '../model/result.js';
import { STATUS_LABELS } from './labels.js';
import {
  actionItems, complianceRate, formatRate, kindLabel, obligationCount, overviewOf, placeOf, policyTitle,
  subjectName, type ReportInput,
} from './report-data.js';
import { decimalsOf, formatTotal, provinceWord, totalAreaName, totalLabel, totalsOf } from './totals.js';

/** Options of the markdown report. */
export interface MarkdownOptions {
  /** Most rows listed per section (violations, pending); default 200. */
  readonly limit?: number;
}

const WORDS = {
  zh: {
    title: '评估报告', policy: '政策', version: '版本', asOf: '评估日期', subjects: '评估对象', unit: ' 个',
    summary: '汇总', status: '状态', count: '数量', rate: '达标率',
    rateNote: '达标率 = 符合 ÷（符合 + 违规 + 待达标 + 建议改进）；信息不全的结果不计入。',
    clauses: '各条款', clause: '条款', requirement: '要求', subject: '对象', region: '所在地区', due: '期限', shortfall: '缺口', explanation: '说明',
    none: '无。', more: (n: number) => `另有 ${n} 项未列出；完整清单请用 \`--format csv\` 或 \`--format html\`。`,
    sep: '、', open: '（', close: '）',
    totals: '合计', item: '项目', area: '地区', total: '合计', counted: '计入对象', unknown: '信息不全（未计入）',
    totalsNote: '金额与数量按规则的结果逐项精确相加；缺口为未达到数量要求的对象还差的数量之和。',
  },
  en: {
    title: 'evaluation report', policy: 'Policy', version: 'version', asOf: 'As of', subjects: 'Subjects', unit: '',
    summary: 'Summary', status: 'Status', count: 'Count', rate: 'Compliance',
    rateNote: 'Compliance = compliant ÷ (compliant + violation + pending + advisory); unknown results are left out.',
    clauses: 'By clause', clause: 'Clause', requirement: 'Requirement', subject: 'Subject', region: 'Region', due: 'Due', shortfall: 'Short by', explanation: 'Explanation',
    none: 'None.', more: (n: number) => `${n} more not listed; use \`--format csv\` or \`--format html\` for the full list.`,
    sep: ', ', open: ' (', close: ')',
    totals: 'Totals', item: 'Item', area: 'Area', total: 'Total', counted: 'Subjects', unknown: 'Unknown (left out)',
    totalsNote: 'Amounts and counts are exact sums of the rules\' results; a shortfall total adds up how much more each subject short of a numeric requirement needs.',
  },
} as const;

/**
 * Escapes text for a markdown table cell: backslash before the characters that start inline
 * markup, links, raw HTML or math, `|` that would end the cell, and line breaks folded to
 * spaces. Facts are not trusted to be markdown.
 */
export function mdEscape(s: string): string {
  return s.replace(/[\\`*_[\]<>|~&$]/g, '\\$&').replace(/\r\n|\r|\n/g, ' ');
}

/** Status names as headings: English ones capitalised, Chinese ones as they are. */
function heading(s: Status, lang: Lang): string {
  const label = STATUS_LABELS[s][lang];
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function table(head: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function itemRows(input: ReportInput, items: readonly RuleResult[]): string[][] {
  return items.map((r) => {
    const name = subjectName(input, r);
    const who = name === r.subject.id ? mdEscape(name) : `${mdEscape(name)}${WORDS[input.lang].open}${mdEscape(r.subject.id)}${WORDS[input.lang].close}`;
    const where = placeOf(input, r.subject);
    return [who, mdEscape(where), mdEscape(r.cite), mdEscape(r.title), r.due ?? '', r.shortfall === undefined ? '' : r.shortfallUnit ? `${r.shortfall} ${r.shortfallUnit}` : r.shortfall, mdEscape(r.explanation)];
  });
}

/** Renders the report as GitHub-flavoured markdown. */
export function reportToMarkdown(input: ReportInput, options: MarkdownOptions = {}): string {
  const lang: Lang = input.lang;
  const w = WORDS[lang];
  const limit = options.limit ?? 200;
  const { report } = input;
  const overview = overviewOf(input);
  const out: string[] = [];
  out.push(`# ${mdEscape(policyTitle(input))}${lang === 'zh' ? ' — ' : ': '}${w.title}`, '');
  const kinds = [...overview.subjectsByKind].map(([k, n]) => `${mdEscape(kindLabel(input, k))} ${n}`).join(w.sep);
  out.push(`${w.policy} ${mdEscape(report.policy.id)} · ${w.version} ${mdEscape(report.policy.version)} · ${w.asOf} ${report.asOf} · ${w.subjects} ${overview.subjectCount}${w.unit}${kinds ? `${w.open}${kinds}${w.close}` : ''}`, '');

  out.push(`## ${w.summary}`, '');
  const shown = STATUSES.filter((s) => report.summary[s] > 0);
  out.push(...table(
    [...shown.map((s) => heading(s, lang)), w.rate],
    [...shown.map(() => 'r' as const), 'r'],
    [[...shown.map((s) => String(report.summary[s])), formatRate(complianceRate(report.summary))]],
  ), '', w.rateNote, '');

  const totals = totalsOf(input);
  if (totals.length > 0) {
    out.push(`## ${w.totals}`, '');
    out.push(...table(
      [w.item, w.area, w.total, w.counted, w.unknown],
      ['l', 'l', 'r', 'r', 'r'],
      totals.flatMap((line) => {
        const decimals = decimalsOf(line, input);
        const label = mdEscape(totalLabel(line, lang));
        return [[provinceWord(lang), line.province] as const, ...line.areas.map((a) => [totalAreaName(a.region, lang), a.cell] as const)]
          .map(([name, cell], i) => [i === 0 ? label : '', mdEscape(name), mdEscape(formatTotal(cell.sum, line.unit, decimals)), String(cell.subjects), String(cell.unknown)]);
      }),
    ), '', w.totalsNote, '');
  }

  const clauses = overview.clauses.filter((c) => obligationCount(c.counts) > 0);
  if (clauses.length > 0) {
    out.push(`## ${w.clauses}`, '');
    const cols = (['violation', 'pending', 'unknown', 'advisory', 'compliant'] as const);
    out.push(...table(
      [w.clause, w.requirement, ...cols.map((s) => heading(s, lang)), w.rate],
      ['l', 'l', ...cols.map(() => 'r' as const), 'r'],
      clauses.map((c) => [mdEscape(c.cite), mdEscape(c.obligations.map((r) => r.title).join(lang === 'zh' ? '；' : '; ')), ...cols.map((s) => String(c.counts[s])), formatRate(complianceRate(c.counts))]),
    ), '');
  }

  for (const status of ['violation', 'pending'] as const) {
    const items = actionItems(report, status);
    out.push(`## ${heading(status, lang)}${w.open}${items.length}${w.close}`, '');
    if (items.length === 0) {
      out.push(w.none, '');
      continue;
    }
    out.push(...table(
      [w.subject, w.region, w.clause, w.requirement, w.due, w.shortfall, w.explanation],
      ['l', 'l', 'l', 'l', 'l', 'r', 'l'],
      itemRows(input, items.slice(0, limit)),
    ), '');
    if (items.length > limit) out.push(w.more(items.length - limit), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
