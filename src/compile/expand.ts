/**
 * The inlined form of a `def` node, for back ends that print one expression tree per rule
 * (JSON Logic) rather than calling a shared closure. Expanding is exponential for a policy whose
 * definitions call each other several times per level, so it is bounded: past
 * {@link EXPANSION_BUDGET} nodes in one run the caller reports the rule as not exportable.
 */
import type { TExpr } from '../model/types.js';

/** Nodes one {@link Expander} may create before it refuses. */
export const EXPANSION_BUDGET = 200_000;

/** Expands `def` nodes one level at a time, within a budget of created nodes. */
export class Expander {
  private created = 0;
  private nextSlot: number;
  private readonly memo = new WeakMap<TExpr, TExpr>();

  /** `firstFreeSlot`: renamed aggregate variables of bodies are numbered from here up. */
  constructor(firstFreeSlot = 1_000_000, private readonly budget = EXPANSION_BUDGET) {
    this.nextSlot = firstFreeSlot;
  }

  /**
   * The body of `x` with formal i replaced by argument i and the body's own aggregate
   * variables moved to fresh slots; `undefined` once the budget is spent. Inner `def` nodes are
   * left for the caller to expand as it meets them.
   */
  expand(x: Extract<TExpr, { op: 'def' }>): TExpr | undefined {
    const known = this.memo.get(x);
    if (known) return known;
    const formals = x.args.length;
    const renamed = new Map<number, number>();
    const go = (e: TExpr): TExpr | undefined => {
      if (++this.created > this.budget) return undefined;
      switch (e.op) {
        case 'const': case 'today': case 'param': return e;
        case 'var': {
          if (e.slot < formals) return x.args[e.slot];
          let slot = renamed.get(e.slot);
          if (slot === undefined) renamed.set(e.slot, (slot = this.nextSlot++));
          return { ...e, slot };
        }
        case 'field': case 'relation': {
          const target = go(e.target);
          return target && { ...e, target };
        }
        case 'call': case 'table': case 'def': {
          const args = all(e.args);
          return args && { ...e, args };
        }
        case 'set': {
          const items = all(e.items);
          return items && { ...e, items };
        }
        case 'not': case 'neg': {
          const operand = go(e.operand);
          return operand && { ...e, operand };
        }
        case 'binary': {
          const left = go(e.left);
          const right = left && go(e.right);
          return right && { ...e, left: left!, right };
        }
        case 'aggregate': {
          let slot = renamed.get(e.slot);
          if (slot === undefined) renamed.set(e.slot, (slot = this.nextSlot++));
          const source = go(e.source);
          const where = e.where && go(e.where);
          const body = e.body && go(e.body);
          if (!source || (e.where && !where) || (e.body && !body)) return undefined;
          return { ...e, slot, source, where, body };
        }
        case 'if': {
          const condition = go(e.condition);
          const then = condition && go(e.then);
          const otherwise = then && go(e.otherwise);
          return otherwise && { ...e, condition: condition!, then: then!, otherwise };
        }
      }
    };
    const all = (list: readonly TExpr[]): TExpr[] | undefined => {
      const out: TExpr[] = [];
      for (const e of list) {
        const y = go(e);
        if (!y) return undefined;
        out.push(y);
      }
      return out;
    };
    const out = go(x.body);
    if (out) this.memo.set(x, out);
    return out;
  }
}
