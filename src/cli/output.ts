/**
 * The {@link Output} of an eval run: stdout, or `--out` written atomically through
 * `write-atomic.ts` (a temporary file beside the target, fsync, rename on commit; removed on
 * discard, so a failed run leaves the old file as it was). A refused target or a file-system
 * failure is an {@link OutputError} (X0005, X0110-X0113).
 */
import type { Output } from '../pipeline/engine.js';
import { atomicFile } from './write-atomic.js';
import type { OutRules } from './out-target.js';
import type { CliIo } from './main.js';

/** Output to the process's stdout (bytes as they are; an injected stdout, in tests, gets text). */
export function stdoutOutput(io: CliIo): Output {
  const raw = io.stdout === process.stdout;
  const decoder = new TextDecoder();
  return {
    write: (chunk) => void io.stdout.write(typeof chunk === 'string' || raw ? chunk : decoder.decode(chunk)),
    commit: () => {},
    discard: () => {},
  };
}

/**
 * Output to `path`, visible only once committed; the target is checked at once (throws
 * {@link OutputError} when refused) and again at commit.
 */
export function fileOutput(path: string, rules: OutRules = {}): Output {
  return atomicFile(path, rules);
}
