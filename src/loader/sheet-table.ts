/**
 * Tables of cells (one per sheet of a workbook, or per CSV file) -> the raw subjects every
 * other facts format produces, so that `buildFacts` validates them with the same checks and
 * messages. Afterwards each diagnostic's facts path is mapped back to the cell it came from
 * (`institutions!D7`, `institutions.csv:7:4`). Node and browser alike: no I/O here.
 */
import { error, warning, type Diagnostic } from '../model/diagnostics.js';
import type { Span } from '../model/span.js';
import type { FieldInfo, KindInfo, Policy, Type } from '../model/types.js';
import { booleanOf, dateOfSerial, dateOfText, decimalText, enumMemberOf, foldWidth, looseKey, nearestLabel, percentText, trimText } from './cell-text.js';
import { placesOf, placeText, type CellPlace, type RawFactsPart } from '../facts/raw-facts.js';
import { buildFacts, DEFAULT_FACTS_LIMITS, formatPath, type FactsLimits, type FactsResult, type RawSubject } from '../facts/facts.js';

/** A cell's value as the source holds it; `undefined` is an empty cell. */
export type CellValue = string | number | boolean | Date | undefined;

/** One cell with where it sits. */
export interface Cell {
  readonly value: CellValue;
  /** Where the cell's text is in the table's text (for code frames). */
  readonly span: Span;
}

/** One row of a table: its 1-based row number in the sheet or file, and its cells by column (0-based). */
export interface TableRow {
  readonly row: number;
  readonly cells: readonly (Cell | undefined)[];
}

/** A sheet of a workbook or one CSV file. */
export interface Table {
  /** The list it holds: the sheet's or file's name without extension (`institutions`). */
  readonly name: string;
  /** How messages name it: `institutions` (sheet) or `institutions.csv` (file). */
  readonly shown: string;
  /** The workbook's file name (`云南-昆明.xlsx`) or the CSV folder's name, for messages. */
  readonly book?: string;
  /** Sheet cells are named `D7`; CSV cells `7:4` (row and field number). */
  readonly style: 'sheet' | 'csv';
  /** Where positions point when no cell is known (the header row's first cell). */
  readonly origin: Span;
  /** Every row, the header row first. */
  readonly rows: readonly TableRow[];
}

/** Literal cell texts that mean "none" (YAML `null`), as against an empty cell (unknown). */
const NONE_TEXTS = new Set(['null', 'NULL', '无']);
/** Items of a list cell: separated by semicolons or the enumeration comma. */
const LIST_SEPARATORS = /[;；、]/;

/** `D` for column index 3. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** How a message names a cell: `institutions!D7` or `institutions.csv:7:4`. */
export function cellName(table: Table, row: number, col: number): string {
  return table.style === 'sheet' ? `${table.shown}!${columnLetter(col)}${row}` : `${table.shown}:${row}:${col + 1}`;
}

/** Sheets a workbook may hold besides the facts: the template's instructions. */
export const INSTRUCTION_SHEETS: ReadonlySet<string> = new Set(['填表说明', 'instructions', '说明']);

/** A column's field: `id`, a declared field (by path, zh label or en label, width-folded), or undefined. */
export function fieldOfHeader(kind: KindInfo, header: string): FieldInfo | 'id' | undefined {
  const h = trimText(header);
  if (h === 'id' || h === '编号' || h === 'ID') return 'id';
  const byPath = kind.fields.get(h);
  if (byPath) return byPath;
  const key = looseKey(h);
  if (key === 'id' || key === '编号') return 'id';
  for (const f of kind.fields.values()) if ((f.label?.zh && looseKey(f.label.zh) === key) || (f.label?.en && looseKey(f.label.en) === key) || looseKey(f.path) === key) return f;
  return undefined;
}

/** The kind a table holds: by list key (`institutions`), the kind's zh label (`机构`) or en label. */
export function kindOfTable(policy: Policy, name: string): KindInfo | undefined {
  const key = looseKey(name);
  for (const k of policy.kinds.values()) if (k.listKey === name || looseKey(k.listKey) === key || (k.label?.zh && looseKey(k.label.zh) === key) || (k.label?.en && looseKey(k.label.en) === key)) return k;
  return undefined;
}

function cellText(v: CellValue): string {
  if (v === undefined) return '';
  if (v instanceof Date) return dateText(v);
  return String(v);
}

/** A workbook date as a calendar date: exceljs gives the cell's wall-clock time as UTC. */
export function dateText(d: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * A cell's value as the declared type reads it, in the forms officers type (see
 * `cell-text.ts`). What does not fit is passed on as it is, so `buildFacts` reports it with its
 * usual message (`should be integer, found "abc"`).
 */
function cellToFact(policy: Policy, type: Type, v: CellValue): unknown {
  if (typeof v === 'string') {
    const t = trimText(v);
    switch (type.t) {
      case 'boolean':
        // `无` is "no" in a yes/no column, not "none": checked before the none texts.
        return booleanOf(t) ?? (NONE_TEXTS.has(t) ? null : t);
      case 'enum': {
        // A member labelled `无` (qualification: none) wins over "none".
        const e = policy.enums.get(type.name);
        const member = e ? enumMemberOf(e, t) : undefined;
        return member ?? (NONE_TEXTS.has(t) ? null : t);
      }
      case 'integer':
      case 'number':
      case 'ratio': {
        if (NONE_TEXTS.has(t)) return null;
        const d = decimalText(t);
        return d === undefined ? t : Number(d);
      }
      case 'percent': {
        if (NONE_TEXTS.has(t)) return null;
        const d = decimalText(t);
        return d !== undefined ? Number(d) : percentText(t) ?? t;
      }
      case 'date':
        if (NONE_TEXTS.has(t)) return null;
        return dateOfText(t) ?? t;
      case 'subject':
        // Ids are codes: full-width digits from a Chinese input method are the same id.
        return NONE_TEXTS.has(t) ? null : foldWidth(t);
      case 'list':
        if (NONE_TEXTS.has(t)) return null;
        return t.split(LIST_SEPARATORS).map((x) => trimText(x)).filter((x) => x !== '').map((x) => cellToFact(policy, type.of, x));
      default:
        return NONE_TEXTS.has(t) ? null : t;
    }
  }
  if (v instanceof Date) return dateText(v);
  if (typeof v === 'number' && type.t === 'date') return dateOfSerial(v) ?? v;
  if (typeof v === 'number' && (type.t === 'string' || type.t === 'enum' || type.t === 'subject')) return String(v);
  if (type.t === 'list' && v !== undefined) return [cellToFact(policy, type.of, v)];
  return v;
}

/** Where each facts path came from, so diagnostics can name the cell. */
interface Origin {
  readonly table: Table;
  readonly row: number;
  readonly col: number;
  readonly span: Span;
  /** The field the column holds (`category`), when the diagnostic is about a cell of a known column. */
  readonly header?: string;
  readonly label?: string;
  /** The column's header in each language (see `columnNames`). */
  readonly names?: ColumnNames;
}

/** Any CJK ideograph: a header an officer wrote in Chinese. */
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** How messages name a column in each language. */
interface ColumnNames {
  readonly zh?: string;
  readonly en?: string;
}

/**
 * A column's header in each language: in zh the sheet's own header when it is Chinese (what the
 * officer sees), else the field's zh label; in en the field's en label, else its code.
 */
function columnNames(shown: string | undefined, decl: FieldInfo | 'id' | undefined): ColumnNames {
  const s = shown || undefined;
  const chinese = s !== undefined && CJK.test(s);
  if (decl === 'id') return { zh: chinese ? s : '编号', en: 'id' };
  return { zh: chinese ? s : decl?.label?.zh ?? s, en: decl?.label?.en ?? (chinese ? decl?.path ?? s : s) };
}

/** A place in both languages, as message arguments `{key}` (en) and `{key}.zh`. */
function placeArgs(key: string, p: CellPlace): Record<string, string> {
  return { [key]: placeText(p, 'en'), [`${key}.zh`]: placeText(p, 'zh') };
}

/** A did-you-mean over labels: the zh label in zh, the en label (or code) in en. */
function didYouMeanLabel(near: { code: string; labels?: { zh?: string; en?: string } } | undefined): { zh: string; en: string } | undefined {
  if (!near) return undefined;
  const zh = near.labels?.zh ?? near.code;
  const en = near.labels?.en ?? near.code;
  return { zh: `是否想写 \`${zh}\`？`, en: `did you mean \`${en}\`${en !== near.code ? ` (\`${near.code}\`)` : ''}?` };
}

/** A header row's cells as columns: each a field, or undefined for an empty or unknown header. */
function readHeader(kind: KindInfo, table: Table, header: TableRow, extra: Diagnostic[]): { columns: (FieldInfo | 'id' | undefined)[]; seen: Map<string, number> } {
  const columns: (FieldInfo | 'id' | undefined)[] = [];
  const seen = new Map<string, number>();
  header.cells.forEach((c, col) => {
    const h = trimText(cellText(c?.value));
    if (!c || h === '') return;
    const f = fieldOfHeader(kind, h);
    const key = f === 'id' ? 'id' : f?.path;
    const at = { book: table.book, sheet: table.shown, row: header.row, cell: cellRef(table, header.row, col) };
    const kindArgs = { kind: kind.label?.en ?? kind.name, 'kind.zh': kind.label?.zh ?? kind.name };
    if (!f || !key) {
      const help = didYouMeanLabel(nearestLabel([...kind.fields.values()].filter((x) => !x.isRecord).map((x) => [x.path, x.label] as const), h));
      extra.push({ ...warning('F0022', c.span, { header: h, ...placeArgs('place', at), ...kindArgs }), factsPath: placeText(at), ...(help ? { help } : {}) });
      return;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      const firstHeader = trimText(cellText(header.cells[first]?.value));
      extra.push({ ...error('F0023', c.span, { header: h, ...placeArgs('place', at), ...placeArgs('first', { book: table.book, sheet: table.shown, row: header.row, cell: cellRef(table, header.row, first) }), firstHeader }), factsPath: placeText(at) });
      return;
    }
    seen.set(key, col);
    columns[col] = f;
  });
  return { columns, seen };
}

/**
 * The template's hidden second row: every non-empty cell exactly a code (`id`, `posts.total`).
 * When present it decides the columns, whatever an officer has done to the labels above it.
 */
function isCodeRow(kind: KindInfo, r: TableRow | undefined): boolean {
  if (!r) return false;
  let codes = 0;
  for (const c of r.cells) {
    const t = cellText(c?.value).trim();
    if (t === '') continue;
    if (t !== 'id' && !kind.fields.has(t)) return false;
    codes++;
  }
  return codes > 0;
}

/**
 * Tables -> raw subjects, with how to name each one's cells. Nothing is validated here but the
 * headers: `buildFacts` checks values for every format alike.
 */
export function tablesToRaw(policy: Policy, file: string, tables: readonly Table[]): RawFactsPart {
  const extra: Diagnostic[] = [];
  // Rows and columns by list, to find a diagnostic's cell from its facts path on demand:
  // recording a path for every cell cost more than reading the workbook.
  const sources = new Map<string, { table: Table; rows: TableRow[]; colOf: Map<string, number>; columns: (FieldInfo | 'id' | undefined)[]; headers: string[] }>();
  const byKind = new Map<KindInfo, Table>();
  for (const t of tables) {
    if (INSTRUCTION_SHEETS.has(t.name)) continue;
    const kind = kindOfTable(policy, t.name);
    if (!kind) {
      const kinds = [...policy.kinds.values()];
      const help = didYouMeanLabel(nearestLabel(kinds.map((k) => [k.listKey, k.label] as const), t.name));
      const lists = { lists: kinds.map((k) => k.label?.en ?? k.listKey).join(', '), 'lists.zh': kinds.map((k) => k.label?.zh ?? k.listKey).join('、') };
      const book = t.book ?? file;
      extra.push({ ...warning('F0350', t.origin, { sheet: t.shown, book, ...lists }), factsPath: t.shown, ...(help ? { help } : {}) });
      continue;
    }
    byKind.set(kind, t);
  }
  const raw: RawSubject[] = [];
  // Lists in the policy's order of kinds (regions before the institutions that refer to them).
  for (const kind of policy.kinds.values()) {
    const table = byKind.get(kind);
    if (!table || table.rows.length === 0) continue;
    let body = table.rows.slice(1);
    const headers = table.rows[0].cells.map((c) => trimText(cellText(c?.value)));
    let read: ReturnType<typeof readHeader>;
    if (isCodeRow(kind, body[0])) {
      // Codes decide; the labels row above is what messages quote.
      read = readHeader(kind, table, body[0], extra);
      body = body.slice(1);
    } else {
      read = readHeader(kind, table, table.rows[0], extra);
      // The old template's second row repeats the headers as zh labels: skip it when it does.
      if (body.length > 0 && isLabelRow(body[0], read.columns)) body = body.slice(1);
    }
    const { columns, seen } = read;
    let index = 0;
    const colOf = new Map<string, number>([...seen]);
    const kept: TableRow[] = [];
    sources.set(kind.listKey, { table, rows: kept, colOf, columns, headers });
    for (const r of body) {
      if (r.cells.every((c) => c === undefined || c.value === undefined || (typeof c.value === 'string' && trimText(c.value) === ''))) continue;
      const at = [kind.listKey, index++] as const;
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      const nones = new Map<string, Cell & { place: CellPlace }>();
      kept.push(r);
      r.cells.forEach((c, col) => {
        const f = columns[col];
        if (!f || !c || c.value === undefined || (typeof c.value === 'string' && trimText(c.value) === '')) return;
        const path = f === 'id' ? ['id'] : f.path.split('.');
        // Ids are codes: full-width digits typed by a Chinese input method are the same id.
        const value = f === 'id' ? (typeof c.value === 'string' ? foldWidth(c.value) : c.value instanceof Date ? dateText(c.value) : c.value) : cellToFact(policy, f.isRecord ? { t: 'none' } : f.type, c.value);
        if (f !== 'id' && f.isRecord) {
          // A record column says only whether the group exists: `null`/`无` = none.
          if (value === null) nones.set(f.path, { ...c, place: { book: table.book, sheet: table.shown, row: r.row, cell: cellRef(table, r.row, col) } });
          // `TRUE`/`是`/`有`: the group exists, its fields as their own columns say.
          else if (booleanOf(cellText(c.value)) === true || c.value === true) {
            if (readObj(obj, path) === undefined) setPath(obj, path, Object.create(null));
          } else setPath(obj, path, value);
          return;
        }
        setPath(obj, path, value);
      });
      for (const [rec, cell] of nones) {
        const segs = rec.split('.');
        const filled = readObj(obj, segs);
        if (filled === undefined) {
          setPath(obj, segs, null);
          continue;
        }
        // The record is `无` but a field of it is filled: name the first filled cell of the group.
        const inner = [...kind.fields.values()].find((x) => x.path.startsWith(`${rec}.`) && !x.isRecord && seen.has(x.path) && r.cells[seen.get(x.path)!]?.value !== undefined);
        const innerCol = inner ? seen.get(inner.path)! : undefined;
        const recDecl = kind.fields.get(rec);
        const names = innerCol === undefined ? undefined : columnNames(headers[innerCol], inner);
        const filledPlace: CellPlace = innerCol === undefined ? cell.place : { book: table.book, sheet: table.shown, row: r.row, cell: cellRef(table, r.row, innerCol), header: names?.zh, headerEn: names?.en };
        const recNames = columnNames(headers[seen.get(rec) ?? -1], recDecl);
        extra.push({ ...error('F0025', innerCol === undefined ? cell.span : r.cells[innerCol]!.span, { ...placeArgs('path', filledPlace), record: recNames.en ?? rec, 'record.zh': recNames.zh ?? rec, ...placeArgs('none', { ...cell.place, header: recNames.zh, headerEn: recNames.en }) }), factsPath: placeText(filledPlace) });
      }
      raw.push({ kind, value: obj, at });
    }
  }
  /** The cell of a field of the index-th subject of a list (the row's first cell without a field). */
  const originOf = (list: string, index: number, field: string): Origin | undefined => {
    const src = sources.get(list);
    const r = src?.rows[index];
    if (!src || !r) return undefined;
    // A list item or a field inside a group: the nearest column the sheet has.
    for (let f = field; f !== ''; f = f.includes('.') ? f.slice(0, f.lastIndexOf('.')) : '') {
      const col = src.colOf.get(f);
      const cell = col === undefined ? undefined : r.cells[col];
      if (col !== undefined && cell) {
        const decl = src.columns[col];
        return { table: src.table, row: r.row, col, span: cell.span, header: f, label: decl === 'id' ? '编号' : decl?.label?.zh, names: columnNames(src.headers[col], decl) };
      }
    }
    const col = r.cells.findIndex((c) => c !== undefined);
    return { table: src.table, row: r.row, col: Math.max(0, col), span: r.cells[col]?.span ?? src.table.origin };
  };
  /** Where a field of a subject is or would go: its column even when the cell is empty. */
  const place = (list: string, index: number, field: string): CellPlace | undefined => {
    const src = sources.get(list);
    const r = src?.rows[index];
    if (!src || !r) return undefined;
    for (let f = field; f !== ''; f = f.includes('.') ? f.slice(0, f.lastIndexOf('.')) : '') {
      const col = src.colOf.get(f);
      if (col !== undefined) {
        const names = columnNames(src.headers[col], src.columns[col]);
        return { book: src.table.book, sheet: src.table.shown, row: r.row, cell: cellRef(src.table, r.row, col), header: names.zh, headerEn: names.en };
      }
    }
    // No column for it: name the row, and the label the column would have.
    const decl = kindOfTable(policy, src.table.name)?.fields.get(field);
    return { book: src.table.book, sheet: src.table.shown, row: r.row, header: decl?.label?.zh, headerEn: decl?.label?.en ?? decl?.path };
  };
  const lookup = (at: readonly (string | number)[]): Span | undefined =>
    typeof at[0] === 'string' && typeof at[1] === 'number' ? originOf(at[0], at[1], at.slice(2).filter((x) => typeof x === 'string').join('.'))?.span : undefined;
  const byPath = (p: string): { list: string; index: number; origin?: Origin } | undefined => {
    const m = /^([^.[]+)\[(\d+)\](?:\.(.*))?$/.exec(p);
    return m ? { list: m[1], index: Number(m[2]), origin: originOf(m[1], Number(m[2]), (m[3] ?? '').replace(/\[\d+\]/g, '')) } : undefined;
  };
  /** The earlier row of a list with the same id as its `index`-th row (the first of a duplicate). */
  const firstWithId = (list: string, index: number): CellPlace | undefined => {
    const src = sources.get(list);
    const col = src?.colOf.get('id');
    if (!src || col === undefined) return undefined;
    const idOf = (r: TableRow | undefined) => {
      const v = r?.cells[col]?.value;
      return typeof v === 'string' ? foldWidth(v) : v instanceof Date ? dateText(v) : v === undefined ? undefined : String(v);
    };
    const id = idOf(src.rows[index]);
    for (let i = 0; i < index; i++) {
      if (idOf(src.rows[i]) !== id) continue;
      const names = columnNames(src.headers[col], 'id');
      return { book: src.table.book, sheet: src.table.shown, row: src.rows[i].row, cell: cellRef(src.table, src.rows[i].row, col), header: names.zh, headerEn: names.en };
    }
    return undefined;
  };
  const relocate = (d: Diagnostic): Diagnostic => {
    const found = d.factsPath === undefined ? undefined : byPath(d.factsPath);
    const o = found?.origin;
    if (!found || !o) return d;
    const name = cellName(o.table, o.row, o.col);
    const at: CellPlace = o.header
      ? { book: o.table.book, sheet: o.table.shown, row: o.row, cell: cellRef(o.table, o.row, o.col), header: o.names?.zh, headerEn: o.names?.en }
      : { book: o.table.book, sheet: o.table.shown, row: o.row };
    const where = placeText(at);
    // The help says where in words: a CSV cell name's second number is a field, not a character.
    // A Parquet file or DuckDB table names its columns: the row and the column say where, a field number adds nothing.
    const named = /\.parquet$/i.test(o.table.shown) || /\.duckdb$/i.test(o.table.origin.file);
    const where2 = o.table.style === 'sheet'
      ? { zh: `单元格 ${name}`, en: `cell ${name}` }
      : named
        ? { zh: `${o.table.shown} 第 ${o.row} 行`, en: `${o.table.shown} row ${o.row}` }
        : { zh: `${o.table.shown} 第 ${o.row} 行第 ${o.col + 1} 个字段`, en: `${o.table.shown} row ${o.row}, field ${o.col + 1}` };
    let help = o.header
      ? { zh: `${where2.zh}，列 \`${o.header}\`${o.label ? `（${o.label}）` : ''}`, en: `${where2.en}, column \`${o.header}\`` }
      : { zh: `${o.table.shown} 第 ${o.row} 行`, en: `${o.table.shown} row ${o.row}` };
    if (d.code === 'F0005' && typeof d.args.type === 'string' && typeof d.args.value === 'string') {
      const e = policy.enums.get(d.args.type);
      const near = e ? nearestLabel(e.members, d.args.value) : undefined;
      if (near) help = { zh: `${help.zh}；是否想写 \`${near.labels?.zh ?? near.code}\`？`, en: `${help.en}; did you mean \`${near.labels?.en ?? near.code}\`${near.labels?.en ? ` (\`${near.code}\`)` : ''}?` };
    }
    const args: Record<string, string | number> = typeof d.args.path === 'string' ? { ...d.args, ...placeArgs('path', at) } : { ...d.args };
    // An officer reads the kind of value in words, not the schema's type names.
    if (typeof d.args.expected === 'string') args['expected.zh'] = EXPECTED_ZH[d.args.expected] ?? d.args.expected;
    if (typeof d.args.kind === 'string') {
      const k = policy.kinds.get(d.args.kind);
      if (k?.label?.zh) args['kind.zh'] = k.label.zh;
      if (k?.label?.en) args.kind = k.label.en;
    }
    if (d.code === 'F0005' && typeof d.args.type === 'string') {
      const e = policy.enums.get(d.args.type);
      if (e?.label?.zh) args['type.zh'] = e.label.zh;
      if (e?.label?.en) args.type = e.label.en;
    }
    if (d.code === 'F0006') {
      // A duplicate inside one workbook: both rows by their cells, as F0300 does across files.
      const first = firstWithId(found.list, found.index);
      if (first) return { ...d, code: 'F0351', args: { ...args, ...placeArgs('first', first), ...placeArgs('second', at) }, factsPath: where, help: d.help ?? help };
    }
    return { ...d, args, factsPath: where, help: d.help ?? help };
  };
  return { file, raw, positions: lookup, diagnostics: extra, relocate, place };
}

/** The zh words for the kinds of value `buildFacts` names in English. */
const EXPECTED_ZH: Readonly<Record<string, string>> = {
  integer: '整数',
  number: '数字',
  ratio: '数字',
  boolean: '是 / 否',
  string: '文字',
  'date (YYYY-MM-DD)': '日期（如 2022-12-31）',
  'percent (0.7 or "70%")': '百分比（如 70%）',
  'integer between -(2^53 - 1) and 2^53 - 1': '位数不超过 15 位的整数',
};

/** The cell's own name, without the sheet: `D7`, or `7:4` in a CSV file. */
function cellRef(table: Table, row: number, col: number): string {
  return table.style === 'sheet' ? `${columnLetter(col)}${row}` : `${row}:${col + 1}`;
}

/** Facts from tables, with every diagnostic pointing at its sheet (or file), row and column. */
export function factsFromTables(policy: Policy, file: string, tables: readonly Table[], limits: FactsLimits = DEFAULT_FACTS_LIMITS): FactsResult {
  const part = tablesToRaw(policy, file, tables);
  if (part.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: part.diagnostics };
  const result = buildFacts(policy, part.raw, file, part.positions, limits);
  const facts = result.facts && { ...result.facts, placeOf: placesOf(result.facts, (_list, index) => ({ part, local: index }), (kind) => policy.kinds.get(kind)?.listKey) };
  return { facts, diagnostics: [...part.diagnostics, ...result.diagnostics.map(part.relocate!)] };
}

function isLabelRow(r: TableRow, columns: readonly (FieldInfo | 'id' | undefined)[]): boolean {
  let labels = 0;
  for (let col = 0; col < r.cells.length; col++) {
    const t = cellText(r.cells[col]?.value).trim();
    if (t === '') continue;
    const f = columns[col];
    const label = f === 'id' ? '编号' : f?.label?.zh;
    if (t !== label) return false;
    labels++;
  }
  return labels > 0;
}

function readObj(obj: Record<string, unknown>, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    let next = cur[path[i]];
    if (next === null || typeof next !== 'object') {
      next = Object.create(null) as Record<string, unknown>;
      cur[path[i]] = next;
    }
    cur = next as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}
