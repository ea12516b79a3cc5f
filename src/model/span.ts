/**
 * Source positions. Every AST node and diagnostic carries a span: the file it comes from
 * and start/end offsets (end exclusive), so a renderer can underline exactly what is meant.
 */

/** A range of characters in one source file. */
export interface Span {
  /** The file's path as the user gave it (or a pseudo-name such as `<facts>`). */
  readonly file: string;
  /** Offset of the first character (UTF-16 code units). */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** A 1-based line and column. */
export interface LineCol {
  readonly line: number;
  readonly column: number;
}

/** Builds a span. */
export function span(file: string, start: number, end: number): Span {
  return { file, start, end: Math.max(start, end) };
}

/** The smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/**
 * Maps offsets to line/column for one text. Built once per file; lookups are binary searches,
 * so rendering thousands of diagnostics stays cheap.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  /** Indexes `text`. */
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  /** The 1-based line and column of an offset (clamped into the text). */
  position(offset: number): LineCol {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.lineStarts[lo] + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  /** The offset of a 1-based line and column. */
  offset(line: number, column: number): number {
    const start = this.lineStarts[Math.max(0, line - 1)] ?? this.text.length;
    return start + Math.max(0, column - 1);
  }
}
