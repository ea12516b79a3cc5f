/** Runs `clausal` in-process with captured output and a fixed today, for the diff tests. */
import '../../src/cli/commands.js';
import { main } from '../../src/cli/main.js';

/** What a run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `argv`; today is fixed so `--as-of` defaults are reproducible. */
export async function runCli(argv: readonly string[], today = '2025-06-01'): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (c: string) => { stdout += c; return true; } },
    stderr: { write: (c: string) => { stderr += c; return true; } },
    cwd: process.cwd(),
    env: {},
    today,
  });
  return { code, stdout, stderr };
}
