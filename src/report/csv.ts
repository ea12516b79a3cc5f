/**
 * CSV report: one row per subject and rule, for spreadsheets. UTF-8 with a byte-order mark
 * (without it Excel reads the file in the local code page and Chinese turns to mojibake),
 * RFC 4180 quoting with CRLF line ends, and cells that a spreadsheet would take for a formula
 * defused with a leading apostrophe (facts come from many hands; a name such as
 * `=HYPERLINK(...)` must stay text).
 */
import type { Lang } from '../model/diagnostics.js';
import type { RuleResult } from '../model/result.js';
import { MODALITY_LABELS, STATUS_LABELS } from './labels.js';
import { areasOf, kindLabel, regionName, subjectKeyOf, type ReportInput } from './report-data.js';
import * as Q from '../model/rational.js';
import { decimalsOf, provinceWord, subjectsPhrase, totalAreaName, totalsOf, totalTitle } from './totals.js';

const HEADERS: Record<Lang, readonly string[]> = {
  zh: ['对象类型', '对象编号', '对象名称', '州（市）', '县（市、区）', '所在地区', '条款', '规则', '要求', '规范性质', '状态', '状态代码', '期限', '缺口', '缺少的信息', '说明', '数值', '单位', '缺口单位'],
  en: ['kind', 'id', 'name', 'prefecture', 'county', 'region', 'cite', 'rule', 'requirement', 'modality', 'status', 'status_code', 'due', 'shortfall', 'missing', 'explanation', 'value', 'unit', 'shortfall_unit'],
};

/** Words of the total rows that follow the results (`status_code` is `total` on them). */
const TOTAL_WORDS: Record<Lang, { kind: string; status: string }> = {
  zh: { kind: '合计', status: '合计' },
  en: { kind: 'total', status: 'total' },
};

/** First characters that make Excel, LibreOffice or Sheets evaluate a cell (tab and CR too: they are stripped before the check). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula-defused, then quoted when RFC 4180 requires it. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'number' ? String(value) : value;
  // Numbers we write ourselves are never negative; a text cell that starts like a formula is
  // prefixed so the spreadsheet shows it as typed.
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record (with its CRLF). */
export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The rows of the report, streamed in chunks of about 64 KiB; the first chunk starts with the BOM and the header. */
export function* reportToCsvChunks(input: ReportInput): Generator<string> {
  const { lang } = input;
  let buffer = `\uFEFF${csvRow(HEADERS[lang])}`;
  const kinds = new Map<string, string>();
  let lastKey = '';
  let place: string[] = ['', '', '', ''];
  for (const r of input.report.results) {
    const key = subjectKeyOf(r.subject);
    if (key !== lastKey) {
      lastKey = key;
      const info = input.subjects?.get(key);
      const { prefecture, county } = areasOf(info);
      place = [info?.name ?? '', regionName(prefecture), regionName(county), regionName(info?.regions[0])];
    }
    let kind = kinds.get(r.subject.kind);
    if (kind === undefined) {
      kind = kindLabel(input, r.subject.kind);
      kinds.set(r.subject.kind, kind);
    }
    buffer += csvRow(resultCells(r, kind, place, lang));
    if (buffer.length > 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  // Totals follow the results, marked `total` in status_code so a filter keeps them apart:
  // the province first, then each prefecture (its id and name in the id and prefecture columns).
  const t = TOTAL_WORDS[lang];
  for (const line of totalsOf(input)) {
    const decimals = decimalsOf(line, input);
    const rows = [[undefined, line.province] as const, ...line.areas.map((a) => [a.region, a.cell] as const)];
    for (const [i, [region, cell]] of rows.entries()) {
      const amount = Q.toDecimalString(cell.sum, decimals);
      const name = i === 0 ? provinceWord(lang) : totalAreaName(region, lang);
      buffer += csvRow([
        t.kind, region?.id ?? '', name, i === 0 ? '' : name, '', '',
        line.cite, line.rule, totalTitle(line, lang), '', t.status, 'total', '',
        line.measure === 'shortfall' ? amount : '', '', subjectsPhrase(cell, lang),
        line.measure === 'value' ? amount : '', line.measure === 'value' ? line.unit : '', line.measure === 'shortfall' ? line.unit : '',
      ]);
    }
  }
  yield buffer;
}

function resultCells(r: RuleResult, kind: string, place: readonly string[], lang: Lang): (string | number | null | undefined)[] {
  return [
    kind, r.subject.id, place[0], place[1], place[2], place[3],
    r.cite, r.rule, r.title, MODALITY_LABELS[r.modality][lang],
    STATUS_LABELS[r.status][lang], r.status, r.due, r.shortfall, r.missing.join('; '), r.explanation,
    r.value, r.value === undefined ? undefined : r.unit, r.shortfall === undefined ? undefined : r.shortfallUnit,
  ];
}
