/**
 * `POST /api/test` of the workbench: runs a policy version's own tests exactly as
 * `clausal test` does (the same loader, test files and runner), on the rule files as the
 * browser holds them, so an officer sees the effect of an edit before saving it. Only rule
 * files of policy directories under the root, and the test files of the version run, may be
 * replaced by the request's texts; the facts files tests name are read from disk and only
 * inside the served root (403 X0009 otherwise), and `source`/`extends` may not leave it. Every path in the answer is relative to the root, as the browser
 * names files.
 */
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { hasErrors, messageOf, type DescribedDiagnostic, type Diagnostic, type Lang } from '../model/diagnostics.js';
import { LineIndex } from '../model/span.js';
import { isRuleFileName } from '../policy-sources.js';
import { loadPolicy } from '../loader/load-policy.js';
import { isTestFileName, loadPolicyTests } from '../policy-test/load-tests.js';
import { runPolicyTests, type TestRun } from '../policy-test/runner.js';
import { testRunToJson, testRunToText } from '../policy-test/render.js';
import { EvaluationBudgetExceeded } from '../compile/budget.js';
import { isInside, isSafeRelativePath, resolveFileInside } from './paths.js';
import { isPolicyDir } from './workspace.js';

/** What the browser asks: a version directory (`.` for the root) and its unsaved buffers. */
export interface TestRequest {
  readonly dir: string;
  readonly lang: Lang;
  readonly edits: readonly { readonly path: string; readonly text: string }[];
}

export type { DescribedDiagnostic } from '../model/diagnostics.js';

/** Why a request is refused: the path the client named that is not a policy file or directory. */
export class RefusedPath extends Error {
  constructor(readonly path: string) {
    super(`not a policy path: ${path}`);
  }
}

/** Parses and checks the body of `POST /api/test`; undefined when it is malformed. */
export function parseTestRequest(text: string): TestRequest | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.dir !== 'string' || (o.lang !== 'zh' && o.lang !== 'en') || !Array.isArray(o.edits)) return undefined;
  const edits: { path: string; text: string }[] = [];
  for (const e of o.edits as unknown[]) {
    if (e === null || typeof e !== 'object') return undefined;
    const { path, text: t } = e as Record<string, unknown>;
    if (typeof path !== 'string' || typeof t !== 'string') return undefined;
    edits.push({ path, text: t });
  }
  return { dir: o.dir, lang: o.lang, edits };
}

function realDirInside(root: string, rel: string): string | undefined {
  if (rel === '.') return root;
  if (!isSafeRelativePath(rel)) return undefined;
  try {
    const real = realpathSync(join(root, ...rel.split('/')));
    return isInside(root, real) && statSync(real).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the tests of `request.dir` under `root` (a real path). Throws {@link RefusedPath} when
 * the directory or an edited file is not a policy directory or rule file under the root.
 */
export function runWorkbenchTests(root: string, request: TestRequest): Record<string, unknown> {
  const dir = realDirInside(root, request.dir);
  if (!dir || !isPolicyDir(dir)) throw new RefusedPath(request.dir);
  const rel = (p: string) => relative(root, p).split(sep).join('/') || '.';
  // The loader follows links; the workbench does not read outside its root (a rule-file name
  // linked to a file elsewhere is refused, as a save through it is).
  // Test files too: the workbench edits and saves them, and a linked one would read elsewhere.
  for (const name of readdirSync(dir).filter((n) => isRuleFileName(n) || isTestFileName(n))) {
    let real: string;
    try {
      real = realpathSync(join(dir, name));
    } catch {
      continue; // a dangling link: the loader reports it as unreadable
    }
    if (!isInside(root, real)) throw new RefusedPath(rel(join(dir, name)));
  }
  const texts = new Map<string, string>();
  const testTexts = new Map<string, string>();
  for (const e of request.edits) {
    // An unsaved test file: only one of the version's own, named as the browser names it.
    const name = basename(e.path);
    if (isTestFileName(name) && e.path === (request.dir === '.' ? name : `${request.dir}/${name}`)) {
      testTexts.set(join(dir, name), e.text);
      continue;
    }
    const file = resolveFileInside(root, e.path);
    if (!file || !isRuleFileName(basename(e.path)) || !isRuleFileName(basename(file.abs)) || !isPolicyDir(dirname(file.abs))) throw new RefusedPath(e.path);
    texts.set(file.abs, e.text);
  }
  const lang = request.lang;
  const loaded = loadPolicy(dir, { root, texts });
  const sourceTexts = new Map<string, string>([...(loaded.texts ?? [])]);
  const describe = (ds: readonly Diagnostic[], more?: ReadonlyMap<string, string>): DescribedDiagnostic[] => ds.map((d) => {
    const text = d.span ? (more?.get(d.span.file) ?? sourceTexts.get(d.span.file)) : undefined;
    const at = d.span && text !== undefined ? new LineIndex(text).position(d.span.start) : undefined;
    // Messages name paths as the loader saw them (absolute): the browser's names are shorter.
    const shorten = (m: string) => m.split(`${root}${sep}`).join('').split(root).join('.');
    return { code: d.code, severity: d.severity, file: d.span ? rel(d.span.file) : undefined, line: at?.line, column: at?.column, message: { zh: shorten(messageOf(d, 'zh')), en: shorten(messageOf(d, 'en')) } };
  });
  if (!loaded.policy || hasErrors(loaded.diagnostics)) {
    return { ok: false, policyDiagnostics: describe(loaded.diagnostics.filter((d) => d.severity === 'error')) };
  }
  const policy = loaded.policy;
  // Facts files named by a case are read only inside the root: tests.yaml is editable in the
  // browser, so `facts: ../../secret.yaml` would otherwise read any file the server can.
  const refused: string[] = [];
  const mayRead = (path: string) => {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      real = resolve(path); // missing: the loader reports it as unreadable
    }
    if (isInside(root, real) && isInside(root, resolve(path))) return true;
    refused.push(path);
    return false;
  };
  const tests = loadPolicyTests(policy, dir, { texts: testTexts, mayRead });
  if (refused.length) throw new RefusedPath(rel(refused[0]));
  let run: TestRun;
  try {
    run = runPolicyTests(policy, tests.suites, { lang });
  } catch (e) {
    // A rule too costly for a case's facts is the policy's problem, named like any other.
    if (e instanceof EvaluationBudgetExceeded) return { ok: false, policyDiagnostics: describe([e.diagnostic]) };
    throw e;
  }
  // The runner names files as the loader did (absolute): the browser names them from the root.
  const relocated: TestRun = {
    ...run,
    files: run.files.map(rel),
    cases: run.cases.map((c) => ({ ...c, at: { ...c.at, file: rel(c.at.file) } })),
    failures: run.failures.map((f) => ({ ...f, at: { ...f.at, file: rel(f.at.file) } })),
  };
  const ran = new Set(run.files);
  const options = { lang, notRun: tests.files.filter((f) => !ran.has(f)).map(rel) };
  return {
    ok: true,
    lang,
    testDiagnostics: describe(tests.diagnostics, tests.texts),
    report: JSON.parse(testRunToJson(relocated, options)) as unknown,
    // The same text `clausal test` prints, for the officer who knows the command line.
    text: testRunToText(relocated, options),
  };
}
