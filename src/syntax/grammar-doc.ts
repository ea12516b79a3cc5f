/**
 * Generated grammar documentation: the railroad-diagram page and the serialized grammar
 * (Chevrotain's GAST) under `grammar/`. Both are derived from the parser itself, so they
 * cannot drift from it; `npm run grammar` writes them and `test/grammar/grammar.test.ts`
 * fails when the committed copies are stale. Pure (no file system), so the test can
 * regenerate in memory and compare.
 */
import { createSyntaxDiagramsCode } from 'chevrotain';
import { clauseParser } from './parser.js';

/**
 * Where `grammar/diagrams.html` loads its scripts and stylesheet from, relative to the page.
 * Chevrotain defaults to a CDN (unpkg); a committed local copy keeps the page working offline
 * and from a plain clone.
 */
export const DIAGRAMS_RESOURCE_BASE = './diagrams/';

/** One file copied from the installed Chevrotain package into `grammar/diagrams/`. */
export interface DiagramAsset {
  /** Path inside the `chevrotain` package. */
  readonly from: string;
  /** Path inside `grammar/diagrams/`, as the page refers to it. */
  readonly to: string;
}

/**
 * The files the diagram page loads, plus Chevrotain's licence: the scripts are Chevrotain's
 * (Apache-2.0, whose terms ask for the licence to travel with copies) except the railroad
 * renderer, which is CC0. `diagrams/src/diagrams_serializer.js` is Node-only and not needed.
 */
export const DIAGRAM_ASSETS: readonly DiagramAsset[] = [
  { from: 'diagrams/vendor/railroad-diagrams.js', to: 'vendor/railroad-diagrams.js' },
  { from: 'diagrams/src/diagrams_builder.js', to: 'src/diagrams_builder.js' },
  { from: 'diagrams/src/diagrams_behavior.js', to: 'src/diagrams_behavior.js' },
  { from: 'diagrams/src/main.js', to: 'src/main.js' },
  { from: 'diagrams/diagrams.css', to: 'diagrams.css' },
  { from: 'LICENSE.txt', to: 'LICENSE.txt' },
];

/** The generated grammar documents, as the text of the files under `grammar/`. */
export interface GrammarArtifacts {
  /** `grammar/diagrams.html`: railroad diagrams of every parser rule. */
  readonly html: string;
  /** `grammar/serialized-grammar.json`: the parser's serialized GAST, one space per level. */
  readonly serialized: string;
}

/** Builds the grammar documents from the live parser. Deterministic: same parser, same text. */
export function grammarArtifacts(): GrammarArtifacts {
  const gast = clauseParser.getSerializedGastProductions();
  const generated = createSyntaxDiagramsCode(gast, {
    resourceBase: DIAGRAMS_RESOURCE_BASE,
    css: `${DIAGRAMS_RESOURCE_BASE}diagrams.css`,
  });
  // Chevrotain's page has no title; a browser tab reading "diagrams.html" helps nobody.
  // If a later Chevrotain changes this line the replace is a no-op and the page still works.
  const html = generated.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<title>Clausal .clause grammar — railroad diagrams</title>');
  return { html, serialized: `${JSON.stringify(gast, null, 1)}\n` };
}
