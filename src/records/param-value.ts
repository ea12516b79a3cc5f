/**
 * Parameter values as JSON text for the records database: exact numbers as decimal strings
 * (or `n/d` when not a finite decimal), dates and enum members as strings, durations as
 * `3y` / `6m` / `10d`, sets as sorted arrays. Numbers are never floats: 70% stays `"0.7"`.
 */
import { isNum, Rational, type Num } from '../model/rational.js';

function exactDecimal(x: Num): string {
  if (typeof x === 'number') return String(x);
  // n/d is a finite decimal when d has no prime factor other than 2 and 5.
  let d = x.d;
  let twos = 0;
  let fives = 0;
  while (d % 2 === 0) { d /= 2; twos++; }
  while (d % 5 === 0) { d /= 5; fives++; }
  if (d !== 1) return `${x.n}/${x.d}`;
  const digits = Math.max(twos, fives);
  const scaled = BigInt(x.n) * (10n ** BigInt(digits)) / BigInt(x.d);
  const neg = scaled < 0n;
  const s = (neg ? -scaled : scaled).toString().padStart(digits + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

function plain(v: unknown): unknown {
  if (v instanceof Rational || (typeof v === 'number' && isNum(v))) return exactDecimal(v as Num);
  if (v instanceof Set) return [...v].map(plain).sort((a, b) => (String(a) < String(b) ? -1 : 1));
  if (v && typeof v === 'object' && 'amount' in v && 'unit' in v) return `${(v as { amount: number }).amount}${(v as { unit: string }).unit}`;
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  return null;
}

/** A parameter value as JSON text. */
export function paramValueJson(v: unknown): string {
  return JSON.stringify(plain(v));
}
