/**
 * Runs the code blocks of documentation pages, so the docs cannot rot. Every page gets a fresh
 * workspace: a temporary directory holding a copy of the repository's `policies/`, so commands
 * that edit or create files never touch the committed policies. Blocks run in page order and
 * share the workspace, as a reader following the page would.
 *
 * The convention (also in docs/README.md, "Docs that run"):
 *
 * | info string            | what is checked |
 * |------------------------|-----------------|
 * | `sh`                   | every command runs and exits 0 (`exit=N`: the last one exits N) |
 * | `console`              | `$ command` lines run; the lines after each are its exact output (stdout then stderr as written; trailing spaces ignored; a line `...` matches any lines); `exit=N` as for `sh` |
 * | `clause`, `yaml`       | a rule file: with a policy header it is checked alone, without one after the prelude (2021's declarations); no diagnostics, or `expect=CODE` among them |
 * | `… file=PATH`          | written to PATH in the workspace; at the end of the page every policy directory written to is loaded and must be clean (or show the `expect=` code) |
 * | `… excerpt=PATH`       | occurs verbatim in the repository file PATH |
 * | `diff`                 | a unified diff, applied to the workspace; context and removed lines must match at the stated line |
 * | `ebnf`                 | each paragraph (production) occurs verbatim in grammar/clause.ebnf |
 * | `ts`                   | executed (imports of `clausal` point at src/index.ts) and type-checked; what it logs is compared with the next `text output` block |
 * | `… fragment`           | not run: an illustrative piece, used sparingly |
 * | `json`, `jsonc`, `text`, `python` | data shapes and sample output, not run |
 *
 * Commands are interpreted here, not by a shell: `clausal` (also `npx clausal`, `node
 * bin/clausal.js`) runs in-process with today fixed to {@link TODAY}; `node scripts/….js` runs the
 * repository's script in the workspace; `cp`, `mkdir`, `cat` and `curl` are small built-ins; the commands in {@link NOT_RUN} (installs, the full test suite)
 * are recognised and skipped. Anything else fails, so a page cannot show a command nobody ran.
 */
import '../../src/cli/commands.js';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { main } from '../../src/cli/main.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { compileSources, isRuleFileName, type LoadedPolicy, type PolicySourceFile } from '../../src/policy-sources.js';
import type { Block } from './blocks.js';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');

/** The date commands see as today (a command without `--as-of` evaluates as of this day). */
export const TODAY = '2022-06-01';

/** Commands a page may show that the doc test does not run, with the reason. */
export const NOT_RUN: readonly { readonly prefix: string; readonly why: string }[] = [
  { prefix: 'npm ci', why: 'installs; the test already runs inside an installed checkout' },
  { prefix: 'npm install', why: 'installs from the registry' },
  { prefix: 'npm test', why: 'the whole suite, of which this test is a part' },
  { prefix: 'npm run docs', why: 'typedoc; CI runs it after the tests (.ci/run)' },
  { prefix: 'npm run grammar', why: 'regenerates grammar/; test/grammar checks it is current' },
  { prefix: 'npm run docs:outputs', why: 'rewrites the pages this test reads' },
  { prefix: 'npm run docs:diagnostics', why: 'regenerates the diagnostics pages; test/docs/diagnostics.test.ts checks they are current' },
  { prefix: 'npm run docs:diagrams', why: 'regenerates the railroad SVGs; test/docs/diagrams.test.ts checks they are current' },
  { prefix: 'npm run bench', why: 'minutes long; figures are quoted from its output' },
  { prefix: 'pip install', why: 'needs the Python package index' },
  { prefix: 'python3', why: 'needs Python packages CI does not install' },
  { prefix: 'node editors/vscode/scripts/package.mjs', why: 'installs the extension\'s dependencies from the registry and writes a .vsix' },
  { prefix: 'code --install-extension', why: 'needs VS Code' },
];

/** Languages shown but not run (data shapes, sample output, other languages). */
export const NOT_EXECUTED = new Set(['json', 'jsonc', 'text', 'python', 'html', 'csv', 'markdown']);

/** The prelude of rule blocks without a policy header: the 2021 policy's declarations. */
const PRELUDE_DIR = 'policies/yunnan-social-work/2021';
const PRELUDE_FILES = ['00-policy.clause', '10-params.clause'];

/** What running one page found. */
export interface PageResult {
  readonly page: string;
  /** Blocks that were run or checked. */
  readonly executed: number;
  /** Blocks marked `fragment`, or of a language that is not run. */
  readonly skipped: number;
  /** Commands recognised but not run ({@link NOT_RUN}). */
  readonly notRun: number;
  /** One message per problem, each naming the page and line. */
  readonly failures: readonly string[];
  /** `console` blocks as they would read with the actual output (for UPDATE_GOLDEN=1). */
  readonly rewrites: readonly { readonly line: number; readonly text: string; readonly exit: number }[];
}

interface CommandResult {
  readonly code: number;
  readonly out: string;
}

/** A temporary copy of `policies/` in which one page's blocks run. */
class Workspace {
  readonly root = mkdtempSync(join(tmpdir(), 'clausal-docs-'));
  /** Policy directories (workspace-relative) that `file=` blocks wrote to, with expected codes. */
  readonly policyDirs = new Map<string, Set<string>>();
  server?: Server;
  /** What the last `ts` block logged, for a following `text output` block. */
  lastLog?: { line: number; text: string };

  constructor() {
    cpSync(join(REPO, 'policies'), join(this.root, 'policies'), { recursive: true });
  }

  path(relative: string): string {
    const p = resolve(this.root, relative);
    if (!p.startsWith(this.root)) throw new Error(`\`${relative}\` is outside the workspace`);
    return p;
  }

  async dispose(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((done) => server.close(() => done()));
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Runs `fn` with the process in `dir` (commands resolve relative paths against the cwd). */
async function inDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

// ── command lines ─────────────────────────────────────────────────────────────────────────

/** Splits a command line into `&&`-separated commands of words, shell-style quoting. */
export function parseCommandLine(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  const push = () => {
    if (word !== undefined) commands[commands.length - 1].push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n') push();
    else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unclosed single quote');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) s += line[++j];
        else s += line[j];
      }
      if (j >= line.length) throw new Error('unclosed double quote');
      word = (word ?? '') + s;
      i = j;
    } else if (c === '#' && word === undefined) break;
    else if (c === '&' && line[i + 1] === '&') {
      push();
      commands.push([]);
      i++;
    } else if ('|;<>`$'.includes(c)) throw new Error(`unsupported shell syntax \`${c}\``);
    else if (c === '\\' && i + 1 < line.length) word = (word ?? '') + line[++i];
    else word = (word ?? '') + c;
  }
  push();
  if (commands.some((c) => c.length === 0)) throw new Error('empty command');
  return commands;
}

/** Joins `\`-continued lines. */
function logicalLines(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let l = lines[i];
    while (l.endsWith('\\') && i + 1 < lines.length) l = `${l.slice(0, -1)} ${lines[++i].trim()}`;
    out.push({ text: l, offset: start });
  }
  return out;
}

function notRunReason(words: readonly string[]): string | undefined {
  const line = words.join(' ');
  return NOT_RUN.find((n) => line === n.prefix || line.startsWith(`${n.prefix} `))?.why;
}

/** How the workspace's absolute path is shown: messages that print absolute paths stay stable. */
export const SHOWN_ROOT = '~/clausal';

async function runClausal(args: string[], ws: Workspace): Promise<CommandResult> {
  let out = '';
  const write = (c: string) => {
    out += c;
    return true;
  };
  const code = await main(args, { stdout: { write }, stderr: { write }, cwd: process.cwd(), env: {}, today: TODAY });
  return { code, out: out.split(ws.root).join(SHOWN_ROOT) };
}

async function runCurl(args: string[], ws: Workspace): Promise<CommandResult> {
  let method: string | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-s' || a === '--silent') continue;
    else if (a === '-X') method = args[++i];
    else if (a === '-H') {
      const [k, ...v] = args[++i].split(':');
      headers[k.trim()] = v.join(':').trim();
    } else if (a === '--data-binary' || a === '-d') {
      const v = args[++i];
      body = v.startsWith('@') ? readFileSync(ws.path(v.slice(1)), 'utf8') : v;
    } else if (!a.startsWith('-')) url = a;
    else throw new Error(`curl option ${a} is not supported by the doc test`);
  }
  if (!url) throw new Error('curl without a URL');
  if (!ws.server) throw new Error('curl, but no `ts` block of this page started a server');
  const port = (ws.server.address() as AddressInfo).port;
  const target = url.replace(/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?/, `http://127.0.0.1:${port}`);
  const res = await fetch(target, { method: method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  return { code: 0, out: await res.text() };
}

/** Runs one command in the workspace. */
async function runCommand(words: string[], ws: Workspace): Promise<CommandResult | 'not-run'> {
  if (notRunReason(words)) return 'not-run';
  const [cmd, ...args] = words;
  if (cmd === 'clausal') return runClausal(args, ws);
  if (cmd === 'npx' && args[0] === 'clausal') return runClausal(args.slice(1), ws);
  if (cmd === 'node' && args[0] === 'bin/clausal.js') return runClausal(args.slice(1), ws);
  if (cmd === 'node' && /^scripts\/[\w-]+\.js$/.test(args[0] ?? '')) {
    // The repository's own scripts (not copied into the workspace) run as they are, in the workspace.
    const r = spawnSync(process.execPath, [join(REPO, args[0]), ...args.slice(1)], { cwd: ws.root, encoding: 'utf8' });
    return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
  }
  if (cmd === 'cp') {
    const recursive = args[0] === '-r' || args[0] === '-R';
    const [src, dst] = recursive ? args.slice(1) : args;
    const target = existsSync(ws.path(dst)) && statSync(ws.path(dst)).isDirectory() ? join(dst, basename(src)) : dst;
    cpSync(ws.path(src), ws.path(target), { recursive });
    return { code: 0, out: '' };
  }
  if (cmd === 'mkdir') {
    for (const d of args.filter((a) => a !== '-p')) mkdirSync(ws.path(d), { recursive: true });
    return { code: 0, out: '' };
  }
  if (cmd === 'ln' && args[0] === '-s' && args.length === 3) {
    // The link's text as written (relative to the link's folder), as `ln -s` makes it.
    symlinkSync(args[1], ws.path(args[2]));
    return { code: 0, out: '' };
  }
  if (cmd === 'chmod' && args.length >= 2 && /^[0-7]{3,4}$/.test(args[0])) {
    for (const f of args.slice(1)) chmodSync(ws.path(f), parseInt(args[0], 8));
    return { code: 0, out: '' };
  }
  if (cmd === 'cat') return { code: 0, out: args.map((f) => readFileSync(ws.path(f), 'utf8')).join('') };
  if (cmd === 'curl') return runCurl(args, ws);
  throw new Error(`the doc test cannot run \`${cmd}\`: use a command it knows, or add it to NOT_RUN with a reason`);
}

/** Runs a command line (`a && b`), stopping at the first failure, as a shell would. */
async function runLine(line: string, ws: Workspace): Promise<{ code: number; out: string; notRun: number }> {
  let out = '';
  let notRun = 0;
  for (const words of parseCommandLine(line)) {
    const r = await inDir(ws.root, () => runCommand(words, ws));
    if (r === 'not-run') {
      notRun++;
      continue;
    }
    out += r.out;
    if (r.code !== 0) return { code: r.code, out, notRun };
  }
  return { code: 0, out, notRun };
}

// ── output comparison ─────────────────────────────────────────────────────────────────────

function normalise(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  while (lines.length && lines[0] === '') lines.shift();
  return lines;
}

/** Whether actual lines match expected ones, where an expected `...` line matches any lines. */
export function outputMatches(expected: readonly string[], actual: readonly string[]): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === expected.length) r = j === actual.length;
    else if (expected[i] === '...') r = go(i + 1, j) || (j < actual.length && go(i, j + 1));
    else r = j < actual.length && expected[i] === actual[j] && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

function describeMismatch(expected: readonly string[], actual: readonly string[]): string {
  return `expected:\n${expected.map((l) => `    ${l}`).join('\n')}\n  actual:\n${actual.map((l) => `    ${l}`).join('\n')}`;
}

// ── rule files ────────────────────────────────────────────────────────────────────────────

function preludeFiles(): PolicySourceFile[] {
  return PRELUDE_FILES.map((f) => ({ path: `${PRELUDE_DIR}/${f}`, text: readFileSync(join(REPO, PRELUDE_DIR, f), 'utf8') }));
}

/** Compiles a rule block: alone when it has a policy header, else after the prelude. */
export function compileRuleBlock(lang: 'clause' | 'yaml', text: string): LoadedPolicy {
  const header = lang === 'clause' ? /^\s*policy\s/m.test(text) : /^policy\s*:/m.test(text);
  const file = { path: lang === 'clause' ? 'block.clause' : 'block.yaml', text };
  const files = header ? [file] : [...preludeFiles(), file];
  return compileSources(files, {
    readSource: (relative) => {
      const path = join(REPO, PRELUDE_DIR, relative);
      return { path: `${PRELUDE_DIR}/${relative}`, text: !header && existsSync(path) ? readFileSync(path, 'utf8') : undefined };
    },
    loadBase: () => ({ diagnostics: [] }),
  });
}

/** Whether a written file is a rule file (YAML may also be facts or tests: told apart by its keys). */
function isRuleFile(path: string, text: string): boolean {
  if (!isRuleFileName(basename(path))) return false;
  return path.endsWith('.clause') || /^(policy|rules|params|kinds|enums|sets|tables|defines|uncheckable|extends):/m.test(text);
}

function codesOf(loaded: LoadedPolicy): string[] {
  return loaded.diagnostics.map((d) => d.code);
}

function checkDiagnostics(loaded: LoadedPolicy, expect: string | undefined): string | undefined {
  const codes = codesOf(loaded);
  if (expect) return codes.includes(expect) ? undefined : `expected diagnostic ${expect}, got ${codes.join(', ') || 'none'}`;
  return codes.length ? `expected no diagnostics, got ${loaded.diagnostics.map((d) => `${d.code} ${JSON.stringify(d.args)}`).join('; ')}` : undefined;
}

function containsLines(haystack: string, needle: string): boolean {
  const h = normalise(haystack).join('\n');
  const n = normalise(needle).join('\n');
  return n.length > 0 && h.includes(n);
}

// ── diffs ─────────────────────────────────────────────────────────────────────────────────

/** Applies a unified diff to files in the workspace; every hunk must match at its stated line. */
export function applyDiff(diff: string, read: (path: string) => string, write: (path: string, text: string) => void): void {
  const lines = diff.replace(/\n$/, '').split('\n');
  let i = 0;
  while (i < lines.length) {
    if (!lines[i].startsWith('--- ')) {
      i++;
      continue;
    }
    const target = lines[i + 1]?.startsWith('+++ ') ? lines[i + 1].slice(4).replace(/^b\//, '').trim() : undefined;
    if (!target) throw new Error(`diff: \`---\` without \`+++\` at diff line ${i + 1}`);
    i += 2;
    const file = read(target).split('\n');
    let shift = 0;
    while (i < lines.length && lines[i].startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(lines[i]);
      if (!m) throw new Error(`diff: bad hunk header \`${lines[i]}\``);
      const start = Number(m[1]) - 1 + shift;
      i++;
      const before: string[] = [];
      const after: string[] = [];
      for (; i < lines.length && !lines[i].startsWith('@@') && !lines[i].startsWith('--- '); i++) {
        const l = lines[i];
        const body = l.slice(1);
        if (l.startsWith(' ') || l === '') {
          before.push(body);
          after.push(body);
        } else if (l.startsWith('-')) before.push(body);
        else if (l.startsWith('+')) after.push(body);
        else throw new Error(`diff: bad line \`${l}\``);
      }
      const found = file.slice(start, start + before.length);
      if (found.join('\n') !== before.join('\n')) {
        throw new Error(`diff: ${target} at line ${start + 1 - shift} does not read as the hunk expects:\n${describeMismatch(before, found)}`);
      }
      file.splice(start, before.length, ...after);
      shift += after.length - before.length;
    }
    write(target, file.join('\n'));
  }
}

// ── TypeScript blocks ─────────────────────────────────────────────────────────────────────

/** A `ts` block with its import of the package pointed at the source tree. */
export function resolveImports(text: string): string {
  const index = pathToFileURL(join(REPO, 'src/index.ts')).href;
  return text.replace(/from\s+'clausal'/g, `from '${index}'`).replace(/from\s+"clausal"/g, `from "${index}"`);
}

async function runTs(block: Block, ws: Workspace): Promise<void> {
  const file = ws.path(`block-${block.line}.ts`);
  writeFileSync(file, resolveImports(block.text));
  const logged: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => {
    // As console.log formats it, so the page shows what a reader's terminal shows.
    logged.push(format(...args));
  };
  const port = process.env.PORT;
  process.env.PORT = '0';
  try {
    const mod = (await inDir(ws.root, () => import(pathToFileURL(file).href))) as { server?: Server };
    if (mod.server) {
      const server = mod.server;
      if (!server.listening) await new Promise<void>((done) => server.once('listening', () => done()));
      ws.server = server;
    }
  } finally {
    console.log = log;
    if (port === undefined) delete process.env.PORT;
    else process.env.PORT = port;
  }
  ws.lastLog = { line: block.line, text: logged.join('\n') };
}

// ── pages ─────────────────────────────────────────────────────────────────────────────────

/** Runs every block of one page in a fresh workspace. */
export async function runPage(page: string, blocks: readonly Block[]): Promise<PageResult> {
  const ws = new Workspace();
  const failures: string[] = [];
  let executed = 0;
  let skipped = 0;
  let notRun = 0;
  const rewrites: { line: number; text: string; exit: number }[] = [];
  const fail = (b: Block, message: string) => failures.push(`${page}:${b.line}: ${b.lang}${[...b.flags, ...[...b.attrs].map(([k, v]) => `${k}=${v}`)].map((w) => ` ${w}`).join('')}: ${message}`);
  try {
    for (const b of blocks) {
      if (b.flags.has('fragment')) {
        skipped++;
        continue;
      }
      try {
        switch (b.lang) {
          case 'sh':
          case 'console': {
            const want = Number(b.attrs.get('exit') ?? 0);
            const steps = b.lang === 'sh' ? shSteps(b.text) : consoleSteps(b.text);
            steps.forEach((s, k) => {
              s.want = k === steps.length - 1 ? want : 0;
            });
            const rewritten: string[] = [];
            let lastExit = 0;
            for (const s of steps) {
              const r = await runLine(s.command, ws);
              notRun += r.notRun;
              rewritten.push(...s.raw, ...normalise(r.out));
              lastExit = r.code;
              if (r.code !== s.want) fail(b, `\`${s.command}\` exited ${r.code}, expected ${s.want}${r.out ? `:\n${r.out}` : ''}`);
              if (s.output !== undefined) {
                const actual = normalise(r.out);
                const expected = normalise(s.output);
                if (!outputMatches(expected, actual)) fail(b, `output of \`${s.command}\` differs\n  ${describeMismatch(expected, actual)}`);
              }
            }
            if (b.lang === 'console' && !normalise(b.text).includes('...')) rewrites.push({ line: b.line, text: `${rewritten.join('\n')}\n`, exit: lastExit });
            executed++;
            break;
          }
          case 'clause':
          case 'yaml': {
            const file = b.attrs.get('file');
            const excerpt = b.attrs.get('excerpt');
            const expect = b.attrs.get('expect');
            if (excerpt) {
              if (!containsLines(readFileSync(join(REPO, excerpt), 'utf8'), b.text)) fail(b, `the block does not occur in ${excerpt}`);
            } else if (file) {
              const path = ws.path(file);
              mkdirSync(dirname(path), { recursive: true });
              writeFileSync(path, b.text);
              if (isRuleFile(file, b.text)) {
                const dir = dirname(file);
                const codes = ws.policyDirs.get(dir) ?? new Set<string>();
                if (expect) codes.add(expect);
                ws.policyDirs.set(dir, codes);
              }
            } else {
              const problem = checkDiagnostics(compileRuleBlock(b.lang, b.text), expect);
              if (problem) fail(b, problem);
            }
            executed++;
            break;
          }
          case 'diff':
            applyDiff(
              b.text,
              (p) => readFileSync(ws.path(p), 'utf8'),
              (p, t) => writeFileSync(ws.path(p), t),
            );
            executed++;
            break;
          case 'ebnf': {
            // Each paragraph (a production with its comments) must occur verbatim in the grammar.
            const grammar = readFileSync(join(REPO, 'grammar/clause.ebnf'), 'utf8');
            for (const para of b.text.split(/\n\s*\n/).filter((p) => p.trim())) {
              if (!containsLines(grammar, para)) fail(b, `this part does not occur in grammar/clause.ebnf:\n${para}`);
            }
            executed++;
            break;
          }
          case 'ts':
          case 'typescript':
            await runTs(b, ws);
            executed++;
            break;
          default:
            if (b.lang === 'text' && b.flags.has('output')) {
              if (!ws.lastLog) fail(b, '`text output` without a `ts` block before it');
              else {
                const expected = normalise(b.text);
                const actual = normalise(ws.lastLog.text);
                if (!outputMatches(expected, actual)) fail(b, `what the ts block at line ${ws.lastLog.line} logged differs\n  ${describeMismatch(expected, actual)}`);
                if (!expected.includes('...')) rewrites.push({ line: b.line, text: `${actual.join('\n')}\n`, exit: 0 });
              }
              executed++;
            } else if (b.attrs.has('file')) {
              const path = ws.path(b.attrs.get('file')!);
              mkdirSync(dirname(path), { recursive: true });
              writeFileSync(path, b.text);
              executed++;
            } else if (NOT_EXECUTED.has(b.lang)) skipped++;
            else fail(b, b.lang ? `unknown language \`${b.lang}\`: run it, or mark it \`fragment\`` : 'a code block needs an info string (see docs/README.md, "Docs that run")');
        }
      } catch (e) {
        fail(b, (e as Error).message);
      }
    }
    for (const [dir, codes] of ws.policyDirs) {
      const loaded = await inDir(ws.root, async () => loadPolicy(dir));
      const got = codesOf(loaded);
      if (codes.size === 0 && got.length) failures.push(`${page}: policy ${dir} written by the page has diagnostics: ${loaded.diagnostics.map((d) => `${d.code} ${JSON.stringify(d.args)}`).join('; ')}`);
      for (const c of codes) if (!got.includes(c)) failures.push(`${page}: policy ${dir} should produce ${c}, got ${got.join(', ') || 'none'}`);
    }
  } finally {
    await ws.dispose();
  }
  return { page, executed, skipped, notRun, failures, rewrites };
}

interface Step {
  command: string;
  /** The command's lines as the page writes them. */
  raw: string[];
  output?: string;
  want: number;
}

function shSteps(text: string): Step[] {
  return logicalLines(text)
    .map((l) => l.text.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((command) => ({ command, raw: [], want: 0 }));
}

function consoleSteps(text: string): Step[] {
  const steps: Step[] = [];
  const lines = text.replace(/\n$/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('$ ')) {
      if (!steps.length && lines[i].trim()) throw new Error('a console block starts with `$ command`');
      if (steps.length) steps[steps.length - 1].output += `${lines[i]}\n`;
      continue;
    }
    const raw = [lines[i]];
    let command = lines[i].slice(2);
    while (command.endsWith('\\') && i + 1 < lines.length) {
      raw.push(lines[i + 1]);
      command = `${command.slice(0, -1)} ${lines[++i].trim()}`;
    }
    steps.push({ command, raw, output: '', want: 0 });
  }
  return steps;
}
