/**
 * Facts from the spreadsheets officers already keep (Node only): an `.xlsx` workbook with the
 * sheets `regions`, `institutions`, `workers`, or a folder of `regions.csv`, `institutions.csv`,
 * `workers.csv` with the same layout. Row 1 holds the headers (field paths such as
 * `posts.social_work`, or their zh labels such as `社会工作岗位数`); an optional row 2 of zh
 * labels (as the template writes it) is skipped. Cells become the raw subjects of the other
 * formats and go through the same validation (see `sheet-table.ts`).
 *
 * exceljs reads and writes the workbook: it is maintained, has no native parts, and writes
 * data validation (the template's dropdowns), which the read-only libraries do not.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Span } from '../model/span.js';
import type { Policy } from '../model/types.js';
import { DEFAULT_FACTS_LIMITS, maxFactsFileSize, type FactsLimits, type FactsResult } from '../facts/facts.js';
import { readTextFile } from './read-text.js';
import { dateText, factsFromTables, type Cell, type CellValue, type Table, type TableRow } from './sheet-table.js';

/** Facts with the texts their diagnostics point into (CSV files, or a text rendering of each sheet). */
export interface SpreadsheetFactsResult extends FactsResult {
  readonly texts: ReadonlyMap<string, string>;
}

/** Whether `path` names spreadsheet facts: an `.xlsx` file or a directory (of CSV files). */
export function isSpreadsheetFacts(path: string): boolean {
  if (path.toLowerCase().endsWith('.xlsx')) return true;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Loads, validates and links facts from an `.xlsx` workbook or a folder of CSV files. */
export async function loadSpreadsheetFacts(policy: Policy, path: string, limits: FactsLimits = DEFAULT_FACTS_LIMITS): Promise<SpreadsheetFactsResult> {
  const texts = new Map<string, string>();
  const read = path.toLowerCase().endsWith('.xlsx') ? await readWorkbook(path, limits, texts) : readCsvFolder(path, limits, texts);
  if (read.diagnostics.length) return { diagnostics: read.diagnostics, texts };
  const result = factsFromTables(policy, path, read.tables, limits);
  return { ...result, texts };
}

interface ReadTables {
  readonly tables: Table[];
  readonly diagnostics: Diagnostic[];
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

async function readWorkbook(path: string, limits: FactsLimits, texts: Map<string, string>): Promise<ReadTables> {
  const max = maxFactsFileSize(limits, false);
  try {
    const size = statSync(path).size;
    if (size > max) return { tables: [], diagnostics: [error('F0016', { file: path, start: 0, end: 0 }, { limit: max, size })] };
  } catch (e) {
    return { tables: [], diagnostics: [error('F0001', undefined, { detail: `${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` })] };
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch (e) {
    return { tables: [], diagnostics: [error('F0024', { file: path, start: 0, end: 0 }, { detail: `${path}: ${(e as Error).message}` })] };
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
    tables.push({ name: ws.name, shown: ws.name, book: basename(path), style: 'sheet', origin: { file, start: 0, end: 0 }, rows });
  }
  return { tables, diagnostics: [] };
}

// ------------------------------------------------------------------------------- CSV folder

function readCsvFolder(dir: string, limits: FactsLimits, texts: Map<string, string>): ReadTables {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
  } catch (e) {
    return { tables: [], diagnostics: [error('F0001', undefined, { detail: `${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` })] };
  }
  if (names.length === 0) {
    // A folder with no CSV in it is almost always the wrong path: say so rather than evaluate nothing.
    return { tables: [], diagnostics: [error('F0001', undefined, { detail: `${dir}: no .csv files (regions.csv, institutions.csv, workers.csv)` })] };
  }
  const tables: Table[] = [];
  const diagnostics: Diagnostic[] = [];
  const max = maxFactsFileSize(limits, false);
  for (const name of names) {
    const file = join(dir, name);
    const read = readTextFile(file, max);
    if (!read.ok) {
      if (read.problem === 'too-large') diagnostics.push(error('F0016', { file, start: 0, end: 0 }, { limit: max, size: read.size }));
      else if (read.problem === 'not-utf8') {
        texts.set(file, read.text);
        diagnostics.push(error('F0019', { file, start: read.offset, end: read.offset + 1 }, { byte: read.byteOffset }));
      } else diagnostics.push(error('F0001', undefined, { detail: `${file}: ${read.detail}` }));
      continue;
    }
    texts.set(file, read.text);
    tables.push({ name: basename(name, name.slice(name.length - 4)), shown: name, book: basename(dir), style: 'csv', origin: { file, start: 0, end: 0 }, rows: parseCsv(file, read.text) });
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
