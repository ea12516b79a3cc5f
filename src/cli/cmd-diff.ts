/**
 * `clausal diff <old-dir> <new-dir> [--facts F [--as-of D]] [--format text|json|markdown]`:
 * the semantic diff of two policy versions and, with facts, the subjects whose status changes.
 * Exit codes: 0 diffed, 1 a policy has errors, 2 usage, 4 bad facts.
 */
import { readFactsFile } from '../loader/load-facts.js';
import { extname } from 'node:path';
import { error, hasErrors, type Diagnostic } from '../model/diagnostics.js';
import { factsFormatOf, loadFactsText } from '../facts/parse-facts.js';
import type { Facts } from '../facts/facts.js';
import type { Policy } from '../model/types.js';
import { diffPolicies } from '../diff/semantic.js';
import { computeImpact, type Impact } from '../diff/impact.js';
import { diffToJson, diffToMarkdown, diffToText } from '../diff/render.js';
import { asOfOf, choice, emit, EXIT, loadPolicyOrReport, registerCommand, usage, type Ctx } from './main.js';

const FORMATS = ['text', 'json', 'markdown'];

/**
 * Reads the facts file once and validates it against each policy's schema. Warnings both
 * loads raise alike (an undeclared field in both schemas) are reported once.
 */
function loadFactsForBoth(ctx: Ctx, path: string, oldPolicy: Policy, newPolicy: Policy): { old: Facts; new: Facts } | undefined {
  const format = factsFormatOf(path);
  if (!format) {
    ctx.report([error('F0015', undefined, { ext: extname(path) || path })]);
    return undefined;
  }
  const read = readFactsFile(path);
  if (read.text === undefined) {
    ctx.report(read.diagnostics);
    return undefined;
  }
  const text = read.text;
  const a = loadFactsText(oldPolicy, path, text, format);
  const b = loadFactsText(newPolicy, path, text, format);
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const d of [...a.diagnostics, ...b.diagnostics]) {
    const key = JSON.stringify([d.code, d.severity, d.span, d.factsPath, d.args]);
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(d);
  }
  if (diagnostics.length) ctx.report(diagnostics, new Map([[path, text]]));
  if (!a.facts || !b.facts || hasErrors(diagnostics)) return undefined;
  return { old: a.facts, new: b.facts };
}

registerCommand('diff', {
  options: { facts: 'value', 'as-of': 'value', format: 'value', lang: 'value', out: 'value' },
  usage: 'clausal diff <old-dir> <new-dir> [--facts <file> [--as-of YYYY-MM-DD]] [--format text|json|markdown] [--lang zh|en] [--out FILE]',
  run(args, ctx) {
    if (args.positionals.length !== 2) return usage(ctx, error('X0003', undefined, { what: ' <old-dir> <new-dir>' }), this.usage);
    const factsPath = args.values.get('facts');
    // An as-of date only matters for the impact, which needs facts: say so rather than ignore it.
    if (args.values.has('as-of') && !factsPath) return usage(ctx, error('X0003', undefined, { what: ' --facts <file>' }), this.usage);
    const format = choice(ctx, args, 'format', FORMATS, 'text');
    const asOf = factsPath ? asOfOf(ctx, args) : undefined;
    if (!format || (factsPath && !asOf)) return EXIT.usage;

    // Load both before giving up, so one run shows the errors of both versions.
    const oldLoaded = loadPolicyOrReport(ctx, args.positionals[0]);
    const newLoaded = loadPolicyOrReport(ctx, args.positionals[1]);
    if (!oldLoaded?.policy || !newLoaded?.policy) return EXIT.diagnostics;
    const oldPolicy = oldLoaded.policy;
    const newPolicy = newLoaded.policy;

    const diff = diffPolicies(oldPolicy, newPolicy);
    let impact: Impact | undefined;
    if (factsPath && asOf) {
      const facts = loadFactsForBoth(ctx, factsPath, oldPolicy, newPolicy);
      if (!facts) return EXIT.badFacts;
      impact = computeImpact({ diff, oldPolicy, newPolicy, oldFacts: facts.old, newFacts: facts.new, asOf });
    }
    const input = { diff, impact, factsPath, lang: ctx.lang };
    const text = format === 'json' ? diffToJson(input) : format === 'markdown' ? diffToMarkdown(input) : diffToText(input);
    return emit(ctx, args.values.get('out'), [text]) ? EXIT.ok : EXIT.diagnostics;
  },
});
