/** In-memory policies and a captured CLI for tests. */
import '../../src/cli/commands.js';
import { compileSources, type LoadedPolicy } from '../../src/policy-sources.js';
import { main } from '../../src/cli/main.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import type { Policy } from '../../src/model/types.js';
import type { Facts } from '../../src/facts/facts.js';

/** Compiles policy files held in memory; `source.txt` (if given) is the source document. */
export function compileMemory(files: Record<string, string>, source?: string, bases: Record<string, Record<string, string>> = {}): LoadedPolicy {
  const list = Object.entries(files).map(([path, text]) => ({ path, text }));
  return compileSources(list, {
    readSource: (relative) => ({ path: relative, text: relative === 'source.txt' ? source : undefined }),
    loadBase: (relative) => (bases[relative] ? compileMemory(bases[relative], source) : { diagnostics: [] }),
  });
}

/** Compiles or fails the test with the rendered diagnostics. */
export function policyOf(files: Record<string, string>, source?: string): Policy {
  const loaded = compileMemory(files, source);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.policy || errors.length) throw new Error(`policy has errors: ${JSON.stringify(errors.map((e) => [e.code, e.args]))}`);
  return loaded.policy;
}

/** Loads YAML facts text or fails. */
export function factsOf(policy: Policy, yaml: string): Facts {
  const r = loadFactsText(policy, 'facts.yaml', yaml, 'yaml');
  if (!r.facts) throw new Error(`facts have errors: ${JSON.stringify(r.diagnostics.map((e) => [e.code, e.args]))}`);
  return r.facts;
}

/** Result of running the CLI in-process. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `clausal` in-process with captured output and a fixed today. */
export async function runCli(argv: string[], today = '2022-06-01', env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (c: string) => { stdout += c; return true; } },
    stderr: { write: (c: string) => { stderr += c; return true; } },
    cwd: process.cwd(),
    env,
    today,
  });
  return { code, stdout, stderr };
}

/** A minimal policy prelude with one kind, for expression-level tests. */
export const PRELUDE = `policy t version "1"
enum cat { a "甲" b "乙" c "丙" }
kind unit from units "单位" {
  name: string "名称"
  category: cat "类别"
  posts: record "岗位"
  posts.total: integer "岗位总数"
  posts.professional: integer "专业技术岗位数"
  posts.social_work: integer "社会工作岗位数"
  flag: boolean "标志"
  opened: date "开设日期"
  ratio: number "比率"
}
`;
