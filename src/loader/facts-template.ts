/**
 * An empty facts workbook for a policy, in the officers' language: an instructions sheet
 * generated from the policy (which clause reads which column), one sheet per subject kind
 * named by its label, row 1 the columns' labels, a hidden row 2 of codes (what makes the
 * workbook round-trip), and data validation on the rows below so officers pick labels from a
 * dropdown. Validation warns rather than refuses: `无` (none) must stay enterable.
 */
import ExcelJS from 'exceljs';
import type { Lang } from '../model/diagnostics.js';
import type { EnumInfo, FieldInfo, KindInfo, Labels, Policy, TExpr, Type } from '../model/types.js';
import { columnLetter } from './sheet-table.js';

/** Data rows the template's validation covers (rows 3 to 3 + this - 1). */
export const TEMPLATE_ROWS = 10000;

/** The columns of a kind's sheet: `id`, then every declared field (record groups too: `null` there = none). */
export function templateColumns(kind: KindInfo): (FieldInfo | 'id')[] {
  return ['id', ...[...kind.fields.values()].filter((f) => f.path !== 'id')];
}

function listType(t: Type): Type {
  return t.t === 'list' ? t.of : t;
}

/** A label in the template's language, falling back to zh, then to the code. */
function labelIn(labels: Labels | undefined, code: string, lang: Lang): string {
  return (lang === 'en' ? labels?.en : labels?.zh) ?? labels?.zh ?? code;
}

/** A column's header text in `lang`: the field's label (what the officer reads). */
export function columnHeader(f: FieldInfo | 'id', lang: Lang): string {
  return f === 'id' ? (lang === 'en' ? 'id' : '编号') : labelIn(f.label, f.path, lang);
}

/** A kind's sheet name in `lang`: its label, cut to Excel's 31 characters without `[]:*?/\`. */
export function sheetName(kind: KindInfo, lang: Lang): string {
  return labelIn(kind.label, kind.listKey, lang).replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
}

/** How an enum member is written in the template's dropdowns. */
export function memberText(e: EnumInfo, code: string, lang: Lang): string {
  return labelIn(e.members.get(code), code, lang);
}

/** Which clauses (cites) read each `kind.path`, in policy order: what the instructions sheet lists. */
export function fieldUse(policy: Policy): Map<string, string[]> {
  const use = new Map<string, string[]>();
  const add = (kind: string, path: string, cite: string) => {
    const key = `${kind}.${path}`;
    const cites = use.get(key) ?? [];
    if (!cites.includes(cite)) cites.push(cite);
    use.set(key, cites);
  };
  for (const rule of policy.rules) {
    const stack: unknown[] = [rule.where, rule.condition, rule.deadline];
    while (stack.length > 0) {
      const e = stack.pop();
      if (e === null || typeof e !== 'object') continue;
      if (Array.isArray(e)) {
        stack.push(...(e as unknown[]));
        continue;
      }
      const x = e as TExpr;
      if (x.op === 'field' && x.target.type.t === 'subject') add(x.target.type.kind, x.path, rule.cite);
      for (const [k, v] of Object.entries(x)) if (k !== 'span' && k !== 'type' && k !== 'relation' && k !== 'label' && k !== 'value') stack.push(v);
    }
  }
  return use;
}

/**
 * Builds the template workbook for `policy`, in `lang` (zh by default): a sheet per kind named
 * by its label, row 1 the columns' labels, row 2 (hidden) their codes so the loader maps
 * columns exactly however the labels are edited, an instructions sheet first.
 */
export function factsTemplate(policy: Policy, lang: Lang = 'zh'): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'clausal';
  const zh = lang === 'zh';
  const guide = wb.addWorksheet(zh ? '填表说明' : 'instructions', { views: [{ state: 'frozen', ySplit: 1 }] });
  const sheets = [...policy.kinds.values()].map((kind) => ({ kind, ws: wb.addWorksheet(sheetName(kind, lang), { views: [{ state: 'frozen', ySplit: 2, xSplit: 1 }] }) }));
  // Enum members live on a hidden sheet: an inline list is limited to 255 characters.
  const lists = wb.addWorksheet('_lists', { state: 'hidden' });
  const listRange = new Map<string, string>();
  let listCol = 0;
  for (const e of policy.enums.values()) {
    const members = [...e.members.keys()];
    const col = columnLetter(listCol++);
    lists.getCell(`${col}1`).value = e.name;
    members.forEach((m, i) => {
      lists.getCell(`${col}${i + 2}`).value = memberText(e, m, lang);
    });
    listRange.set(e.name, `_lists!$${col}$2:$${col}$${members.length + 1}`);
  }
  const use = fieldUse(policy);
  guide.columns = [
    { header: zh ? '工作表' : 'sheet', width: 14 },
    { header: zh ? '列' : 'column', width: 30 },
    { header: zh ? '代码' : 'code', width: 26 },
    { header: zh ? '填写' : 'how to fill', width: 46 },
    { header: zh ? '用于条款' : 'used by clauses', width: 30 },
  ];
  guide.getRow(1).font = { bold: true };
  guide.addRow([zh ? '（通用）' : '(all)', '', '', zh
    ? '每行一个主体；留空 = 情况不明（不等于“否”）；“无” = 没有此项（如未建站）；日期写 2022-12-31、2022/12/31 或 2022年12月31日；百分比写 70%'
    : 'one subject per row; an empty cell is unknown (not "no"); `none` = the thing does not exist; dates as 2022-12-31; percentages as 70%', '']);
  for (const { kind, ws } of sheets) {
    const columns = templateColumns(kind);
    columns.forEach((f, i) => {
      const col = ws.getColumn(i + 1);
      const path = f === 'id' ? 'id' : f.path;
      const label = columnHeader(f, lang);
      col.width = Math.min(40, Math.max(10, label.length * (zh ? 2 : 1) + 4));
      const head = ws.getCell(1, i + 1);
      head.value = label;
      head.font = { bold: true };
      head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      ws.getCell(2, i + 1).value = path;
      const type = f === 'id' ? undefined : listType(f.type);
      guide.addRow([sheetName(kind, lang), label, path, howToFill(policy, f, lang), (use.get(`${kind.name}.${path}`) ?? []).join('、')]);
      const validation = type && !(f !== 'id' && f.isRecord) ? validationFor(policy, type, listRange, lang) : f !== 'id' && f.isRecord ? validationFor(policy, { t: 'boolean' }, listRange, lang, true) : undefined;
      // Ids, references and text as text: `530100` must not become a number and lose zeros.
      const text = !type || type.t === 'string' || type.t === 'enum' || type.t === 'subject' || (f !== 'id' && f.type.t === 'list');
      // Formats on the column (new rows inherit them), validation on one range: set cell by
      // cell, a thousand rows took seconds to write.
      if (text) col.numFmt = '@';
      else if (type?.t === 'date') col.numFmt = 'yyyy-mm-dd';
      else if (type?.t === 'percent') col.numFmt = '0%';
      const letter = columnLetter(i);
      if (validation && !(f !== 'id' && f.type.t === 'list')) rangeValidations(ws).add(`${letter}3:${letter}${2 + TEMPLATE_ROWS}`, validation);
    });
    // The codes row is what round-trips; hidden so officers see only their own words.
    ws.getRow(2).hidden = true;
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  }
  return wb;
}

function howToFill(policy: Policy, f: FieldInfo | 'id', lang: Lang): string {
  const zh = lang === 'zh';
  if (f === 'id') return zh ? '编号（必填，全省唯一）' : 'id (required, unique across the province)';
  if (f.isRecord) return zh ? '有 / 无（无 = 没有此项；有 = 填后面各列）' : 'TRUE / none (none = does not exist)';
  const t = listType(f.type);
  const many = f.type.t === 'list' ? (zh ? '（多项用“；”或“、”分隔）' : ' (several: separate with ;)') : '';
  switch (t.t) {
    case 'enum': {
      const e = policy.enums.get(t.name);
      return (zh ? '从下拉列表选择' : 'pick from the list') + (e ? `：${[...e.members.keys()].slice(0, 6).map((m) => memberText(e, m, lang)).join(zh ? '、' : ', ')}${e.members.size > 6 ? '…' : ''}` : '') + many;
    }
    case 'boolean':
      return (zh ? '是 / 否' : 'TRUE / FALSE') + many;
    case 'integer':
      return (zh ? '整数' : 'whole number') + many;
    case 'number':
    case 'ratio':
      return (zh ? '数字' : 'number') + many;
    case 'percent':
      return (zh ? '百分比，如 70%' : 'percentage, e.g. 70%') + many;
    case 'date':
      return (zh ? '日期，如 2022-12-31' : 'date, e.g. 2022-12-31') + many;
    case 'subject': {
      const k = policy.kinds.get(t.kind);
      return (zh ? `${k ? sheetName(k, lang) : t.kind}表中的编号` : `an id from the ${k ? sheetName(k, lang) : t.kind} sheet`) + many;
    }
    default:
      return (zh ? '文字' : 'text') + many;
  }
}

/** exceljs's range validations: in its runtime API, not in its type declarations. */
function rangeValidations(ws: ExcelJS.Worksheet): { add(range: string, v: ExcelJS.DataValidation): void } {
  return (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
}

function validationFor(policy: Policy, type: Type, listRange: ReadonlyMap<string, string>, lang: Lang, record = false): ExcelJS.DataValidation | undefined {
  const common = { allowBlank: true, showErrorMessage: true, errorStyle: 'warning' } as const;
  const zh = lang === 'zh';
  switch (type.t) {
    case 'enum': {
      const range = listRange.get(type.name);
      const e = policy.enums.get(type.name);
      return range ? { ...common, type: 'list', formulae: [range], error: zh ? `请从列表中选择${e?.label?.zh ?? ''}` : `pick a ${e?.label?.en ?? type.name}` } : undefined;
    }
    case 'boolean':
      if (record) return { ...common, type: 'list', formulae: [zh ? '"有,无"' : '"TRUE,null"'], error: zh ? '有 / 无' : 'TRUE / null' };
      return { ...common, type: 'list', formulae: [zh ? '"是,否"' : '"TRUE,FALSE"'], error: zh ? '是 / 否' : 'TRUE / FALSE' };
    case 'integer':
      return { ...common, type: 'whole', operator: 'between', formulae: [-9007199254740991, 9007199254740991], error: zh ? '请填整数' : 'a whole number' };
    case 'number':
    case 'percent':
    case 'ratio':
      return { ...common, type: 'decimal', operator: 'between', formulae: [-1e15, 1e15], error: zh ? '请填数字' : 'a number' };
    case 'date':
      return { ...common, type: 'date', operator: 'greaterThan', formulae: [new Date(Date.UTC(1900, 0, 1))], error: zh ? '请填日期，如 2022-12-31' : 'a date, e.g. 2022-12-31' };
    default:
      return undefined;
  }
}

/** The template workbook as `.xlsx` bytes. */
export async function factsTemplateBytes(policy: Policy, lang: Lang = 'zh'): Promise<Uint8Array> {
  const buf = await factsTemplate(policy, lang).xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
