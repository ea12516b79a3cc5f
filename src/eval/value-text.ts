/** How a value rule's result is written in results and explanations (contract 3a). */
import * as Q from '../model/rational.js';
import type { RuleInfo } from '../model/types.js';

/**
 * A computed value as the contract writes it: an exact decimal (with as many decimals as the
 * rule's step has: `300.00` for a step of 0.01), a percentage as its fraction, or a date.
 */
export function valueString(v: unknown, info: RuleInfo): string {
  if (Q.isNum(v)) return Q.toDecimalString(v, decimalsOf(info.value?.stepText));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function decimalsOf(step: string | undefined): number {
  const dot = step?.indexOf('.') ?? -1;
  return step === undefined || dot < 0 ? 0 : step.length - dot - 1;
}

