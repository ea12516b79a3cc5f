/**
 * Generates docs/guide/diagnostics.md (zh) and diagnostics.en.md from the catalogue
 * (src/model/diagnostics.ts) and docs/guide/diagnostics-examples.yaml. Each example is laid out
 * as the doc-test blocks a reader would type (files, then the command), run through the same
 * runner as every other page, and its real output written under it; an example whose output
 * does not show its code is a problem, not a page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CATALOGUE, type Lang } from '../../src/model/diagnostics.js';
import { extractBlocks } from './blocks.js';
import { REPO, runPage } from './runner.js';

/** Where the examples and the pages live. */
export const EXAMPLES_PATH = 'docs/guide/diagnostics-examples.yaml';
export const PAGE_PATH: Record<Lang, string> = { zh: 'docs/guide/diagnostics.md', en: 'docs/guide/diagnostics.en.md' };

type Text = { readonly zh: string; readonly en: string };

/** One entry of the examples file (see its header for the kinds). */
export interface ExampleSpec {
  readonly case?: string;
  readonly clause?: string;
  readonly source?: string;
  readonly yaml?: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly check?: string;
  readonly facts?: string;
  readonly file?: string;
  /** Extra options of the facts example's `eval` command. */
  readonly options?: string;
  readonly tests?: string;
  readonly setup?: readonly string[];
  readonly command?: string;
  readonly shown?: boolean;
  readonly situation?: Text;
  readonly verify?: 'large-rule-file' | 'many-errors' | 'invalid-utf8-rule-file' | 'many-tokens' | 'invalid-utf8-facts' | 'deep-reference-chain' | 'workbench'
    | 'records-locked' | 'records-newer' | 'records-foreign' | 'records-tampered' | 'records-facts-changed' | 'records-migrated' | 'api';
  readonly fix: Text;
}

interface CheckCase {
  readonly note: string;
  readonly text: string;
  readonly source?: string;
}

/** The examples, by code. */
export function loadExamples(): Map<string, ExampleSpec> {
  const raw = parse(readFileSync(join(REPO, EXAMPLES_PATH), 'utf8')) as Record<string, ExampleSpec>;
  return new Map(Object.entries(raw));
}

const STAGES: readonly { letter: string; title: Text }[] = [
  { letter: 'S', title: { zh: '语法（S）', en: 'Syntax (S)' } },
  { letter: 'Y', title: { zh: 'YAML 形式的规则文件（Y）', en: 'YAML rule files (Y)' } },
  { letter: 'C', title: { zh: '检查（C）', en: 'Checking (C)' } },
  { letter: 'F', title: { zh: '事实文件（F）', en: 'Facts files (F)' } },
  { letter: 'X', title: { zh: '命令行与工作台（X）', en: 'Command line and workbench (X)' } },
  { letter: 'T', title: { zh: '政策测试（T）', en: 'Policy tests (T)' } },
  { letter: 'R', title: { zh: '检查记录（R）', en: 'Decision records (R)' } },
];

/** Every code of the catalogue, in page order (stage, then number). */
export function pageCodes(): string[] {
  const order = STAGES.map((s) => s.letter);
  return Object.keys(CATALOGUE).sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]) || a.localeCompare(b));
}

const FACTS_POLICY = 'policies/yunnan-social-work/2021';
const FACTS_DATE = '2022-06-01';

function fence(info: string, text: string): string {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const ticks = body.includes('```') ? '````' : '```';
  return `${ticks}${info}\n${body}${ticks}`;
}

function langOfFile(path: string): string {
  if (path.endsWith('.clause')) return 'clause';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (path.endsWith('.json')) return 'json';
  return 'text';
}

/** The blocks of one example: the files a reader writes, then the command that shows the code. */
function exampleBlocks(code: string, spec: ExampleSpec, lang: Lang, cases: ReadonlyMap<string, CheckCase>): string[] {
  const dir = code.toLowerCase();
  const en = lang === 'en' ? ' --lang en' : '';
  const out: string[] = [];
  // A rule file of a `check` example must produce the code when its directory is loaded.
  const ruleFile = (path: string, text: string, expect = true) => out.push(fence(`${langOfFile(path)} file=${path}${expect && /\.(clause|ya?ml)$/.test(path) ? ` expect=${code}` : ''}`, text));
  const check = (target: string) => out.push(fence('console', `$ npx clausal check ${target}${en}\n`));
  if (spec.case !== undefined || spec.clause !== undefined) {
    const c = spec.case !== undefined ? cases.get(spec.case) : { note: code, text: spec.clause!, source: spec.source };
    if (!c) throw new Error(`${code}: no case \`${spec.case}\` in test/cases/check-errors.yaml`);
    if (c.source !== undefined) out.push(fence(`text file=${dir}/source.txt`, c.source));
    ruleFile(`${dir}/p.clause`, c.text);
    check(dir);
  } else if (spec.yaml !== undefined) {
    ruleFile(`${dir}/p.yaml`, spec.yaml);
    check(dir);
  } else if (spec.files) {
    for (const [path, text] of Object.entries(spec.files)) ruleFile(`${dir}/${path}`, text, spec.command === undefined);
    if (spec.command !== undefined) out.push(fence('console', `$ ${spec.command}${en}\n`));
    else check(`${dir}/${spec.check ?? ''}`.replace(/\/$/, ''));
  } else if (spec.facts !== undefined) {
    const file = spec.file ?? `${dir}.yaml`;
    out.push(fence(`${langOfFile(file)} file=${file}`, spec.facts));
    out.push(fence('console', `$ npx clausal eval ${FACTS_POLICY} --facts ${file} --as-of ${FACTS_DATE}${spec.options ? ` ${spec.options}` : ''} --out report.txt${en}\n`));
  } else if (spec.tests !== undefined) {
    out.push(fence('sh', `cp -r ${FACTS_POLICY} ${dir}\n`));
    out.push(fence(`yaml file=${dir}/tests.yaml`, spec.tests));
    out.push(fence('console', `$ npx clausal test ${dir}${en}\n`));
  } else if (spec.command !== undefined) {
    if (spec.setup?.length) out.push(fence('sh', `${spec.setup.join('\n')}\n`));
    out.push(fence('console', `$ ${spec.command}${en}\n`));
  } else throw new Error(`${code}: the example gives no input`);
  return out;
}

const WORDS = {
  zh: {
    title: '诊断代码一览',
    other: '[English](diagnostics.en.md) · [指南目录](README.md)',
    generated: '<!-- 本页由 `npm run docs:diagnostics` 从 src/model/diagnostics.ts 和 docs/guide/diagnostics-examples.yaml 生成，请勿直接修改。 -->',
    intro: [
      'clausal 发现的每个问题都带一个代码，写作 `文件:行:列: error 代码: 说明`，下面是出错的那一行，用 `^` 标出位置；`提示` 给出可能的改法。',
      '`error` 使命令失败（`check` 退出码 1，`eval` 遇到事实文件的错误退出码 4）；`warning` 只是提醒，不影响结果。',
      '代码的首字母表示阶段：S 语法，Y YAML 形式的规则文件，C 检查，F 事实文件，X 命令行与工作台，T 政策测试。',
      '每个代码下面是一个真实的例子：先建立例子中的文件（目录以代码命名，如 `s0001/`），再运行命令，得到下面的输出——本页的例子都由测试实际运行过。事实文件的例子用随仓库提供的 2021 年政策，`--out report.txt` 把报告写入文件，屏幕上只剩诊断。',
    ],
    index: '| 代码 | 说明 |\n|---|---|',
    when: '**何时出现**：',
    notShown: '（这样的输入无法在页面中列出；`test/docs/diagnostics.test.ts` 会构造它并检查确实报出这个代码。）',
    workbench: '（由政策工作台 `clausal serve` 报告，不在命令行例子中出现。）',
    api: '（由决策接口 `clausal api` 在 HTTP 应答中报告，见 `docs/decision-api.openapi.json`。）',
    fix: '**怎么改**：',
  },
  en: {
    title: 'Diagnostic codes',
    other: '[中文](diagnostics.md) · [Guide contents](README.en.md)',
    generated: '<!-- Generated from src/model/diagnostics.ts and docs/guide/diagnostics-examples.yaml by `npm run docs:diagnostics`: do not edit by hand. -->',
    intro: [
      'Every problem clausal finds carries a code, written `file:line:col: error CODE: message`, followed by the line at fault with `^` under the place; `help` suggests a fix.',
      'An `error` fails the command (`check` exits 1, `eval` exits 4 on errors in the facts); a `warning` is only a note and changes no result.',
      'The first letter is the stage: S syntax, Y YAML rule files, C checking, F facts files, X command line and workbench, T policy tests.',
      'Under each code is a real example: write the files shown (each example has a directory named after its code, such as `s0001/`), run the command, and you get the output shown — the tests ran every example on this page. Facts examples use the bundled 2021 policy, and `--out report.txt` sends the report to a file so only the diagnostics reach the screen.',
    ],
    index: '| code | message |\n|---|---|',
    when: '**When**: ',
    notShown: '(Such an input cannot be shown on a page; `test/docs/diagnostics.test.ts` builds one and checks that it produces this code.)',
    workbench: '(Reported by the policy workbench, `clausal serve`, not by the commands shown here.)',
    api: '(Reported by the decision API, `clausal api`, in its HTTP answers; see `docs/decision-api.openapi.json`.)',
    fix: '**Fix**: ',
  },
} as const;

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The page as written before its examples ran (console blocks without output). */
function skeleton(lang: Lang, examples: ReadonlyMap<string, ExampleSpec>): { text: string; problems: string[] } {
  const w = WORDS[lang];
  const cases = new Map((parse(readFileSync(join(REPO, 'test/cases/check-errors.yaml'), 'utf8')) as CheckCase[]).map((c) => [c.note, c]));
  const problems: string[] = [];
  const parts: string[] = [`# ${w.title}`, w.other, w.generated, ...w.intro];
  const codes = pageCodes();
  parts.push(`${w.index}\n${codes.map((c) => `| [${c}](#${c.toLowerCase()}) | ${escapeCell(CATALOGUE[c as keyof typeof CATALOGUE][lang])} |`).join('\n')}`);
  for (const stage of STAGES) {
    const inStage = codes.filter((c) => c[0] === stage.letter);
    if (!inStage.length) continue;
    parts.push(`## ${stage.title[lang]}`);
    for (const code of inStage) {
      const spec = examples.get(code);
      parts.push(`### ${code}`, `> ${CATALOGUE[code as keyof typeof CATALOGUE][lang]}`);
      if (!spec) {
        problems.push(`${code}: no example in ${EXAMPLES_PATH}`);
        continue;
      }
      if (spec.shown === false) {
        if (!spec.situation || !spec.verify) problems.push(`${code}: an example that is not shown needs \`situation\` and \`verify\``);
        parts.push(`${w.when}${spec.situation?.[lang] ?? ''}${spec.verify === 'workbench' ? w.workbench : spec.verify === 'api' ? w.api : w.notShown}`);
      } else {
        try {
          parts.push(...exampleBlocks(code, spec, lang, cases));
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
      parts.push(`${w.fix}${spec.fix[lang]}`);
    }
  }
  for (const code of examples.keys()) if (!(code in CATALOGUE)) problems.push(`${code}: an example for a code the catalogue does not have (retired codes lose their example)`);
  return { text: `${parts.join('\n\n')}\n`, problems };
}

/**
 * The generated page: the skeleton's examples run in a workspace, their output and exit codes
 * written into the console blocks. `problems` lists examples that do not show their code.
 */
export async function generateDiagnosticsPage(lang: Lang): Promise<{ text: string; problems: string[] }> {
  const examples = loadExamples();
  const { text, problems } = skeleton(lang, examples);
  const page = PAGE_PATH[lang];
  const run = await runPage(page, extractBlocks(page, text));
  const lines = text.split('\n');
  const byLine = new Map(run.rewrites.map((r) => [r.line, r]));
  // Rewrite from the bottom so earlier line numbers stay valid.
  for (const line of [...byLine.keys()].sort((a, b) => b - a)) {
    const r = byLine.get(line)!;
    let end = line;
    while (end < lines.length && !/^`{3,}\s*$/.test(lines[end])) end++;
    lines.splice(line - 1, end - line + 2, `\`\`\`console${r.exit ? ` exit=${r.exit}` : ''}`, ...r.text.replace(/\n$/, '').split('\n'), '```');
  }
  const out = lines.join('\n');
  // Each shown example's output must name its code.
  for (const section of out.split(/\n### /).slice(1)) {
    const code = section.slice(0, 5);
    const spec = examples.get(code);
    if (!spec || spec.shown === false) continue;
    const consoles = [...section.matchAll(/```console[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
    if (!new RegExp(`(error|warning) ${code}:`).test(consoles)) problems.push(`${code}: the example's output does not report ${code}:\n${consoles}`);
  }
  // Failures other than exit codes and outputs (which the skeleton could not know) are real problems.
  for (const f of run.failures) if (!/exited \d+, expected 0|: output of `[^`]*` differs/.test(f)) problems.push(f);
  return { text: out, problems };
}
