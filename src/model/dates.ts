/**
 * Calendar dates as `YYYY-MM-DD` strings. Dates are compared as strings (the format sorts
 * chronologically) and shifted with proleptic-Gregorian day arithmetic, never through `Date`,
 * so no time zone or daylight-saving rule can move a deadline.
 */

/** Whether text is an existing calendar date in `YYYY-MM-DD` form. */
export function isValidDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in a month (1-12). */
export function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function split(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function join(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
export function toDayNumber(date: string): number {
  let [y, m, d] = split(date);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day number (inverse of {@link toDayNumber}). */
export function fromDayNumber(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return join(era * 400 + yoe + (m <= 2 ? 1 : 0), m, d);
}

/**
 * Shifts a date by whole years, months or days. Month arithmetic clamps to the month's end
 * (2024-01-31 + 1m = 2024-02-29), the reading officers give "one month later".
 */
export function addDuration(date: string, amount: number, unit: 'y' | 'm' | 'd'): string {
  if (unit === 'd') return fromDayNumber(toDayNumber(date) + amount);
  const [y, m, d] = split(date);
  const months = y * 12 + (m - 1) + (unit === 'y' ? amount * 12 : amount);
  const ny = Math.floor(months / 12);
  const nm = months - ny * 12 + 1;
  return join(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Whole years from `from` to `to` (birthday-style: counts only completed years). */
export function wholeYearsBetween(from: string, to: string): number {
  const [y1, m1, d1] = split(from);
  const [y2, m2, d2] = split(to);
  let years = y2 - y1;
  if (m2 < m1 || (m2 === m1 && d2 < d1)) years--;
  return years;
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}
