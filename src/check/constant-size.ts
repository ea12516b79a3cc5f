/**
 * The number size budget at check time: constant arithmetic (literals, definitions without
 * facts, calls of definitions with constant arguments) is folded here, and a result outside the
 * exact range of `rational.ts` is diagnosed (C0100) where it is written, usually in a
 * definition. Without this, `q1 = q0 * q0 + 1/1000004` chained thirty times is only found to
 * be unrepresentable when some subject is evaluated.
 */
import { error, type Diagnostic } from '../model/diagnostics.js';
import * as Q from '../model/rational.js';
import type { TExpr } from '../model/types.js';
import { texprChildren } from './expr-size.js';

/** Folds the constant numeric parts of expressions, reporting each overflow once. */
export class ConstantFolder {
  private readonly folded = new WeakMap<TExpr, Q.Num | null>();
  private readonly lastCall = new Map<TExpr, { readonly args: readonly Q.Num[]; readonly value: Q.Num | null }>();
  private readonly reported = new Set<TExpr>();
  private readonly scanned = new Set<TExpr>();

  constructor(private readonly diagnostics: Diagnostic[]) {}

  /** Scans `x` and every shared body it calls for constant arithmetic outside the range. */
  scan(x: TExpr | undefined): void {
    const stack = x ? [x] : [];
    while (stack.length) {
      const e = stack.pop()!;
      if (this.scanned.has(e)) continue;
      this.scanned.add(e);
      if (this.fold(e, undefined) !== null) continue;
      stack.push(...texprChildren(e));
      if (e.op === 'def') stack.push(e.body);
    }
  }

  /** The value of a constant numeric expression; null when it is not one (or overflowed). */
  private fold(x: TExpr, env: readonly Q.Num[] | undefined): Q.Num | null {
    if (env === undefined) {
      const known = this.folded.get(x);
      if (known !== undefined) return known;
    }
    const value = this.compute(x, env);
    if (env === undefined) this.folded.set(x, value);
    return value;
  }

  private compute(x: TExpr, env: readonly Q.Num[] | undefined): Q.Num | null {
    switch (x.op) {
      case 'const':
        return Q.isNum(x.value) ? x.value : null;
      case 'var':
        return env !== undefined && x.slot < env.length ? env[x.slot] : null;
      case 'neg': {
        const v = this.fold(x.operand, env);
        return v === null ? null : Q.neg(v);
      }
      case 'call':
        return x.fn === 'percent' ? this.fold(x.args[0], env) : null;
      case 'binary': {
        if (x.bop !== '+' && x.bop !== '-' && x.bop !== '*' && x.bop !== '/') return null;
        const l = this.fold(x.left, env);
        const r = l === null ? null : this.fold(x.right, env);
        if (l === null || r === null) return null;
        const v = x.bop === '+' ? Q.add(l, r) : x.bop === '-' ? Q.sub(l, r) : x.bop === '*' ? Q.mul(l, r) : Q.div(l, r);
        if (v === undefined) return null; // division by zero: the evaluator reports it
        if (!Q.isExact(v) && Q.isExact(l) && Q.isExact(r)) {
          if (!this.reported.has(x)) {
            this.reported.add(x);
            this.diagnostics.push(error('C0100', x.span));
          }
          return null;
        }
        return v;
      }
      case 'def': {
        const args: Q.Num[] = [];
        for (const a of x.args) {
          const v = this.fold(a, env);
          if (v === null) return null;
          args.push(v);
        }
        // The last call per body, as the evaluator keeps it: `q(x) * q(x)` folds `q(x)` once.
        const last = this.lastCall.get(x.body);
        if (last && last.args.length === args.length && last.args.every((a, i) => Q.compare(a, args[i]) === 0 && Q.isExact(a) === Q.isExact(args[i]))) return last.value;
        const value = this.fold(x.body, args);
        this.lastCall.set(x.body, { args, value });
        return value;
      }
      default:
        return null;
    }
  }
}
