/**
 * The results workbook (`eval --format xlsx`) officers forward to prefectures: a summary sheet
 * (counts by status, and per clause), one sheet per clause with every result under it, and the
 * issue list (问题清单) with every violation, pending item and unknown: where, the figures, the
 * shortfall and its unit, the deadline, the missing facts and the clause's own words. A value
 * rule's result has its value and unit in their own columns. Every sheet has its
 * header row frozen and a filter on it; words are Chinese unless `lang` is `en`.
 *
 * Cells are values, never formulas: a name such as `=HYPERLINK(…)` from the facts stays text
 * (exceljs writes strings as shared strings, which spreadsheets do not evaluate).
 */
import ExcelJS from 'exceljs';
import type { Lang } from '../model/diagnostics.js';
import type { RuleResult, Status } from '../model/result.js';
import { MODALITY_LABELS, STATUS_LABELS, STATUS_RANK } from './labels.js';
import { areasOf, kindLabel, policyTitle, regionName, subjectKeyOf, type ReportInput } from './report-data.js';

/** Statuses the issue list holds: what someone has to act on or find out. */
const ISSUES: ReadonlySet<string> = new Set(['violation', 'pending', 'unknown']);

const WORDS = {
  summary: { zh: '汇总', en: 'summary' },
  issues: { zh: '问题清单', en: 'issues' },
  policy: { zh: '政策', en: 'policy' },
  asOf: { zh: '评估日期', en: 'as of' },
  status: { zh: '状态', en: 'status' },
  count: { zh: '数量', en: 'count' },
  cite: { zh: '条款', en: 'cite' },
  total: { zh: '合计', en: 'total' },
} as const;

/** Columns of a clause sheet and of the issue list, in order. */
const COLUMNS: Record<Lang, readonly string[]> = {
  zh: ['州（市）', '县（市、区）', '对象类型', '对象编号', '对象名称', '条款', '规则', '要求', '规范性质', '状态', '值', '值单位', '期限', '缺口', '缺口单位', '数据', '缺少的信息', '说明', '原文'],
  en: ['prefecture', 'county', 'kind', 'id', 'name', 'cite', 'rule', 'requirement', 'modality', 'status', 'value', 'value unit', 'due', 'shortfall', 'shortfall unit', 'figures', 'missing', 'explanation', 'quote'],
};
const WIDTHS = [12, 14, 10, 16, 24, 10, 28, 30, 8, 10, 12, 8, 12, 8, 8, 36, 36, 60, 60];
/** 1-based columns of the value, the deadline and the shortfall. */
const VALUE_COLUMN = 11;
const DUE_COLUMN = 13;
const SHORTFALL_COLUMN = 14;

/**
 * An exact decimal string as a cell: a number shown with the string's decimals (`300.00` stays
 * `300.00`), or the string itself when a spreadsheet number (a double) cannot hold it exactly,
 * or when it is a date (`YYYY-MM-DD`).
 */
function exactCell(text: string | undefined): { value: string | number | null; numFmt?: string } {
  if (text === undefined) return { value: null };
  if (!/^-?\d+(?:\.\d+)?$/.test(text)) return { value: text };
  const n = Number(text);
  const decimals = text.split('.')[1]?.length ?? 0;
  const back = n.toFixed(decimals);
  if (back !== text && !(n === 0 && back === text.replace(/^-/, ''))) return { value: text };
  if (Math.abs(n) >= 2 ** 53 / 10 ** decimals) return { value: text };
  return { value: n, numFmt: decimals === 0 ? '0' : `0.${'0'.repeat(decimals)}` };
}

/** Excel's sheet names: at most 31 characters, none of `[]:*?/\`, unique. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '_').slice(0, 28) || '_';
  let n = base;
  for (let i = 2; taken.has(n.toLowerCase()); i++) n = `${base}(${i})`;
  taken.add(n.toLowerCase());
  return n;
}

function statusWord(s: Status | string, lang: Lang): string {
  return (STATUS_LABELS as Record<string, Record<Lang, string>>)[s]?.[lang] ?? s;
}

/** Builds the workbook. */
export function reportToWorkbook(input: ReportInput): ExcelJS.Workbook {
  const { report, lang } = input;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'clausal';
  const taken = new Set<string>();
  const rules = new Map((input.policy?.rules ?? []).map((r) => [r.id, r]));
  const place = (r: RuleResult) => {
    const info = input.subjects?.get(subjectKeyOf(r.subject));
    const { prefecture, county } = areasOf(info);
    return { prefecture: regionName(prefecture), county: regionName(county), name: info?.name ?? '' };
  };
  /** `institutions[KM-1].posts.social_work` as its field's label (`社会工作岗位数`), else as written. */
  const figureName = (path: string): string => {
    const m = /^([^[]+)\[.*\]\.([^\][]+)$/.exec(path);
    const kind = m ? [...(input.policy?.kinds.values() ?? [])].find((k) => k.listKey === m[1]) : undefined;
    const label = kind?.fields.get(m![2])?.label;
    return (lang === 'en' ? label?.en : label?.zh) ?? label?.zh ?? path;
  };
  const addRow = (ws: ExcelJS.Worksheet, r: RuleResult): void => {
    const p = place(r);
    const figures = r.figures.map((f) => `${figureName(f.path)} = ${f.value === null ? (lang === 'zh' ? '无' : 'none') : String(f.value)}`).join('；');
    const rule = rules.get(r.rule);
    const value = exactCell(r.value === undefined ? undefined : String(r.value));
    const shortfall = exactCell(r.shortfall === undefined ? undefined : String(r.shortfall));
    const added = ws.addRow([
      p.prefecture, p.county, kindLabel(input, r.subject.kind), r.subject.id, p.name,
      r.cite, r.rule, r.title, MODALITY_LABELS[r.modality]?.[lang] ?? r.modality, statusWord(r.status, lang),
      value.value, r.unit ?? null, r.due, shortfall.value, r.shortfallUnit ?? null, figures, r.missing.join('；'), r.explanation, rule?.quote ?? '',
    ]);
    if (value.numFmt) added.getCell(VALUE_COLUMN).numFmt = value.numFmt;
    if (shortfall.numFmt) added.getCell(SHORTFALL_COLUMN).numFmt = shortfall.numFmt;
  };
  const table = (ws: ExcelJS.Worksheet, results: readonly RuleResult[]) => {
    ws.columns = COLUMNS[lang].map((header, i) => ({ header, width: WIDTHS[i] }));
    ws.getRow(1).font = { bold: true };
    for (const r of results) addRow(ws, r);
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS[lang].length } };
    ws.getColumn(DUE_COLUMN).numFmt = '@';
  };

  // Summary: the policy, the date, counts by status, then a clause-by-status table.
  const summary = wb.addWorksheet(sheetName(WORDS.summary[lang], taken), { views: [{ state: 'frozen', ySplit: 1 }] });
  summary.columns = [{ header: WORDS.status[lang], width: 28 }, { header: WORDS.count[lang], width: 10 }];
  summary.getRow(1).font = { bold: true };
  summary.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 2 } };
  const statuses = (Object.keys(report.summary) as Status[]).filter((s) => report.summary[s] > 0).sort((a, b) => (STATUS_RANK[a] ?? 99) - (STATUS_RANK[b] ?? 99));
  for (const s of statuses) summary.addRow([statusWord(s, lang), report.summary[s]]);
  summary.addRow([]);
  summary.addRow([WORDS.policy[lang], policyTitle(input)]);
  summary.addRow([WORDS.asOf[lang], report.asOf]);
  summary.addRow([]);
  const byCite = new Map<string, RuleResult[]>();
  for (const r of report.results) {
    const list = byCite.get(r.cite) ?? [];
    list.push(r);
    byCite.set(r.cite, list);
  }
  const shown = statuses;
  const head = summary.addRow([WORDS.cite[lang], ...shown.map((s) => statusWord(s, lang)), WORDS.total[lang]]);
  head.font = { bold: true };
  for (const [cite, results] of byCite) {
    const counts = shown.map((s) => results.filter((r) => r.status === s).length);
    summary.addRow([cite, ...counts, results.length]);
  }

  // The issue list: most urgent first, then by place.
  const issues = report.results.filter((r) => ISSUES.has(r.status)).slice().sort((a, b) => (STATUS_RANK[a.status] ?? 99) - (STATUS_RANK[b.status] ?? 99));
  table(wb.addWorksheet(sheetName(WORDS.issues[lang], taken), { views: [{ state: 'frozen', ySplit: 1 }] }), issues);

  // One sheet per clause, in the order clauses first appear in the results.
  for (const [cite, results] of byCite) table(wb.addWorksheet(sheetName(cite, taken), { views: [{ state: 'frozen', ySplit: 1 }] }), results);
  return wb;
}

/** The workbook as `.xlsx` bytes. */
export async function reportToXlsx(input: ReportInput): Promise<Uint8Array[]> {
  const buf = await reportToWorkbook(input).xlsx.writeBuffer();
  return [new Uint8Array(buf as ArrayBuffer)];
}
