/**
 * `clausal test <policy-dir> [--coverage [--inherited]] [--format text|json] [--lang zh|en]`: runs the
 * policy's own test files. Exit 0 when every check passes; 1 on any failure, on a bad policy
 * or a bad test file (a file with errors is not run, and its errors are printed as
 * diagnostics); 2 on usage errors.
 */
import { error, hasErrors } from '../model/diagnostics.js';
import { computeCoverage } from '../policy-test/coverage.js';
import { IfBranchTracker } from '../policy-test/if-coverage.js';
import { loadPolicyTests } from '../policy-test/load-tests.js';
import { testRunToJson, testRunToText } from '../policy-test/render.js';
import { runPolicyTests } from '../policy-test/runner.js';
import { choice, EXIT, loadPolicyOrReport, registerCommand, usage } from './main.js';

registerCommand('test', {
  options: { coverage: 'flag', inherited: 'flag', format: 'value', lang: 'value' },
  usage: 'clausal test <policy-dir> [--coverage [--inherited]] [--format text|json] [--lang zh|en]',
  run(args, ctx) {
    if (args.positionals.length !== 1) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), this.usage);
    const format = choice(ctx, args, 'format', ['text', 'json'], 'text');
    if (!format) return EXIT.usage;
    const dir = args.positionals[0];
    const loaded = loadPolicyOrReport(ctx, dir);
    if (!loaded?.policy) return EXIT.diagnostics;
    const policy = loaded.policy;
    const tests = loadPolicyTests(policy, dir);
    if (tests.diagnostics.length) ctx.report(tests.diagnostics, tests.texts);
    const ifBranches = args.flags.has('coverage') ? new IfBranchTracker(policy) : undefined;
    const run = runPolicyTests(policy, tests.suites, { lang: ctx.lang, ifBranches });
    const coverage = args.flags.has('coverage') ? computeCoverage(policy, run.observations, ifBranches?.sites, { inherited: args.flags.has('inherited') }) : undefined;
    const ran = new Set(run.files);
    const options = { lang: ctx.lang, coverage, notRun: tests.files.filter((f) => !ran.has(f)), texts: loaded.texts };
    ctx.io.stdout.write(format === 'json' ? testRunToJson(run, options) : testRunToText(run, options));
    return run.failures.length > 0 || hasErrors(tests.diagnostics) ? EXIT.diagnostics : EXIT.ok;
  },
});
