/**
 * Renderings of the rectification ledger (`clausal ledger`): Markdown, a self-contained HTML
 * page, an Excel workbook, JSON. The columns are the same in each: subject, prefecture, clause,
 * rule, first seen, last seen, times seen, current status, due, resolved on.
 */
import ExcelJS from 'exceljs';
import type { Lang } from '../model/diagnostics.js';
import type { Ledger, LedgerEntry } from '../records/ledger.js';
import { statusWord } from './records-compare.js';

const WORDS = {
  zh: {
    title: '整改台账', cols: ['对象', '编号', '州（市）', '条款', '规则', '首次发现', '最近发现', '发现次数', '当前状态', '期限', '整改确认日期'],
    from: (n: number, first: string, last: string) => `依据 ${n} 次检查（评估日期 ${first} 至 ${last}）。`,
    open: '未整改', closed: '已整改', none: '没有记录到违规或待达标事项。', sheet: '台账', noRuns: '没有该政策的检查记录。',
    note: '“整改确认日期”是最近一次发现之后第一次检查的评估日期，仅当当前状态已不是违规或待达标时填写。',
  },
  en: {
    title: 'Rectification ledger', cols: ['Subject', 'Id', 'Prefecture', 'Clause', 'Rule', 'First seen', 'Last seen', 'Times seen', 'Current status', 'Due', 'Resolved on'],
    from: (n: number, first: string, last: string) => `From ${n} recorded runs (as of ${first} to ${last}).`,
    open: 'open', closed: 'resolved', none: 'No violation or pending item was recorded.', sheet: 'Ledger', noRuns: 'No runs of this policy are recorded.',
    note: '"Resolved on" is the as-of date of the first run after the last sighting, given only when the current status is no longer a violation or pending.',
  },
} as const;

function cells(e: LedgerEntry, lang: Lang): (string | number)[] {
  return [e.subject.name ?? e.subject.id, e.subject.id, e.prefecture ?? '—', e.cite, e.rule, e.firstSeen, e.lastSeen, e.timesSeen,
    statusWord(e.currentStatus, lang), e.due ?? '', e.resolvedOn ?? ''];
}

function lede(l: Ledger, lang: Lang): string {
  const w = WORDS[lang];
  if (l.runs.length === 0) return w.noRuns;
  const open = l.entries.filter((e) => !e.resolvedOn).length;
  const counts = lang === 'zh' ? `共 ${l.entries.length} 项，未整改 ${open} 项，已整改 ${l.entries.length - open} 项。` : `${l.entries.length} items: ${open} open, ${l.entries.length - open} resolved.`;
  return `${w.from(l.runs.length, l.runs[0].asOf, l.runs[l.runs.length - 1].asOf)}${lang === 'zh' ? '' : ' '}${counts}`;
}

const md = (s: string | number) => String(s).replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);

/** Markdown. */
export function ledgerToMarkdown(l: Ledger, lang: Lang): string {
  const w = WORDS[lang];
  let out = `# ${w.title} · ${md(l.policyId)}\n\n${lede(l, lang)}\n\n`;
  if (l.entries.length === 0) return `${out}${l.runs.length ? w.none : ''}\n`;
  out += `| ${w.cols.join(' | ')} |\n|${w.cols.map((_, i) => (i === 7 ? '---:' : '---')).join('|')}|\n`;
  for (const e of l.entries) out += `| ${cells(e, lang).map(md).join(' | ')} |\n`;
  return `${out}\n${w.note}\n`;
}

const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A self-contained HTML page (no script). */
export function ledgerToHtml(l: Ledger, lang: Lang): string {
  const w = WORDS[lang];
  const rows = l.entries.map((e) => `<tr class="${e.resolvedOn ? 'closed' : 'open'}">${cells(e, lang).map((c, i) => `<td${i === 7 ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="clausal">
<title>${esc(`${w.title} · ${l.policyId}`)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#1d2330}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d8dce4;padding:.3rem .5rem;text-align:left}td.n{text-align:right}tr.open td:nth-child(9){color:#b42318;font-weight:600}tr.closed td:nth-child(11){color:#067647;font-weight:600}.note{color:#5b6475}</style>
</head>
<body>
<h1>${esc(w.title)} · ${esc(l.policyId)}</h1>
<p>${esc(lede(l, lang))}</p>
${l.entries.length ? `<table><thead><tr>${w.cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>\n${rows}\n</tbody></table>\n<p class="note">${esc(w.note)}</p>` : `<p>${esc(l.runs.length ? w.none : '')}</p>`}
</body>
</html>
`;
}

/** An Excel workbook, one sheet, with a header row, filters and frozen header. */
export async function ledgerToXlsx(l: Ledger, lang: Lang): Promise<Uint8Array> {
  const w = WORDS[lang];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'clausal';
  const ws = wb.addWorksheet(w.sheet, { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.addRow([`${w.title} · ${l.policyId}  ${lede(l, lang)}`]);
  const header = ws.addRow([...w.cols]);
  header.font = { bold: true };
  for (const e of l.entries) ws.addRow(cells(e, lang));
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: w.cols.length } };
  ws.columns.forEach((c, i) => { c.width = [24, 14, 16, 10, 28, 12, 12, 10, 12, 12, 14][i]; });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** JSON. */
export function ledgerToJson(l: Ledger): string {
  return `${JSON.stringify(l, null, 2)}\n`;
}
