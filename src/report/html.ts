/**
 * HTML report: one self-contained file an officer can forward. The overview (status counts,
 * compliance per clause and per prefecture/county, with charts) is plain HTML and inline SVG, so
 * it shows and prints without the script. The itemised part (violations and pending items,
 * every result, a drill-down per subject, filters) is drawn by a small inline script from one
 * JSON block, a page at a time, which keeps a 100,000-subject report responsive.
 *
 * The JSON is compact rather than one object per result: a province has about two million
 * results, and their explanations differ mostly in numbers. Each explanation is stored as a
 * template (its text with numbers, dates and the subject's own id cut out) plus the cut-out
 * pieces, which is lossless and shrinks the data about tenfold; small integer columns are packed
 * into strings of base-64 digits, which the browser decodes faster than it parses arrays.
 */
import type { Lang } from '../model/diagnostics.js';
import { STATUSES, type RegionRef, type Status, type Summary } from '../model/result.js';
import { displayWidth } from './diagnostics.js';
import { HTML_SCRIPT, HTML_STYLE, sha256Base64 } from './html-assets.js';
import { MODALITY_LABELS, STATUS_LABELS } from './labels.js';
import {
  areasOf, complianceRate, DECIDED, formatRate, kindLabel, obligationCount, overviewOf, policyTitle, regionName,
  subjectKeyOf, type AreaStats, type ClauseStats, type Overview, type ReportInput,
} from './report-data.js';
import * as Q from '../model/rational.js';
import { decimalsOf, formatTotal, provinceWord, totalAreaName, totalLabel, totalsOf, type TotalLine } from './totals.js';

const WORDS = {
  zh: {
    eyebrow: '政策执行评估报告', policy: '政策', version: '版本', asOf: '评估日期', subjects: '评估对象', unit: ' 个',
    sSummary: '一、总体情况', sClauses: '二、分条款达标情况', sRegions: '三、分地区达标情况', sList: '四、问题清单与逐项明细',
    sTotals: '四、金额与缺口合计', sListAfterTotals: '五、问题清单与逐项明细', totalsChart: '各州（市）合计',
    totalsCols: ['项目', '地区', '合计', '计入对象', '信息不全（未计入）'],
    totalsNote: '金额与数量按规则的结果逐项精确相加；缺口为未达到数量要求的对象还差的数量之和。各项的条形按该项中最大的州（市）合计缩放。',
    lede: (o: { subjects: string; results: string; compliant: string; rate: string; violation: string; pending: string; unknown: string }) =>
      `本次共评估 <b>${o.subjects}</b> 个对象、<b>${o.results}</b> 项规则结果。在已能判定的义务性要求中，符合 <b>${o.compliant}</b> 项，达标率 <b>${o.rate}</b>；`
      + `<b class="v">违规 ${o.violation} 项</b>、<b class="p">待达标 ${o.pending} 项</b>需要处理；另有 <b>${o.unknown}</b> 项因信息不全无法判定。`,
    rateDef: '达标率 = 符合 ÷（符合 + 违规 + 待达标 + 建议改进）。信息不全的结果无法判定，不计入达标率；待遇与优先类规则（符合条件／不符合条件）不是义务，也不计入。',
    clauseChart: '各条款义务性要求的判定构成', clauseHint: '点击条款可在下方清单中筛选。',
    entitlements: '待遇与优先政策', entCols: ['条款', '政策', '符合条件', '不符合条件', '信息不全'],
    regionChart: '各州（市）达标率', regionCols: ['地区', '评估对象', '违规', '待达标', '信息不全', '达标率'],
    top: '省级及未归属地区', self: '州（市）本级', bands: ['≥ 90%', '75%–90%', '60%–75%', '< 60%'],
    fStatus: '状态', fClause: '条款', fRegion: '地区', fQuery: '查找对象', placeholder: '名称或编号',
    attention: '需处理（违规、待达标）', allStatuses: '全部状态', allClauses: '全部条款', allRegions: '全部地区',
    listHint: '默认列出违规与待达标事项，违规在前、待达标按期限先后。点击对象名称，可查看该对象全部规则的判定与说明。',
    listCols: ['对象', '条款与要求', '状态', '期限', '缺口', '说明'],
    countBefore: '共 ', countAfter: ' 项', empty: '没有符合筛选条件的事项。',
    prev: '上一页', next: '下一页', pageBefore: '第', pageMid: '页，共', pageAfter: '页', perPage: '每页', printPage: '（打印内容为清单第 {p} 页，共 {n} 页）',
    detailCols: ['条款', '要求', '状态', '期限', '缺口', '说明'], close: '关闭',
    noscript: '问题清单与逐项明细需要启用 JavaScript 才能浏览；以上概览不受影响。',
    footer: '本报告由 Clausal 根据政策规则文件与事实数据自动生成，结论以政策原文为准。',
  },
  en: {
    eyebrow: 'Policy compliance report', policy: 'Policy', version: 'Version', asOf: 'As of', subjects: 'Subjects', unit: '',
    sSummary: '1. Overview', sClauses: '2. Compliance by clause', sRegions: '3. Compliance by region', sList: '4. Issues and details',
    sTotals: '4. Totals of amounts and shortfalls', sListAfterTotals: '5. Issues and details', totalsChart: 'Totals by prefecture',
    totalsCols: ['Item', 'Area', 'Total', 'Subjects', 'Unknown (left out)'],
    totalsNote: 'Amounts and counts are exact sums of the rules\' results; a shortfall total adds up how much more each subject short of a numeric requirement needs. Each item\'s bars are scaled to its largest prefecture.',
    lede: (o: { subjects: string; results: string; compliant: string; rate: string; violation: string; pending: string; unknown: string }) =>
      `<b>${o.subjects}</b> subjects were evaluated against the rules, giving <b>${o.results}</b> results. Of the requirements that could be decided, <b>${o.compliant}</b> are met, a compliance rate of <b>${o.rate}</b>; `
      + `<b class="v">${o.violation} violations</b> and <b class="p">${o.pending} pending items</b> need action, and <b>${o.unknown}</b> could not be decided for lack of information.`,
    rateDef: 'Compliance = compliant ÷ (compliant + violation + pending + advisory). Unknown results cannot be decided and are left out; entitlement rules (eligible/ineligible) are not requirements and are left out too.',
    clauseChart: 'Outcome of the requirements of each clause', clauseHint: 'Click a clause to filter the list below.',
    entitlements: 'Entitlements and priorities', entCols: ['Clause', 'Entitlement', 'Eligible', 'Ineligible', 'Unknown'],
    regionChart: 'Compliance by prefecture', regionCols: ['Region', 'Subjects', 'Violation', 'Pending', 'Unknown', 'Compliance'],
    top: 'Province level and unplaced', self: 'prefecture level', bands: ['≥ 90%', '75%–90%', '60%–75%', '< 60%'],
    fStatus: 'Status', fClause: 'Clause', fRegion: 'Region', fQuery: 'Find subject', placeholder: 'name or id',
    attention: 'Needs action (violation, pending)', allStatuses: 'All statuses', allClauses: 'All clauses', allRegions: 'All regions',
    listHint: 'Violations and pending items are listed by default, violations first and pending items by deadline. Click a subject to see every rule decided for it.',
    listCols: ['Subject', 'Clause and requirement', 'Status', 'Due', 'Short by', 'Explanation'],
    countBefore: '', countAfter: ' items', empty: 'Nothing matches these filters.',
    prev: 'Previous', next: 'Next', pageBefore: 'Page', pageMid: 'of', pageAfter: '', perPage: 'Per page', printPage: '(printed: page {p} of {n} of the list)',
    detailCols: ['Clause', 'Requirement', 'Status', 'Due', 'Short by', 'Explanation'], close: 'Close',
    noscript: 'The list of issues and details needs JavaScript; the overview above does not.',
    footer: 'Generated by Clausal from the policy\'s rule files and the facts given; the policy text prevails.',
  },
} as const;

type Words = (typeof WORDS)[Lang];

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` become `\u003c` etc.,
 * so neither `</script>` nor `<!--` in the data can end or confuse the block, and the line
 * separators U+2028/2029 are escaped for old parsers. `JSON.parse` reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function fmtInt(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Band of a compliance rate, for colours. */
function band(rate: number | undefined): 'good' | 'fair' | 'weak' | 'poor' | 'none' {
  if (rate === undefined) return 'none';
  return rate >= 0.9 ? 'good' : rate >= 0.75 ? 'fair' : rate >= 0.6 ? 'weak' : 'poor';
}

function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  for (const ch of s) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

// ───────────────────────── data block ─────────────────────────

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';

/** Small non-negative integers as fixed-width base-64 digits in one string. */
function pack(values: ArrayLike<number>, max: number): { w: number; s: string } {
  let w = 1;
  while (64 ** w <= max) w++;
  const parts: string[] = [];
  const CHUNK = 8192;
  const codes = new Array<number>(CHUNK * w);
  for (let start = 0; start < values.length; start += CHUNK) {
    const end = Math.min(values.length, start + CHUNK);
    let o = 0;
    for (let i = start; i < end; i++) {
      let v = values[i];
      for (let k = w - 1; k >= 0; k--) {
        codes[o + k] = ALPHABET.charCodeAt(v & 63);
        v = Math.floor(v / 64);
      }
      o += w;
    }
    codes.length = o;
    parts.push(String.fromCharCode(...codes));
    codes.length = CHUNK * w;
  }
  return { w, s: parts.join('') };
}

/** Runs of equal values as [value, count, value, count, …]: facts list each kind together. */
function runs(values: readonly number[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    if (out.length > 0 && out[out.length - 2] === v) out[out.length - 1]++;
    else out.push(v, 1);
  }
  return out;
}

/** Numbers and dates cut out of explanations; what is left is the template. */
const ARG = /\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?/g;

/** Interns explanation templates; see the file comment. */
class Templates {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  readonly args: string[] = [];
  /** Template of each explanation added, in order. */
  private readonly uses: number[] = [];

  add(text: string, subjectId: string): number {
    const i = this.intern(text, subjectId);
    this.uses.push(i);
    return i;
  }

  /**
   * The templates and the cut-out pieces to store. A piece that is the same in every use of
   * its template (a rule's 70%, its deadline) goes back into the template, so only pieces that
   * vary are stored per result.
   */
  finish(): { list: string[]; args: string } {
    const argc = this.list.map((t) => (t.startsWith('\u0000') ? 0 : t.split('\u0001').length - 1));
    // Per template and position: the one value seen so far, or null once two differ.
    const constant: (string | null | undefined)[][] = argc.map((c) => new Array<string | null | undefined>(c));
    let a = 0;
    for (const t of this.uses) {
      for (let k = 0; k < argc[t]; k++, a++) {
        const seen = constant[t][k];
        constant[t][k] = seen === undefined || seen === this.args[a] ? this.args[a] : null;
      }
    }
    const list = this.list.map((t, i) => {
      let k = 0;
      return argc[i] === 0 ? t : t.replace(/\u0001/g, () => constant[i][k++] ?? '\u0001');
    });
    const kept: string[] = [];
    a = 0;
    for (const t of this.uses) {
      for (let k = 0; k < argc[t]; k++, a++) if (constant[t][k] === null) kept.push(this.args[a]);
    }
    return { list, args: kept.join(',') };
  }

  private intern(text: string, subjectId: string): number {
    let template: string;
    // INVARIANT: \u0000 starts a verbatim template, \u0001 marks an argument, \u0002 the subject id;
    // a text that already holds one of them is kept verbatim so decoding stays exact.
    if (/[\u0000-\u0002]/.test(text)) template = `\u0000${text}`;
    else if (!/\d/.test(text) && (subjectId.length < 2 || !text.includes(subjectId))) template = text; // most results: "not applicable (cite)"
    else {
      const pieces = subjectId.length >= 2 ? text.split(subjectId) : [text];
      template = pieces.map((p) => p.replace(ARG, (m) => {
        this.args.push(m);
        return '\u0001';
      })).join('\u0002');
    }
    let i = this.index.get(template);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(template);
      this.index.set(template, i);
    }
    return i;
  }
}

/** First of the characters that stand for a subject's own regions in a name template. */
const REGION_MARK = 0xe000;

/**
 * A subject's name as a template: the names of its own regions (nearest first) become private-use
 * marks, so "元阳县仙沙镇党群服务中心" under 元阳县 › 仙沙镇 becomes one template shared by every
 * party service center of every township. A name that already holds a private-use character is
 * kept verbatim behind \u0000.
 */
function nameTemplate(name: string | undefined, chain: readonly RegionRef[]): string | undefined {
  if (name === undefined || name === '') return name;
  if (/[\u0000\ue000-\uf8ff]/.test(name)) return `\u0000${name}`;
  let t = name;
  chain.forEach((r, k) => {
    if (r.name && k < 32) t = t.split(r.name).join(String.fromCharCode(REGION_MARK + k));
  });
  return t;
}

/** Interns strings; index 0 is reserved for "none" so packed columns need no sign. */
class Interner {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  add(s: string | undefined): number {
    if (s === undefined || s === '') return 0;
    let i = this.index.get(s);
    if (i === undefined) {
      this.list.push(s);
      i = this.list.length;
      this.index.set(s, i);
    }
    return i;
  }
}

/**
 * Subject ids, compactly: most ids are a prefix and a running number (`KM-CWH-000123`,
 * `W-00042`, `530102001`), written in facts order, so each is stored as its prefix-and-width
 * (interned) and the difference from the previous number with that prefix. Ids without a
 * trailing number, or with one too long for exact arithmetic, are stored whole.
 */
class IdCoder {
  readonly templates: [string, number][] = [];
  private readonly index = new Map<string, number>();
  private readonly last: number[] = [];
  /** Template per subject, 0 = stored whole. */
  readonly tpl: number[] = [];
  readonly deltas: number[] = [];
  readonly whole: (string | number)[] = [];

  add(id: string): void {
    const m = /^(.*?)(\d{1,15})$/.exec(id);
    if (!m) {
      this.whole.push(this.tpl.length, id);
      this.tpl.push(0);
      return;
    }
    const key = `${m[1]}\u0000${m[2].length}`;
    let t = this.index.get(key);
    if (t === undefined) {
      this.templates.push([m[1], m[2].length]);
      t = this.templates.length;
      this.index.set(key, t);
      this.last[t] = 0;
    }
    const value = Number(m[2]);
    this.deltas.push(value - this.last[t]);
    this.last[t] = value;
    this.tpl.push(t);
  }
}

/**
 * The data the page's script reads (exported for tests). Per-result facts are stored as
 * *outcomes* (status, explanation template, deadline) and each subject as one *pattern*: the
 * list of (rule, outcome) pairs its results form. A province of 165,000 subjects has only a few
 * hundred patterns, so two million results cost a few hundred kilobytes, and the page's first
 * paint waits on far less text.
 */
export function htmlData(input: ReportInput, overview: Overview, w: Words): Record<string, unknown> {
  const { report, lang } = input;
  const statusCode = new Map<Status, number>(STATUSES.map((s, i) => [s, i]));
  const ruleIndex = new Map<string, number>();
  const rules: [string, string, string, string][] = [];
  const kinds: string[] = [];
  const kindIndex = new Map<string, number>();
  const regions = { id: [] as string[], name: [] as string[], parent: [] as number[], a1: [] as number[], a2: [] as number[] };
  const regionIndex = new Map<string, number>();
  const regionOf = (chain: readonly RegionRef[]): number => {
    // Nearest first; index the chain from the top so each parent exists before its child.
    let parent = -1;
    for (let i = chain.length - 1; i >= 0; i--) {
      const r = chain[i];
      let idx = regionIndex.get(r.id);
      if (idx === undefined) {
        const self = regions.id.length;
        idx = self;
        regionIndex.set(r.id, self);
        regions.id.push(r.id);
        regions.name.push(regionName(r));
        regions.parent.push(parent);
        const { prefecture, county } = areasOf({ kind: '', id: r.id, regions: chain.slice(i) });
        // Ancestors are indexed already (top first); the region itself is `self`.
        const at = (x: RegionRef | undefined) => (x === undefined ? -1 : x.id === r.id ? self : regionIndex.get(x.id) ?? -1);
        regions.a1.push(at(prefecture));
        regions.a2.push(at(county));
      }
      parent = idx;
    }
    return parent;
  };
  const subj = { kind: [] as number[], name: [] as number[], region: [] as number[], pattern: [] as number[] };
  const ids = new IdCoder();
  const names = new Interner();
  const patterns: number[][] = [];
  const patternIndex = new Map<string, number>();
  const outcomes: { status: number; tpl: number; due: string | null }[] = [];
  const outcomeIndex = new Map<string, number>();
  const dates = new Set<string>();
  // Whole numbers stay numbers (as before units existed); an amount with a unit is text.
  const shortfalls: (number | string)[] = [];
  const templates = new Templates();
  let current: number[] = [];
  let lastKind = '';
  let lastId: string | undefined;
  const closeSubject = () => {
    if (lastId === undefined) return;
    const key = current.join(',');
    let i = patternIndex.get(key);
    if (i === undefined) {
      i = patterns.length;
      patterns.push(current);
      patternIndex.set(key, i);
    }
    subj.pattern.push(i);
  };
  const n = report.results.length;
  for (let i = 0; i < n; i++) {
    const r = report.results[i];
    if (r.subject.id !== lastId || r.subject.kind !== lastKind) {
      closeSubject();
      lastId = r.subject.id;
      lastKind = r.subject.kind;
      current = [];
      let k = kindIndex.get(r.subject.kind);
      if (k === undefined) {
        k = kinds.length;
        kinds.push(kindLabel(input, r.subject.kind));
        kindIndex.set(r.subject.kind, k);
      }
      const info = input.subjects?.get(subjectKeyOf(r.subject));
      subj.kind.push(k);
      ids.add(r.subject.id);
      subj.name.push(names.add(nameTemplate(info?.name, info?.regions ?? [])));
      subj.region.push(info && info.regions.length > 0 ? regionOf(info.regions) + 1 : 0);
    }
    let ri = ruleIndex.get(r.rule);
    if (ri === undefined) {
      ri = rules.length;
      rules.push([r.rule, r.cite, r.title, MODALITY_LABELS[r.modality][lang]]);
      ruleIndex.set(r.rule, ri);
    }
    const status = statusCode.get(r.status)!;
    const tpl = templates.add(r.explanation, r.subject.id);
    const okey = `${status},${tpl},${r.due ?? ''}`;
    let oi = outcomeIndex.get(okey);
    if (oi === undefined) {
      oi = outcomes.length;
      outcomes.push({ status, tpl, due: r.due });
      outcomeIndex.set(okey, oi);
      if (r.due !== null) dates.add(r.due);
    }
    current.push(ri, oi);
    if (r.shortfall !== undefined) shortfalls.push(i, r.shortfallUnit ? `${r.shortfall} ${r.shortfallUnit}` : Number(r.shortfall));
  }
  closeSubject();
  const finished = templates.finish();
  // Dates numbered in calendar order (1-based; 0 = none), so the script sorts deadlines by number.
  const sortedDates = [...dates].sort();
  const dateNumber = new Map(sortedDates.map((d, i) => [d, i + 1]));
  return {
    v: 2,
    lang,
    alphabet: ALPHABET,
    words: { countBefore: w.countBefore, countAfter: w.countAfter, empty: w.empty, printPage: w.printPage },
    statuses: STATUSES,
    statusLabels: STATUSES.map((s) => STATUS_LABELS[s][lang]),
    summary: report.summary,
    kinds,
    rules,
    regions,
    names: names.list,
    subjects: {
      count: subj.kind.length,
      idTemplates: ids.templates,
      idTemplate: pack(ids.tpl, ids.templates.length + 1),
      idDeltas: ids.deltas.join(','),
      idWhole: ids.whole,
      name: pack(subj.name, names.list.length + 1),
      region: pack(subj.region, regions.id.length + 1),
      kindRuns: runs(subj.kind),
      pattern: pack(subj.pattern, patterns.length),
    },
    patterns,
    outcomes: outcomes.flatMap((o) => [o.status, o.tpl, o.due === null ? 0 : dateNumber.get(o.due)!]),
    results: n,
    tpl: finished.list,
    args: finished.args,
    dates: sortedDates,
    short: shortfalls,
    subjectsTotal: overview.subjectCount,
  };
}

// ───────────────────────── static parts ─────────────────────────

function cards(summary: Summary, lang: Lang): string {
  return `<div class="cards">${STATUSES.map((s) =>
    `<button type="button" class="card s-${s}${summary[s] === 0 ? ' zero' : ''}" data-status="${s}" data-count="${summary[s]}"><span class="n">${fmtInt(summary[s])}</span><span class="l">${escapeHtml(STATUS_LABELS[s][lang])}</span></button>`).join('')}</div>`;
}

const SEGMENTS: readonly Status[] = ['compliant', 'advisory', 'pending', 'violation', 'unknown'];

function legend(statuses: readonly Status[], lang: Lang): string {
  return `<ul class="legend">${statuses.map((s) => `<li class="s-${s}"><i></i>${escapeHtml(STATUS_LABELS[s][lang])}</li>`).join('')}</ul>`;
}

/** Stacked bars, one per clause: the make-up of its obligation results, and the rate. */
function clauseChart(clauses: readonly ClauseStats[], lang: Lang, w: Words): string {
  const rows = clauses.filter((c) => obligationCount(c.counts) > 0);
  const rowH = 30;
  const width = 960;
  const labelX = 74;
  const barX = 350;
  const barW = 470;
  const height = rows.length * rowH + 8;
  const body = rows.map((c, i) => {
    const y = i * rowH + 4;
    const total = obligationCount(c.counts);
    const title = c.obligations.map((r) => r.title).join(lang === 'zh' ? '；' : '; ');
    let x = barX;
    const segs = SEGMENTS.filter((s) => c.counts[s] > 0).map((s) => {
      const segW = (c.counts[s] / total) * barW;
      const rect = `<rect class="s-${s}" x="${r2(x)}" y="${y + 7}" width="${r2(segW)}" height="16"/>`;
      x += segW;
      return rect;
    }).join('');
    const tip = `${c.cite} ${title}\n${SEGMENTS.filter((s) => c.counts[s] > 0).map((s) => `${STATUS_LABELS[s][lang]} ${c.counts[s]}`).join(' · ')}`;
    return `<g class="row" data-cite="${escapeHtml(c.cite)}" tabindex="0" role="button"><title>${escapeHtml(tip)}</title>`
      + `<rect class="track" x="0" y="${y}" width="${width}" height="${rowH - 2}" fill-opacity="0"/>`
      + `<text class="cite" x="0" y="${y + 20}">${escapeHtml(c.cite)}</text>`
      + `<text x="${labelX}" y="${y + 20}">${escapeHtml(truncate(title, 40))}</text>`
      + `<rect class="track" x="${barX}" y="${y + 7}" width="${barW}" height="16"/>${segs}`
      + `<text x="${barX + barW + 12}" y="${y + 20}" font-weight="600">${formatRate(complianceRate(c.counts))}</text>`
      + `<text class="dim" x="${width}" y="${y + 20}" text-anchor="end">n=${fmtInt(total)}</text></g>`;
  }).join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(w.clauseChart)}">${body}</svg>`;
}

function entitlementTable(clauses: readonly ClauseStats[], w: Words): string {
  const rows = clauses.flatMap((c) => c.entitlements.map((r) => [c.cite, r.title, r.counts.eligible, r.counts.ineligible, r.counts.unknown] as const));
  if (rows.length === 0) return '';
  return `<h3>${escapeHtml(w.entitlements)}</h3><table class="ent"><thead><tr>${w.entCols.map((h, i) => `<th${i >= 2 ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>`
    + rows.map(([cite, title, e, ie, u]) => `<tr><td>${escapeHtml(cite)}</td><td>${escapeHtml(title)}</td>${[e, ie, u].map((v) => `<td class="n${v === 0 ? ' zero' : ''}">${fmtInt(v)}</td>`).join('')}</tr>`).join('')
    + '</tbody></table>';
}

/** Horizontal bars of the prefectures' rates, best first, coloured by band. */
function regionChart(areas: readonly AreaStats[], regionIdx: (id: string) => number | undefined, w: Words): string {
  const rows = areas.filter((a) => a.region && complianceRate(a.counts) !== undefined)
    .map((a) => ({ a, rate: complianceRate(a.counts)! }))
    .sort((x, y) => y.rate - x.rate);
  if (rows.length === 0) return '';
  const rowH = 24;
  const labelW = 160;
  const barW = 250;
  const width = labelW + barW + 60;
  const height = rows.length * rowH + 26;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const x = r2(labelW + t * barW);
    return `<line class="grid" x1="${x}" x2="${x}" y1="0" y2="${height - 18}"/><text class="dim" x="${x}" y="${height - 4}" text-anchor="middle" font-size="11">${t * 100}%</text>`;
  }).join('');
  const bars = rows.map(({ a, rate }, i) => {
    const y = i * rowH;
    return `<g class="row" data-region="${regionIdx(a.region!.id) ?? ''}"><title>${escapeHtml(`${regionName(a.region)} ${formatRate(rate)}`)}</title>`
      + `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(truncate(regionName(a.region), 22))}</text>`
      + `<rect class="r-${band(rate)}" x="${labelW}" y="${y + 5}" width="${r2(Math.max(rate * barW, 1))}" height="14" rx="2"/>`
      + `<text x="${r2(labelW + rate * barW + 6)}" y="${y + 16}" font-size="12" font-weight="600">${formatRate(rate)}</text></g>`;
  }).join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(w.regionChart)}">${grid}${bars}</svg>`;
}

function regionTable(areas: readonly AreaStats[], regionIdx: (id: string) => number | undefined, w: Words): string {
  const row = (a: AreaStats, cls: string, label: string) => {
    const rate = complianceRate(a.counts);
    const idx = a.region ? regionIdx(a.region.id) : undefined;
    const nums = [a.subjects, a.counts.violation, a.counts.pending, a.counts.unknown];
    return `<tr class="${cls}"${idx !== undefined ? ` data-region="${idx}"` : ''}><td>${escapeHtml(label)}</td>`
      + nums.map((v) => `<td class="n${v === 0 ? ' zero' : ''}">${fmtInt(v)}</td>`).join('')
      + `<td class="n"><span class="rate ${band(rate)}">${formatRate(rate)}</span></td></tr>`;
  };
  const body = areas.map((a) => {
    if (!a.region) return row(a, 'pref', w.top);
    return row(a, 'pref', regionName(a.region))
      + a.children.map((c) => row(c, 'county', c.region ? regionName(c.region) : w.self)).join('');
  }).join('');
  return `<table class="regions"><thead><tr>${w.regionCols.map((h, i) => `<th${i >= 1 ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * Totals as bars: a heading row per item with the province total, then one bar per prefecture,
 * scaled to the item's largest prefecture (items have different units, so no common scale).
 */
function totalsChart(lines: readonly TotalLine[], input: ReportInput, w: Words): string {
  const rowH = 24;
  const labelW = 200;
  const barW = 420;
  const width = labelW + barW + 170;
  const out: string[] = [];
  let y = 0;
  for (const line of lines) {
    const decimals = decimalsOf(line, input);
    out.push(`<text class="thead" x="0" y="${y + 17}">${escapeHtml(truncate(totalLabel(line, input.lang), 60))}</text>`
      + `<text x="${width}" y="${y + 17}" text-anchor="end" font-weight="600">${escapeHtml(`${provinceWord(input.lang)} ${formatTotal(line.province.sum, line.unit, decimals)}`)}</text>`);
    y += rowH;
    const max = Math.max(0, ...line.areas.map((a) => Q.toDouble(a.cell.sum)));
    for (const a of line.areas) {
      const v = Q.toDouble(a.cell.sum);
      const len = max > 0 ? Math.max((v / max) * barW, v > 0 ? 1 : 0) : 0;
      const name = totalAreaName(a.region, input.lang);
      const amount = formatTotal(a.cell.sum, line.unit, decimals);
      out.push(`<g><title>${escapeHtml(`${name} ${amount}`)}</title>`
        + `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(truncate(name, 26))}</text>`
        + `<rect class="track" x="${labelW}" y="${y + 5}" width="${barW}" height="14"/>`
        + `<rect class="t-${line.measure}" x="${labelW}" y="${y + 5}" width="${r2(len)}" height="14" rx="2"/>`
        + `<text x="${labelW + barW + 8}" y="${y + 16}" font-size="12">${escapeHtml(amount)}</text></g>`);
      y += rowH;
    }
    y += 8;
  }
  return `<svg class="chart" viewBox="0 0 ${width} ${y}" role="img" aria-label="${escapeHtml(w.totalsChart)}">${out.join('')}</svg>`;
}

function totalsTable(lines: readonly TotalLine[], input: ReportInput, w: Words): string {
  const body = lines.map((line) => {
    const decimals = decimalsOf(line, input);
    const row = (cls: string, label: string, name: string, cell: TotalLine['province']) => `<tr class="${cls}"><td>${escapeHtml(label)}</td><td>${escapeHtml(name)}</td>`
      + `<td class="n">${escapeHtml(formatTotal(cell.sum, line.unit, decimals))}</td>`
      + [cell.subjects, cell.unknown].map((v) => `<td class="n${v === 0 ? ' zero' : ''}">${fmtInt(v)}</td>`).join('') + '</tr>';
    return row('pref', totalLabel(line, input.lang), provinceWord(input.lang), line.province)
      + line.areas.map((a) => row('', '', totalAreaName(a.region, input.lang), a.cell)).join('');
  }).join('');
  return `<table class="totals"><thead><tr>${w.totalsCols.map((h, i) => `<th${i >= 2 ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The totals section, or nothing when the policy has neither value rules nor shortfalls. */
function totalsSection(lines: readonly TotalLine[], input: ReportInput, w: Words): string {
  if (lines.length === 0) return '';
  return `<section id="totals">
<h2>${escapeHtml(w.sTotals)}</h2>
<h3>${escapeHtml(w.totalsChart)}</h3>${totalsChart(lines, input, w)}
${totalsTable(lines, input, w)}
<p class="note">${escapeHtml(w.totalsNote)}</p>
</section>
`;
}

function bandLegend(w: Words): string {
  return `<ul class="legend">${(['good', 'fair', 'weak', 'poor'] as const).map((b, i) => `<li><span class="rate ${b}">${escapeHtml(w.bands[i])}</span></li>`).join('')}</ul>`;
}

function filters(input: ReportInput, overview: Overview, regionIdx: (id: string) => number | undefined, w: Words): string {
  const opt = (value: string, label: string) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
  const statuses = [opt('attention', w.attention), opt('all', w.allStatuses), ...STATUSES.map((s) => opt(s, STATUS_LABELS[s][input.lang]))];
  const clauses = [opt('', w.allClauses), ...overview.clauses.map((c) => opt(c.cite, `${c.cite} ${truncate([...c.obligations, ...c.entitlements].map((r) => r.title).join('；'), 36)}`))];
  const regions = [opt('', w.allRegions)];
  for (const a of overview.areas) {
    if (!a.region) continue;
    const idx = regionIdx(a.region.id);
    if (idx === undefined) continue;
    const counties = a.children.filter((c) => c.region).map((c) => [regionIdx(c.region!.id), regionName(c.region)] as const).filter(([i]) => i !== undefined);
    regions.push(`<optgroup label="${escapeHtml(regionName(a.region))}">${opt(String(idx), regionName(a.region))}${counties.map(([i, name]) => opt(String(i), `\u3000${name}`)).join('')}</optgroup>`);
  }
  return `<div class="filters" role="search">`
    + `<label>${escapeHtml(w.fStatus)}<select id="f-status">${statuses.join('')}</select></label>`
    + `<label>${escapeHtml(w.fClause)}<select id="f-clause">${clauses.join('')}</select></label>`
    + `<label>${escapeHtml(w.fRegion)}<select id="f-region">${regions.join('')}</select></label>`
    + `<label>${escapeHtml(w.fQuery)}<input id="f-q" type="search" placeholder="${escapeHtml(w.placeholder)}" autocomplete="off"></label></div>`;
}

const SCRIPT_HASH = sha256Base64(HTML_SCRIPT);

/** Renders the HTML report as chunks (the data block alone can be tens of megabytes). */
export function* reportToHtmlChunks(input: ReportInput): Generator<string> {
  const { report, lang } = input;
  const w = WORDS[lang];
  const overview = overviewOf(input);
  const totals = totalsOf(input);
  const data = htmlData(input, overview, w);
  const regionIds = (data.regions as { id: string[] }).id;
  const regionIndex = new Map(regionIds.map((id, i) => [id, i]));
  const regionIdx = (id: string) => regionIndex.get(id);
  const title = policyTitle(input);
  const s = report.summary;
  const obligations = DECIDED.reduce((n, k) => n + s[k], 0);
  const kindsLine = [...overview.subjectsByKind].map(([k, n]) => `${kindLabel(input, k)} ${fmtInt(n)}`).join(lang === 'zh' ? '、' : ', ');
  const head = `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="clausal">
<title>${escapeHtml(`${title} · ${w.eyebrow} · ${report.asOf}`)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<div class="page">
<header class="mast">
<p class="eyebrow">${escapeHtml(w.eyebrow)}</p>
<h1>${escapeHtml(title)}</h1>
<dl class="meta">
<div><dt>${escapeHtml(w.policy)}</dt><dd id="m-policy">${escapeHtml(report.policy.id)}</dd></div>
<div><dt>${escapeHtml(w.version)}</dt><dd id="m-version">${escapeHtml(report.policy.version)}</dd></div>
<div><dt>${escapeHtml(w.asOf)}</dt><dd id="m-asof">${escapeHtml(report.asOf)}</dd></div>
<div><dt>${escapeHtml(w.subjects)}</dt><dd id="m-subjects">${fmtInt(overview.subjectCount)}${escapeHtml(w.unit)}${kindsLine ? `<span class="kinds">${escapeHtml(lang === 'zh' ? `（${kindsLine}）` : ` (${kindsLine})`)}</span>` : ''}</dd></div>
</dl>
</header>
<main>
<section id="summary">
<h2>${escapeHtml(w.sSummary)}</h2>
<p class="lede">${w.lede({
    subjects: fmtInt(overview.subjectCount), results: fmtInt(report.results.length), compliant: fmtInt(s.compliant),
    rate: formatRate(complianceRate(s)), violation: fmtInt(s.violation), pending: fmtInt(s.pending), unknown: fmtInt(s.unknown),
  })}</p>
${cards(s, lang)}
<p class="note">${escapeHtml(w.rateDef)}</p>
</section>
<section id="clauses">
<h2>${escapeHtml(w.sClauses)}</h2>
${obligations + s.unknown > 0 ? `${clauseChart(overview.clauses, lang, w)}${legend(SEGMENTS, lang)}<p class="note no-print">${escapeHtml(w.clauseHint)}</p>` : ''}
${entitlementTable(overview.clauses, w)}
</section>
<section id="regions">
<h2>${escapeHtml(w.sRegions)}</h2>
<div class="two"><div class="sticky"><h3>${escapeHtml(w.regionChart)}</h3>${regionChart(overview.areas, regionIdx, w)}${bandLegend(w)}</div>
<div>${regionTable(overview.areas, regionIdx, w)}</div></div>
</section>
${totalsSection(totals, input, w)}<section id="explore">
<h2>${escapeHtml(totals.length > 0 ? w.sListAfterTotals : w.sList)}</h2>
<p class="note no-print">${escapeHtml(w.listHint)}</p>
${filters(input, overview, regionIdx, w)}
<p class="count" id="count"></p>
<p class="print-only note" id="p-print"></p>
<table class="list"><thead><tr>${w.listCols.map((h, i) => `<th${i === 4 ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody id="rows"></tbody></table>
<noscript><p class="empty">${escapeHtml(w.noscript)}</p></noscript>
<nav class="pager"><button type="button" id="p-prev">${escapeHtml(w.prev)}</button>`
    + `<span>${escapeHtml(w.pageBefore)} <input id="p-page" type="number" min="1" value="1" aria-label="${escapeHtml(w.pageBefore)}"> ${escapeHtml(w.pageMid)} <span id="p-pages">1</span> ${escapeHtml(w.pageAfter)}</span>`
    + `<button type="button" id="p-next">${escapeHtml(w.next)}</button>`
    + `<label>${escapeHtml(w.perPage)} <select id="p-size"><option>25</option><option selected>50</option><option>100</option><option>200</option></select></label></nav>
</section>
</main>
<footer>${escapeHtml(w.footer)} · ${escapeHtml(report.policy.id)} ${escapeHtml(report.policy.version)} · ${escapeHtml(report.asOf)}</footer>
</div>
<dialog id="detail" aria-labelledby="d-title"><div class="dlg-head"><div><h3 id="d-title"></h3><p id="d-sub"></p><div class="chips" id="d-chips"></div></div><button type="button" id="d-close">${escapeHtml(w.close)}</button></div>
<div class="dlg-body"><table><thead><tr>${w.detailCols.map((h, i) => `<th${i === 4 ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody id="d-rows"></tbody></table></div></dialog>
<script type="application/json" id="clausal-data">`;
  yield head;
  const json = jsonForScript(data);
  for (let i = 0; i < json.length; i += 1 << 20) yield json.slice(i, i + (1 << 20));
  yield `</script>\n<script>${HTML_SCRIPT}</script>\n</body>\n</html>\n`;
}

/** Renders the HTML report as one string. */
export function reportToHtml(input: ReportInput): string {
  return [...reportToHtmlChunks(input)].join('');
}
