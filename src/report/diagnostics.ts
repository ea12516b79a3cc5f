/**
 * Diagnostics as text: `path:line:col: error CODE: message`, then (in full mode) the source
 * line with a caret underline and a help line, the way compilers show them.
 */
import { messageOf, type Diagnostic, type Lang } from '../model/diagnostics.js';
import { LineIndex } from '../model/span.js';

/** Texts of the files diagnostics may point into, by path. */
export type SourceTexts = ReadonlyMap<string, string>;

/** Display width of a string in a terminal: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000 ? 2 : 1;
  }
  return w;
}

/** Renders diagnostics; `frames` adds the source line and underline under each. */
export class DiagnosticRenderer {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(private readonly texts: SourceTexts, private readonly lang: Lang, private readonly frames = true) {}

  private index(file: string): LineIndex | undefined {
    let idx = this.indexes.get(file);
    if (!idx) {
      const text = this.texts.get(file);
      if (text === undefined) return undefined;
      idx = new LineIndex(text);
      this.indexes.set(file, idx);
    }
    return idx;
  }

  /** The one-line header: `file:line:col: error CODE: message`. */
  headline(d: Diagnostic): string {
    const severity = d.severity;
    const message = messageOf(d, this.lang);
    if (!d.span) return `clausal: ${severity} ${d.code}: ${message}`;
    const idx = this.index(d.span.file);
    const pos = idx ? idx.position(d.span.start) : { line: 1, column: 1 };
    return `${d.span.file}:${pos.line}:${pos.column}: ${severity} ${d.code}: ${message}`;
  }

  /** Headline, code frame and help. */
  render(d: Diagnostic): string {
    const lines = [this.headline(d)];
    const idx = d.span ? this.index(d.span.file) : undefined;
    if (this.frames && d.span && idx) {
      const start = idx.position(d.span.start);
      const end = idx.position(Math.max(d.span.start, d.span.end - 1));
      const text = idx.lineText(start.line);
      if (text.length <= 400) {
        const gutter = String(start.line);
        const before = text.slice(0, start.column - 1);
        const underlined = end.line === start.line ? text.slice(start.column - 1, Math.max(start.column, end.column)) : text.slice(start.column - 1);
        lines.push(`${gutter} | ${text}`);
        lines.push(`${' '.repeat(gutter.length)} | ${' '.repeat(displayWidth(before))}${'^'.repeat(Math.max(1, displayWidth(underlined)))}`);
      }
    }
    if (d.help) lines.push(`  = ${this.lang === 'zh' ? '提示' : 'help'}: ${d.help[this.lang]}`);
    return lines.join('\n');
  }

  /** All diagnostics, each followed by a blank line in frame mode. */
  renderAll(ds: readonly Diagnostic[]): string {
    return ds.map((d) => this.render(d)).join(this.frames ? '\n\n' : '\n') + (ds.length ? '\n' : '');
  }
}
