/**
 * Tables of cells (one per sheet of a workbook, or per CSV file) -> the raw subjects every
 * other facts format produces, so that `buildFacts` validates them with the same checks and
 * messages. Afterwards each diagnostic's facts path is mapped back to the cell it came from
 * (`institutions!D7`, `institutions.csv:7:4`). Node and browser alike: no I/O here.
 */
import { error, warning, type Diagnostic } from '../model/diagnostics.js';
import type { Span } from '../model/span.js';
import type { FieldInfo, KindInfo, Policy, Type } from '../model/types.js';
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
  /** Sheet cells are named `D7`; CSV cells `7:4` (row and field number). */
  readonly style: 'sheet' | 'csv';
  /** Where positions point when no cell is known (the header row's first cell). */
  readonly origin: Span;
  /** Every row, the header row first. */
  readonly rows: readonly TableRow[];
}

/** Literal cell texts that mean "none" (YAML `null`), as against an empty cell (unknown). */
const NONE_TEXTS = new Set(['null', 'NULL', '无']);
const TRUE_TEXTS = new Set(['TRUE', 'true', 'True', '是']);
const FALSE_TEXTS = new Set(['FALSE', 'false', 'False', '否']);
/** Exact decimal text: converted by its digits (fromJsNumber reads the shortest form back). */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
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

/** A column's field: `id`, a declared field (by path or zh label), or undefined. */
export function fieldOfHeader(kind: KindInfo, header: string): FieldInfo | 'id' | undefined {
  const h = header.trim();
  if (h === 'id' || h === '编号' || h === 'ID') return 'id';
  const byPath = kind.fields.get(h);
  if (byPath) return byPath;
  for (const f of kind.fields.values()) if (f.label?.zh === h || f.label?.en === h) return f;
  return undefined;
}

/** The kind a table holds: by list key (`institutions`) or the kind's zh label (`机构`). */
export function kindOfTable(policy: Policy, name: string): KindInfo | undefined {
  for (const k of policy.kinds.values()) if (k.listKey === name || k.label?.zh === name) return k;
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
 * A cell's value as the declared type reads it. What does not fit is passed on as it is, so
 * `buildFacts` reports it with its usual message (`should be integer, found "abc"`).
 */
function cellToFact(type: Type, v: CellValue): unknown {
  if (typeof v === 'string') {
    const t = v.trim();
    if (NONE_TEXTS.has(t)) return null;
    switch (type.t) {
      case 'boolean':
        return TRUE_TEXTS.has(t) ? true : FALSE_TEXTS.has(t) ? false : t;
      case 'integer':
      case 'number':
      case 'ratio':
        return DECIMAL.test(t) ? Number(t) : t;
      case 'percent':
        return DECIMAL.test(t) ? Number(t) : t;
      case 'list':
        return t.split(LIST_SEPARATORS).map((x) => x.trim()).filter((x) => x !== '').map((x) => cellToFact(type.of, x));
      default:
        return t;
    }
  }
  if (v instanceof Date) return dateText(v);
  if (typeof v === 'number' && (type.t === 'string' || type.t === 'enum')) return String(v);
  if (type.t === 'list' && v !== undefined) return [cellToFact(type.of, v)];
  return v;
}

/** Where each facts path came from, so diagnostics can name the cell. */
interface Origin {
  readonly table: Table;
  readonly row: number;
  readonly col: number;
  readonly span: Span;
  readonly header?: string;
  readonly label?: string;
}

/** Facts from tables, with every diagnostic pointing at its sheet (or file), row and column. */
export function factsFromTables(policy: Policy, file: string, tables: readonly Table[], limits: FactsLimits = DEFAULT_FACTS_LIMITS): FactsResult {
  const extra: Diagnostic[] = [];
  // Rows and columns by list, to find a diagnostic's cell from its facts path on demand:
  // recording a path for every cell cost more than reading the workbook.
  const sources = new Map<string, { table: Table; rows: TableRow[]; colOf: Map<string, number>; columns: (FieldInfo | 'id' | undefined)[] }>();
  const byKind = new Map<KindInfo, Table>();
  for (const t of tables) {
    const kind = kindOfTable(policy, t.name);
    if (!kind) {
      extra.push({ ...warning('F0014', t.origin, { name: t.shown }), factsPath: t.shown });
      continue;
    }
    byKind.set(kind, t);
  }
  const raw: RawSubject[] = [];
  // Lists in the policy's order of kinds (regions before the institutions that refer to them).
  for (const kind of policy.kinds.values()) {
    const table = byKind.get(kind);
    if (!table || table.rows.length === 0) continue;
    const header = table.rows[0];
    const columns: (FieldInfo | 'id' | undefined)[] = [];
    const seen = new Map<string, number>();
    header.cells.forEach((c, col) => {
      const h = cellText(c?.value).trim();
      if (!c || h === '') return;
      const f = fieldOfHeader(kind, h);
      const key = f === 'id' ? 'id' : f?.path;
      if (!f || !key) {
        extra.push({ ...warning('F0022', c.span, { header: h, sheet: table.shown, kind: kind.name }), factsPath: cellName(table, header.row, col) });
        return;
      }
      const first = seen.get(key);
      if (first !== undefined) {
        extra.push({ ...error('F0023', c.span, { header: h, sheet: table.shown, first: table.style === 'sheet' ? columnLetter(first) : first + 1 }), factsPath: cellName(table, header.row, col) });
        return;
      }
      seen.set(key, col);
      columns[col] = f;
    });
    let body = table.rows.slice(1);
    // The template's second row repeats the headers as zh labels: skip it when it does.
    if (body.length > 0 && isLabelRow(body[0], columns)) body = body.slice(1);
    let index = 0;
    const colOf = new Map<string, number>([...seen]);
    const kept: TableRow[] = [];
    sources.set(kind.listKey, { table, rows: kept, colOf, columns });
    for (const r of body) {
      if (r.cells.every((c) => c === undefined || c.value === undefined || (typeof c.value === 'string' && c.value.trim() === ''))) continue;
      const at = [kind.listKey, index++] as const;
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      const nones = new Map<string, Cell & { name: string }>();
      kept.push(r);
      r.cells.forEach((c, col) => {
        const f = columns[col];
        if (!f || !c || c.value === undefined || (typeof c.value === 'string' && c.value.trim() === '')) return;
        const path = f === 'id' ? ['id'] : f.path.split('.');
        const value = f === 'id' ? (typeof c.value === 'string' ? c.value.trim() : c.value instanceof Date ? dateText(c.value) : c.value) : cellToFact(f.isRecord ? { t: 'none' } : f.type, c.value);
        if (f !== 'id' && f.isRecord) {
          // A record column says only whether the group exists: `null`/`无` = none.
          if (value === null) nones.set(f.path, { ...c, name: cellName(table, r.row, col) });
          // `TRUE`/`是`: the group exists, its fields as their own columns say.
          else if (TRUE_TEXTS.has(cellText(c.value).trim()) || c.value === true) {
            if (readObj(obj, path) === undefined) setPath(obj, path, Object.create(null));
          } else setPath(obj, path, value);
          return;
        }
        setPath(obj, path, value);
      });
      for (const [rec, cell] of nones) {
        const segs = rec.split('.');
        if (readObj(obj, segs) !== undefined) extra.push({ ...error('F0025', cell.span, { path: cell.name, record: rec }), factsPath: cell.name });
        else setPath(obj, segs, null);
      }
      raw.push({ kind, value: obj, at });
    }
  }
  if (extra.some((d) => d.severity === 'error')) return { diagnostics: extra };
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
        return { table: src.table, row: r.row, col, span: cell.span, header: f, label: decl === 'id' ? '编号' : decl?.label?.zh };
      }
    }
    const col = r.cells.findIndex((c) => c !== undefined);
    return { table: src.table, row: r.row, col: Math.max(0, col), span: r.cells[col]?.span ?? src.table.origin };
  };
  const lookup = (at: readonly (string | number)[]): Origin | undefined =>
    typeof at[0] === 'string' && typeof at[1] === 'number' ? originOf(at[0], at[1], at.slice(2).filter((x) => typeof x === 'string').join('.')) : undefined;
  const result = buildFacts(policy, raw, file, (at) => lookup(at)?.span, limits);
  const byPath = (p: string): Origin | undefined => {
    const m = /^([^.[]+)\[(\d+)\](?:\.(.*))?$/.exec(p);
    return m ? originOf(m[1], Number(m[2]), (m[3] ?? '').replace(/\[\d+\]/g, '')) : undefined;
  };
  const mapped = result.diagnostics.map((d) => {
    const o = d.factsPath === undefined ? undefined : byPath(d.factsPath);
    if (!o) return d;
    const name = cellName(o.table, o.row, o.col);
    const where = o.header ? name : `${o.table.shown} row ${o.row}`;
    // The help says where in words: a CSV cell name's second number is a field, not a character.
    const where2 = o.table.style === 'sheet'
      ? { zh: `单元格 ${name}`, en: `cell ${name}` }
      : { zh: `${o.table.shown} 第 ${o.row} 行第 ${o.col + 1} 个字段`, en: `${o.table.shown} row ${o.row}, field ${o.col + 1}` };
    const help = o.header
      ? { zh: `${where2.zh}，列 \`${o.header}\`${o.label ? `（${o.label}）` : ''}`, en: `${where2.en}, column \`${o.header}\`` }
      : { zh: `${o.table.shown} 第 ${o.row} 行`, en: `${o.table.shown} row ${o.row}` };
    const args = typeof d.args.path === 'string' ? { ...d.args, path: where } : d.args;
    return { ...d, args, factsPath: where, help: d.help ?? help };
  });
  return { facts: result.facts, diagnostics: [...extra, ...mapped] };
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
