/**
 * Fenced code blocks of a Markdown page, with the info-string convention the doc test runs
 * (see docs/README.md, "Docs that run"): the first word is the language, the rest are flags
 * (`fragment`, `output`) and `key=value` attributes (`file=`, `excerpt=`, `expect=`, `exit=`).
 */

/** One fenced block. */
export interface Block {
  /** The Markdown file, relative to the repository root. */
  readonly page: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The language word of the info string (`sh`, `console`, `clause`, …); '' when absent. */
  readonly lang: string;
  /** Bare words after the language (`fragment`, `output`). */
  readonly flags: ReadonlySet<string>;
  /** `key=value` words after the language. */
  readonly attrs: ReadonlyMap<string, string>;
  /** The block's text, indentation of the fence removed, ending in a newline unless empty. */
  readonly text: string;
}

/**
 * Extracts the fenced blocks of a page. A fence may be indented (inside a list item): its
 * indentation is removed from the block's lines, as a Markdown renderer does.
 */
export function extractBlocks(page: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^(\s*)(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[2][0] === fence[0] && close[2].length >= fence.length) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    const words = info.trim().split(/\s+/).filter(Boolean);
    const flags = new Set<string>();
    const attrs = new Map<string, string>();
    for (const w of words.slice(1)) {
      const eq = w.indexOf('=');
      if (eq > 0) attrs.set(w.slice(0, eq), w.slice(eq + 1));
      else flags.add(w);
    }
    blocks.push({ page, line: i + 1, lang: words[0] ?? '', flags, attrs, text: body.length ? `${body.join('\n')}\n` : '' });
    i = j;
  }
  return blocks;
}
