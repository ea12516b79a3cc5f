/**
 * Reports of `clausal test`: text for people (failures first, then counts, then coverage) and
 * JSON for tools. Statuses are shown by their zh names in zh and by their ids (as test files
 * write them) in en and in JSON.
 */
import type { Lang } from '../model/diagnostics.js';
import { displayWidth } from '../report/diagnostics.js';
import { BRANCHES, type BranchCoverage, type BranchName, type Coverage } from './coverage.js';
import type { TestFailure, TestRun } from './runner.js';
import { STATUS_LABELS } from '../report/labels.js';
import type { Status } from '../model/result.js';
import { LineIndex, type Span } from '../model/span.js';
import type { IfArm } from './if-coverage.js';

const BRANCH_LABELS: Record<BranchName, Record<Lang, string>> = {
  not_applicable: { zh: '不适用', en: 'n/a' },
  met: { zh: '满足', en: 'met' },
  unmet: { zh: '未满足', en: 'unmet' },
  unknown: { zh: '未知', en: 'unknown' },
};

function list(items: readonly string[], lang: Lang): string {
  if (items.length === 0) return lang === 'zh' ? '（无）' : '(none)';
  return `[${items.join(', ')}]`;
}

function quoteAll(items: readonly string[], lang: Lang): string {
  return items.map((s) => (lang === 'zh' ? `「${s}」` : `"${s}"`)).join(lang === 'zh' ? '、' : ', ');
}

const FAILURE_LABELS = {
  expected: { zh: '预期', en: 'expected' },
  actual: { zh: '实际', en: 'actual' },
  missing: { zh: '缺失项', en: 'missing' },
  explanation: { zh: '说明', en: 'explanation' },
  value: { zh: '值', en: 'value' },
  shortfall: { zh: '缺口', en: 'shortfall' },
} as const;

function failureText(f: TestFailure, lang: Lang): string[] {
  const zh = lang === 'zh';
  const width = Math.max(...Object.values(FAILURE_LABELS).map((l) => displayWidth(l[lang])));
  // Labels padded to one width so the values line up (a full-width colon takes two columns).
  const row = (label: keyof typeof FAILURE_LABELS, value: string) =>
    `    ${pad(`${FAILURE_LABELS[label][lang]}${zh ? '：' : ':'}`, width + (zh ? 2 : 1))} ${value}`;
  const where = `${f.at.file}:${f.at.line}:${f.at.column}`;
  const out = [
    zh
      ? `${where}: 失败 用例「${f.case}」：${f.subject.kind} ${f.subject.id} · ${f.rule}`
      : `${where}: FAIL case "${f.case}": ${f.subject.kind} ${f.subject.id} · ${f.rule}`,
  ];
  const due = (d: string | null | undefined) => (d ? (zh ? `（期限 ${d}）` : ` (due ${d})`) : '');
  const expectedDue = f.expected.due !== undefined ? (f.expected.due === null ? (zh ? '（无期限）' : ' (no deadline)') : due(f.expected.due)) : '';
  // Test files write status ids; an officer reads the zh names (`预期：符合`).
  const status = (s: string) => (zh && Object.prototype.hasOwnProperty.call(STATUS_LABELS, s) ? STATUS_LABELS[s as Status].zh : s);
  out.push(row('expected', `${status(f.expected.status)}${expectedDue}`));
  out.push(row('actual', `${status(f.actual.status)}${due(f.actual.due)}`));
  if (f.mismatches.includes('missing')) {
    out.push(row('missing', `${zh ? '预期' : 'expected'} ${list(f.expected.missing ?? [], lang)}${zh ? '，' : ', '}${zh ? '实际' : 'actual'} ${list(f.actual.missing, lang)}`));
  } else if (f.actual.missing.length) {
    out.push(row('missing', list(f.actual.missing, lang)));
  }
  const none = zh ? '无' : 'none';
  if (f.mismatches.includes('value')) {
    out.push(row('value', `${zh ? '预期' : 'expected'} ${f.expected.value}${zh ? '，' : ', '}${zh ? '实际' : 'actual'} ${f.actual.value ?? none}`));
  }
  if (f.mismatches.includes('shortfall')) {
    out.push(row('shortfall', `${zh ? '预期' : 'expected'} ${f.expected.shortfall ?? none}${zh ? '，' : ', '}${zh ? '实际' : 'actual'} ${f.actual.shortfall ?? none}`));
  }
  for (const [l, absent] of Object.entries(f.expected.explanation ?? {})) {
    out.push(`    ${zh ? `说明（${l}）中未找到：` : `not in the ${l} explanation:`} ${quoteAll(absent ?? [], lang)}`);
  }
  out.push(row('explanation', f.actual.explanation));
  return out;
}

function summaryLine(run: TestRun, lang: Lang, notRun: readonly string[]): string {
  const s = run.summary;
  const skipped = notRun.length
    ? lang === 'zh'
      ? `；${notRun.length} 个测试文件有错误，未运行`
      : `; ${notRun.length} test file${notRun.length === 1 ? '' : 's'} with errors not run`
    : '';
  return lang === 'zh'
    ? `测试：${s.files} 个文件，${s.cases} 个用例，${s.checks} 项断言：通过 ${s.passed}，失败 ${s.failed}${skipped}`
    : `tests: ${s.files} file${s.files === 1 ? '' : 's'}, ${s.cases} case${s.cases === 1 ? '' : 's'}, ${s.checks} check${s.checks === 1 ? '' : 's'}: ${s.passed} passed, ${s.failed} failed${skipped}`;
}

function pad(s: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return right ? fill + s : s + fill;
}

function cell(b: BranchCoverage): string {
  switch (b.state) {
    case 'covered': return String(b.checks);
    case 'missed': return '✗';
    case 'impossible': return '∅';
    case 'none': return '·';
  }
}

/** Line and column of a span's start, when the file's text is at hand. */
function positionOf(span: Span, texts: ReadonlyMap<string, string> | undefined, cache: Map<string, LineIndex>): { line: number; column: number } | undefined {
  const text = texts?.get(span.file);
  if (text === undefined) return undefined;
  let index = cache.get(span.file);
  if (!index) cache.set(span.file, (index = new LineIndex(text)));
  return index.position(span.start);
}

const ARM_LABELS: Record<IfArm, Record<Lang, string>> = {
  then: { zh: '条件成立（then）', en: 'then' },
  else: { zh: '条件不成立（else）', en: 'else' },
};

/** The `if` lines of the coverage report: the ratio, then each arm no check took, with its place. */
function ifCoverageText(coverage: Coverage, lang: Lang, texts: ReadonlyMap<string, string> | undefined): string[] {
  const ifs = coverage.ifs;
  if (!ifs || ifs.sites.length === 0) return [];
  const zh = lang === 'zh';
  const out = [zh ? `if 分支：${ifs.covered}/${ifs.total}（${ifs.percent}%）` : `if branches: ${ifs.covered}/${ifs.total} (${ifs.percent}%)`];
  const cache = new Map<string, LineIndex>();
  const missed: string[] = [];
  for (const site of ifs.sites) {
    for (const arm of ['then', 'else'] as const) {
      if (site[arm] > 0) continue;
      const at = positionOf(site.arms[arm], texts, cache);
      const where = at ? `${site.span.file}:${at.line}:${at.column}` : site.span.file;
      const rules = site.rules.join(zh ? '、' : ', ');
      missed.push(zh ? `  ${where}: ${ARM_LABELS[arm].zh}，条件 ${site.condition}（规则 ${rules}）` : `  ${where}: ${ARM_LABELS[arm].en} of if ${site.condition} (rules ${rules})`);
    }
  }
  if (missed.length) out.push(zh ? '未覆盖的 if 分支：' : 'missed if branches:', ...missed);
  return out;
}

/** The coverage section of the text report. */
export function coverageToText(coverage: Coverage, lang: Lang, texts?: ReadonlyMap<string, string>): string {
  const zh = lang === 'zh';
  const pct = (p: number) => `${p}%`;
  const r = coverage.rules;
  const b = coverage.branches;
  const out: string[] = [];
  const impossibleNote = b.impossible ? (zh ? `，另有 ${b.impossible} 个不可能的分支未计入` : `; ${b.impossible} impossible branches not counted`) : '';
  out.push(zh
    ? `覆盖率：规则 ${r.covered}/${r.total}（${pct(r.percent)}），分支 ${b.covered}/${b.total}（${pct(b.percent)}）${impossibleNote}`
    : `coverage: rules ${r.covered}/${r.total} (${pct(r.percent)}), branches ${b.covered}/${b.total} (${pct(b.percent)})${impossibleNote}`);
  if (coverage.inheritedRules > 0) {
    out.push(zh
      ? `  只计本政策自己的 ${r.total} 条规则；所继承的 ${coverage.inheritedRules} 条规则未计入（加 --inherited 一并计入）`
      : `  only this policy's own ${r.total} rules are counted; ${coverage.inheritedRules} inherited rules are not (add --inherited to count them)`);
  } else if (coverage.scope === 'all' && r.total > 0) {
    out.push(zh ? '  含所继承的规则' : '  inherited rules included');
  }
  const header = [zh ? '规则' : 'rule', zh ? '断言' : 'checks', ...BRANCHES.map((x) => BRANCH_LABELS[x][lang])];
  const rows = coverage.byRule.map((rc) => [rc.rule, String(rc.checks), ...rc.branches.map(cell)]);
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((row) => displayWidth(row[i]))));
  const line = (cells: string[]) => `  ${cells.map((c, i) => pad(c, widths[i], i > 0)).join('  ')}`.trimEnd();
  out.push(line(header));
  for (const row of rows) out.push(line(row));
  out.push(zh ? '  数字：覆盖该分支的断言数  ✗ 未覆盖  ∅ 不可能（不计入）  · 规则没有该分支' : '  number: checks that took the branch  ✗ missed  ∅ impossible (not counted)  · not a branch of the rule');
  const missed = coverage.byRule
    .map((rc) => ({ rule: rc.rule, branches: rc.branches.filter((x) => x.state === 'missed').map((x) => BRANCH_LABELS[x.branch][lang]) }))
    .filter((m) => m.branches.length > 0)
    .map((m) => `${m.rule}: ${m.branches.join(zh ? '、' : ', ')}`);
  if (missed.length) {
    out.push(zh ? '未覆盖的分支：' : 'missed branches:');
    for (const m of missed) out.push(`  ${m}`);
  }
  const impossible = coverage.byRule.flatMap((rc) =>
    rc.branches.filter((x) => x.state === 'impossible').map((x) => `${rc.rule}: ${BRANCH_LABELS[x.branch][lang]} — ${x.reason?.[lang] ?? ''}`),
  );
  if (impossible.length) {
    out.push(zh ? '不可能的分支（不计入）：' : 'impossible branches (not counted):');
    for (const m of impossible) out.push(`  ${m}`);
  }
  out.push(...ifCoverageText(coverage, lang, texts));
  return `${out.join('\n')}\n`;
}

/** Options of the test reports. */
export interface TestReportOptions {
  readonly lang: Lang;
  /** Coverage to append (`--coverage`). */
  readonly coverage?: Coverage;
  /** Test files that had errors and were not run. */
  readonly notRun?: readonly string[];
  /** Rule files' texts by path, to place uncovered `if` arms by line and column. */
  readonly texts?: ReadonlyMap<string, string>;
}

/** The text report: each failure with expected and actual, the counts, and coverage if given. */
export function testRunToText(run: TestRun, options: TestReportOptions): string {
  const { lang, coverage } = options;
  const out: string[] = [];
  for (const f of run.failures) out.push(...failureText(f, lang), '');
  out.push(summaryLine(run, lang, options.notRun ?? []));
  let text = `${out.join('\n')}\n`;
  if (coverage) text += `\n${coverageToText(coverage, lang, options.texts)}`;
  return text;
}

function ifsJson(ifs: NonNullable<Coverage['ifs']>, texts: ReadonlyMap<string, string> | undefined): Record<string, unknown> {
  const cache = new Map<string, LineIndex>();
  const place = (span: Span) => {
    const at = positionOf(span, texts, cache);
    return { file: span.file, line: at?.line ?? null, column: at?.column ?? null };
  };
  return {
    covered: ifs.covered,
    total: ifs.total,
    percent: ifs.percent,
    sites: ifs.sites.map((s) => ({
      ...place(s.span),
      condition: s.condition,
      rules: s.rules,
      then: { ...place(s.arms.then), checks: s.then },
      else: { ...place(s.arms.else), checks: s.else },
    })),
  };
}

/** The JSON report (one document, two-space indented, ending in a newline). */
export function testRunToJson(run: TestRun, options: TestReportOptions): string {
  const { lang, coverage } = options;
  const doc = {
    policy: run.policy,
    files: run.files,
    notRun: options.notRun ?? [],
    summary: run.summary,
    cases: run.cases.map((c) => ({ name: c.name, file: c.at.file, line: c.at.line, column: c.at.column, asOf: c.asOf, checks: c.checks, failed: c.failed })),
    failures: run.failures.map((f) => ({
      file: f.at.file,
      line: f.at.line,
      column: f.at.column,
      case: f.case,
      subject: f.subject,
      rule: f.rule,
      mismatches: f.mismatches,
      expected: f.expected,
      actual: f.actual,
    })),
    ...(coverage
      ? {
          coverage: {
            scope: coverage.scope,
            inheritedRules: coverage.inheritedRules,
            rules: coverage.rules,
            branches: coverage.branches,
            byRule: coverage.byRule.map((rc) => ({
              rule: rc.rule,
              cite: rc.cite,
              kind: rc.kind,
              checks: rc.checks,
              branches: Object.fromEntries(
                rc.branches.map((x) => [x.branch, { state: x.state, checks: x.checks, ...(x.reason ? { reason: x.reason[lang] } : {}) }]),
              ),
            })),
            ...(coverage.ifs ? { ifs: ifsJson(coverage.ifs, options.texts) } : {}),
          },
        }
      : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
