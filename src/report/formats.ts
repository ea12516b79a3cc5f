/**
 * Registers the report formats of `clausal eval --format markdown|html|csv|xlsx`. The renderers
 * themselves are pure and browser-safe; this module is the only report file that knows the
 * CLI, so importing it (from src/cli/commands.ts) is what makes the formats available there.
 */
import { registerFormat } from '../cli/main.js';
import { reportToCsvChunks } from './csv.js';
import { reportToHtmlChunks } from './html.js';
import { reportToMarkdown } from './markdown.js';
import { reportToXlsx } from './xlsx.js';

registerFormat('markdown', (input) => [reportToMarkdown(input)]);
registerFormat('html', (input) => reportToHtmlChunks(input));
registerFormat('csv', (input) => reportToCsvChunks(input));
// Bytes, written with --out only (a workbook on a terminal helps no one).
registerFormat('xlsx', (input) => reportToXlsx(input));
