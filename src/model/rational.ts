/**
 * The number model. Policy quotas are decimal ("70%", "0.5"), and a quota must be exact at
 * its boundary: 7 of 10 posts meets "不低于70%". Binary floating point gets this wrong
 * (0.7 * 10 is 7.000000000000001), so every number is an exact rational n/d.
 *
 * Representation: a JS integer when the value is whole (the common case: counts), otherwise
 * a {@link Rational} with coprime safe-integer numerator and positive denominator. Decimal
 * text (from a rule file or a facts number) converts exactly: `0.7` is 7/10.
 *
 * INVARIANT: a `Rational` has coprime safe-integer `n` and `d > 1`.
 *
 * The exact range (the number size budget): numerator and denominator of magnitude at most
 * 2^53 − 1, about 15 significant digits, a range no post count, headcount or percentage comes
 * near. Arithmetic is exact inside it (intermediate products that leave it are computed with
 * BigInt and reduced). A result outside it comes back as the nearest double, which
 * {@link isExact} tells apart: the checker refuses a constant outside the range (C0100) and the
 * evaluator makes a result that leaves it `unknown`, naming the expression, instead of carrying
 * an inexact number on (squaring a fraction per level would otherwise double its digits each
 * time, without bound, in an arbitrary-precision representation).
 */

/** A non-integer exact rational. */
export class Rational {
  /** Use {@link makeRational}, which normalises. */
  constructor(readonly n: number, readonly d: number) {}
  /** The nearest double, for display and charts only. */
  valueOf(): number {
    return this.n / this.d;
  }
}

/** An exact number: a safe integer or a normalised rational (or, past 2^53, a double). */
export type Num = number | Rational;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** n/d normalised; `d` must not be 0. */
export function makeRational(n: number, d: number): Num {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d)) return n / d;
  const g = gcd(n, d) || 1;
  n /= g;
  d /= g;
  return d === 1 ? n : new Rational(n, d);
}

/** Whether `x` is inside the exact range: a safe integer or a {@link Rational}. */
export function isExact(x: Num): boolean {
  return typeof x !== 'number' || Number.isSafeInteger(x);
}

function exactParts(x: Num): [number, number] | undefined {
  if (typeof x !== 'number') return [x.n, x.d];
  return Number.isSafeInteger(x) ? [x, 1] : undefined;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function bigGcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** n/d from exact BigInt parts: exact when it fits the range, else the nearest double. */
function fromBig(n: bigint, d: bigint): Num {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = bigGcd(n, d) || 1n;
  n /= g;
  d /= g;
  if ((n < 0n ? -n : n) <= MAX_SAFE && d <= MAX_SAFE) return makeRational(Number(n), Number(d));
  const approx = Number(n) / Number(d);
  // Outside the range by construction: never hand back something that {@link isExact} accepts
  // (a ratio of two huge parts can round to a small whole double; nudge it off the integers).
  if (!Number.isSafeInteger(approx)) return approx;
  const nudged = approx + (approx < 0 ? -0.25 : 0.25);
  return Number.isSafeInteger(nudged) ? 2 ** 53 : nudged;
}

function parts(x: Num): [number, number] {
  if (typeof x === 'number') {
    if (Number.isInteger(x)) return [x, 1];
    return [x, 1]; // a degraded double: arithmetic continues in floating point
  }
  return [x.n, x.d];
}

function isExactInt(x: Num): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

/** a + b. */
export function add(a: Num, b: Num): Num {
  if (isExactInt(a) && isExactInt(b)) {
    const s = a + b;
    return s;
  }
  const pa = exactParts(a);
  const pb = exactParts(b);
  if (pa && pb) {
    const [an, ad] = pa;
    const [bn, bd] = pb;
    const l = an * bd;
    const r = bn * ad;
    const d = ad * bd;
    if (Number.isSafeInteger(l) && Number.isSafeInteger(r) && Number.isSafeInteger(l + r) && Number.isSafeInteger(d)) return makeRational(l + r, d);
    return fromBig(BigInt(an) * BigInt(bd) + BigInt(bn) * BigInt(ad), BigInt(ad) * BigInt(bd));
  }
  const [an, ad] = parts(a);
  const [bn, bd] = parts(b);
  return makeRational(an * bd + bn * ad, ad * bd);
}

/** a - b. */
export function sub(a: Num, b: Num): Num {
  return add(a, neg(b));
}

/** -a. */
export function neg(a: Num): Num {
  return typeof a === 'number' ? -a + 0 : new Rational(-a.n, a.d);
}

/** a * b. */
export function mul(a: Num, b: Num): Num {
  if (isExactInt(a) && isExactInt(b)) return a * b;
  const pa = exactParts(a);
  const pb = exactParts(b);
  if (pa && pb) {
    const n = pa[0] * pb[0];
    const d = pa[1] * pb[1];
    if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return makeRational(n, d);
    return fromBig(BigInt(pa[0]) * BigInt(pb[0]), BigInt(pa[1]) * BigInt(pb[1]));
  }
  const [an, ad] = parts(a);
  const [bn, bd] = parts(b);
  return makeRational(an * bn, ad * bd);
}

/** a / b, or undefined when b is zero (the caller reports it; never Infinity or NaN). */
export function div(a: Num, b: Num): Num | undefined {
  if (isZero(b)) return undefined;
  const pa = exactParts(a);
  const pb = exactParts(b);
  if (pa && pb) {
    const n = pa[0] * pb[1];
    const d = pa[1] * pb[0];
    if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return makeRational(n, d);
    return fromBig(BigInt(pa[0]) * BigInt(pb[1]), BigInt(pa[1]) * BigInt(pb[0]));
  }
  const [an, ad] = parts(a);
  const [bn, bd] = parts(b);
  return makeRational(an * bd, ad * bn);
}

/** Whether x is zero. */
export function isZero(x: Num): boolean {
  return typeof x === 'number' ? x === 0 : false;
}

/** -1, 0 or 1 as a <, =, > b; exact while cross products stay below 2^53. */
export function compare(a: Num, b: Num): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const [an, ad] = parts(a);
  const [bn, bd] = parts(b);
  const l = an * bd;
  const r = bn * ad;
  if (Number.isSafeInteger(l) && Number.isSafeInteger(r)) return l < r ? -1 : l > r ? 1 : 0;
  if (isExact(a) && isExact(b)) {
    const bl = BigInt(an) * BigInt(bd);
    const br = BigInt(bn) * BigInt(ad);
    return bl < br ? -1 : bl > br ? 1 : 0;
  }
  const x = an / ad;
  const y = bn / bd;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Smallest integer >= x. */
export function ceil(x: Num): number {
  if (typeof x === 'number') return Math.ceil(x);
  return Math.ceil(x.n / x.d) === x.n / x.d ? x.n / x.d : Math.floor(x.n / x.d) + 1;
}

/** Largest integer <= x. */
export function floor(x: Num): number {
  if (typeof x === 'number') return Math.floor(x);
  return Math.floor(x.n / x.d);
}

/** Rounds half away from zero, as officers round by hand. */
export function round(x: Num): number {
  if (typeof x === 'number') return Math.sign(x) * Math.round(Math.abs(x));
  const twice = makeRational(2 * Math.abs(x.n) + x.d, 2 * x.d);
  return Math.sign(x.n) * floor(twice);
}

/** Rounds half to even (banker's rounding): 2.5 -> 2, 3.5 -> 4. */
export function roundHalfEven(x: Num): number {
  const f = floor(x);
  const c = compare(sub(x, f), makeRational(1, 2));
  if (c < 0) return f;
  if (c > 0) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Exact decimal text of `x` with at least `minDecimals` decimals (`300` with 2: `300.00`).
 * A fraction whose decimal does not terminate (1/3) is rounded half up at
 * `Math.max(minDecimals, 10)` decimals: the one place a value is not shown exactly.
 */
export function toDecimalString(x: Num, minDecimals = 0): string {
  let n: bigint;
  let d: bigint;
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x)) {
      const q = parseDecimal(String(x));
      if (q === undefined || (typeof q === 'number' && !Number.isSafeInteger(q))) return String(x);
      return toDecimalString(q, minDecimals);
    }
    n = BigInt(x);
    d = 1n;
  } else {
    n = BigInt(x.n);
    d = BigInt(x.d);
  }
  const negative = n < 0n;
  if (negative) n = -n;
  let rest = d;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) { rest /= 2n; twos++; }
  while (rest % 5n === 0n) { rest /= 5n; fives++; }
  let decimals = rest === 1n ? Math.max(twos, fives, minDecimals) : Math.max(minDecimals, 10);
  const scale = 10n ** BigInt(decimals);
  let scaled = (n * scale) / d;
  if (rest !== 1n && ((n * scale) % d) * 2n >= d) scaled += 1n;
  let digits = scaled.toString().padStart(decimals + 1, '0');
  // Trailing zeros beyond the requested decimals say nothing: 0.50 with minDecimals 0 is 0.5.
  while (decimals > minDecimals && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    decimals--;
  }
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/**
 * Parses decimal text exactly: `12`, `-3.25`, `0.7`, `1e3`. Returns undefined for text that is
 * not a finite decimal.
 */
export function parseDecimal(text: string): Num | undefined {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const digits = m[2] + (m[3] ?? '');
  let exponent = -(m[3]?.length ?? 0) + Number(m[4] ?? 0);
  let n = Number(digits.replace(/^0+(?=\d)/, ''));
  if (!Number.isFinite(n) || Math.abs(exponent) > 30) {
    const approx = sign * Number(text);
    return Number.isFinite(approx) ? approx : undefined;
  }
  let d = 1;
  while (exponent > 0) {
    n *= 10;
    exponent--;
  }
  while (exponent < 0) {
    d *= 10;
    exponent++;
  }
  return makeRational(sign * n, d);
}

/** Converts a JS number from a facts file (JSON/YAML) to an exact Num via its shortest decimal text. */
export function fromJsNumber(x: number): Num | undefined {
  if (!Number.isFinite(x)) return undefined;
  if (Number.isSafeInteger(x)) return x + 0; // folds -0 into 0
  if (Number.isInteger(x)) return x;
  return parseDecimal(String(x));
}

/** The nearest double. */
export function toDouble(x: Num): number {
  return typeof x === 'number' ? x : x.n / x.d;
}

/** Shortest decimal text; non-terminating fractions print with up to `digits` decimals. */
export function formatNum(x: Num, digits = 2): string {
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(digits)));
  let d = x.d;
  while (d % 2 === 0) d /= 2;
  while (d % 5 === 0) d /= 5;
  const v = x.n / x.d;
  if (d === 1) return String(v);
  return String(Number(v.toFixed(digits)));
}

/** Formats x as a percentage: 7/10 -> `70%`, 2/3 -> `66.67%`. */
export function formatPercent(x: Num): string {
  return `${formatNum(mul(x, 100))}%`;
}

/** Whether a value is a Num. */
export function isNum(v: unknown): v is Num {
  return typeof v === 'number' || v instanceof Rational;
}

/** Digits of an exact decimal with thousands separators, for people: `1234567.5` → `1,234,567.5`. */
export function groupDigits(decimal: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!m) return decimal;
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}
