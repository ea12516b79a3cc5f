/**
 * Policy test files (`tests.yaml`, `*.tests.yaml`) -> ready-to-run test cases, for one checked
 * policy. No file-system access: facts files named by a case are read through a callback, so
 * the browser build can run tests held in memory.
 *
 * The stages, each of which stops the file when it finds an error (a file with errors is not
 * run at all, so a typo never passes as a green test):
 *
 * 1. size                  S0009;
 * 2. YAML                  `parseDocument` with a `LineCounter`: syntax errors (Y0001),
 *                          duplicate keys (Y0003), alias bombs (Y0004);
 * 3. schema                ajv against {@link POLICY_TESTS_SCHEMA} (Y0002, `where` = the YAML
 *                          path), compiled once;
 * 4. against the policy    dates (T0011, T0010), parameter overrides (T0007–T0009 and the
 *                          DSL's own S/C codes), facts (the usual F codes, pointing into the
 *                          test file for inline facts), rule ids and subjects (T0002–T0006,
 *                          T0013; T0012 is a warning).
 *
 * Every diagnostic has a span into the test file (or into the facts file it names), taken
 * from the YAML node ranges.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YNode, type Pair } from 'yaml';
import { didYouMean, error, hasErrors, warning, type Diagnostic, type DiagnosticArgs, type Lang, type MessageTemplate } from '../model/diagnostics.js';
import { isValidDate } from '../model/dates.js';
import type { Status, SubjectRef } from '../model/result.js';
import type { Span } from '../model/span.js';
import type { ConstValue, Policy, RuleInfo } from '../model/types.js';
import { buildFacts, type Facts, type PositionLookup, type RawSubject } from '../facts/facts.js';
import { factsFormatOf, loadFactsText } from '../facts/parse-facts.js';
import { parseOverride } from './overrides.js';
import { POLICY_TESTS_SCHEMA, type RawExpectation, type RawTestCase, type RawTestFile } from './schema.js';

/** Where something is in a test file, for people: 1-based line and column. */
export interface TestLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Explanation fragments per language. */
export type Fragments = Partial<Record<Lang, readonly string[]>>;

/** One check of a case: the expected result of one rule for one subject. */
export interface TestExpectation {
  readonly at: TestLocation;
  readonly subject: SubjectRef;
  readonly rule: string;
  readonly status: Status;
  /** Expected missing paths, compared as a set; undefined: not checked. */
  readonly missing?: readonly string[];
  /** Expected deadline (`null`: none); undefined: not checked. */
  readonly due?: string | null;
  /** Fragments the explanation must contain, per language; undefined: not checked. */
  readonly explanation?: Fragments;
  /** Expected value of a value rule (decimal or date text), compared exactly; undefined: not checked. */
  readonly value?: string;
  /** Expected shortfall (decimal text, `null`: none), compared exactly; undefined: not checked. */
  readonly shortfall?: string | null;
}

/** One test case: facts, a date, parameter overrides, and the checks. */
export interface TestCase {
  readonly name: string;
  readonly at: TestLocation;
  readonly asOf: string;
  readonly params: Readonly<Record<string, ConstValue>>;
  readonly facts: Facts;
  readonly expect: readonly TestExpectation[];
}

/** The cases of one test file. */
export interface TestSuite {
  readonly file: string;
  readonly cases: readonly TestCase[];
}

/** Reads a facts file a case names, by its path relative to the test file. */
export type FactsFileReader = (relative: string) => { readonly path: string; readonly text?: string; readonly problem?: string; readonly problemZh?: string };

/** Options of {@link parsePolicyTests}. */
export interface ParseTestsOptions {
  /** Reads facts files named by cases; without it, naming a facts file is an error (F0001). */
  readonly readFacts?: FactsFileReader;
  /** Largest test file, in characters. */
  readonly maxFileSize?: number;
}

/** The result of parsing one test file. `suite` is present only when there are no errors. */
export interface ParsedTests {
  readonly suite?: TestSuite;
  readonly diagnostics: readonly Diagnostic[];
  /** The texts diagnostics point into (the test file and the facts files it read). */
  readonly texts: ReadonlyMap<string, string>;
}

const DEFAULT_MAX_FILE = 4 * 1024 * 1024;
const MAX_ALIASES = 1000;

let compiled: ValidateFunction | undefined;

/** The schema validator: compiled on first use, once per process (the schema never changes). */
function testsValidator(): ValidateFunction {
  compiled ??= new Ajv({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true }).compile(POLICY_TESTS_SCHEMA);
  return compiled;
}

type Seg = string | number;

/** Finds YAML nodes by path in one parsed document. */
class Nodes {
  constructor(private readonly doc: Document.Parsed) {}

  private deref(n: unknown): YNode | undefined {
    if (!n || typeof n !== 'object') return undefined;
    if (isAlias(n)) return n.resolve(this.doc) as YNode | undefined;
    return n as YNode;
  }

  /** The value node at `path` and, when the last step is a mapping key, that key's node. */
  find(path: readonly Seg[]): { node?: YNode; key?: YNode } {
    let node = this.deref(this.doc.contents);
    let key: YNode | undefined;
    for (const seg of path) {
      key = undefined;
      if (isMap(node)) {
        const pair = (node.items as Pair<unknown, unknown>[]).find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return {};
        key = pair.key as YNode;
        node = this.deref(pair.value);
      } else if (isSeq(node)) {
        node = this.deref(node.items[Number(seg)]);
      } else {
        return {};
      }
    }
    return { node, key };
  }

  /** The span of the node at `path`, or of its nearest existing ancestor. */
  span(file: string, path: readonly Seg[], preferKey = false): Span {
    for (let n = path.length; n >= 0; n--) {
      const found = this.find(path.slice(0, n));
      const target = (preferKey && n === path.length ? found.key : undefined) ?? found.node ?? found.key;
      const range = target?.range;
      if (range) return { file, start: range[0], end: range[1] };
    }
    return { file, start: 0, end: 0 };
  }
}

/**
 * Parses one test file against a checked policy. Never throws on user input.
 */
export function parsePolicyTests(policy: Policy, file: string, text: string, options: ParseTestsOptions = {}): ParsedTests {
  const texts = new Map<string, string>([[file, text]]);
  const done = (diagnostics: Diagnostic[], suite?: TestSuite): ParsedTests => ({
    suite: hasErrors(diagnostics) ? undefined : suite,
    diagnostics: [...diagnostics].sort((a, b) => (a.span?.file === file ? 0 : 1) - (b.span?.file === file ? 0 : 1) || (a.span?.start ?? 0) - (b.span?.start ?? 0)),
    texts,
  });
  const at = (start: number, end = start): Span => ({ file, start, end: Math.max(start, end) });

  // 1. size
  const max = options.maxFileSize ?? DEFAULT_MAX_FILE;
  if (text.length > max) return done([error('S0009', at(0), { limit: max, size: text.length })]);

  // 2. YAML
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const yamlProblems: Diagnostic[] = doc.errors.map((e) =>
    e.code === 'DUPLICATE_KEY'
      ? duplicateKey(file, text, e.pos[0])
      : error('Y0001', at(e.pos[0], e.pos[1]), { detail: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') }),
  );
  if (yamlProblems.length) return done(yamlProblems);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch {
    return done([error('Y0004', at(0))]);
  }
  const nodes = new Nodes(doc);
  const locate = (path: readonly Seg[]): TestLocation => {
    const span = nodes.span(file, path);
    const pos = lineCounter.linePos(span.start);
    return { file, line: pos.line, column: pos.col };
  };

  // 3. schema
  const validate = testsValidator();
  if (!validate(data)) return done(schemaDiagnostics(validate.errors ?? [], nodes, file));
  const raw = data as RawTestFile;

  // 4. against the policy
  const diagnostics: Diagnostic[] = [];
  const checkDate = (value: string | undefined, path: readonly Seg[]): string | undefined => {
    if (value === undefined) return undefined;
    if (!isValidDate(value)) {
      diagnostics.push(error('T0011', nodes.span(file, path), { value }));
      return undefined;
    }
    return value;
  };
  const fileAsOf = checkDate(raw.as_of, ['as_of']);
  const fileParams = overrides(policy, raw.params, ['params'], nodes, text, file, diagnostics);
  const factsCache = new Map<string, Facts | undefined>();
  const cases: TestCase[] = [];
  raw.tests.forEach((c, ci) => {
    const here: Seg[] = ['tests', ci];
    const asOf = c.as_of === undefined ? fileAsOf : checkDate(c.as_of, [...here, 'as_of']);
    if (c.as_of === undefined && raw.as_of === undefined) diagnostics.push(error('T0010', nodes.span(file, [...here, 'name']), { name: c.name }));
    const params = { ...fileParams, ...overrides(policy, c.params, [...here, 'params'], nodes, text, file, diagnostics) };
    const facts = caseFacts(policy, c, here, nodes, file, texts, factsCache, options.readFacts, diagnostics);
    if (!facts) return;
    // Checked even when the date is bad, so one run reports every problem of the case.
    const expect = expectations(policy, c, facts, here, nodes, file, locate, diagnostics);
    if (asOf === undefined) return;
    cases.push({ name: c.name, at: locate([...here, 'name']), asOf, params, facts, expect });
  });
  return done(diagnostics, { file, cases });
}

/** Y0003 underlining the whole repeated key (`yaml` reports only where it starts). */
function duplicateKey(file: string, text: string, start: number): Diagnostic {
  const m = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:,{}[\]\n]*[^:,{}[\]\s])/.exec(text.slice(start, start + 1024));
  const key = m && m[0].length > 0 ? m[0] : text.slice(start, start + 1);
  return error('Y0003', { file, start, end: start + key.length }, { key });
}

/** Parses a `params` mapping of overrides. */
function overrides(
  policy: Policy,
  raw: Readonly<Record<string, string | number | boolean>> | undefined,
  path: readonly Seg[],
  nodes: Nodes,
  text: string,
  file: string,
  diagnostics: Diagnostic[],
): Record<string, ConstValue> {
  const out: Record<string, ConstValue> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const found = nodes.find([...path, name]);
    const range = found.node?.range ?? [0, 0, 0];
    const span: Span = { file, start: range[0], end: range[1] };
    const nameRange = found.key?.range ?? range;
    let literal = String(value);
    let offset = range[0];
    if (isScalar(found.node)) {
      if (found.node.type === 'PLAIN') literal = text.slice(range[0], range[1]);
      else if ((found.node.type === 'QUOTE_DOUBLE' || found.node.type === 'QUOTE_SINGLE') && text.slice(range[0] + 1, range[1] - 1) === literal) offset = range[0] + 1;
    }
    const parsed = parseOverride(policy, { name, nameSpan: { file, start: nameRange[0], end: nameRange[1] }, value, text: literal, offset, span });
    diagnostics.push(...parsed.diagnostics);
    if (parsed.value !== undefined) out[name] = parsed.value;
  }
  return out;
}

/** The facts of one case: inline (positions into the test file) or a facts file. */
function caseFacts(
  policy: Policy,
  c: RawTestCase,
  here: readonly Seg[],
  nodes: Nodes,
  file: string,
  texts: Map<string, string>,
  cache: Map<string, Facts | undefined>,
  readFacts: FactsFileReader | undefined,
  diagnostics: Diagnostic[],
): Facts | undefined {
  const factsPath = [...here, 'facts'];
  if (typeof c.facts === 'string') {
    const relative = c.facts;
    if (cache.has(relative)) return cache.get(relative);
    const span = nodes.span(file, factsPath);
    let facts: Facts | undefined;
    const format = factsFormatOf(relative);
    if (!format) {
      diagnostics.push(error('F0015', span, { ext: relative.includes('.') ? relative.slice(relative.lastIndexOf('.')) : relative }));
    } else if (!readFacts) {
      diagnostics.push(error('F0001', span, { detail: `${relative}: not readable here`, 'detail.zh': `${relative}（此处不能读取文件）` }));
    } else {
      const read = readFacts(relative);
      if (read.text === undefined) {
        diagnostics.push(error('F0001', span, { detail: `${read.path}: ${read.problem ?? 'unreadable'}`, 'detail.zh': `${read.path}（${read.problemZh ?? read.problem ?? '无法读取'}）` }));
      } else {
        texts.set(read.path, read.text);
        const result = loadFactsText(policy, read.path, read.text, format);
        diagnostics.push(...result.diagnostics);
        facts = result.facts;
      }
    }
    cache.set(relative, facts);
    return facts;
  }
  // Inline facts: the same top-level split as a facts file, with positions into this file.
  const positions: PositionLookup = (path) => nodes.span(file, [...factsPath, ...path]);
  const lists = new Map([...policy.kinds.values()].map((k) => [k.listKey, k]));
  const raw: RawSubject[] = [];
  let bad = false;
  for (const [key, value] of Object.entries(c.facts)) {
    const kind = lists.get(key);
    if (!kind) {
      diagnostics.push({ ...warning('F0014', nodes.span(file, [...factsPath, key], true), { name: key }), factsPath: key });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) {
      diagnostics.push({ ...error('F0004', positions([key]) ?? nodes.span(file, factsPath), { path: key, expected: 'list', actual: typeof value }), factsPath: key });
      bad = true;
      continue;
    }
    value.forEach((v: unknown, i) => raw.push({ kind, value: v, at: [key, i] }));
  }
  if (bad) return undefined;
  const result = buildFacts(policy, raw, file, positions);
  diagnostics.push(...result.diagnostics);
  return result.facts;
}

function fragmentsOf(raw: RawExpectation['explanation']): Fragments | undefined {
  if (raw === undefined) return undefined;
  const list = (v: string | readonly string[] | undefined) => (v === undefined ? undefined : typeof v === 'string' ? [v] : [...v]);
  if (typeof raw === 'string' || Array.isArray(raw)) return { zh: list(raw as string | readonly string[]) };
  const byLang = raw as { zh?: string | readonly string[]; en?: string | readonly string[] };
  const out: { zh?: readonly string[]; en?: readonly string[] } = {};
  if (byLang.zh !== undefined) out.zh = list(byLang.zh);
  if (byLang.en !== undefined) out.en = list(byLang.en);
  return out;
}

/** Resolves each check's rule and subject against the policy and the case's facts. */
function expectations(
  policy: Policy,
  c: RawTestCase,
  facts: Facts,
  here: readonly Seg[],
  nodes: Nodes,
  file: string,
  locate: (path: readonly Seg[]) => TestLocation,
  diagnostics: Diagnostic[],
): TestExpectation[] {
  const rules = new Map<string, RuleInfo>(policy.rules.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const out: TestExpectation[] = [];
  c.expect.forEach((e, ei) => {
    const path = [...here, 'expect', ei];
    const span = (key?: string) => nodes.span(file, key ? [...path, key] : path);
    const rule = rules.get(e.rule);
    if (!rule) {
      diagnostics.push(error('T0002', span('rule'), { rule: e.rule }, didYouMean(e.rule, rules.keys())));
      return;
    }
    if (e.kind !== undefined && !policy.kinds.has(e.kind)) {
      diagnostics.push(error('T0013', span('kind'), { name: e.kind }, didYouMean(e.kind, policy.kinds.keys())));
      return;
    }
    let subject: SubjectRef | undefined;
    if (e.subject === undefined) {
      const kind = e.kind ?? rule.kind;
      const ofKind = [...(facts.byKind.get(kind)?.values() ?? [])];
      if (ofKind.length !== 1) {
        diagnostics.push(error('T0006', span(), { count: ofKind.length, kind }));
        return;
      }
      subject = { kind, id: ofKind[0].id };
    } else {
      const id = String(e.subject);
      const kinds = (e.kind ? [e.kind] : [...policy.kinds.keys()]).filter((k) => facts.byKind.get(k)?.has(id));
      if (kinds.length === 0) {
        const ids = [...facts.byKind.values()].flatMap((m) => [...m.keys()]);
        diagnostics.push(error('T0003', span('subject'), { id }, didYouMean(id, ids)));
        return;
      }
      if (kinds.length > 1) {
        diagnostics.push(error('T0004', span('subject'), { id, kinds: kinds.join(', ') }));
        return;
      }
      subject = { kind: kinds[0], id };
    }
    if (subject.kind !== rule.kind) {
      diagnostics.push(error('T0005', span(e.subject === undefined ? 'kind' : 'subject'), { rule: rule.id, kind: rule.kind, id: subject.id, actual: subject.kind }));
      return;
    }
    const key = `${subject.kind}\u0000${subject.id}\u0000${rule.id}`;
    if (seen.has(key)) diagnostics.push(warning('T0012', span(), { kind: subject.kind, id: subject.id, rule: rule.id }));
    seen.add(key);
    let due: string | null | undefined = e.due;
    if (typeof due === 'string' && !isValidDate(due)) {
      diagnostics.push(error('T0011', span('due'), { value: due }));
      due = undefined;
    }
    out.push({
      at: locate(path),
      subject,
      rule: rule.id,
      status: e.status,
      missing: e.missing,
      due,
      explanation: fragmentsOf(e.explanation),
      ...(e.value !== undefined ? { value: String(e.value) } : {}),
      ...(e.shortfall !== undefined ? { shortfall: e.shortfall === null ? null : String(e.shortfall) } : {}),
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Schema errors

const TYPE_WORDS: Record<string, { zh: string; en: string }> = {
  string: { zh: '字符串', en: 'a string' },
  number: { zh: '数字', en: 'a number' },
  integer: { zh: '整数', en: 'an integer' },
  boolean: { zh: '布尔值', en: 'a boolean' },
  object: { zh: '映射', en: 'a mapping' },
  array: { zh: '列表', en: 'a list' },
  null: { zh: '空值', en: 'nothing' },
};

function words(types: readonly string[], lang: Lang): string {
  const ws = types.map((t) => TYPE_WORDS[t]?.[lang] ?? t);
  if (ws.length <= 1) return ws[0] ?? '';
  const init = ws.slice(0, -1).join(lang === 'zh' ? '、' : ', ');
  return lang === 'zh' ? `${init}或${ws[ws.length - 1]}` : `${init} or ${ws[ws.length - 1]}`;
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isInteger(v)) return 'integer';
  return typeof v;
}

function both(zh: string, en: string): DiagnosticArgs {
  return { detail: en, 'detail.zh': zh, 'detail.en': en };
}

/** `tests[2].expect[0].status`. */
export function testsPath(path: readonly Seg[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || /^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function parsePointer(pointer: string): Seg[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Turns ajv's errors into Y0002 diagnostics at the YAML node they are about, one per node. */
function schemaDiagnostics(errors: readonly ErrorObject[], nodes: Nodes, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'propertyNames' || e.keyword === 'if') continue; // the inner error says more
    let path = parsePointer(e.instancePath);
    let pointAtKey = false;
    let help: MessageTemplate | undefined;
    let args: DiagnosticArgs;
    const params = e.params as Record<string, unknown>;
    const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
    if (propertyName !== undefined) {
      path = [...path, propertyName];
      pointAtKey = true;
    }
    switch (e.keyword) {
      case 'required': {
        const p = String(params.missingProperty);
        args = both(`缺少 \`${p}\``, `missing \`${p}\``);
        break;
      }
      case 'additionalProperties': {
        const k = String(params.additionalProperty);
        path = [...path, k];
        pointAtKey = true;
        args = both(`未知的键 \`${k}\``, `unknown key \`${k}\``);
        help = didYouMean(k, Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}));
        break;
      }
      case 'type': {
        const expected = String(params.type).split(',');
        const actual = jsonType(e.data);
        args = both(`应为${words(expected, 'zh')}，实际为${words([actual], 'zh')}`, `expected ${words(expected, 'en')}, found ${words([actual], 'en')}`);
        break;
      }
      case 'enum': {
        const allowed = ((params.allowedValues as unknown[]) ?? []).map(String);
        args = both(`应为 ${allowed.map((a) => `\`${a}\``).join('、')} 之一`, `expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
        help = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
        break;
      }
      case 'pattern': {
        const v = propertyName ?? String(e.data);
        args = String(params.pattern).includes('\\d{4}')
          ? both(`\`${v}\` 不是 YYYY-MM-DD 形式的日期`, `\`${v}\` is not a date of the form YYYY-MM-DD`)
          : both(`\`${v}\` 不是有效的名称`, `\`${v}\` is not a valid name`);
        break;
      }
      case 'minItems':
        args = both(`至少需要 ${String(params.limit)} 项`, `needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`);
        break;
      case 'minLength':
        args = both('不能为空', 'must not be empty');
        break;
      case 'minProperties':
        args = both('至少需要 `zh` 或 `en`', 'needs `zh` or `en`');
        break;
      default:
        args = both(e.message ?? e.keyword, e.message ?? e.keyword);
    }
    const span = nodes.span(file, path, pointAtKey);
    const where = testsPath(path);
    const id = `${span.start}:${e.keyword}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(error('Y0002', span, { ...args, where: where === '' ? '(top level)' : where, 'where.zh': where === '' ? '文件顶层' : where }, help));
  }
  return out;
}
