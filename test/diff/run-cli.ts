/** The diff tests run the CLI with today fixed on 2025-06-01 (the draft's dates fall around it). */
import { runCli as run, type CliRun } from '../helpers/policy.js';

export type { CliRun };

/** Runs the CLI with `argv`; today is fixed so `--as-of` defaults are reproducible. */
export function runCli(argv: readonly string[], today = '2025-06-01'): Promise<CliRun> {
  return run([...argv], today);
}
