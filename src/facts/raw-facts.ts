/**
 * One facts source before validation: the raw subjects of a file (YAML, JSON, NDJSON, a
 * workbook, a CSV set) with what is needed to say where each came from. Several parts are
 * validated together (`merge-facts.ts`) so that a folder of per-prefecture files is one set
 * of facts: references across files resolve, and an id defined twice names both places.
 */
import type { Diagnostic } from '../model/diagnostics.js';
import type { Facts, PositionLookup, RawSubject } from './facts.js';

/** Where a fact sits in a spreadsheet: for messages and `missing` locations. */
export interface CellPlace {
  /** The workbook's (or CSV folder's) file name: `云南-昆明.xlsx`. */
  readonly book?: string;
  /** The sheet (or CSV file) as the officer sees it: `机构`. */
  readonly sheet: string;
  /** 1-based row. */
  readonly row: number;
  /** The cell's name: `C14` (or `14:3` in a CSV file); absent when the sheet has no such column. */
  readonly cell?: string;
  /** The column's header in Chinese: as written in the sheet (`类别`), or the field's zh label when the sheet writes a code. */
  readonly header?: string;
  /** The column's header as `--lang en` names it: the field's en label (`category`). */
  readonly headerEn?: string;
}

/**
 * `云南-昆明.xlsx 机构!C14（类别）`: a place as officers read it. A field the sheet has no column
 * for is named by its row and the column to add: `云南-昆明.xlsx 机构 第 14 行（缺少列：类别）`.
 */
export function placeText(p: CellPlace, lang: 'zh' | 'en' = 'zh'): string {
  // A CSV file is named inside its folder (`昆明/institutions.csv:3:2`), a sheet after its workbook.
  const csv = p.sheet.toLowerCase().endsWith('.csv');
  const book = p.book ? (csv ? `${p.book}/` : `${p.book} `) : '';
  if (p.cell === undefined) {
    const row = lang === 'zh' ? `${p.sheet} 第 ${p.row} 行` : `${p.sheet} row ${p.row}`;
    const header = lang === 'en' ? p.headerEn ?? p.header : p.header;
    const add = header ? (lang === 'zh' ? `（缺少列：${header}）` : ` (no column ${header})`) : '';
    return `${book}${row}${add}`;
  }
  const where = csv ? `${p.sheet}:${p.cell}` : `${p.sheet}!${p.cell}`;
  if (lang === 'en') return `${book}${where}${p.headerEn ?? p.header ? ` (${p.headerEn ?? p.header})` : ''}`;
  return `${book}${where}${p.header ? `（${p.header}）` : ''}`;
}

/** Raw subjects of one source, not yet validated. */
export interface RawFactsPart {
  /** The file diagnostics without a position point at. */
  readonly file: string;
  readonly raw: readonly RawSubject[];
  readonly positions?: PositionLookup;
  /** Problems found while reading (unknown sheets or columns): reported with the part's facts. */
  readonly diagnostics: readonly Diagnostic[];
  /** Rewrites a validation diagnostic (facts path in this part's own indexes) in the part's terms: a cell. */
  readonly relocate?: (d: Diagnostic) => Diagnostic;
  /** The 1-based line of an offset in the part's text (text formats), for messages naming a subject. */
  readonly lineOf?: (offset: number) => number;
  /** The cell of field `field` (dotted, `''` for the row) of the `index`-th subject of `list`. */
  readonly place?: (list: string, index: number, field: string) => CellPlace | undefined;
}

/**
 * `placeOf` for facts built from raw subjects: a subject's place in its list (the order
 * `buildFacts` kept) mapped to the part it came from. `partOf` turns a list index of the
 * built facts into a part and that part's own index.
 */
export function placesOf(facts: Facts, partOf: (list: string, index: number) => { part: RawFactsPart; local: number } | undefined, listOf: (kind: string) => string | undefined): Facts['placeOf'] {
  const indexes = new Map<string, Map<string, number>>();
  return (kind, id, field) => {
    const list = listOf(kind);
    if (list === undefined) return undefined;
    let ids = indexes.get(kind);
    if (!ids) {
      ids = new Map([...(facts.byKind.get(kind)?.keys() ?? [])].map((k, i) => [k, i]));
      indexes.set(kind, ids);
    }
    const index = ids.get(id);
    const owner = index === undefined ? undefined : partOf(list, index);
    return owner?.part.place?.(list, owner.local, field);
  };
}
