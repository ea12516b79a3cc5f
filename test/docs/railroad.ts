/**
 * Railroad diagrams of the parser rules as standalone SVG files (docs/language/diagrams/*.svg),
 * so the language reference shows them where Markdown is read (grammar/diagrams.html needs a
 * browser with scripts). Drawn from grammar/serialized-grammar.json with the same vendored
 * scripts as grammar/diagrams.html: Chevrotain's diagram builder over Tab Atkins' railroad
 * library, whose FakeSVG renders to a string without a DOM. The scripts are browser globals,
 * not modules, so they run in a `vm` context of their own; they are vendored files of this
 * repository, not user input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { REPO } from './runner.js';

/** Where the SVG files go. */
export const DIAGRAMS_DIR = 'docs/language/diagrams';

/** The style every SVG carries (the colours and fonts of grammar/diagrams/diagrams.css). */
const STYLE = [
  'svg.railroad-diagram { background-color: hsl(30, 20%, 95%); }',
  'svg.railroad-diagram path { stroke-width: 3; stroke: black; fill: rgba(0, 0, 0, 0); }',
  'svg.railroad-diagram text { font: bold 14px monospace; text-anchor: middle; }',
  'svg.railroad-diagram text.comment { font: italic 12px monospace; }',
  'svg.railroad-diagram rect { stroke-width: 3; stroke: black; fill: hsl(190, 100%, 83%); }',
  'svg.railroad-diagram g.non-terminal rect { fill: hsl(223, 100%, 83%); }',
].join(' ');

interface SerializedRule {
  readonly name: string;
}

interface DiagramsBuilder {
  buildSyntaxDiagramsText(rules: readonly SerializedRule[]): string;
}

/** Every parser rule's diagram, by rule name, as a standalone SVG document. */
export function railroadSvgs(): Map<string, string> {
  const grammar = JSON.parse(readFileSync(join(REPO, 'grammar/serialized-grammar.json'), 'utf8')) as SerializedRule[];
  const context: { railroad: object; diagrams_builder?: DiagramsBuilder } = { railroad: {} };
  vm.createContext(context);
  for (const script of ['grammar/diagrams/vendor/railroad-diagrams.js', 'grammar/diagrams/src/diagrams_builder.js']) {
    vm.runInContext(readFileSync(join(REPO, script), 'utf8'), context, { filename: script });
  }
  const builder = context.diagrams_builder!;
  const out = new Map<string, string>();
  for (const rule of grammar) {
    const html = builder.buildSyntaxDiagramsText([rule]);
    const svg = /<svg[\s\S]*<\/svg>/.exec(html)?.[0];
    if (!svg) throw new Error(`no diagram for ${rule.name}`);
    const doc = svg
      // Attributes the interactive page uses to link rules; meaningless in a picture.
      .replace(/ (occurrenceIdx|topRuleName|dslRuleName|tokenName|ruleName|label)="[^"]*"/g, '')
      .replace('<svg class="railroad-diagram"', '<svg xmlns="http://www.w3.org/2000/svg" class="railroad-diagram"')
      .replace(/(<svg[^>]*>)/, `$1\n<style>${STYLE}</style>`);
    out.set(rule.name, `${doc}\n`);
  }
  return out;
}
