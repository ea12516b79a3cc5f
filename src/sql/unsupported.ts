/** What the SQL printers cannot take of the lowered form, and the diagnostics that name it. */
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import type { Span } from '../model/span.js';
import { freeSlots, lowerPolicy } from '../lower/lower.js';
import { DIALECTS } from './dialects.js';
import { sqlPrintable } from './print-sql.js';
import type { LExpr, LoweredPolicy, LoweredRule, Unsupported } from '../lower/lowered.js';

/** One X0401 per rule the lowering or the SQL printers refused, naming the rule and the construct. */
export function unsupportedDiagnostics(lowered: LoweredPolicy): Diagnostic[] {
  return lowered.unsupported.map((u) => error('X0401', u.span, { rule: u.rule, construct: u.construct, reason: u.reason }));
}

/**
 * The policy lowered for SQL: the lowered form, with the rules the SQL printers cannot print
 * moved to `unsupported`: a set written from facts whose items are decimals (whether two equal
 * decimals are one member is not printed yet) or read the facts of more than one subject (the
 * printer lists the items per owning subject).
 */
export function sqlLowering(policy: Policy, asOf: string): LoweredPolicy {
  const lowered = lowerPolicy(policy, { asOf });
  const refused = new Map<string, Unsupported>();
  for (const r of lowered.rules) {
    const hit = [r.where, r.condition, r.deadline].map((x) => (x ? setSource(x) : undefined)).find((x) => x !== undefined);
    const decl = policy.rules.find((p) => p.id === r.id)!.decl;
    if (hit) refused.set(r.id, { rule: r.id, construct: hit.text, reason: hit.span === NO_SPAN ? 'decimal-list' : 'set-of-facts', span: hit.span === NO_SPAN ? decl.span : hit.span });
    else if (!sqlPrintable(lowered, r, DIALECTS.duckdb)) refused.set(r.id, { rule: r.id, construct: r.id, reason: 'sql-size', span: decl.span });
  }
  if (refused.size === 0) return lowered;
  const order = new Map(policy.rules.map((r, i) => [r.id, i]));
  const unsupported = [...lowered.unsupported, ...refused.values()].sort((a, b) => (order.get(a.rule) ?? 0) - (order.get(b.rule) ?? 0));
  return { ...lowered, rules: lowered.rules.filter((r: LoweredRule) => !refused.has(r.id)), unsupported };
}

const NO_SPAN: Span = { file: '', start: 0, end: 0 };

/** Whether the SQL printers take a set written from facts (see {@link sqlLowering}). */
function printableSet(items: readonly LExpr[]): boolean {
  if (items.some((i) => i.type !== 'int' && i.type !== 'text' && i.type !== 'bool' && i.type !== 'date')) return false;
  const slots = new Set<number>();
  for (const i of items) for (const s of freeSlots(i)) slots.add(s);
  return slots.size === 1 && items.some(readsField);
}

function readsField(e: LExpr): boolean {
  if (e.op === 'field') return true;
  return Object.values(e).some((v) => v !== null && typeof v === 'object' && 'op' in v && readsField(v as LExpr));
}

/** The first aggregate over a set of facts (or item of a decimal list) in an expression. */
function setSource(x: LExpr): { text: string; span: Span } | undefined {
  const children: LExpr[] = [];
  switch (x.op) {
    case 'lit': case 'unknown': case 'field': return undefined;
    // Lists are stored as text: decimals would come back through their text, not exactly.
    case 'item': return x.type === 'decimal' ? { text: 'a list of decimal numbers', span: NO_SPAN } : undefined;
    case 'aggregate':
      if (x.source.from === 'values') {
        if (!printableSet(x.source.items)) return { text: x.source.text, span: x.source.span };
        children.push(...x.source.items);
      }
      if (x.source.from === 'list') children.push(x.source.list);
      if (x.where) children.push(x.where);
      if (x.body) children.push(x.body);
      break;
    case 'has': case 'not': case 'neg': case 'size': case 'null-if-zero': case 'abs': case 'date-add': children.push(x.operand); break;
    case 'and': case 'or': case 'compare': case 'equals': case 'add': case 'sub': case 'mul': children.push(x.left, x.right); break;
    case 'in-set': children.push(x.operand); break;
    case 'in-list': children.push(x.operand, x.list); break;
    case 'div-round': children.push(x.num, x.den); break;
    case 'table': case 'least': case 'greatest': children.push(...x.args); break;
    case 'deref': children.push(x.ref); break;
    case 'years-between': case 'days-between': children.push(x.from, x.to); break;
    case 'if': children.push(x.condition, x.then, x.otherwise); break;
  }
  for (const c of children) {
    const hit = setSource(c);
    if (hit) return hit;
  }
  return undefined;
}
