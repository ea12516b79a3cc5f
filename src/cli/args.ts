/**
 * A small argv parser: positionals, `--name value`, `--name=value` and boolean flags. Each
 * command declares its options, so an unknown or incomplete option is a usage error (exit 2)
 * with a clear message rather than silently ignored.
 */
import { error, didYouMean, type Diagnostic } from '../model/diagnostics.js';

/** Declared options of one command: `value` options take an argument, `flag` options don't. */
export interface OptionSpec {
  readonly [name: string]: 'value' | 'flag' | 'multi';
}

/** Parsed arguments. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Map<string, string>;
  readonly multi: Map<string, string[]>;
  readonly flags: Set<string>;
}

/** Parses `argv` against `spec`; returns a usage diagnostic on the first problem. */
export function parseArgs(argv: readonly string[], spec: OptionSpec): { args?: ParsedArgs; problem?: Diagnostic } {
  const args: ParsedArgs = { positionals: [], values: new Map(), multi: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      args.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const kind = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (!kind) {
      return { problem: error('X0002', undefined, { name: `--${name}` }, didYouMean(name, Object.keys(spec))) };
    }
    if (kind === 'flag') {
      if (eq >= 0) return { problem: error('X0004', undefined, { option: `--${name}`, value: arg.slice(eq + 1), expected: 'no value' }) };
      args.flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined) return { problem: error('X0007', undefined, { name: `--${name}` }) };
    if (kind === 'multi') args.multi.set(name, [...(args.multi.get(name) ?? []), value]);
    else args.values.set(name, value);
  }
  return { args };
}
