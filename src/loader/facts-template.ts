/**
 * An empty facts workbook for a policy (Node only): one sheet per subject kind, row 1 the
 * field paths (what the loader reads), row 2 their zh labels (skipped on reading), and data
 * validation on the rows below so officers pick categories from a dropdown instead of typing
 * ids. Validation warns rather than refuses: `null`/`无` (none) must stay enterable.
 */
import ExcelJS from 'exceljs';
import type { FieldInfo, KindInfo, Policy, Type } from '../model/types.js';
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

/** Builds the template workbook for `policy`. */
export function factsTemplate(policy: Policy): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'clausal';
  const sheets = [...policy.kinds.values()].map((kind) => ({ kind, ws: wb.addWorksheet(kind.listKey, { views: [{ state: 'frozen', ySplit: 2 }] }) }));
  // Enum members live on a hidden sheet: an inline list is limited to 255 characters.
  const lists = wb.addWorksheet('_lists', { state: 'hidden' });
  const listRange = new Map<string, string>();
  let listCol = 0;
  for (const e of policy.enums.values()) {
    const members = [...e.members.keys()];
    const col = columnLetter(listCol++);
    lists.getCell(`${col}1`).value = e.name;
    members.forEach((m, i) => {
      lists.getCell(`${col}${i + 2}`).value = m;
    });
    listRange.set(e.name, `_lists!$${col}$2:$${col}$${members.length + 1}`);
  }
  for (const { kind, ws } of sheets) {
    const columns = templateColumns(kind);
    columns.forEach((f, i) => {
      const col = ws.getColumn(i + 1);
      const path = f === 'id' ? 'id' : f.path;
      const label = f === 'id' ? '编号' : f.label?.zh ?? '';
      col.width = Math.min(40, Math.max(10, path.length + 2, label.length * 2 + 2));
      const head = ws.getCell(1, i + 1);
      head.value = path;
      head.font = { bold: true };
      const zh = ws.getCell(2, i + 1);
      zh.value = label;
      zh.font = { italic: true, color: { argb: 'FF666666' } };
      const type = f === 'id' ? undefined : listType(f.type);
      if (f !== 'id' && f.label?.en) head.note = f.label.en;
      const validation = type && !(f !== 'id' && f.isRecord) ? validationFor(type, listRange) : undefined;
      // Ids, references and text as text: `530100` must not become a number and lose zeros.
      const text = !type || type.t === 'string' || type.t === 'enum' || type.t === 'subject' || (f !== 'id' && f.type.t === 'list');
      // Formats on the column (new rows inherit them), validation on one range: set cell by
      // cell, a thousand rows took seconds to write.
      if (text) col.numFmt = '@';
      else if (type?.t === 'date') col.numFmt = 'yyyy-mm-dd';
      const letter = columnLetter(i);
      if (validation && !(f !== 'id' && f.type.t === 'list')) rangeValidations(ws).add(`${letter}3:${letter}${2 + TEMPLATE_ROWS}`, validation);
    });
  }
  return wb;
}

/** exceljs's range validations: in its runtime API, not in its type declarations. */
function rangeValidations(ws: ExcelJS.Worksheet): { add(range: string, v: ExcelJS.DataValidation): void } {
  return (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
}

function validationFor(type: Type, listRange: ReadonlyMap<string, string>): ExcelJS.DataValidation | undefined {
  const common = { allowBlank: true, showErrorMessage: true, errorStyle: 'warning' } as const;
  switch (type.t) {
    case 'enum': {
      const range = listRange.get(type.name);
      return range ? { ...common, type: 'list', formulae: [range], error: `${type.name}` } : undefined;
    }
    case 'boolean':
      return { ...common, type: 'list', formulae: ['"TRUE,FALSE"'], error: 'TRUE / FALSE' };
    case 'integer':
      return { ...common, type: 'whole', operator: 'between', formulae: [-9007199254740991, 9007199254740991], error: 'integer' };
    case 'number':
    case 'percent':
    case 'ratio':
      return { ...common, type: 'decimal', operator: 'between', formulae: [-1e15, 1e15], error: type.t };
    case 'date':
      return { ...common, type: 'date', operator: 'greaterThan', formulae: [new Date(Date.UTC(1900, 0, 1))], error: 'YYYY-MM-DD' };
    default:
      return undefined;
  }
}

/** The template workbook as `.xlsx` bytes. */
export async function factsTemplateBytes(policy: Policy): Promise<Uint8Array> {
  const buf = await factsTemplate(policy).xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
