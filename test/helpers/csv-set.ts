/**
 * The example province (or part of it) as the CSV set a prefecture officer would save from
 * Excel: one file per list, headers in the policy's zh labels, 是/否 for booleans, `null` for
 * none, list items joined with `；`, CRLF line ends. Used by the CSV decoding tests and the
 * self-check page's browser test.
 */
import type { KindInfo, Policy } from '../../src/model/types.js';
import { templateColumns } from '../../src/loader/facts-template.js';

/** A YAML value at a dotted path: undefined when absent, null when none. */
export function valueAt(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function cellText(kind: KindInfo, path: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (v === null) return 'null';
  if (kind.fields.get(path)?.isRecord) return undefined; // present groups are written through their fields
  if (Array.isArray(v)) return v.join('；');
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

/** Rows as CSV text (quoting as spreadsheets do), CRLF line ends. */
export function csvText(rows: readonly (readonly (string | undefined)[])[]): string {
  const q = (s: string | undefined) => (s === undefined ? '' : /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}

/** One CSV text per list key, headers in zh labels, for the subjects of `data`. */
export function csvSetOf(policy: Policy, data: Record<string, Record<string, unknown>[] | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const kind of policy.kinds.values()) {
    const cols = templateColumns(kind);
    const header = cols.map((f) => (f === 'id' ? '编号' : f.label?.zh ?? f.path));
    const rows = (data[kind.listKey] ?? []).map((s) => cols.map((f) => {
      const path = f === 'id' ? 'id' : f.path;
      return cellText(kind, path, valueAt(s, path));
    }));
    out.set(kind.listKey, csvText([header, ...rows]));
  }
  return out;
}
