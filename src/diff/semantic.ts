/**
 * The semantic diff of two checked policies: what a reviewer of an amendment needs to know,
 * computed from the checked {@link Policy} objects rather than from text, so reformatting,
 * comments, moving declarations between files and reordering are never changes.
 *
 * A diff is a list of {@link DiffChange}s, one per declared thing that differs (a kind, an
 * enum, a parameter, a set, a table, a definition, a rule, or the policy header). Each change
 * holds atomic {@link DiffDetail}s: one aspect of the thing (optionally keyed, e.g. a field
 * path or a history date) with its old and new value printed as a rule file would write it.
 * An added thing has every detail with `old: null`, a removed one every detail with `new: null`.
 *
 * The policy header's `version` and `title` identify the two sides and are shown, not counted
 * as changes; its `id` and effective window are changes.
 */
import type * as A from '../model/ast.js';
import { isValidDate, toDayNumber } from '../model/dates.js';
import type { EnumInfo, FieldInfo, KindInfo, Labels, ParamInfo, Policy, RelationInfo, RuleInfo, SetInfo, TableInfo } from '../model/types.js';
import { printExpr, printString } from '../syntax/print.js';
import { defineKey, exprKey, labelText, ruleScope, typeText, valueKey, valueText } from './canonical.js';

/** The kinds of declared things a diff reports on, in report order. */
export type DiffItem = 'policy' | 'kind' | 'enum' | 'param' | 'set' | 'table' | 'define' | 'rule';

/** Every item kind in report order. */
export const DIFF_ITEMS: readonly DiffItem[] = ['policy', 'kind', 'enum', 'param', 'set', 'table', 'define', 'rule'];

/** How a thing changed. `renamed`: a rule matched by cite under a new id (it may differ otherwise too). */
export type ChangeType = 'added' | 'removed' | 'changed' | 'renamed';

/**
 * One aspect of a thing. Which aspects each item kind has, and what their `key` and values
 * hold, is documented in `docs/review/diff-json.md`.
 */
export type DiffAspect =
  // policy header
  | 'id' | 'effective-from' | 'effective-until'
  // every named thing
  | 'label'
  // kinds
  | 'list-key' | 'field' | 'field-label' | 'relation' | 'relation-label'
  // enums and sets
  | 'member' | 'member-label'
  // params and sets
  | 'type' | 'value'
  // tables
  | 'signature' | 'row'
  // definitions
  | 'definition'
  // rules (`id` and `label` too: a rule's label is its title)
  | 'cite' | 'quote' | 'subject' | 'where' | 'rule-type' | 'modality' | 'requirement' | 'deadline' | 'from' | 'until' | 'explain';

/** One atomic difference: an aspect (and key) with its value on each side; null = absent. */
export interface DiffDetail {
  readonly aspect: DiffAspect;
  /** Which one of a repeated aspect: a field path, member, row key, history date, `zh`/`en`. */
  readonly key: string | null;
  readonly old: string | null;
  readonly new: string | null;
  /** When both values are dates: how many days the new one is after the old one (negative: earlier). */
  readonly days?: number;
}

/** One changed thing. */
export interface DiffChange {
  readonly item: DiffItem;
  /** Its name in the new version (in the old one when removed). */
  readonly name: string;
  /** Its name in the old version (differs from `name` only for a renamed rule). */
  readonly oldName: string;
  readonly change: ChangeType;
  /** Its label (a rule's title), new version first. */
  readonly label: Labels | null;
  readonly details: readonly DiffDetail[];
  /** Parameters, sets, tables, definitions: ids of the rules that read it (directly or through definitions). */
  readonly usedBy?: readonly string[];
  /** Parameters: ids of the rules whose deadline it is (so a changed value moves a deadline). */
  readonly deadlineOf?: readonly string[];
  /** Parameters: the whole history as written, before and after (`70% from 2021-01-01, 75% from 2025-01-01`); null when absent, `""` when unset. */
  readonly before?: string | null;
  readonly after?: string | null;
  /** Rules: the cite (new version first). */
  readonly cite?: string;
  /** Rules present on both sides: whether they were matched by id or, failing that, by cite. */
  readonly matchedBy?: 'id' | 'cite';
}

/** Which policy version a side is. */
export interface PolicyIdent {
  readonly id: string;
  readonly version: string;
  readonly title: Labels | null;
}

/** The semantic diff of two policies. */
export interface PolicyDiff {
  readonly old: PolicyIdent;
  readonly new: PolicyIdent;
  /** Ordered by item kind ({@link DIFF_ITEMS}), then by declaration order (new version, removed things after). */
  readonly changes: readonly DiffChange[];
  /** Old rule id -> new rule id for every rule present on both sides (renamed ones included). */
  readonly ruleMap: ReadonlyMap<string, string>;
}

// ───────────────────────── helpers ─────────────────────────

/** A detail, with the day shift filled in when both sides are dates. */
function detail(aspect: DiffAspect, key: string | null, oldValue: string | null, newValue: string | null): DiffDetail {
  if (oldValue !== null && newValue !== null && isValidDate(oldValue) && isValidDate(newValue)) {
    return { aspect, key, old: oldValue, new: newValue, days: toDayNumber(newValue) - toDayNumber(oldValue) };
  }
  return { aspect, key, old: oldValue, new: newValue };
}

/**
 * Details of one aspect over keyed values: a detail for every key whose value differs
 * (compared by `same`, default: equal text). Keys in old order, then keys only in new.
 */
function keyed(aspect: DiffAspect, olds: ReadonlyMap<string, string>, news: ReadonlyMap<string, string>): DiffDetail[] {
  const out: DiffDetail[] = [];
  const keys = [...olds.keys(), ...[...news.keys()].filter((k) => !olds.has(k))];
  for (const k of keys) {
    const a = olds.get(k) ?? null;
    const b = news.get(k) ?? null;
    if (a !== b) out.push(detail(aspect, k, a, b));
  }
  return out;
}

function single(aspect: DiffAspect, a: string | null | undefined, b: string | null | undefined): DiffDetail[] {
  const x = a ?? null;
  const y = b ?? null;
  return x === y ? [] : [detail(aspect, null, x, y)];
}

/**
 * The changes between two maps of named things. `describe` gives a thing's details against
 * nothing (for additions/removals) or against its counterpart.
 */
function diffNamed<T>(
  item: DiffItem,
  olds: ReadonlyMap<string, T>,
  news: ReadonlyMap<string, T>,
  describe: (a: T | undefined, b: T | undefined) => DiffDetail[],
  labelOf: (x: T) => Labels | undefined,
  extra: (name: string, a: T | undefined, b: T | undefined) => Partial<DiffChange> = () => ({}),
): DiffChange[] {
  const out: DiffChange[] = [];
  const emit = (name: string, a: T | undefined, b: T | undefined) => {
    const details = describe(a, b);
    if (a && b && details.length === 0) return;
    const change: ChangeType = !a ? 'added' : !b ? 'removed' : 'changed';
    out.push({ item, name, oldName: name, change, label: labelOf((b ?? a)!) ?? null, details, ...extra(name, a, b) });
  };
  for (const [name, b] of news) emit(name, olds.get(name), b);
  for (const [name, a] of olds) if (!news.has(name)) emit(name, a, undefined);
  return out;
}

// ───────────────────────── which rules read what ─────────────────────────

function namesIn(e: A.Expr | undefined, out: Set<string>): void {
  if (!e) return;
  switch (e.kind) {
    case 'name': out.add(e.name); break;
    case 'call': out.add(e.callee); for (const a of e.args) namesIn(a, out); break;
    case 'field': namesIn(e.target, out); break;
    case 'set': for (const i of e.items) namesIn(i, out); break;
    case 'unary': namesIn(e.operand, out); break;
    case 'binary': namesIn(e.left, out); namesIn(e.right, out); break;
    case 'paren': namesIn(e.inner, out); break;
    case 'aggregate': namesIn(e.source, out); namesIn(e.where, out); namesIn(e.body, out); break;
    case 'if': namesIn(e.condition, out); namesIn(e.then, out); namesIn(e.otherwise, out); break;
    default: break;
  }
}

/** Names an expression mentions, following definitions transitively. */
function reach(policy: Policy, exprs: readonly (A.Expr | undefined)[]): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  const add = (names: Set<string>) => {
    for (const n of names) if (!seen.has(n)) { seen.add(n); queue.push(n); }
  };
  for (const e of exprs) {
    const s = new Set<string>();
    namesIn(e, s);
    add(s);
  }
  while (queue.length) {
    const d = policy.defines.get(queue.pop()!);
    if (!d) continue;
    const s = new Set<string>();
    namesIn(d.body, s);
    add(s);
  }
  return seen;
}

interface Usage {
  /** rule id -> names it reads. */
  readonly reads: ReadonlyMap<string, ReadonlySet<string>>;
  /** rule id -> names its deadline reads. */
  readonly deadlines: ReadonlyMap<string, ReadonlySet<string>>;
}

function usageOf(policy: Policy): Usage {
  const reads = new Map<string, Set<string>>();
  const deadlines = new Map<string, Set<string>>();
  for (const r of policy.rules) {
    const d = r.decl;
    reads.set(r.id, reach(policy, [d.where, d.requirement, d.eligibleWhen, d.compute?.value, d.deadline]));
    deadlines.set(r.id, reach(policy, [d.deadline]));
  }
  return { reads, deadlines };
}

function rulesReading(usage: Usage, name: string, which: 'reads' | 'deadlines' = 'reads'): string[] {
  return [...usage[which]].filter(([, names]) => names.has(name)).map(([id]) => id);
}

// ───────────────────────── schema ─────────────────────────

function fieldDecl(f: FieldInfo): string {
  return f.isRecord ? 'record' : typeText(f.type);
}

function relationDecl(r: RelationInfo): string {
  return `many ${r.target} by ${r.via}${r.transitive ? '*' : ''}`;
}

function describeKind(a: KindInfo | undefined, b: KindInfo | undefined): DiffDetail[] {
  const fields = (k: KindInfo | undefined, f: (x: FieldInfo) => string | null) => new Map(k ? [...k.fields.values()].flatMap((x) => { const v = f(x); return v === null ? [] : [[x.path, v] as const]; }) : []);
  const relations = (k: KindInfo | undefined, f: (x: RelationInfo) => string | null) => new Map(k ? [...k.relations.values()].flatMap((x) => { const v = f(x); return v === null ? [] : [[x.name, v] as const]; }) : []);
  return [
    ...single('label', labelText(a?.label), labelText(b?.label)),
    ...single('list-key', a?.listKey, b?.listKey),
    ...keyed('field', fields(a, fieldDecl), fields(b, fieldDecl)),
    ...keyed('field-label', fields(a, (x) => labelText(x.label)), fields(b, (x) => labelText(x.label))),
    ...keyed('relation', relations(a, relationDecl), relations(b, relationDecl)),
    ...keyed('relation-label', relations(a, (x) => labelText(x.label)), relations(b, (x) => labelText(x.label))),
  ];
}

function describeEnum(a: EnumInfo | undefined, b: EnumInfo | undefined): DiffDetail[] {
  const members = (e: EnumInfo | undefined) => new Map(e ? [...e.members.keys()].map((m) => [m, m] as const) : []);
  const labels = (e: EnumInfo | undefined) => new Map(e ? [...e.members].flatMap(([m, l]) => (l ? [[m, labelText(l)!] as const] : [])) : []);
  return [...single('label', labelText(a?.label), labelText(b?.label)), ...keyed('member', members(a), members(b)), ...keyed('member-label', labels(a), labels(b))];
}

// ───────────────────────── parameters ─────────────────────────

/** A history point: `null` = from the start. */
type Point = string | null;

interface Step {
  readonly from: Point;
  readonly key: string;
  readonly text: string;
}

/**
 * A parameter's value over time, normalised: a date on or before the policy's effective date
 * means "from the start" (nothing is evaluated earlier), and an entry that repeats the value
 * before it is dropped. So `70%` and `70% from 2021-01-01` in a policy effective 2021-01-01
 * are the same timeline.
 */
function timeline(p: ParamInfo, effectiveFrom: string | undefined): Step[] {
  const steps: Step[] = [];
  for (const h of p.history) {
    const from = h.from === undefined || (effectiveFrom !== undefined && h.from <= effectiveFrom) ? null : h.from;
    const step = { from, key: `${typeText(p.type)}|${valueKey(h.value)}`, text: valueText(h.value, p.type) };
    if (steps.length && steps[steps.length - 1].from === from) steps[steps.length - 1] = step;
    else steps.push(step);
  }
  return steps.filter((s, i) => i === 0 || s.key !== steps[i - 1].key);
}

function valueAt(steps: readonly Step[], at: Point): Step | undefined {
  let found: Step | undefined;
  for (const s of steps) if (s.from === null || (at !== null && s.from <= at)) found = s;
  return found;
}

/** The history as written: `70%`, `70% from 2021-01-01, 75% from 2025-01-01`; `""` when unset. */
export function historyText(p: ParamInfo): string {
  return p.history.map((h) => `${valueText(h.value, p.type)}${h.from !== undefined ? ` from ${h.from}` : ''}`).join(', ');
}

function describeParam(oldEffective: string | undefined, newEffective: string | undefined) {
  return (a: ParamInfo | undefined, b: ParamInfo | undefined): DiffDetail[] => {
    const ta = a ? timeline(a, oldEffective) : [];
    const tb = b ? timeline(b, newEffective) : [];
    const points = [...new Set<Point>([...ta, ...tb].map((s) => s.from))].sort((x, y) => (x === null ? -1 : y === null ? 1 : x < y ? -1 : x > y ? 1 : 0));
    const values: DiffDetail[] = [];
    let previous = '';
    for (const at of points) {
      const x = valueAt(ta, at);
      const y = valueAt(tb, at);
      const pair = `${x?.key ?? ''}\u0000${y?.key ?? ''}`;
      // A point where neither side's value changes repeats the previous comparison.
      if (pair === previous) continue;
      previous = pair;
      if (x?.key !== y?.key) values.push(detail('value', at, x?.text ?? null, y?.text ?? null));
    }
    return [...single('type', a && typeText(a.type), b && typeText(b.type)), ...single('label', labelText(a?.label), labelText(b?.label)), ...values];
  };
}

// ───────────────────────── sets, tables, definitions ─────────────────────────

function describeSet(a: SetInfo | undefined, b: SetInfo | undefined): DiffDetail[] {
  const members = (s: SetInfo | undefined) => {
    const m = new Map<string, string>();
    if (s) for (const v of [...s.values].map((x) => valueText(x, s.type)).sort()) m.set(v, v);
    return m;
  };
  return [...single('type', a && typeText(a.type), b && typeText(b.type)), ...single('label', labelText(a?.label), labelText(b?.label)), ...keyed('member', members(a), members(b))];
}

function signatureKey(t: TableInfo): string {
  return JSON.stringify([t.formals.map((f) => typeText(f.type)), typeText(t.result)]);
}

function signatureText(t: TableInfo): string {
  return `(${t.formals.map((f) => `${f.name}: ${typeText(f.type)}`).join(', ')}) -> ${typeText(t.result)}`;
}

function rowsOf(t: TableInfo | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!t) return out;
  for (const [key, value] of t.rows) {
    const parts = key.split('\u0000').map((k, i) => (t.formals[i]?.type.t === 'string' ? printString(k) : k));
    out.set(parts.join(', '), `${valueText(value, t.result)}`);
  }
  return out;
}

function describeTable(a: TableInfo | undefined, b: TableInfo | undefined): DiffDetail[] {
  // Formal names only document a table (lookups are positional): a rename is not a change.
  const signature = a && b && signatureKey(a) === signatureKey(b) ? [] : single('signature', a && signatureText(a), b && signatureText(b));
  return [...single('label', labelText(a?.label), labelText(b?.label)), ...signature, ...keyed('row', rowsOf(a), rowsOf(b))];
}

function defineText(d: A.DefineDecl): string {
  return `${d.name}(${d.formals.map((f) => `${f.name}: ${f.type.list ? 'list ' : ''}${f.type.name}`).join(', ')}) = ${printExpr(d.body)}`;
}

function describeDefine(a: A.DefineDecl | undefined, b: A.DefineDecl | undefined): DiffDetail[] {
  const l = (d: A.DefineDecl | undefined) => labelText(d?.label ? { zh: d.label.zh, en: d.label.en } : undefined);
  const body = a && b && defineKey(a) === defineKey(b) ? [] : single('definition', a && defineText(a), b && defineText(b));
  return [...single('label', l(a), l(b)), ...body];
}

// ───────────────────────── rules ─────────────────────────

/** The parts of a rule compared one by one: canonical key and printed text per aspect. */
interface RuleView {
  readonly aspects: readonly { readonly aspect: DiffAspect; readonly key: string | null; readonly canon: string | null; readonly text: string | null }[];
  /** Everything but id and title, for matching renamed rules. */
  readonly body: string;
}

function viewOf(r: RuleInfo): RuleView {
  const d = r.decl;
  const scope = ruleScope(d.variable);
  const expr = (e: A.Expr | undefined) => ({ canon: exprKey(e, scope), text: e ? printExpr(e) : null });
  const plain = (v: string | undefined | null) => ({ canon: v ?? null, text: v ?? null });
  const aspects = [
    { aspect: 'label' as const, key: null, ...plain(labelText(r.title)) },
    { aspect: 'cite' as const, key: null, ...plain(r.cite) },
    { aspect: 'quote' as const, key: null, ...plain(r.quote) },
    { aspect: 'subject' as const, key: null, ...plain(r.kind) },
    { aspect: 'where' as const, key: null, ...expr(d.where) },
    { aspect: 'rule-type' as const, key: null, ...plain(r.type) },
    { aspect: 'modality' as const, key: null, ...plain(r.modality) },
    { aspect: 'requirement' as const, key: null, ...expr(d.requirement ?? d.eligibleWhen ?? d.compute?.value) },
    { aspect: 'deadline' as const, key: null, ...expr(d.deadline) },
    { aspect: 'from' as const, key: null, ...plain(r.from) },
    { aspect: 'until' as const, key: null, ...plain(r.until) },
    { aspect: 'explain' as const, key: 'zh', ...plain(d.explain?.zh.value) },
    { aspect: 'explain' as const, key: 'en', ...plain(d.explain?.en?.value) },
  ];
  const body = JSON.stringify(aspects.filter((x) => x.aspect !== 'label').map((x) => x.canon));
  return { aspects, body };
}

function describeRule(a: RuleInfo | undefined, b: RuleInfo | undefined): DiffDetail[] {
  const va = a ? viewOf(a).aspects : [];
  const vb = b ? viewOf(b).aspects : [];
  const out: DiffDetail[] = [];
  if (a && b && a.id !== b.id) out.push(detail('id', null, a.id, b.id));
  const n = Math.max(va.length, vb.length);
  for (let i = 0; i < n; i++) {
    const x = va[i];
    const y = vb[i];
    const probe = (x ?? y)!;
    if ((x?.canon ?? null) === (y?.canon ?? null)) continue;
    const text = (v: typeof x) => (v?.aspect === 'explain' && v.text !== null ? printString(v.text) : v?.text ?? null);
    out.push(detail(probe.aspect, probe.key, text(x), text(y)));
  }
  return out;
}

/** Pairs of old and new rules: by id, then (among the rest) by cite. */
export function matchRules(olds: readonly RuleInfo[], news: readonly RuleInfo[]): { pairs: { old: RuleInfo; new: RuleInfo; by: 'id' | 'cite' }[]; removed: RuleInfo[]; added: RuleInfo[] } {
  const newById = new Map(news.map((r) => [r.id, r]));
  const oldIds = new Set(olds.map((r) => r.id));
  const pairs: { old: RuleInfo; new: RuleInfo; by: 'id' | 'cite' }[] = [];
  const restOld: RuleInfo[] = [];
  for (const r of olds) {
    const m = newById.get(r.id);
    if (m) pairs.push({ old: r, new: m, by: 'id' });
    else restOld.push(r);
  }
  const restNew = news.filter((r) => !oldIds.has(r.id));
  const taken = new Set<RuleInfo>();
  const byCite = (pick: (o: RuleInfo, n: RuleInfo) => boolean) => {
    for (const o of [...restOld]) {
      const n = restNew.find((x) => !taken.has(x) && x.cite === o.cite && pick(o, x));
      if (!n) continue;
      taken.add(n);
      restOld.splice(restOld.indexOf(o), 1);
      pairs.push({ old: o, new: n, by: 'cite' });
    }
  };
  // A rule renamed without other edits is the surest match; then same cite and subject kind,
  // in declaration order. Rules of another subject kind under the same cite are different rules.
  byCite((o, n) => viewOf(o).body === viewOf(n).body);
  byCite((o, n) => o.kind === n.kind);
  return { pairs, removed: restOld, added: restNew.filter((r) => !taken.has(r)) };
}

function diffRules(oldPolicy: Policy, newPolicy: Policy): { changes: DiffChange[]; ruleMap: Map<string, string> } {
  const { pairs, removed, added } = matchRules(oldPolicy.rules, newPolicy.rules);
  const ruleMap = new Map(pairs.map((p) => [p.old.id, p.new.id]));
  const pairOfNew = new Map(pairs.map((p) => [p.new, p]));
  const out: DiffChange[] = [];
  const make = (a: RuleInfo | undefined, b: RuleInfo | undefined, by?: 'id' | 'cite'): DiffChange | undefined => {
    const details = describeRule(a, b);
    if (a && b && details.length === 0) return undefined;
    const change: ChangeType = !a ? 'added' : !b ? 'removed' : a.id !== b.id ? 'renamed' : 'changed';
    const r = (b ?? a)!;
    return { item: 'rule', name: r.id, oldName: (a ?? b)!.id, change, label: r.title ?? null, details, cite: r.cite, ...(by ? { matchedBy: by } : {}) };
  };
  for (const r of newPolicy.rules) {
    const p = pairOfNew.get(r);
    const c = p ? make(p.old, p.new, p.by) : added.includes(r) ? make(undefined, r) : undefined;
    if (c) out.push(c);
  }
  for (const r of removed) out.push(make(r, undefined)!);
  return { changes: out, ruleMap };
}

// ───────────────────────── the whole policy ─────────────────────────

function ident(p: Policy): PolicyIdent {
  return { id: p.id, version: p.version, title: p.title ?? null };
}

/** The semantic diff of two checked policies (old first). */
export function diffPolicies(oldPolicy: Policy, newPolicy: Policy): PolicyDiff {
  const usageOld = usageOf(oldPolicy);
  const usageNew = usageOf(newPolicy);
  // A removed thing is read by old rules; anything else by the new ones.
  const usedBy = (name: string, _a: unknown, b: unknown) => ({ usedBy: rulesReading(b ? usageNew : usageOld, name) });

  const header = [
    ...single('id', oldPolicy.id, newPolicy.id),
    ...single('effective-from', oldPolicy.effectiveFrom, newPolicy.effectiveFrom),
    ...single('effective-until', oldPolicy.effectiveUntil, newPolicy.effectiveUntil),
  ];
  const changes: DiffChange[] = [];
  if (header.length) changes.push({ item: 'policy', name: newPolicy.id, oldName: oldPolicy.id, change: 'changed', label: newPolicy.title ?? null, details: header });
  changes.push(...diffNamed('kind', oldPolicy.kinds, newPolicy.kinds, describeKind, (k) => k.label));
  changes.push(...diffNamed('enum', oldPolicy.enums, newPolicy.enums, describeEnum, (e) => e.label));
  changes.push(
    ...diffNamed('param', oldPolicy.params, newPolicy.params, describeParam(oldPolicy.effectiveFrom, newPolicy.effectiveFrom), (p) => p.label, (name, a, b) => ({
      ...usedBy(name, a, b),
      deadlineOf: rulesReading(b ? usageNew : usageOld, name, 'deadlines'),
      before: a ? historyText(a) : null,
      after: b ? historyText(b) : null,
    })),
  );
  changes.push(...diffNamed('set', oldPolicy.sets, newPolicy.sets, describeSet, (s) => s.label, usedBy));
  changes.push(...diffNamed('table', oldPolicy.tables, newPolicy.tables, describeTable, (t) => t.label, usedBy));
  changes.push(...diffNamed('define', oldPolicy.defines, newPolicy.defines, describeDefine, (d) => (d.label ? { zh: d.label.zh, en: d.label.en } : undefined), usedBy));
  const rules = diffRules(oldPolicy, newPolicy);
  changes.push(...rules.changes);
  return { old: ident(oldPolicy), new: ident(newPolicy), changes, ruleMap: rules.ruleMap };
}

/** Counts of changes per item kind and change type, for summaries. */
export function countChanges(diff: PolicyDiff): Record<DiffItem, Record<ChangeType, number>> {
  const out = Object.fromEntries(DIFF_ITEMS.map((i) => [i, { added: 0, removed: 0, changed: 0, renamed: 0 }])) as Record<DiffItem, Record<ChangeType, number>>;
  for (const c of diff.changes) out[c.item][c.change]++;
  return out;
}
