/**
 * Finds and reads a policy directory's test files (Node only): `tests.yaml` / `tests.yml` and
 * `*.tests.yaml` / `*.tests.yml`, the names the policy loader skips, in name order. Facts
 * files a case names are read relative to the test file.
 */
import { fileKindArgs, fsWords } from '../model/fs-problem.js';
import { readdirSync } from 'node:fs';
import { readRegularFile } from '../loader/read-regular.js';
import { dirname, join } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import { parsePolicyTests, type TestSuite } from './parse-tests.js';

/** Whether a file name is a policy test file. */
export function isTestFileName(name: string): boolean {
  return /^(?:.+\.)?tests\.ya?ml$/.test(name);
}

/** Every test file of a policy and what went wrong reading them. */
export interface LoadedTests {
  /** The suites of the files without errors. */
  readonly suites: readonly TestSuite[];
  readonly diagnostics: readonly Diagnostic[];
  /** Texts diagnostics point into. */
  readonly texts: ReadonlyMap<string, string>;
  /** Paths of the test files found. */
  readonly files: readonly string[];
}

const MAX_FILE = 4 * 1024 * 1024;

function readText(path: string, max: number): { text?: string; problem?: string; problemZh?: string; size?: number } {
  // Descriptor-based and bounded, like every loader: a device or a pipe is refused, not read.
  const read = readRegularFile(path, max);
  if (read.ok) return { text: read.bytes.toString('utf8') };
  if (read.problem === 'too-large') return { problem: `larger than ${max} bytes`, problemZh: `超过 ${max} 字节`, size: read.size };
  if (read.problem === 'not-regular') {
    const kind = fileKindArgs(read.what);
    return { problem: `not a regular file (${read.what})`, problemZh: `不是普通文件（${kind['what.zh'] ?? read.what}）` };
  }
  const words = fsWords(read.detail);
  return { problem: words.en, problemZh: words.zh };
}

/** Options of {@link loadPolicyTests}. */
export interface LoadTestsOptions {
  /** Texts to use instead of the files on disk, by path (`dir` joined with the file name): the workbench's unsaved buffers. */
  readonly texts?: ReadonlyMap<string, string>;
  /**
   * Whether a facts file a case names may be read (its path as joined to the test file's
   * folder). The workbench reads nothing outside the folder it serves; refused files are
   * reported as unreadable and left to the caller to name.
   */
  readonly mayRead?: (path: string) => boolean;
}

/** Loads and parses the test files of the policy in `dir` (T0001 when there are none). */
export function loadPolicyTests(policy: Policy, dir: string, options: LoadTestsOptions = {}): LoadedTests {
  let names: string[];
  try {
    names = readdirSync(dir).filter(isTestFileName).sort();
  } catch {
    return { suites: [], diagnostics: [error('X0006', undefined, { path: dir })], texts: new Map(), files: [] };
  }
  if (names.length === 0) return { suites: [], diagnostics: [error('T0001', undefined, { path: dir })], texts: new Map(), files: [] };
  const suites: TestSuite[] = [];
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, string>();
  const files = names.map((n) => join(dir, n));
  for (const file of files) {
    const given = options.texts?.get(file);
    const read = given !== undefined ? { text: given, size: undefined, problem: undefined, problemZh: undefined } : readText(file, MAX_FILE);
    if (read.size !== undefined) {
      diagnostics.push(error('S0009', { file, start: 0, end: 0 }, { limit: MAX_FILE, size: read.size }));
      continue;
    }
    if (read.text === undefined) {
      diagnostics.push(error('T0014', undefined, { path: file, detail: read.problem ?? '?', 'detail.zh': read.problemZh ?? read.problem ?? '?' }));
      continue;
    }
    const parsed = parsePolicyTests(policy, file, read.text, {
      readFacts: (relative) => {
        const path = join(dirname(file), relative);
        if (options.mayRead && !options.mayRead(path)) return { path, problem: 'outside the served folder', problemZh: '在所服务的目录之外' };
        const r = readText(path, MAX_FILE * 64);
        return { path, text: r.text, problem: r.problem, problemZh: r.problemZh };
      },
    });
    for (const [p, t] of parsed.texts) texts.set(p, t);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.suite) suites.push(parsed.suite);
  }
  return { suites, diagnostics, texts, files };
}
