/**
 * Spreadsheet facts from bytes already in memory: an `.xlsx` workbook, or a set of CSV files
 * (`regions.csv`, `institutions.csv`, `workers.csv`). The CLI reads the bytes from disk
 * (`load-spreadsheet.ts`); the offline self-check page gets them from the officer's file
 * picker. Both go through this one module, so a workbook gives the same facts and the same
 * messages (sheet, row, column) wherever it is checked. Browser-safe: no `node:` imports.
 *
 * exceljs reads the workbook: it is maintained, has no native parts, and writes data
 * validation (the template's dropdowns), which the read-only libraries do not.
 */
import ExcelJS from 'exceljs';
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Span } from '../model/span.js';
import type { Policy } from '../model/types.js';
import { DEFAULT_FACTS_LIMITS, maxFactsFileSize, type FactsLimits, type FactsResult } from '../facts/facts.js';
import { decodeText, type TextEncodingName } from './decode-text.js';
import type { RawFactsPart } from '../facts/raw-facts.js';
import { dateText, factsFromTables, tablesToRaw, type Cell, type CellValue, type Table, type TableRow } from './sheet-table.js';

/** Facts with the texts their diagnostics point into (CSV files, or a text rendering of each sheet). */
export interface SpreadsheetFactsResult extends FactsResult {
  readonly texts: ReadonlyMap<string, string>;
  /** How each CSV file was decoded, by path (absent for workbooks). */
  readonly encodings?: ReadonlyMap<string, TextEncodingName>;
}

/** A file's bytes and the path messages name it by. */
export interface BytesFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Spreadsheet facts in memory: one workbook, or CSV files (one per list). */
export type SpreadsheetInput =
  | { readonly workbook: BytesFile }
  | { readonly csv: readonly BytesFile[] };

interface ReadTables {
  readonly tables: Table[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Validates and links the facts of a workbook or a CSV set held in memory. `file` names the
 * whole input in messages that concern no one cell (the workbook's path, or the CSV folder).
 */
export async function spreadsheetFactsFromBytes(policy: Policy, file: string, input: SpreadsheetInput, limits: FactsLimits = DEFAULT_FACTS_LIMITS): Promise<SpreadsheetFactsResult> {
  if ('csv' in input) return csvSetFacts(policy, file, input.csv, limits);
  const texts = new Map<string, string>();
  const read = await workbookTables(input.workbook, limits, texts);
  if (read.diagnostics.length) return { diagnostics: read.diagnostics, texts };
  return { ...factsFromTables(policy, file, read.tables, limits), texts };
}

/**
 * A workbook or CSV set held in memory as raw subjects, not yet validated: one part of a
 * folder of prefecture files (see `mergeFactsParts`).
 */
export async function spreadsheetPartFromBytes(policy: Policy, file: string, input: SpreadsheetInput, limits: FactsLimits = DEFAULT_FACTS_LIMITS): Promise<{ part: RawFactsPart; texts: ReadonlyMap<string, string> }> {
  const texts = new Map<string, string>();
  const read = 'csv' in input ? csvTables(fileNameOf(file), input.csv, limits, texts, new Map()) : await workbookTables(input.workbook, limits, texts);
  if (read.diagnostics.length) return { part: { file, raw: [], diagnostics: read.diagnostics }, texts };
  return { part: tablesToRaw(policy, file, read.tables), texts };
}

/**
 * The CSV half of {@link spreadsheetFactsFromBytes}, which needs no waiting. Messages name a
 * cell inside its folder (`book`, by default the last segment of `file`: `昆明/institutions.csv:3:2`);
 * an empty `book` names the file alone, as the self-check page does (picked files have no folder).
 */
export function csvSetFacts(policy: Policy, file: string, files: readonly BytesFile[], limits: FactsLimits = DEFAULT_FACTS_LIMITS, book: string = fileNameOf(file)): SpreadsheetFactsResult {
  const texts = new Map<string, string>();
  const encodings = new Map<string, TextEncodingName>();
  const read = csvTables(book || undefined, files, limits, texts, encodings);
  if (read.diagnostics.length) return { diagnostics: read.diagnostics, texts, encodings };
  return { ...factsFromTables(policy, file, read.tables, limits), texts, encodings };
}

// ---------------------------------------------------------------------------------- workbook

/** A cell's value as typed data: formulas by their cached result, rich text as its text. */
function valueOf(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return valueOf((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('hyperlink' in v) return valueOf((v as ExcelJS.CellHyperlinkValue).text);
    if ('error' in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return String(v);
}

function shownText(v: CellValue): string {
  const t = v === undefined ? '' : v instanceof Date ? dateText(v) : String(v);
  // One line per row, so line numbers in code frames are row numbers.
  const flat = t.replace(/[\r\n\t]+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

async function workbookTables(input: BytesFile, limits: FactsLimits, texts: Map<string, string>): Promise<ReadTables> {
  const { path, bytes } = input;
  const max = maxFactsFileSize(limits, false);
  if (bytes.length > max) return { tables: [], diagnostics: [error('F0016', { file: path, start: 0, end: 0 }, { limit: max, size: bytes.length })] };
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs's own typing wants a Node Buffer; its loader (JSZip) takes any byte array.
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    // The zip library's words are for developers: zh says what the officer can do about it.
    return { tables: [], diagnostics: [error('F0024', { file: path, start: 0, end: 0 }, { detail: `${path}: ${(e as Error).message}`, 'detail.zh': `${path} 不是有效的 .xlsx 工作簿（可能已损坏，或是改了扩展名的其他文件）；请用 Excel 或 WPS 另存为 .xlsx` })] };
  }
  const tables: Table[] = [];
  for (const ws of wb.worksheets) {
    // Helper sheets (the template's dropdown lists) start with `_`.
    if (ws.name.startsWith('_')) continue;
    const file = `${path}#${ws.name}`;
    const lines: string[] = [];
    const rows: TableRow[] = [];
    let offset = 0;
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: (Cell | undefined)[] = [];
      let line = '';
      for (let c = 1; c <= Math.max(row.cellCount, 0); c++) {
        const value = valueOf(row.getCell(c).value);
        if (c > 1) line += ' | ';
        const shown = shownText(value);
        const start = offset + line.length;
        line += shown;
        cells[c - 1] = value === undefined ? undefined : { value, span: { file, start, end: start + Math.max(1, shown.length) } };
      }
      rows.push({ row: r, cells });
      lines.push(line);
      offset += line.length + 1;
    }
    texts.set(file, lines.join('\n'));
    tables.push({ name: ws.name, shown: ws.name, book: fileNameOf(path), style: 'sheet', origin: { file, start: 0, end: 0 }, rows });
  }
  return { tables, diagnostics: [] };
}

// ----------------------------------------------------------------------------------- CSV set

/** The last segment of a path written with `/` or `\` (a Windows path read anywhere). */
export function fileNameOf(path: string): string {
  path = path.replace(/[\\/]+$/, '');
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut >= 0 ? path.slice(cut + 1) : path;
}

function csvTables(book: string | undefined, files: readonly BytesFile[], limits: FactsLimits, texts: Map<string, string>, encodings: Map<string, TextEncodingName>): ReadTables {
  const tables: Table[] = [];
  const diagnostics: Diagnostic[] = [];
  const max = maxFactsFileSize(limits, false);
  for (const { path: file, bytes } of files) {
    if (bytes.length > max) {
      diagnostics.push(error('F0016', { file, start: 0, end: 0 }, { limit: max, size: bytes.length }));
      continue;
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      texts.set(file, decoded.text);
      diagnostics.push(error('F0700', { file, start: decoded.offset, end: decoded.offset + 1 }, { byte: decoded.byteOffset }));
      continue;
    }
    texts.set(file, decoded.text);
    encodings.set(file, decoded.encoding);
    const name = fileNameOf(file);
    tables.push({ name: name.slice(0, name.length - 4), shown: name, book, style: 'csv', origin: { file, start: 0, end: 0 }, rows: parseCsv(file, decoded.text) });
  }
  return { tables, diagnostics };
}

/**
 * RFC 4180 CSV with the spans of every field: quoted fields (`""` for a quote, line breaks
 * inside), CRLF or LF, a leading byte-order mark. Every field is text; types come from the
 * declared field.
 */
export function parseCsv(file: string, text: string): TableRow[] {
  const rows: TableRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let cells: (Cell | undefined)[] = [];
  let rowNo = 1;
  const n = text.length;
  const push = (value: string, span: Span) => {
    cells.push(value === '' ? undefined : { value, span });
  };
  while (i <= n) {
    let value = '';
    const start = i;
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) break;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      // Anything between the closing quote and the separator is kept, as spreadsheets do.
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    } else {
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    }
    push(value, { file, start, end: Math.max(start + 1, i) });
    if (i < n && text[i] === ',') {
      i++;
      continue;
    }
    // End of a record.
    if (cells.some((c) => c !== undefined) || rows.length === 0) rows.push({ row: rowNo, cells });
    rowNo++;
    cells = [];
    if (i >= n) break;
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else i++;
    if (i >= n) break;
  }
  return rows;
}
