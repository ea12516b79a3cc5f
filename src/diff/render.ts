/**
 * Renderings of a policy diff and its impact: plain text (zh/en) for a terminal, JSON (stable,
 * documented in `docs/review/diff-json.md`) for tools, and Markdown for a pull-request comment.
 *
 * Status words come from the evaluation reports' own label table so `clausal eval` and
 * `clausal diff` never call the same status by two names (the one import from `report/`).
 */
import type { Lang } from '../model/diagnostics.js';
import type { Status } from '../model/result.js';
import type { Labels } from '../model/types.js';
import { REGION_LEVEL_LABELS, STATUS_LABELS } from '../report/labels.js';
import { groupDigits } from '../model/rational.js';
import type { AmountDelta, TotalChange, ValueChange } from './amounts.js';
import type { Impact, ImpactEntry, PrefectureRef, Transition } from './impact.js';
import { countChanges, DIFF_ITEMS, type ChangeType, type DiffAspect, type DiffChange, type DiffDetail, type DiffItem, type PolicyDiff } from './semantic.js';

/** What a rendering needs besides the diff. */
export interface DiffRenderInput {
  readonly diff: PolicyDiff;
  /** Present when facts were given. */
  readonly impact?: Impact;
  /** The facts file as given on the command line, for the impact heading. */
  readonly factsPath?: string;
  readonly lang: Lang;
}

/** Version of the JSON shape; bumped only for incompatible changes (see docs/review/diff-json.md). */
export const DIFF_JSON_VERSION = 1;

// ───────────────────────── words ─────────────────────────

const SECTION: Record<DiffItem, Record<Lang, string>> = {
  policy: { zh: '政策', en: 'Policy' },
  kind: { zh: '事实结构：主体类型', en: 'Fact schema: kinds' },
  enum: { zh: '事实结构：枚举', en: 'Fact schema: enums' },
  param: { zh: '参数', en: 'Parameters' },
  set: { zh: '集合', en: 'Sets' },
  table: { zh: '对照表', en: 'Tables' },
  define: { zh: '定义', en: 'Definitions' },
  rule: { zh: '规则', en: 'Rules' },
};

const ITEM_WORD: Record<DiffItem, Record<Lang, string>> = {
  policy: { zh: '政策', en: 'policy' },
  kind: { zh: '主体类型', en: 'kinds' },
  enum: { zh: '枚举', en: 'enums' },
  param: { zh: '参数', en: 'parameters' },
  set: { zh: '集合', en: 'sets' },
  table: { zh: '对照表', en: 'tables' },
  define: { zh: '定义', en: 'definitions' },
  rule: { zh: '规则', en: 'rules' },
};

const CHANGE_WORD: Record<ChangeType, Record<Lang, string>> = {
  added: { zh: '新增', en: 'added' },
  removed: { zh: '删除', en: 'removed' },
  changed: { zh: '修改', en: 'changed' },
  renamed: { zh: '改名', en: 'renamed' },
};

const ASPECT: Record<DiffAspect, Record<Lang, string>> = {
  id: { zh: '编号', en: 'id' },
  'effective-from': { zh: '生效日期', en: 'effective from' },
  'effective-until': { zh: '失效日期', en: 'effective until' },
  label: { zh: '名称', en: 'label' },
  'list-key': { zh: '事实列表', en: 'facts list' },
  field: { zh: '字段', en: 'field' },
  'field-label': { zh: '字段名称', en: 'field label' },
  relation: { zh: '关系', en: 'relation' },
  'relation-label': { zh: '关系名称', en: 'relation label' },
  member: { zh: '成员', en: 'member' },
  'member-label': { zh: '成员名称', en: 'member label' },
  type: { zh: '类型', en: 'type' },
  value: { zh: '取值', en: 'value' },
  signature: { zh: '签名', en: 'signature' },
  row: { zh: '行', en: 'row' },
  definition: { zh: '定义', en: 'definition' },
  cite: { zh: '条款', en: 'cite' },
  quote: { zh: '引文', en: 'quote' },
  subject: { zh: '适用对象', en: 'applies to' },
  where: { zh: '适用条件', en: 'where' },
  'rule-type': { zh: '规则类型', en: 'rule type' },
  modality: { zh: '义务类型', en: 'modality' },
  requirement: { zh: '要求', en: 'requirement' },
  deadline: { zh: '期限', en: 'deadline' },
  from: { zh: '起始日期', en: 'from' },
  until: { zh: '截止日期', en: 'until' },
  explain: { zh: '说明', en: 'explanation' },
};

const W = {
  title: { zh: '语义差异', en: 'Semantic diff' },
  oldSide: { zh: '旧版', en: 'old' },
  newSide: { zh: '新版', en: 'new' },
  none: { zh: '两个版本没有语义差异。', en: 'No semantic changes.' },
  before: { zh: '修订前', en: 'before' },
  after: { zh: '修订后', en: 'after' },
  unset: { zh: '（未设定）', en: '(unset)' },
  usedBy: { zh: '读取它的规则', en: 'read by rules' },
  deadlineOf: { zh: '是以下规则的期限', en: 'deadline of rules' },
  byCite: { zh: '按条款编号匹配', en: 'matched by cite' },
  impact: { zh: '影响', en: 'Impact' },
  facts: { zh: '事实', en: 'facts' },
  asOf: { zh: '评估日期', en: 'as of' },
  entries: { zh: '状态变化明细', en: 'Changed statuses' },
  noImpact: { zh: '没有主体的状态发生变化。', en: 'No subject changes status.' },
  noPrefecture: { zh: '不属任何州（市）', en: 'no prefecture' },
  byPrefecture: { zh: '按州（市）', en: 'by prefecture' },
  byRule: { zh: '按规则', en: 'by rule' },
  due: { zh: '期限', en: 'due' },
  totals: { zh: '金额与缺口的变化（全省与各州（市）合计）', en: 'Changes in amounts and shortfalls (province and prefecture totals)' },
  values: { zh: '值与缺口的变化明细', en: 'Changed values and shortfalls' },
  shortfall: { zh: '缺口', en: 'shortfall' },
} as const satisfies Record<string, Record<Lang, string>>;

function labelIn(l: Labels | null | undefined, lang: Lang): string {
  if (!l) return '';
  return lang === 'en' ? l.en ?? l.zh : l.zh;
}

function status(s: Status, lang: Lang): string {
  return lang === 'zh' ? `「${STATUS_LABELS[s].zh}」` : STATUS_LABELS[s].en;
}

function plural(word: string, n: number): string {
  if (n === 1) return word;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return /(s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
}

/** "12 个机构" / "12 institutions". */
function subjectsWord(t: Transition, n: number, lang: Lang): string {
  return lang === 'zh' ? `${n} 个${t.kindLabel?.zh ?? t.kind}` : `${n} ${plural(t.kindLabel?.en ?? t.kind, n)}`;
}

function prefectureName(p: PrefectureRef | null, lang: Lang): string {
  return p ? p.name ?? p.id : W.noPrefecture[lang];
}

/** An exact decimal with grouped digits and its unit: `4,800.00 元`. */
function amountText(decimal: string, unit: string | null): string {
  const text = groupDigits(decimal);
  return unit ? `${text} ${unit}` : text;
}

/** A change with its sign: `+100.00 元`, `-2`. */
function signedText(decimal: string, unit: string | null): string {
  return decimal.startsWith('-') ? amountText(decimal, unit) : `+${amountText(decimal, unit)}`;
}

/** What a total adds up, in words: `「月津贴」`, `缺口「…」`, with the region level when it is split by level. */
function totalWhat(t: TotalChange, lang: Lang): string {
  const title = labelIn(t.title, lang) || t.rule;
  const level = t.level ? (REGION_LEVEL_LABELS[t.level]?.[lang] ?? t.level) : '';
  if (lang === 'zh') return `${t.measure === 'shortfall' ? W.shortfall.zh : ''}「${title}」${level ? `（${level}）` : ''}`;
  return `${t.measure === 'shortfall' ? 'shortfall of ' : ''}"${title}"${level ? ` (${level})` : ''}`;
}

/** "6 个社会工作者" / "6 social workers": the subjects whose amount differs. */
function changedWord(t: TotalChange, n: number, lang: Lang): string {
  return lang === 'zh' ? `${n} 个${t.kindLabel?.zh ?? t.kind}` : `${n} ${plural(t.kindLabel?.en ?? t.kind, n)}`;
}

function unknownNote(d: AmountDelta, lang: Lang): string {
  if (d.old.unknown === 0 && d.new.unknown === 0) return '';
  return lang === 'zh' ? `；信息不全、未计入的：旧版 ${d.old.unknown} 个，新版 ${d.new.unknown} 个` : `; unknown and left out: ${d.old.unknown} old, ${d.new.unknown} new`;
}

/** How a sum moves: `增加 4,800.00 元（18,700.00 元 → 23,500.00 元）` / `up 4,800.00 元 (…)`. */
function movement(d: AmountDelta, unit: string | null, lang: Lang): string {
  const span = `${amountText(d.old.sum, unit)} → ${amountText(d.new.sum, unit)}`;
  const size = amountText(d.delta.replace(/^-/, ''), unit);
  const zero = !/[1-9]/.test(d.delta);
  if (lang === 'zh') return zero ? `不变（${span}）` : `${d.delta.startsWith('-') ? '减少' : '增加'} ${size}（${span}）`;
  return zero ? `unchanged (${span})` : `${d.delta.startsWith('-') ? 'down' : 'up'} ${size} (${span})`;
}

/**
 * The cost sentence: "the new version raises the province's "county yearly allowance budget"
 * by 4,800.00 元 (18,700.00 元 → 23,500.00 元), in 2 regions".
 */
export function totalSentence(t: TotalChange, lang: Lang): string {
  const d = t.province;
  const span = `${amountText(d.old.sum, t.unit)} → ${amountText(d.new.sum, t.unit)}`;
  const size = amountText(d.delta.replace(/^-/, ''), t.unit);
  const zero = !/[1-9]/.test(d.delta);
  const down = d.delta.startsWith('-');
  const who = changedWord(t, d.changedSubjects, lang);
  if (lang === 'zh') {
    const verb = zero ? `新版下全省的${totalWhat(t, lang)}合计不变（${span}）` : `新版使全省的${totalWhat(t, lang)}合计${down ? '减少' : '增加'} ${size}（${span}）`;
    return `${t.cite} ${verb}，涉及 ${who}${unknownNote(d, lang)}`;
  }
  const verb = zero ? `the new version leaves the province's ${totalWhat(t, lang)} unchanged (${span})` : `the new version ${down ? 'lowers' : 'raises'} the province's ${totalWhat(t, lang)} by ${size} (${span})`;
  return `${t.cite} ${verb}, in ${who}${unknownNote(d, lang)}`;
}

/** One prefecture's line under a total: `某市：增加 4,800.00 元（…），6 个社会工作者`. */
function prefectureMovement(t: TotalChange, p: TotalChange['byPrefecture'][number], lang: Lang): string {
  const colon = lang === 'zh' ? '：' : ': ';
  return `${prefectureName(p.prefecture, lang)}${colon}${movement(p, t.unit, lang)}${lang === 'zh' ? '，' : ', '}${changedWord(t, p.changedSubjects, lang)}${unknownNote(p, lang)}`;
}

function valueLine(v: ValueChange, lang: Lang, code: (s: string) => string): string {
  const rule = v.oldRule !== v.rule ? `${code(v.oldRule)} → ${code(v.rule)}` : code(v.rule);
  const what = v.measure === 'shortfall' ? `${W.shortfall[lang]} ` : '';
  const delta = lang === 'zh' ? `（${signedText(v.delta, v.unit)}）` : ` (${signedText(v.delta, v.unit)})`;
  return `${v.cite} ${rule}${lang === 'zh' ? '：' : ': '}${what}${amountText(v.old, v.unit)} → ${amountText(v.new, v.unit)}${delta}`;
}

/** The reviewer's sentence: "12 institutions go from compliant to violation, 9 of them in 昆明市". */
export function transitionSentence(t: Transition, lang: Lang): string {
  const top = t.byPrefecture[0];
  // Name a prefecture only when it stands out: a tie for first place would single one out arbitrarily.
  const standsOut = top && (t.byPrefecture.length === 1 || t.byPrefecture[1].subjects < top.subjects);
  let where = '';
  if (standsOut && top.prefecture) {
    const name = prefectureName(top.prefecture, lang);
    if (t.subjects === 1) where = lang === 'zh' ? `，在${name}` : `, in ${name}`;
    else if (top.subjects === t.subjects) where = lang === 'zh' ? `，全部在${name}` : `, all of them in ${name}`;
    else where = lang === 'zh' ? `，其中 ${top.subjects} 个在${name}` : `, ${top.subjects} of them in ${name}`;
  }
  return lang === 'zh'
    ? `${subjectsWord(t, t.subjects, lang)}从${status(t.from, lang)}变为${status(t.to, lang)}${where}`
    : `${subjectsWord(t, t.subjects, lang)} ${t.subjects === 1 ? 'goes' : 'go'} from ${status(t.from, lang)} to ${status(t.to, lang)}${where}`;
}

function summaryLine(diff: PolicyDiff, lang: Lang): string {
  const counts = countChanges(diff);
  const parts = DIFF_ITEMS.flatMap((item) => {
    const c = counts[item];
    const total = c.added + c.removed + c.changed + c.renamed;
    if (!total) return [];
    const kinds = (['added', 'removed', 'changed', 'renamed'] as const).filter((k) => c[k] > 0).map((k) => `${CHANGE_WORD[k][lang]} ${c[k]}`);
    return [lang === 'zh' ? `${ITEM_WORD[item].zh} ${total}（${kinds.join('，')}）` : `${ITEM_WORD[item].en} ${total} (${kinds.join(', ')})`];
  });
  const n = diff.changes.length;
  return lang === 'zh' ? `共 ${n} 项变更：${parts.join('；')}` : `${n} ${n === 1 ? 'change' : 'changes'}: ${parts.join('; ')}`;
}

function daysNote(d: DiffDetail, lang: Lang): string {
  if (d.days === undefined || d.days === 0) return '';
  const n = Math.abs(d.days);
  if (lang === 'zh') return `（${d.days > 0 ? '推迟' : '提前'} ${n} 天）`;
  return ` (${n} ${n === 1 ? 'day' : 'days'} ${d.days > 0 ? 'later' : 'earlier'})`;
}

/** "取值（自 2025-01-01 起）" / "value from 2025-01-01", "字段 posts.total" / "field posts.total". */
function aspectName(c: DiffChange, d: DiffDetail, lang: Lang): string {
  const base = c.item === 'rule' && d.aspect === 'label' ? (lang === 'zh' ? '标题' : 'title') : ASPECT[d.aspect][lang];
  if (d.key === null) return base;
  if (d.aspect === 'value') return lang === 'zh' ? `${base}（自 ${d.key} 起）` : `${base} from ${d.key}`;
  if (d.aspect === 'explain') return lang === 'zh' ? `${base}（${d.key}）` : `${base} (${d.key})`;
  return `${base} ${d.key}`;
}

/** A detail on one line, with `+`/`-` for an aspect present on one side only. */
function detailLine(c: DiffChange, d: DiffDetail, lang: Lang, fmt: (s: string) => string, marks: Marks): string {
  const colon = lang === 'zh' ? '：' : ': ';
  const name = aspectName(c, d, lang);
  // A presence aspect (an enum or set member) has its value in the key already.
  const value = (v: string) => (d.aspect === 'member' && v === d.key ? '' : `${colon}${fmt(v)}`);
  // Inside an added or removed thing every detail is on one side: the head says which.
  const whole = c.change === 'added' || c.change === 'removed';
  if (d.old === null) return `${whole ? marks.whole : marks.add(lang)}${name}${value(d.new ?? '')}`;
  if (d.new === null) return `${whole ? marks.whole : marks.remove(lang)}${name}${value(d.old)}`;
  return `${name}${colon}${fmt(d.old)} → ${fmt(d.new)}${daysNote(d, lang)}`;
}

/** How a detail present on one side only is marked: `+`/`-` in text, words in Markdown (where `- -` would nest a list). */
interface Marks {
  readonly add: (lang: Lang) => string;
  readonly remove: (lang: Lang) => string;
  readonly whole: string;
}

const TEXT_MARKS: Marks = { add: () => '+ ', remove: () => '- ', whole: '' };
const MD_MARKS: Marks = { add: (lang) => `${CHANGE_WORD.added[lang]} `, remove: (lang) => `${CHANGE_WORD.removed[lang]} `, whole: '' };

const SIGIL: Record<ChangeType, string> = { added: '+', removed: '-', changed: '~', renamed: '~' };

function changeHead(c: DiffChange, lang: Lang, code: (s: string) => string, sigil = SIGIL[c.change]): string {
  const name = c.change === 'renamed' ? `${code(c.oldName)} → ${code(c.name)}` : code(c.name);
  const cite = c.cite ? `  ${c.cite}` : '';
  const label = labelIn(c.label, lang);
  const byCite = c.matchedBy === 'cite' ? (lang === 'zh' ? `（${W.byCite.zh}）` : ` (${W.byCite.en})`) : '';
  return `${sigil} ${name}${cite}${label ? `  ${label}` : ''}${byCite}`;
}

/** Lines under a change head: its details (the id of a renamed rule is in the head already), then cross references. */
function changeBody(c: DiffChange, lang: Lang, code: (s: string) => string, marks: Marks): string[] {
  const colon = lang === 'zh' ? '：' : ': ';
  const out = c.details.filter((d) => !(c.change === 'renamed' && d.aspect === 'id')).map((d) => detailLine(c, d, lang, code, marks));
  // The whole history helps only when a side has dated entries (or none); one plain value is
  // already on the value line.
  const plainValue = (h: string | null | undefined) => !!h && !h.includes(' from ');
  if (c.item === 'param' && c.change === 'changed' && c.before !== c.after && !(plainValue(c.before) && plainValue(c.after))) {
    // The history is kept as the rule file writes it (`70% from 2021-01-01`); zh readers get words.
    const words = (s: string) => (lang === 'zh' ? s.replace(/ from (\d{4}-\d{2}-\d{2})/g, '（自 $1 起）').replace(/, (?=[^,]*（自)/g, '；') : s);
    const hist = (s: string | null | undefined) => (s ? code(words(s)) : W.unset[lang]);
    out.push(`${W.before[lang]}${colon}${hist(c.before)}`, `${W.after[lang]}${colon}${hist(c.after)}`);
  }
  if (c.deadlineOf?.length) out.push(`${W.deadlineOf[lang]}${colon}${c.deadlineOf.map(code).join(', ')}`);
  if (c.usedBy?.length) out.push(`${W.usedBy[lang]}${colon}${c.usedBy.map(code).join(', ')}`);
  return out;
}

function entryLine(e: ImpactEntry, lang: Lang, code: (s: string) => string): string {
  const rule = e.oldRule !== e.rule ? `${code(e.oldRule)} → ${code(e.rule)}` : code(e.rule);
  const due = e.oldDue !== e.newDue ? (lang === 'zh' ? `（${W.due.zh} ${e.oldDue ?? '—'} → ${e.newDue ?? '—'}）` : ` (${W.due.en} ${e.oldDue ?? '—'} → ${e.newDue ?? '—'})`) : '';
  return `${e.cite} ${rule}${lang === 'zh' ? '：' : ': '}${status(e.old, lang)} → ${status(e.new, lang)}${due}`;
}

function subjectHead(e: Pick<ImpactEntry, 'subject' | 'name' | 'prefecture'>, lang: Lang): string {
  const where = e.prefecture ? `${lang === 'zh' ? '，' : ', '}${prefectureName(e.prefecture, lang)}` : '';
  const ref = `${e.subject.kind} ${e.subject.id}${where}`;
  return e.name ? (lang === 'zh' ? `${e.name}（${ref}）` : `${e.name} (${ref})`) : ref;
}

function groupBySubject<T extends Pick<ImpactEntry, 'subject'>>(entries: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const e of entries) {
    const k = `${e.subject.kind}\u0000${e.subject.id}`;
    const g = groups.get(k) ?? [];
    g.push(e);
    groups.set(k, g);
  }
  return [...groups.values()];
}

function impactCounts(impact: Impact, lang: Lang): string {
  return lang === 'zh' ? `主体 ${impact.subjects} 个，其中状态变化的 ${impact.changedSubjects} 个` : `${impact.subjects} subjects, ${impact.changedSubjects} with a changed status`;
}

function impactHeading(input: DiffRenderInput, impact: Impact, code: (s: string) => string): string {
  const { lang } = input;
  const facts = input.factsPath ? `${W.facts[lang]} ${code(input.factsPath)}${lang === 'zh' ? '，' : ', '}` : '';
  return `${W.impact[lang]}${lang === 'zh' ? '：' : ': '}${facts}${W.asOf[lang]} ${impact.asOf}`;
}

// ───────────────────────── text ─────────────────────────

/** The diff (and impact) as plain text for a terminal. */
export function diffToText(input: DiffRenderInput): string {
  const { diff, impact, lang } = input;
  const id = (s: string) => s;
  const out: string[] = [];
  const sameId = diff.old.id === diff.new.id;
  out.push(`${W.title[lang]}${lang === 'zh' ? '：' : ': '}${diff.old.id} ${diff.old.version} → ${sameId ? '' : `${diff.new.id} `}${diff.new.version}`);
  if (diff.old.title) out.push(`${W.oldSide[lang]}  ${labelIn(diff.old.title, lang)}`);
  if (diff.new.title) out.push(`${W.newSide[lang]}  ${labelIn(diff.new.title, lang)}`);
  out.push(diff.changes.length ? summaryLine(diff, lang) : W.none[lang]);
  for (const item of DIFF_ITEMS) {
    const changes = diff.changes.filter((c) => c.item === item);
    if (!changes.length) continue;
    out.push('', SECTION[item][lang]);
    for (const c of changes) {
      out.push(`  ${changeHead(c, lang, id)}`);
      for (const line of changeBody(c, lang, id, TEXT_MARKS)) out.push(`      ${line}`);
    }
  }
  if (impact) {
    out.push('', impactHeading(input, impact, id), `  ${impactCounts(impact, lang)}`);
    if (!impact.transitions.length) out.push(`  ${W.noImpact[lang]}`);
    const colon = lang === 'zh' ? '：' : ': ';
    for (const t of impact.transitions) {
      out.push(`  ${transitionSentence(t, lang)}`);
      if (t.byPrefecture.length > 1) out.push(`      ${W.byPrefecture[lang]}${colon}${t.byPrefecture.map((p) => `${prefectureName(p.prefecture, lang)} ${p.subjects}`).join(' · ')}`);
      out.push(`      ${W.byRule[lang]}${colon}${t.byRule.map((r) => `${r.rule} ${r.results}`).join(' · ')}`);
    }
    if (impact.totals.length) {
      out.push('', W.totals[lang]);
      for (const t of impact.totals) {
        out.push(`  ${totalSentence(t, lang)}`);
        for (const p of t.byPrefecture) out.push(`      ${prefectureMovement(t, p, lang)}`);
      }
    }
    if (impact.entries.length) {
      out.push('', W.entries[lang]);
      for (const group of groupBySubject(impact.entries)) {
        out.push(`  ${subjectHead(group[0], lang)}`);
        for (const e of group) out.push(`    ${entryLine(e, lang, id)}`);
      }
    }
    if (impact.values.length) {
      out.push('', W.values[lang]);
      for (const group of groupBySubject(impact.values)) {
        out.push(`  ${subjectHead(group[0], lang)}`);
        for (const v of group) out.push(`    ${valueLine(v, lang, id)}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

// ───────────────────────── markdown ─────────────────────────

/** Most impact rows a Markdown comment lists (PR comments have a size limit); the rest are counted. */
export const MARKDOWN_MAX_ENTRIES = 200;

/** Inline code that survives backticks in the text. */
function mdCode(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** Plain text made inert in Markdown (and in a table cell). */
function mdText(s: string): string {
  return s.replace(/[\\`*_~[\]<>|#]/g, (c) => `\\${c}`);
}

/** The diff (and impact) as Markdown for a pull-request comment. */
export function diffToMarkdown(input: DiffRenderInput): string {
  const { diff, impact, lang } = input;
  const out: string[] = [];
  out.push(`### ${W.title[lang]}${lang === 'zh' ? '：' : ': '}${mdCode(diff.old.id)} ${mdText(diff.old.version)} → ${mdText(diff.new.version)}${diff.old.id !== diff.new.id ? ` (${mdCode(diff.new.id)})` : ''}`, '');
  if (diff.old.title || diff.new.title) {
    const colon = lang === 'zh' ? '：' : ': ';
    out.push(`- ${W.oldSide[lang]}${colon}${mdText(labelIn(diff.old.title, lang))}`, `- ${W.newSide[lang]}${colon}${mdText(labelIn(diff.new.title, lang))}`, '');
  }
  out.push(`**${mdText(diff.changes.length ? summaryLine(diff, lang) : W.none[lang])}**`);
  for (const item of DIFF_ITEMS) {
    const changes = diff.changes.filter((c) => c.item === item);
    if (!changes.length) continue;
    out.push('', `#### ${SECTION[item][lang]}`, '');
    for (const c of changes) {
      // Names and values are marked while the shared line builders run, then become code
      // spans while the words around them are escaped.
      const mark = (s: string) => `\u0000${s}\u0001`;
      const md = (line: string) => line.split(/(\u0000[^\u0001]*\u0001)/).map((part) => (part.startsWith('\u0000') ? mdCode(part.slice(1, -1)) : mdText(part))).join('');
      out.push(`- **${CHANGE_WORD[c.change][lang]}** ${md(changeHead(c, lang, mark, '').trimStart())}`);
      for (const line of changeBody(c, lang, mark, MD_MARKS)) out.push(`  - ${md(line)}`);
    }
  }
  if (impact) {
    out.push('', `#### ${impactHeading(input, impact, mdCode)}`, '', mdText(impactCounts(impact, lang)));
    if (!impact.transitions.length) out.push('', W.noImpact[lang]);
    else {
      const head = lang === 'zh' ? ['状态变化', '主体', '结果', '按州（市）', '按规则'] : ['transition', 'subjects', 'results', 'by prefecture', 'by rule'];
      out.push('', `| ${head.join(' | ')} |`, '|---|---:|---:|---|---|');
      for (const t of impact.transitions) {
        out.push(`| ${mdText(`${status(t.from, lang)} → ${status(t.to, lang)}`)} | ${mdText(subjectsWord(t, t.subjects, lang))} | ${t.results} | ${t.byPrefecture.map((p) => `${mdText(prefectureName(p.prefecture, lang))} ${p.subjects}`).join(', ')} | ${t.byRule.map((r) => `${mdCode(r.rule)} ${r.results}`).join(', ')} |`);
      }
      out.push('');
      for (const t of impact.transitions) out.push(`- ${mdText(transitionSentence(t, lang))}`);
    }
    if (impact.totals.length) {
      out.push('', `#### ${mdText(W.totals[lang])}`, '');
      for (const t of impact.totals) {
        out.push(`- ${mdText(totalSentence(t, lang))}`);
        for (const p of t.byPrefecture) out.push(`  - ${mdText(prefectureMovement(t, p, lang))}`);
      }
    }
    if (impact.values.length) {
      const shown = impact.values.slice(0, MARKDOWN_MAX_ENTRIES);
      out.push('', `<details><summary>${W.values[lang]} (${impact.values.length})</summary>`, '');
      const head = lang === 'zh' ? ['主体', '州（市）', '条款', '规则', '旧值', '新值', '变化'] : ['subject', 'prefecture', 'cite', 'rule', 'old', 'new', 'change'];
      out.push(`| ${head.join(' | ')} |`, '|---|---|---|---|---:|---:|---:|');
      for (const v of shown) {
        const subject = `${v.name ? `${mdText(v.name)} ` : ''}${mdCode(`${v.subject.kind} ${v.subject.id}`)}`;
        const rule = `${v.oldRule !== v.rule ? `${mdCode(v.oldRule)} → ` : ''}${mdCode(v.rule)}${v.measure === 'shortfall' ? ` ${W.shortfall[lang]}` : ''}`;
        out.push(`| ${subject} | ${mdText(v.prefecture ? prefectureName(v.prefecture, lang) : '—')} | ${mdText(v.cite)} | ${rule} | ${mdText(amountText(v.old, v.unit))} | ${mdText(amountText(v.new, v.unit))} | ${mdText(signedText(v.delta, v.unit))} |`);
      }
      if (impact.values.length > shown.length) {
        const more = impact.values.length - shown.length;
        out.push('', lang === 'zh' ? `另有 ${more} 条未列出；完整列表见 \`--format json\`。` : `${more} more not listed; see \`--format json\` for all.`);
      }
      out.push('', '</details>');
    }
    if (impact.entries.length) {
      const shown = impact.entries.slice(0, MARKDOWN_MAX_ENTRIES);
      out.push('', `<details><summary>${W.entries[lang]} (${impact.entries.length})</summary>`, '');
      const head = lang === 'zh' ? ['主体', '州（市）', '条款', '规则', '旧状态', '新状态'] : ['subject', 'prefecture', 'cite', 'rule', 'old', 'new'];
      out.push(`| ${head.join(' | ')} |`, '|---|---|---|---|---|---|');
      for (const e of shown) {
        const subject = `${e.name ? `${mdText(e.name)} ` : ''}${mdCode(`${e.subject.kind} ${e.subject.id}`)}`;
        const rule = e.oldRule !== e.rule ? `${mdCode(e.oldRule)} → ${mdCode(e.rule)}` : mdCode(e.rule);
        out.push(`| ${subject} | ${mdText(e.prefecture ? prefectureName(e.prefecture, lang) : '—')} | ${mdText(e.cite)} | ${rule} | ${mdText(status(e.old, lang))} | ${mdText(status(e.new, lang))} |`);
      }
      if (impact.entries.length > shown.length) {
        const more = impact.entries.length - shown.length;
        out.push('', lang === 'zh' ? `另有 ${more} 条未列出；完整列表见 \`--format json\`。` : `${more} more not listed; see \`--format json\` for all.`);
      }
      out.push('', '</details>');
    }
  }
  return `${out.join('\n')}\n`;
}

// ───────────────────────── json ─────────────────────────

function labelsJson(l: Labels | null): { zh: string; en: string | null } | null {
  return l ? { zh: l.zh, en: l.en ?? null } : null;
}

function changeJson(c: DiffChange): Record<string, unknown> {
  const out: Record<string, unknown> = {
    item: c.item,
    name: c.name,
    oldName: c.oldName,
    change: c.change,
    label: labelsJson(c.label),
  };
  if (c.item === 'rule') {
    out.cite = c.cite ?? null;
    out.matchedBy = c.matchedBy ?? null;
  }
  out.details = c.details.map((d) => ({ aspect: d.aspect, key: d.key, old: d.old, new: d.new, days: d.days ?? null }));
  if (c.item === 'param') {
    out.before = c.before ?? null;
    out.after = c.after ?? null;
    out.deadlineOf = c.deadlineOf ?? [];
  }
  if (c.item === 'param' || c.item === 'set' || c.item === 'table' || c.item === 'define') out.usedBy = c.usedBy ?? [];
  return out;
}

function deltaJson(d: AmountDelta): Record<string, unknown> {
  return { old: d.old, new: d.new, delta: d.delta, changedSubjects: d.changedSubjects };
}

/** The diff (and impact) as a JSON object in the documented key order. */
export function diffToJsonValue(input: Omit<DiffRenderInput, 'lang'>): Record<string, unknown> {
  const { diff, impact } = input;
  const counts = countChanges(diff);
  const totals = { added: 0, removed: 0, changed: 0, renamed: 0 };
  for (const c of diff.changes) totals[c.change]++;
  return {
    format: 'clausal-diff',
    version: DIFF_JSON_VERSION,
    old: { id: diff.old.id, version: diff.old.version, title: labelsJson(diff.old.title) },
    new: { id: diff.new.id, version: diff.new.version, title: labelsJson(diff.new.title) },
    summary: { changes: diff.changes.length, ...totals, byItem: counts },
    changes: diff.changes.map(changeJson),
    impact: impact
      ? {
          facts: input.factsPath ?? null,
          asOf: impact.asOf,
          subjects: impact.subjects,
          changedSubjects: impact.changedSubjects,
          transitions: impact.transitions.map((t) => ({
            kind: t.kind,
            from: t.from,
            to: t.to,
            subjects: t.subjects,
            results: t.results,
            byPrefecture: t.byPrefecture.map((p) => ({ id: p.prefecture?.id ?? null, name: p.prefecture?.name ?? null, subjects: p.subjects })),
            byRule: t.byRule.map((r) => ({ rule: r.rule, results: r.results })),
          })),
          entries: impact.entries.map((e) => ({
            subject: { kind: e.subject.kind, id: e.subject.id },
            name: e.name,
            prefecture: e.prefecture ? { id: e.prefecture.id, name: e.prefecture.name } : null,
            rule: e.rule,
            oldRule: e.oldRule,
            cite: e.cite,
            old: e.old,
            new: e.new,
            oldDue: e.oldDue,
            newDue: e.newDue,
          })),
          totals: impact.totals.map((t) => ({
            measure: t.measure,
            rule: t.rule,
            cite: t.cite,
            title: labelsJson(t.title),
            kind: t.kind,
            unit: t.unit,
            level: t.level,
            province: deltaJson(t.province),
            byPrefecture: t.byPrefecture.map((p) => ({ id: p.prefecture?.id ?? null, name: p.prefecture?.name ?? null, ...deltaJson(p) })),
          })),
          values: impact.values.map((v) => ({
            subject: { kind: v.subject.kind, id: v.subject.id },
            name: v.name,
            prefecture: v.prefecture ? { id: v.prefecture.id, name: v.prefecture.name } : null,
            rule: v.rule,
            oldRule: v.oldRule,
            cite: v.cite,
            measure: v.measure,
            unit: v.unit,
            old: v.old,
            new: v.new,
            delta: v.delta,
          })),
        }
      : null,
  };
}

/** The diff (and impact) as JSON text. */
export function diffToJson(input: Omit<DiffRenderInput, 'lang'>): string {
  return `${JSON.stringify(diffToJsonValue(input), null, 2)}\n`;
}
