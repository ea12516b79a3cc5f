/**
 * What to offer while typing in a rule file: after `cite` the numbering of the source
 * document; after `x.` the fields of `x`'s kind (and of a record such as `posts.`); after
 * `== ` or `in {` on an enum-typed field that enum's members; elsewhere keywords, the
 * policy's names and the variables in scope. Works on the text as typed (which usually does
 * not parse yet) with the last policy that checked, so it reads the context from the line
 * and the rule around the cursor rather than from the AST. Pure: no DOM, no file system.
 */
import type { Lang } from '../model/diagnostics.js';
import { typeName, type KindInfo, type Labels, type Policy, type Type } from '../model/types.js';
import { AGGREGATE_NAMES, KEYWORDS } from '../syntax/tokens.js';
import { BUILTINS } from './hover.js';

/** What a completion names. */
export type CompletionKind =
  | 'keyword' | 'param' | 'set' | 'table' | 'define' | 'enum' | 'member' | 'kind' | 'field' | 'relation' | 'function' | 'variable' | 'cite';

/** One candidate. */
export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** Text to insert when it differs from the label (a cite gains its quotes). */
  readonly insertText?: string;
}

/** The candidates and the offset where the word being completed starts. */
export interface Completions {
  readonly from: number;
  readonly items: readonly CompletionEntry[];
}

const KEYWORD_WORDS: readonly string[] = KEYWORDS.map((k) => String(k.PATTERN).replace(/^\/|\/$/g, ''));
const NAME = /[A-Za-z_][A-Za-z0-9_]*$/;

function label(l: Labels | undefined, lang: Lang): string | undefined {
  return l ? (lang === 'en' ? l.en ?? l.zh : l.zh) : undefined;
}

/** Where a path through a kind leads: a kind with a record prefix, or a field's type. */
interface At { readonly kind: KindInfo; readonly prefix: string }

function walk(policy: Policy, start: string | undefined, steps: readonly string[]): At | Type | undefined {
  let kind = start === undefined ? undefined : policy.kinds.get(start);
  if (!kind) return undefined;
  let prefix = '';
  for (const step of steps) {
    const path = prefix ? `${prefix}.${step}` : step;
    const rel = prefix ? undefined : kind.relations.get(step);
    if (rel) {
      kind = policy.kinds.get(rel.target);
      if (!kind) return undefined;
      prefix = '';
      continue;
    }
    const f = kind.fields.get(path);
    if (!f) return undefined;
    if (f.type.t === 'subject') {
      kind = policy.kinds.get(f.type.kind);
      if (!kind) return undefined;
      prefix = '';
    } else if (f.isRecord || f.type.t === 'group') prefix = path;
    else return f.type;
  }
  return { kind, prefix };
}

/**
 * The kind of variable `name` at `offset`: the nearest `for kind name` of a rule before it, an
 * aggregate's `name in source`, or a definition's formal `name: kind`.
 */
function kindOfVariable(policy: Policy, before: string, name: string, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  let found: string | undefined;
  let at = -1;
  const consider = (index: number, kind: string | undefined) => {
    if (index > at && kind !== undefined) {
      at = index;
      found = kind;
    }
  };
  const esc = name.replace(/[^A-Za-z0-9_]/g, '');
  for (const m of before.matchAll(new RegExp(`\\bfor\\s*:?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s+${esc}\\b`, 'g'))) consider(m.index, m[1]);
  for (const m of before.matchAll(new RegExp(`\\b[A-Za-z_]+\\s*\\(\\s*${esc}\\s+in\\s+([A-Za-z_][A-Za-z0-9_.]*)`, 'g'))) {
    const chain = m[1].split('.');
    const head = kindOfVariable(policy, before.slice(0, m.index), chain[0], depth + 1);
    const to = walk(policy, head, chain.slice(1));
    consider(m.index, to && !('t' in to) ? to.kind.name : undefined);
  }
  for (const m of before.matchAll(new RegExp(`[(,]\\s*${esc}\\s*:\\s*([A-Za-z_][A-Za-z0-9_]*)`, 'g'))) {
    if (policy.kinds.has(m[1])) consider(m.index, m[1]);
  }
  return found;
}

/** Variables declared before `offset` in the current rule or definition. */
function localsBefore(before: string): string[] {
  const start = Math.max(before.lastIndexOf('\nrule '), before.lastIndexOf('\ndefine '), before.lastIndexOf('- id:'), 0);
  const scope = before.slice(start);
  const names = new Set<string>();
  for (const m of scope.matchAll(/\bfor\s*:?\s*[A-Za-z_][A-Za-z0-9_]*\s+([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  for (const m of scope.matchAll(/\b[A-Za-z_]+\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s+in\s/g)) names.add(m[1]);
  return [...names];
}

function fieldEntries(policy: Policy, at: At, lang: Lang): CompletionEntry[] {
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const [path, f] of at.kind.fields) {
    if (at.prefix && !path.startsWith(`${at.prefix}.`)) continue;
    const rest = at.prefix ? path.slice(at.prefix.length + 1) : path;
    const step = rest.split('.')[0];
    if (seen.has(step)) continue;
    seen.add(step);
    const own = at.prefix ? `${at.prefix}.${step}` : step;
    const field = at.kind.fields.get(own) ?? f;
    out.push({ label: step, kind: 'field', detail: `${at.kind.name}.${own}: ${typeName(field.type)}`, documentation: label(field.label, lang) });
  }
  if (!at.prefix) {
    for (const r of at.kind.relations.values()) out.push({ label: r.name, kind: 'relation', detail: `${at.kind.name}.${r.name}: many ${r.target}`, documentation: label(r.label, lang) });
  }
  return out;
}

function enumEntries(policy: Policy, name: string, lang: Lang): CompletionEntry[] {
  const e = policy.enums.get(name);
  if (!e) return [];
  return [...e.members].map(([m, l]) => ({ label: m, kind: 'member' as const, detail: `${e.name}.${m}`, documentation: label(l, lang) }));
}

/** The completions at `offset` of `text` (a `.clause` or YAML rule file). */
export function completionsAt(policy: Policy | undefined, text: string, offset: number, lang: Lang, yaml: boolean): Completions {
  const before = text.slice(0, offset);
  const line = before.slice(before.lastIndexOf('\n') + 1);
  const word = NAME.exec(line)?.[0] ?? '';
  const from = offset - word.length;

  const cite = /(?:^|\s|-)cite(?:\s*:\s*|\s+)("?)([^"\s]*)$/.exec(line);
  if (cite) {
    const doc = policy?.source;
    const items: CompletionEntry[] = [];
    const seen = new Set<string>();
    for (const p of doc?.paragraphs ?? []) {
      if (seen.has(p.cite)) continue;
      seen.add(p.cite);
      items.push({ label: p.cite, kind: 'cite', detail: doc!.path, documentation: p.text, insertText: yaml || cite[1] ? undefined : JSON.stringify(p.cite) });
    }
    return { from: offset - cite[2].length, items };
  }
  if (!policy) return { from, items: yaml ? [] : KEYWORD_WORDS.map((k) => ({ label: k, kind: 'keyword' as const })) };

  const dotted = /([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z_][A-Za-z0-9_]*)?$/.exec(line);
  if (dotted) {
    const chain = dotted[1].split('.');
    const at = walk(policy, kindOfVariable(policy, before, chain[0]), chain.slice(1));
    if (at && !('t' in at)) return { from: offset - (dotted[2]?.length ?? 0), items: fieldEntries(policy, at, lang) };
    // Unknown receiver: every kind's fields, which beats offering nothing.
    const all = [...policy.kinds.values()].flatMap((k) => fieldEntries(policy, { kind: k, prefix: '' }, lang));
    return { from: offset - (dotted[2]?.length ?? 0), items: all };
  }

  const compared = /([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*(?:==|!=|(?:not\s+)?in\s*\{[^}]*)\s*[A-Za-z0-9_]*$/.exec(line);
  if (compared) {
    const chain = compared[1].split('.');
    const t = walk(policy, kindOfVariable(policy, before, chain[0]), chain.slice(1));
    if (t && 't' in t && t.t === 'enum') return { from, items: enumEntries(policy, t.name, lang) };
  }

  const items: CompletionEntry[] = [];
  for (const v of localsBefore(before)) items.push({ label: v, kind: 'variable', detail: kindOfVariable(policy, before, v) });
  for (const p of policy.params.values()) items.push({ label: p.name, kind: 'param', detail: typeName(p.type), documentation: label(p.label, lang) });
  for (const s of policy.sets.values()) items.push({ label: s.name, kind: 'set', detail: typeName(s.type), documentation: label(s.label, lang) });
  for (const d of policy.defines.values()) {
    items.push({ label: d.name, kind: 'define', detail: `(${d.formals.map((f) => `${f.name}: ${f.type.name}`).join(', ')})`, documentation: d.label ? label(d.label, lang) : undefined });
  }
  for (const t of policy.tables.values()) items.push({ label: t.name, kind: 'table', detail: `(${t.formals.map((f) => `${f.name}: ${typeName(f.type)}`).join(', ')}) -> ${typeName(t.result)}`, documentation: label(t.label, lang) });
  for (const e of policy.enums.values()) {
    items.push({ label: e.name, kind: 'enum', documentation: label(e.label, lang) });
    items.push(...enumEntries(policy, e.name, lang));
  }
  for (const k of policy.kinds.values()) items.push({ label: k.name, kind: 'kind', documentation: label(k.label, lang) });
  for (const [name, b] of Object.entries(BUILTINS)) items.push({ label: name, kind: 'function', detail: b.sig, documentation: lang === 'en' ? b.en : b.zh });
  for (const a of AGGREGATE_NAMES) if (!Object.prototype.hasOwnProperty.call(BUILTINS, a)) items.push({ label: a, kind: 'function' });
  if (!yaml) for (const k of KEYWORD_WORDS) items.push({ label: k, kind: 'keyword' });
  return { from, items };
}
