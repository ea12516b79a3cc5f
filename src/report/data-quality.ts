/**
 * The data-quality view (`clausal facts`): which facts the policy needs are missing, per
 * prefecture and per column, which results are `unknown` because of them, and for each
 * prefecture the exact cells to fill ("who to chase for what"). Built from an evaluation's
 * `missing` paths, so it counts only facts some rule actually needed. Pure: no I/O.
 */
import ExcelJS from 'exceljs';
import type { Lang } from '../model/diagnostics.js';
import type { EvaluationReport, SubjectInfo } from '../model/result.js';
import type { Policy } from '../model/types.js';
import type { Facts } from '../facts/facts.js';
import { placeText } from '../facts/raw-facts.js';
import { placeOfMissing } from './fact-places.js';
import { areasOf, regionName, subjectKeyOf } from './report-data.js';

/** One missing fact: where it belongs and which results wait for it. */
export interface MissingFact {
  /** The facts path, as `missing` lists it. */
  readonly path: string;
  readonly kind: string;
  readonly id: string;
  readonly name?: string;
  /** The field's path (`posts.total`) and the column's label (`岗位总数`). */
  readonly field: string;
  readonly column: string;
  /** Where to fill it in (`云南-昆明.xlsx 机构!F5（…）`), for spreadsheet facts. */
  readonly cell?: string;
  /** Rules (with cites) whose results are unknown for want of it. */
  readonly rules: readonly string[];
  readonly cites: readonly string[];
}

/** The missing facts of one prefecture. */
export interface PrefectureQuality {
  /** The prefecture's name, or `—` for subjects above or outside any prefecture. */
  readonly prefecture: string;
  readonly missing: readonly MissingFact[];
  /** Missing facts per column label, most first. */
  readonly byColumn: readonly { readonly column: string; readonly count: number }[];
  /** Results left unknown because of these facts. */
  readonly unknownResults: number;
}

/** The whole view. */
export interface DataQuality {
  readonly asOf: string;
  readonly prefectures: readonly PrefectureQuality[];
  /** Parameters the policy needs that have no value on the date (not the prefectures' to fill). */
  readonly missingParams: readonly string[];
}

/** Groups the missing facts of an evaluation by prefecture and column. */
export function dataQuality(policy: Policy, facts: Facts, report: EvaluationReport, subjects: ReadonlyMap<string, SubjectInfo>, lang: Lang): DataQuality {
  const byPath = new Map<string, { fact: Omit<MissingFact, 'rules' | 'cites'>; rules: string[]; cites: string[]; prefecture: string }>();
  const unknownBy = new Map<string, Set<string>>();
  const params = new Set<string>();
  for (const r of report.results) {
    if (r.status !== 'unknown') continue;
    const info = subjects.get(subjectKeyOf(r.subject));
    const prefecture = regionName(areasOf(info).prefecture) || '—';
    for (const path of r.missing) {
      if (path.startsWith('param ')) {
        params.add(path.slice(6));
        continue;
      }
      let entry = byPath.get(path);
      if (!entry) {
        const open = path.indexOf('[');
        const close = path.lastIndexOf('].');
        const list = path.slice(0, open);
        const kind = [...policy.kinds.values()].find((k) => k.listKey === list);
        const id = path.slice(open + 1, close);
        const field = path.slice(close + 2);
        const label = kind?.fields.get(field)?.label;
        const owner = kind ? facts.byKind.get(kind.name)?.get(id) : undefined;
        const ownerInfo = kind ? subjects.get(subjectKeyOf({ kind: kind.name, id })) : undefined;
        const place = placeOfMissing(policy, facts, path);
        const ownerPrefecture = ownerInfo ? regionName(areasOf(ownerInfo).prefecture) || '—' : prefecture;
        entry = {
          fact: {
            path, kind: kind?.name ?? list, id, name: ownerInfo?.name ?? (typeof owner?.data.name === 'string' ? owner.data.name : undefined), field,
            column: (lang === 'en' ? label?.en : label?.zh) ?? label?.zh ?? field, cell: place && placeText(place, lang),
          },
          rules: [], cites: [], prefecture: ownerPrefecture,
        };
        byPath.set(path, entry);
      }
      if (!entry.rules.includes(r.rule)) entry.rules.push(r.rule);
      if (!entry.cites.includes(r.cite)) entry.cites.push(r.cite);
      const waiting = unknownBy.get(entry.prefecture) ?? new Set<string>();
      waiting.add(`${subjectKeyOf(r.subject)}\u0000${r.rule}`);
      unknownBy.set(entry.prefecture, waiting);
    }
  }
  const groups = new Map<string, MissingFact[]>();
  for (const e of byPath.values()) {
    const list = groups.get(e.prefecture) ?? [];
    list.push({ ...e.fact, rules: e.rules, cites: e.cites });
    groups.set(e.prefecture, list);
  }
  const prefectures = [...groups].map(([prefecture, missing]) => {
    const counts = new Map<string, number>();
    for (const m of missing) counts.set(m.column, (counts.get(m.column) ?? 0) + 1);
    return {
      prefecture,
      missing,
      byColumn: [...counts].map(([column, count]) => ({ column, count })).sort((a, b) => b.count - a.count),
      unknownResults: unknownBy.get(prefecture)?.size ?? 0,
    };
  }).sort((a, b) => b.missing.length - a.missing.length);
  return { asOf: report.asOf, prefectures, missingParams: [...params] };
}

/** The view as text: per prefecture, the count, the columns, the unknown results. */
export function dataQualityText(q: DataQuality, lang: Lang): string {
  const zh = lang === 'zh';
  if (q.prefectures.length === 0 && q.missingParams.length === 0) return zh ? `评估日期 ${q.asOf}：政策需要的信息都已填写，没有因缺信息而无法判断的结果。\n` : `as of ${q.asOf}: every fact the policy needs is filled in; no result is unknown for want of facts.\n`;
  const lines: string[] = [zh ? `评估日期 ${q.asOf}：缺少的信息（按州市）` : `as of ${q.asOf}: missing facts by prefecture`];
  for (const p of q.prefectures) {
    const name = p.prefecture === '—' ? (zh ? '省级及不属于州市的' : 'province level and outside any prefecture') : p.prefecture;
    lines.push('', zh
      ? `${name}：缺 ${p.missing.length} 项信息，导致 ${p.unknownResults} 个结果无法判断`
      : `${name}: ${p.missing.length} facts missing, ${p.unknownResults} results unknown because of them`);
    for (const c of p.byColumn) lines.push(zh ? `  ${c.column}：${c.count} 项` : `  ${c.column}: ${c.count}`);
  }
  if (q.missingParams.length) lines.push('', zh ? `参数在评估日期没有取值（由政策维护者补充）：${q.missingParams.join('、')}` : `parameters without a value on the date (for the policy's maintainers): ${q.missingParams.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

const CHASE_HEADERS: Record<Lang, readonly string[]> = {
  zh: ['对象类型', '对象编号', '对象名称', '需填写的列', '填写位置', '需要此信息的条款', '受影响的规则', '事实路径'],
  en: ['kind', 'id', 'name', 'column to fill', 'where', 'clauses that need it', 'rules waiting for it', 'facts path'],
};

/** The workbook for one prefecture: every cell to fill, with why. */
export function chaseWorkbook(policy: Policy, p: PrefectureQuality, lang: Lang): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'clausal';
  const ws = wb.addWorksheet(lang === 'zh' ? '待补充信息' : 'facts to fill', { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = [12, 16, 26, 26, 40, 18, 36, 44];
  ws.columns = CHASE_HEADERS[lang].map((header, i) => ({ header, width: widths[i] }));
  ws.getRow(1).font = { bold: true };
  for (const m of p.missing) {
    const label = policy.kinds.get(m.kind)?.label;
    ws.addRow([(lang === 'en' ? label?.en : label?.zh) ?? label?.zh ?? m.kind, m.id, m.name ?? '', m.column, m.cell ?? '', m.cites.join('、'), m.rules.join(', '), m.path]);
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: CHASE_HEADERS[lang].length } };
  return wb;
}

/** A file name for a prefecture's workbook: its name without characters file systems refuse. */
export function chaseFileName(p: PrefectureQuality, lang: Lang): string {
  const safe = p.prefecture.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 60) || '_';
  return `${lang === 'zh' ? '待补充' : 'to-fill'}-${safe === '—' ? (lang === 'zh' ? '省级及其他' : 'province-and-other') : safe}.xlsx`;
}
