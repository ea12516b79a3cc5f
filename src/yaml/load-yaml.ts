/**
 * YAML rule files -> the same AST as `.clause` files. The YAML form is a second spelling of
 * the DSL, declaration for declaration (see `schema.ts` for the shape and the JSON Schema):
 * `stripSpans` of the declarations is equal for equivalent files.
 *
 * The stages. Stages 1-4 stop the pipeline when they find a problem, so no later stage sees
 * input it was not written for (hostile nesting, bombs, broken YAML); stages 5 and 6 run
 * together, so one pass reports schema problems and expression problems alike:
 *
 * 1. size                  S0009 before anything is parsed;
 * 2. CST scan              `yaml`'s concrete syntax tree is built iteratively, so it is safe
 *                          on hostile nesting; the scan refuses nesting deeper than
 *                          `maxYamlDepth` (S0010), tags other than the core ones (Y0005) and
 *                          a second document (Y0006) before any node is composed;
 * 3. compose               syntax errors (Y0001), duplicate keys (Y0003);
 * 4. aliases               an alias must name an earlier anchor (Y0001); the document with
 *                          every alias expanded must stay within `maxAliasExpansion` extra
 *                          nodes and `maxYamlDepth` levels (Y0004, S0010): this is what
 *                          stops a billion-laughs bomb, before anything expands an alias;
 * 5. schema                ajv against `POLICY_SCHEMA` (Y0002, `where` = the YAML path);
 * 6. declarations          the AST; expressions inside scalars are parsed by the DSL's own
 *                          `parseExpression` (S-codes), dates are checked (S0006).
 *
 * Positions: every diagnostic and node span is an offset into the YAML text. An expression
 * scalar is parsed from its source text, so spans inside it are exact, when that text says
 * the same as the scalar's value up to whitespace (plain scalars, quoted scalars without
 * escapes, block scalars: YAML only changes whitespace there, which the DSL ignores). When an
 * escape or `''` changes the text, the value is parsed instead and every span inside it
 * covers the whole scalar (so it starts at the scalar's start).
 *
 * Stage 6 reads a document that may still violate the schema: it takes what has the expected
 * shape and skips the rest, which the schema has reported already.
 *
 * YAML comments are not kept (`comments` is empty): the formatter works on `.clause` files.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Composer, Parser, isAlias, isMap, isScalar, isSeq, type Alias, type CST, type Node as YNode, type Pair, type Scalar } from 'yaml';
import type * as A from '../model/ast.js';
import { isValidDate } from '../model/dates.js';
import { didYouMean, error, warning, type Diagnostic, type DiagnosticArgs, type MessageTemplate } from '../model/diagnostics.js';
import type { Span } from '../model/span.js';
import { DEFAULT_PARSE_LIMITS, parseExpression, type ParseLimits, type ParseResult } from '../syntax/parse.js';
import { PATTERNS, POLICY_SCHEMA, type DefinitionName } from './schema.js';

/** Limits for YAML rule files: the DSL's limits plus two that only YAML needs. */
export interface YamlParseLimits extends ParseLimits {
  /** Deepest nesting of YAML collections, counted after alias expansion. */
  readonly maxYamlDepth: number;
  /** Most nodes that alias expansion may add to the document. */
  readonly maxAliasExpansion: number;
}

/** Defaults: real policy files nest about six levels deep and rarely use aliases at all. */
export const DEFAULT_YAML_LIMITS: YamlParseLimits = { ...DEFAULT_PARSE_LIMITS, maxYamlDepth: 100, maxAliasExpansion: 10_000 };

/** Tags that only restate what the core schema infers; every other tag is refused. */
const CORE_TAGS = new Set(['!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq']);

/** zh wording for `yaml`'s error codes; the library's English message is the en wording. */
const YAML_ERROR_ZH: Record<string, string> = {
  BAD_INDENT: '缩进不正确',
  BLOCK_AS_IMPLICIT_KEY: '紧凑映射中不能嵌套映射，取值中含 `: ` 时需要加引号',
  MISSING_CHAR: '缺少必要的字符',
  UNEXPECTED_TOKEN: '意外的内容',
  MULTILINE_IMPLICIT_KEY: '键不能跨行',
  TAB_AS_INDENT: '不能用制表符缩进',
  BAD_SCALAR_START: '标量不能以该字符开头，需要加引号',
  BAD_DQ_ESCAPE: '双引号字符串中的转义无效',
  BLOCK_IN_FLOW: '流式集合中不能出现块结构',
  BAD_ALIAS: '别名无效',
  ALIAS_PROPS: '别名不能带锚点或标签',
  BAD_DIRECTIVE: '指令无效',
  BAD_PROP_ORDER: '锚点和标签的位置不正确',
  MULTIPLE_ANCHORS: '一个节点只能有一个锚点',
  MULTIPLE_TAGS: '一个节点只能有一个标签',
  KEY_OVER_1024_CHARS: '键超过 1024 个字符',
  NON_STRING_KEY: '键必须是字符串',
  BAD_COLLECTION_TYPE: '集合类型不正确',
  IMPOSSIBLE: '内部错误',
};

type Seg = string | number;

interface Content {
  /** The text to hand to the DSL parser. */
  readonly text: string;
  /** Where `text` starts in the file. */
  readonly offset: number;
  /** Whether offsets inside `text` map one-to-one onto the file. */
  readonly exact: boolean;
}

/**
 * Parses a YAML rule file into the AST of `.clause` files. Never throws on user input: every
 * problem is a diagnostic with a span into `text`.
 */
export function parseYamlPolicyFile(file: string, text: string, limits: ParseLimits | YamlParseLimits = DEFAULT_YAML_LIMITS): ParseResult<A.SourceFileAst> {
  const lim: YamlParseLimits = { ...DEFAULT_YAML_LIMITS, ...limits };
  try {
    return loadYaml(file, text, lim);
  } catch (e) {
    // The nesting checks should make this unreachable; keep it as the last line of defence.
    if (e instanceof RangeError) {
      const empty: A.SourceFileAst = { kind: 'file', path: file, decls: [], comments: [], span: { file, start: 0, end: text.length } };
      return { value: empty, diagnostics: [error('S0010', { file, start: 0, end: 0 }, { limit: lim.maxYamlDepth })] };
    }
    throw e;
  }
}

function loadYaml(file: string, text: string, lim: YamlParseLimits): ParseResult<A.SourceFileAst> {
  const empty: A.SourceFileAst = { kind: 'file', path: file, decls: [], comments: [], span: { file, start: 0, end: text.length } };
  const stop = (diagnostics: Diagnostic[]): ParseResult<A.SourceFileAst> => ({ value: empty, diagnostics: finish(diagnostics, lim) });
  // `yaml` reports some errors one past the end of the text: clamp into the file.
  const clamp = (n: number) => Math.max(0, Math.min(n, text.length));
  const at = (start: number, end = start): Span => ({ file, start: clamp(start), end: clamp(Math.max(start, end)) });

  // 1. size
  if (text.length > lim.maxFileSize) return stop([error('S0009', at(0), { limit: lim.maxFileSize, size: text.length })]);

  // 2. CST scan
  const tokens = Array.from(new Parser().parse(text));
  const scan = scanCst(tokens, lim.maxYamlDepth);
  if (scan.tooDeep !== undefined) return stop([error('S0010', at(scan.tooDeep, scan.tooDeep + 1), { limit: lim.maxYamlDepth })]);
  if (scan.documents.length > 1) {
    const second = scan.documents[1];
    return stop([error('Y0006', at(second, second + (text.startsWith('---', second) ? 3 : 1)))]);
  }
  if (scan.badTags.length > 0) return stop(scan.badTags.map((t) => error('Y0005', at(t.offset, t.offset + t.source.length), { tag: t.source })));

  // 3. compose
  // The core schema whatever a `%YAML 1.1` directive says: no timestamps, no `yes` booleans.
  const composer = new Composer({ schema: 'core', uniqueKeys: true, keepSourceTokens: true, prettyErrors: false });
  const doc = Array.from(composer.compose(tokens, true, text.length))[0];
  if (!doc) return { value: empty, diagnostics: [] };
  const yamlProblems: Diagnostic[] = [];
  let syntaxReported = false;
  for (const e of doc.errors) {
    const span = at(e.pos[0], e.pos[1]);
    if (e.code === 'DUPLICATE_KEY') {
      // `yaml` marks the key's first character: underline the whole key.
      const key = keyStartingAt(doc.contents as YNode | null, e.pos[0]);
      const keySpan = key?.range ? at(key.range[0], key.range[1]) : span;
      yamlProblems.push(error('Y0003', keySpan, { key: key ? String(key.value) : text.slice(span.start, span.end) }));
    } else if (!syntaxReported) {
      // Only the first: what `yaml` reports after a syntax error is mostly its consequences.
      syntaxReported = true;
      // `effective：2021-01-01` typed with a Chinese input method: say so at the colon rather
      // than report what the YAML parser makes of a key without its `:`.
      const colons = fullWidthKeyColons(text);
      if (colons.length > 0) yamlProblems.push(...colons.map((c) => error('S0310', at(c, c + 1), { found: '：', fix: ':' })));
      else yamlProblems.push(error('Y0001', span, yamlDetail(e.code, e.message)));
    }
  }
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') yamlProblems.push(warning('Y0001', at(w.pos[0], w.pos[1]), yamlDetail(w.code, w.message)));
  }
  if (yamlProblems.some((d) => d.severity === 'error')) return stop(yamlProblems);
  const root = doc.contents as YNode | null;
  if (!root || (isScalar(root) && root.value === null)) return { value: empty, diagnostics: finish(yamlProblems, lim) };

  // 4. aliases
  const aliases = analyseAliases(root, lim);
  if (aliases.problem) {
    const p = aliases.problem;
    const span = at(p.node.range?.[0] ?? 0, p.node.range?.[1] ?? 0);
    if (p.code === 'Y0001') return stop([...yamlProblems, error('Y0001', span, unknownAliasDetail(p.node.source))]);
    return stop([...yamlProblems, p.code === 'S0010' ? error('S0010', span, { limit: lim.maxYamlDepth }) : error('Y0004', span)]);
  }

  // 5. schema
  const data = toJson(root, aliases.targets);
  const nodes = new NodeFinder(root, aliases.targets);
  const validate = policyValidator();
  const schemaProblems = validate(data) ? [] : schemaDiagnostics(validate.errors ?? [], nodes, file);

  // 6. declarations
  const builder = new DeclBuilder(file, text, aliases.targets, lim);
  const decls = builder.file(root);
  const value: A.SourceFileAst = { ...empty, decls };
  return { value, diagnostics: finish([...yamlProblems, ...schemaProblems, ...builder.diagnostics], lim) };
}

/** Sorts by position and caps the count, as the DSL parser does. */
function finish(diagnostics: Diagnostic[], limits: ParseLimits): Diagnostic[] {
  const sorted = [...diagnostics].sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  if (sorted.length <= limits.maxErrors) return sorted;
  const kept = sorted.slice(0, limits.maxErrors);
  // Pointed at the first diagnostic left out, so a reader knows where the silence starts.
  const next = sorted[limits.maxErrors].span;
  kept.push(warning('S0012', next ? { ...next, end: next.start } : undefined, { limit: limits.maxErrors }));
  return kept;
}

function yamlDetail(code: string, message: string): DiagnosticArgs {
  const en = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const zh = YAML_ERROR_ZH[code];
  return { detail: en, 'detail.en': en, 'detail.zh': zh ? `${zh}（${en}）` : en };
}

function unknownAliasDetail(name: string): DiagnosticArgs {
  const en = `alias \`*${name}\` refers to no earlier anchor \`&${name}\``;
  return { detail: en, 'detail.en': en, 'detail.zh': `别名 \`*${name}\` 之前没有对应的锚点 \`&${name}\`` };
}

// ---------------------------------------------------------------------------------------------
// Stage 2: the CST scan

interface CstScan {
  /** Offset of the first collection nested deeper than the limit. */
  tooDeep?: number;
  /** Offsets of the top-level documents. */
  documents: number[];
  badTags: { offset: number; source: string }[];
}

/**
 * Walks the CST with an explicit stack (it may be arbitrarily deep: this is the guard),
 * through every place the grammar allows properties, so no tag escapes.
 */
function scanCst(tokens: readonly CST.Token[], maxDepth: number): CstScan {
  const result: CstScan = { documents: [], badTags: [] };
  const stack: [CST.Token, number][] = [];
  const push = (t: CST.Token | null | undefined, depth: number) => {
    if (t) stack.push([t, depth]);
  };
  const pushAll = (ts: readonly CST.Token[] | undefined, depth: number) => {
    if (ts) for (const t of ts) if (t.type === 'tag') stack.push([t, depth]);
  };
  const pushItems = (items: readonly CST.CollectionItem[], depth: number) => {
    for (const it of items) {
      pushAll(it.start, depth);
      pushAll(it.sep, depth);
      push(it.key, depth);
      push(it.value, depth);
    }
  };
  for (const t of tokens) {
    if (t.type === 'document') result.documents.push(t.offset);
    push(t, 0);
  }
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    switch (t.type) {
      case 'tag':
        if (!CORE_TAGS.has(t.source)) result.badTags.push({ offset: t.offset, source: t.source });
        break;
      case 'document':
        pushAll(t.start, depth);
        push(t.value, depth);
        break;
      case 'block-scalar':
        pushAll(t.props, depth);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > maxDepth) {
          if (result.tooDeep === undefined || t.offset < result.tooDeep) result.tooDeep = t.offset;
          break;
        }
        pushItems(t.items, depth + 1);
        break;
      default:
        break;
    }
  }
  result.badTags.sort((a, b) => a.offset - b.offset);
  return result;
}

/** The scalar mapping key that starts at `offset`, if any (iterative: nesting is bounded, but cheaply). */
function keyStartingAt(root: YNode | null, offset: number): Scalar | undefined {
  const stack: YNode[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isMap(node)) {
      for (const p of node.items as Pair<unknown, unknown>[]) {
        if (isScalar(p.key) && p.key.range?.[0] === offset) return p.key;
      }
    }
    for (const c of childrenOf(node)) stack.push(c);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Stage 4: aliases

interface AliasAnalysis {
  /** What each alias stands for. */
  readonly targets: Map<Alias, YNode>;
  readonly problem?: { code: 'Y0001' | 'Y0004' | 'S0010'; node: Alias };
}

function childrenOf(node: YNode): YNode[] {
  if (isMap(node)) {
    const out: YNode[] = [];
    for (const p of node.items as Pair<unknown, unknown>[]) {
      if (p.key && typeof p.key === 'object') out.push(p.key as YNode);
      if (p.value && typeof p.value === 'object') out.push(p.value as YNode);
    }
    return out;
  }
  if (isSeq(node)) return (node.items as unknown[]).filter((n): n is YNode => !!n && typeof n === 'object');
  return [];
}

/**
 * Resolves every alias the way YAML defines it (the latest anchor of that name before the
 * alias) and measures the document as if every alias were expanded, without expanding any.
 * Sizes are computed in post-order: an alias's anchor precedes it in document order, so its
 * size is known, unless the anchor encloses the alias (a recursive alias: infinite).
 */
function analyseAliases(root: YNode, limits: YamlParseLimits): AliasAnalysis {
  const targets = new Map<Alias, YNode>();
  const anchors = new Map<string, YNode>();
  const size = new Map<YNode, number>();
  const depth = new Map<YNode, number>();
  let realNodes = 0;
  let biggest: { alias: Alias; size: number } | undefined;
  const stack: { node: YNode; exit: boolean; level: number }[] = [{ node: root, exit: false, level: 0 }];
  while (stack.length > 0) {
    const { node, exit, level } = stack.pop()!;
    if (!exit) {
      realNodes++;
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (!target) return { targets, problem: { code: 'Y0001', node } };
        targets.set(node, target);
      } else if (node.anchor) {
        anchors.set(node.anchor, node);
      }
      stack.push({ node, exit: true, level });
      const children = childrenOf(node);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], exit: false, level: level + 1 });
      continue;
    }
    if (isAlias(node)) {
      const target = targets.get(node)!;
      const s = size.get(target);
      const d = depth.get(target);
      if (s === undefined || d === undefined) return { targets, problem: { code: 'Y0004', node } };
      size.set(node, s);
      depth.set(node, d);
      if (!biggest || s > biggest.size) biggest = { alias: node, size: s };
      if (level + d > limits.maxYamlDepth) return { targets, problem: { code: 'S0010', node } };
    } else {
      let s = 1;
      let d = 0;
      for (const c of childrenOf(node)) {
        s = Math.min(Number.MAX_SAFE_INTEGER, s + (size.get(c) ?? 0));
        d = Math.max(d, depth.get(c) ?? 0);
      }
      size.set(node, s);
      depth.set(node, isMap(node) || isSeq(node) ? d + 1 : 0);
    }
  }
  const expanded = size.get(root) ?? 0;
  if (biggest && expanded - realNodes > limits.maxAliasExpansion) return { targets, problem: { code: 'Y0004', node: biggest.alias } };
  return { targets };
}

// ---------------------------------------------------------------------------------------------
// Stage 5: the schema

let compiled: ValidateFunction | undefined;

/** The compiled validator, built on first use (compiling costs more than most validations). */
function policyValidator(): ValidateFunction {
  compiled ??= new Ajv({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true }).compile(POLICY_SCHEMA);
  return compiled;
}

const DEFINITION_OF = new Map<unknown, DefinitionName>(
  Object.entries(POLICY_SCHEMA.definitions as Record<string, unknown>).map(([name, schema]) => [schema, name as DefinitionName]),
);

const TYPE_WORDS: Record<string, { zh: string; en: string }> = {
  string: { zh: '字符串', en: 'a string' },
  number: { zh: '数字', en: 'a number' },
  integer: { zh: '整数', en: 'an integer' },
  boolean: { zh: '布尔值', en: 'a boolean' },
  object: { zh: '映射', en: 'a mapping' },
  array: { zh: '列表', en: 'a list' },
  null: { zh: '空值', en: 'nothing' },
};

function typeOfJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function words(types: readonly string[], lang: 'zh' | 'en'): string {
  const ws = types.map((t) => TYPE_WORDS[t]?.[lang] ?? t);
  if (ws.length <= 1) return ws[0] ?? '';
  const init = ws.slice(0, -1).join(lang === 'zh' ? '、' : ', ');
  return lang === 'zh' ? `${init}或${ws[ws.length - 1]}` : `${init} or ${ws[ws.length - 1]}`;
}

/** Finds the YAML node at a JSON path, following aliases. */
class NodeFinder {
  constructor(private readonly root: YNode, private readonly targets: Map<Alias, YNode>) {}

  deref(n: YNode | null | undefined): YNode | undefined {
    if (!n) return undefined;
    return isAlias(n) ? this.targets.get(n) : n;
  }

  /** The value node at `path`, and the key node of its pair when the last step is a key. */
  find(path: readonly Seg[]): { node?: YNode; key?: YNode } {
    let node: YNode | undefined = this.root;
    let key: YNode | undefined;
    for (const seg of path) {
      const here = this.deref(node);
      key = undefined;
      if (isMap(here)) {
        const pair = findPairByKey(here.items as Pair<unknown, unknown>[], String(seg));
        key = pair?.key as YNode | undefined;
        node = (pair?.value ?? undefined) as YNode | undefined;
        if (!pair) return {};
      } else if (isSeq(here)) {
        node = here.items[Number(seg)] as YNode | undefined;
      } else {
        return {};
      }
    }
    return { node, key };
  }
}

/**
 * The document as JSON for ajv, aliases replaced by what they stand for. Built here rather
 * than by `yaml`'s `toJS` so the cost is bounded by the check of stage 4 and keys such as
 * `__proto__` stay plain data. Recursion is safe: stage 4 bounds the expanded depth.
 */
function toJson(node: YNode | undefined, targets: Map<Alias, YNode>): unknown {
  const n = node && isAlias(node) ? targets.get(node) : node;
  if (isMap(n)) {
    const out: Record<string, unknown> = {};
    for (const p of n.items as Pair<unknown, unknown>[]) {
      const key = keyText(p.key) ?? String(toJson(p.key as YNode, targets));
      Object.defineProperty(out, key, { value: toJson(p.value as YNode | undefined, targets), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (isSeq(n)) return (n.items as unknown[]).map((i) => toJson(i as YNode | undefined, targets));
  if (isScalar(n)) return n.value ?? null;
  return null;
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  return key.value === null ? '' : String(key.value);
}

function findPairByKey(items: Pair<unknown, unknown>[], key: string): Pair<unknown, unknown> | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (keyText(items[i].key) === key) return items[i];
  return undefined;
}

function parsePointer(pointer: string): Seg[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const SIMPLE_SEGMENT = new RegExp(`^${PATTERNS.name.slice(1, -1)}$`, 'u');

/** `rules[2].cite`, `kinds.institution.fields["posts.total"]`. */
export function yamlPath(path: readonly Seg[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || /^\d+$/.test(seg)) out += `[${seg}]`;
    else if (SIMPLE_SEGMENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function both(zh: string, en: string): DiagnosticArgs {
  return { detail: en, 'detail.zh': zh, 'detail.en': en };
}

/** Wording for a failed `pattern` or `not`, per definition: users see names, not regexes. */
function patternDetail(def: DefinitionName | 'effective' | undefined, value: string): DiagnosticArgs {
  const v = JSON.stringify(value).slice(1, -1);
  switch (def) {
    case 'identifier':
    case 'memberName':
      return both(`\`${v}\` 不是有效的名称（字母、数字、下划线或汉字，可含中间连字符）`, `\`${v}\` is not a valid name (letters, digits, underscores or CJK characters, inner hyphens allowed)`);
    case 'fieldName':
      return both(`\`${v}\` 不是有效的字段名`, `\`${v}\` is not a valid field name`);
    case 'typeRef':
    case 'fieldDecl':
      return both(`\`${v}\` 不是有效的类型（应为类型名或 \`list 类型名\`）`, `\`${v}\` is not a valid type (expected a type name or \`list name\`)`);
    case 'date':
    case 'effective':
      return both(`\`${v}\` 不是 YYYY-MM-DD 形式的日期`, `\`${v}\` is not a date of the form YYYY-MM-DD`);
    case 'forClause':
      return both(`\`${v}\` 应为 \`主体类型 变量\`，如 \`institution i\``, `\`${v}\` should be \`kind variable\`, e.g. \`institution i\``);
    default:
      return both(`\`${v}\` 的格式不正确`, `\`${v}\` is not well formed`);
  }
}

/** Offsets of full-width colons typed after a key (`  from：2021-01-01`, `- id：r`). */
function fullWidthKeyColons(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/^([ \t]*(?:-[ \t]+)?[A-Za-z_][\w.-]*[ \t]*)：/gm)) out.push(m.index + m[1].length);
  return out;
}

/** `2022年1月5日`, `2022/1/5`, `2022.1.5`, `2022-1-5` as `2022-01-05`; undefined for anything else. */
function looseDate(text: string): string | undefined {
  const m = /^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*$/.exec(text);
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : undefined;
}

/** Turns ajv's errors into Y0002 diagnostics pointing at the YAML node they are about. */
function schemaDiagnostics(errors: readonly ErrorObject[], nodes: NodeFinder, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'propertyNames') continue; // its inner error, with `propertyName`, says more
    const base = parsePointer(e.instancePath);
    let path = base;
    let pointAtKey = false;
    let args: DiagnosticArgs;
    let help: MessageTemplate | undefined;
    let loose: string | undefined;
    const params = e.params as Record<string, unknown>;
    const def = DEFINITION_OF.get(e.parentSchema) ?? (e.parentSchema === (POLICY_SCHEMA.properties as Record<string, unknown>).effective ? 'effective' : undefined);
    const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
    if (propertyName !== undefined) {
      path = [...base, propertyName];
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
        path = [...base, k];
        pointAtKey = true;
        args = both(`未知的键 \`${k}\``, `unknown key \`${k}\``);
        const known = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
        help = didYouMean(k, known);
        break;
      }
      case 'type': {
        const expected = String(params.type).split(',');
        const actual = typeOfJson(e.data);
        args = both(`应为${words(expected, 'zh')}，实际为${words([actual], 'zh')}`, `expected ${words(expected, 'en')}, found ${words([actual], 'en')}`);
        break;
      }
      case 'pattern':
        args = patternDetail(def, propertyName ?? String(e.data));
        loose = def === 'date' || def === 'effective' ? looseDate(String(e.data)) : undefined;
        break;
      case 'not': {
        const v = propertyName ?? String(e.data);
        args = both(`\`${v}\` 是关键字，不能用作名称`, `\`${v}\` is a keyword and cannot be used as a name`);
        break;
      }
      case 'enum': {
        const allowed = ((params.allowedValues as unknown[]) ?? []).map((v) => `\`${String(v)}\``);
        args = both(`应为 ${allowed.join('、')} 之一`, `expected one of ${allowed.join(', ')}`);
        break;
      }
      case 'false schema': {
        const other = /\/dependencies\/([^/]+)\//.exec(e.schemaPath)?.[1] ?? '';
        const k = String(base[base.length - 1] ?? '');
        pointAtKey = true;
        args = both(`\`${k}\` 不能与 \`${other}\` 同时使用`, `\`${k}\` cannot be used together with \`${other}\``);
        break;
      }
      case 'dependencies': {
        const p = String(params.property);
        const m = String(params.missingProperty);
        path = [...base, p];
        pointAtKey = true;
        args = both(`使用 \`${p}\` 时必须同时有 \`${m}\``, `\`${p}\` needs \`${m}\` as well`);
        break;
      }
      case 'minItems': {
        const n = Number(params.limit);
        args = base.length >= 2 && base[base.length - 2] === 'rows'
          ? both('表的一行至少要有一个键和一个结果', 'a table row needs at least one key and a result')
          : both(`至少需要 ${n} 项`, `needs at least ${n} item${n === 1 ? '' : 's'}`);
        break;
      }
      default:
        args = both(e.message ?? e.keyword, e.message ?? e.keyword);
    }
    const where = yamlPath(path);
    const found = nodes.find(path);
    const target = (pointAtKey ? found.key : found.node) ?? found.key ?? found.node ?? nodes.find(base).node;
    const range = target?.range;
    const span: Span = { file, start: range?.[0] ?? 0, end: range?.[1] ?? 0 };
    const id = `${span.start}:${e.keyword}:${JSON.stringify(args)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    // `2022年12月31日` where a date belongs: the same message as in a .clause file.
    if (loose) out.push(error('S0311', span, { found: String(e.data), fix: loose }));
    else out.push(error('Y0002', span, { ...args, where: where === '' ? '(top level)' : where, 'where.zh': where === '' ? '文件顶层' : where }, help));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Stage 6: declarations

/**
 * Replaces every span in a freshly parsed expression (not yet shared with anyone, so it may be
 * changed in place). Iterative: operator chains can be deeper than the call stack.
 */
function respan(root: A.Expr, span: Span): void {
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'span' || k.endsWith('Span')) node[k] = span;
      else if (v !== null && typeof v === 'object') stack.push(v);
    }
  }
}

interface Entry {
  readonly key: string;
  readonly keyNode: Scalar;
  /** The value with aliases resolved; undefined when the pair has no value. */
  readonly value: YNode | undefined;
  /** From the key to the end of the value. */
  readonly span: Span;
}

const HEADER_KEYS = new Set(['policy', 'version', 'title', 'source', 'effective', 'extends', 'numbering']);
const MODALITIES = new Set(['must', 'should', 'may']);
const TYPE_REF = /^(list[ \t]+)?(\S*?)(?:[ \t]+in[ \t]+(\S+))?$/;
const FOR_CLAUSE = /^(\S+)([ \t]+)(\S+)$/;

/**
 * Builds declarations from a document that may still hold schema errors (they are reported
 * already): every accessor checks the shape it reads and skips what does not fit, so this
 * stage adds no diagnostics of its own beyond expressions and dates.
 */
class DeclBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly fileName: string,
    private readonly text: string,
    private readonly targets: Map<Alias, YNode>,
    private readonly limits: ParseLimits,
  ) {}

  // --- generic accessors

  private deref(n: unknown): YNode | undefined {
    if (!n || typeof n !== 'object') return undefined;
    const node = n as YNode;
    return isAlias(node) ? this.targets.get(node) : node;
  }

  private span(n: YNode | undefined, fallback?: Span): Span {
    const r = n?.range;
    if (!r) return fallback ?? { file: this.fileName, start: 0, end: 0 };
    return { file: this.fileName, start: r[0], end: r[1] };
  }

  private entries(n: YNode | undefined): Entry[] {
    if (!isMap(n)) return [];
    const out: Entry[] = [];
    for (const p of n.items as Pair<unknown, unknown>[]) {
      const key = keyText(p.key);
      if (key === undefined) continue;
      const keyNode = p.key as Scalar;
      const value = this.deref(p.value);
      const keySpan = this.span(keyNode);
      const end = (p.value as YNode | null)?.range?.[1] ?? keySpan.end;
      out.push({ key, keyNode, value, span: { ...keySpan, end: Math.max(keySpan.end, end) } });
    }
    return out;
  }

  private get(n: YNode | undefined, key: string): Entry | undefined {
    const es = this.entries(n);
    for (let i = es.length - 1; i >= 0; i--) if (es[i].key === key) return es[i];
    return undefined;
  }

  private items(n: YNode | undefined): YNode[] {
    if (!isSeq(n)) return [];
    return (n.items as unknown[]).map((i) => this.deref(i)).filter((i): i is YNode => !!i);
  }

  private boolOf(n: YNode | undefined): boolean {
    return isScalar(n) && n.value === true;
  }

  private stringOf(n: YNode | undefined): string | undefined {
    return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
  }

  /**
   * The text of a scalar for the DSL parser. YAML only rewrites whitespace in plain, block and
   * escape-free quoted scalars, and the DSL ignores whitespace, except that a DSL string
   * literal cannot span lines: when the source text agrees with the value on that, it is
   * parsed in place (exact offsets), otherwise the value is parsed at the scalar's start.
   */
  private content(n: Scalar): Content | undefined {
    const r = n.range;
    if (!r) return undefined;
    const raw = this.text.slice(r[0], r[1]);
    let text = raw;
    let offset = r[0];
    if (n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE') {
      text = raw.slice(1, -1);
      offset = r[0] + 1;
    } else if (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED') {
      const nl = raw.indexOf('\n');
      text = nl < 0 ? '' : raw.slice(nl + 1);
      offset = r[0] + (nl < 0 ? raw.length : nl + 1);
    }
    const value = typeof n.value === 'string' ? n.value : n.source ?? String(n.value);
    const squash = (s: string) => s.replace(/[ \t\r\n]+/g, ' ').trim();
    // A DSL string literal ends at a line break; YAML folds some line breaks into spaces.
    const linesClosed = !text.includes('\n') || text.split('\n').every((line) => (line.match(/(?<!\\)"/g)?.length ?? 0) % 2 === 0);
    if (squash(text) === squash(value) && linesClosed) return { text, offset, exact: true };
    return { text: value, offset: r[0], exact: false };
  }

  /** The span of a scalar's content (inside quotes when that is exact). */
  private contentSpan(n: YNode | undefined): Span {
    if (!isScalar(n)) return this.span(n);
    const c = this.content(n);
    if (!c?.exact) return this.span(n);
    const lead = c.text.length - c.text.trimStart().length;
    return { file: this.fileName, start: c.offset + lead, end: c.offset + c.text.trimEnd().length };
  }

  private expr(n: YNode | undefined): A.Expr | undefined {
    if (!isScalar(n) || n.value === null || typeof n.value === 'object') return undefined;
    const c = this.content(n);
    if (!c) return undefined;
    if (c.exact) {
      const parsed = parseExpression(c.text, this.fileName, c.offset, this.limits);
      this.diagnostics.push(...parsed.diagnostics);
      return parsed.value;
    }
    // Offsets into the unescaped value are not offsets into the file: point at the scalar.
    const whole = this.span(n);
    const parsed = parseExpression(c.text, this.fileName, 0, this.limits);
    this.diagnostics.push(...parsed.diagnostics.map((d) => (d.span ? { ...d, span: whole } : d)));
    if (parsed.value) respan(parsed.value, whole);
    return parsed.value;
  }

  /** An expression where the AST needs one: a missing one is an empty name, as in the DSL. */
  private exprOrMissing(n: YNode | undefined, fallback: Span): A.Expr {
    return this.expr(n) ?? { kind: 'name', name: '', span: n ? this.span(n) : fallback };
  }

  private stringLit(n: YNode | undefined): A.StringLit | undefined {
    const s = this.stringOf(n);
    return s === undefined ? undefined : { kind: 'string', value: s, span: this.span(n) };
  }

  private date(n: YNode | undefined): A.DateLit | undefined {
    const s = this.stringOf(n);
    if (s === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
    const span = this.contentSpan(n);
    if (!isValidDate(s)) this.diagnostics.push(error('S0006', span, { text: s }));
    return { kind: 'date', value: s, span };
  }

  private label(n: YNode | undefined): A.Label | undefined {
    const s = this.stringOf(n);
    if (s !== undefined) return { zh: s, span: this.span(n) };
    const zh = this.stringOf(this.get(n, 'zh')?.value);
    if (!isMap(n) || zh === undefined) return undefined;
    return { zh, en: this.stringOf(this.get(n, 'en')?.value), span: this.span(n) };
  }

  private typeRef(n: YNode | undefined, fallback: Span): A.TypeRef {
    const s = this.stringOf(n);
    const m = s === undefined ? null : TYPE_REF.exec(s.trim());
    if (!m) return { kind: 'type', name: '', list: false, span: n ? this.span(n) : fallback };
    const span = this.contentSpan(n);
    const ref: A.TypeRef = { kind: 'type', name: m[2], list: m[1] !== undefined, span };
    return m[3] !== undefined ? { ...ref, unit: m[3], unitSpan: span } : ref;
  }

  private formals(n: YNode | undefined): A.Formal[] {
    return this.entries(n).map((e) => ({ name: e.key, type: this.typeRef(e.value, e.span), span: this.span(e.keyNode) }));
  }

  // --- declarations

  /** Every declaration, in the order of the top-level keys (the header where its first key is). */
  file(root: YNode): A.Decl[] {
    const decls: A.Decl[] = [];
    const top = this.entries(root);
    let headerDone = false;
    for (const e of top) {
      if (HEADER_KEYS.has(e.key)) {
        if (!headerDone) {
          headerDone = true;
          const header = this.header(top);
          if (header) decls.push(header);
        }
        continue;
      }
      switch (e.key) {
        case 'enums': for (const x of this.entries(e.value)) decls.push(this.enumDecl(x)); break;
        case 'kinds': for (const x of this.entries(e.value)) decls.push(this.kindDecl(x)); break;
        case 'params': for (const x of this.entries(e.value)) decls.push(this.paramDecl(x)); break;
        case 'sets': for (const x of this.entries(e.value)) decls.push(this.setDecl(x)); break;
        case 'tables': for (const x of this.entries(e.value)) decls.push(this.tableDecl(x)); break;
        case 'defines': for (const x of this.entries(e.value)) decls.push(this.defineDecl(x)); break;
        case 'rules': for (const r of this.items(e.value)) decls.push(this.ruleDecl(r)); break;
        case 'uncheckable':
          for (const u of this.items(e.value)) {
            const decl = this.uncheckableDecl(u);
            if (decl) decls.push(decl);
          }
          break;
        default: break; // reported by the schema
      }
    }
    return decls;
  }

  private header(top: Entry[]): A.PolicyHeader | undefined {
    const field = (k: string) => top.filter((e) => e.key === k).pop();
    const policy = field('policy');
    if (!policy) return undefined;
    let span = policy.span;
    for (const e of top) {
      if (HEADER_KEYS.has(e.key)) span = { ...span, start: Math.min(span.start, e.span.start), end: Math.max(span.end, e.span.end) };
    }
    const version = field('version')?.value;
    const effective = field('effective')?.value;
    return {
      kind: 'policy',
      id: this.stringOf(policy.value) ?? '',
      idSpan: this.span(policy.value, policy.span),
      version: isScalar(version) && version.value !== null ? (typeof version.value === 'string' ? version.value : version.source ?? String(version.value)) : '',
      title: this.label(field('title')?.value),
      source: this.stringLit(field('source')?.value),
      effectiveFrom: isMap(effective) ? this.date(this.get(effective, 'from')?.value) : this.date(effective),
      effectiveUntil: isMap(effective) ? this.date(this.get(effective, 'until')?.value) : undefined,
      extends: this.stringLit(field('extends')?.value),
      numbering: this.stringLit(field('numbering')?.value),
      span,
    };
  }

  private enumDecl(e: Entry): A.EnumDecl {
    const members = this.get(e.value, 'members')?.value;
    const list: A.EnumMember[] = isSeq(members)
      ? this.items(members).filter((m) => this.stringOf(m) !== undefined).map((m) => ({ name: this.stringOf(m)!, span: this.span(m) }))
      : this.entries(members).map((m) => ({ name: m.key, label: this.label(m.value), span: this.span(m.keyNode) }));
    return { kind: 'enum', name: e.key, nameSpan: this.span(e.keyNode), label: this.label(this.get(e.value, 'label')?.value), members: list, span: e.span };
  }

  private kindDecl(e: Entry): A.KindDecl {
    const members: (A.FieldDecl | A.RelationDecl)[] = [];
    // Sections in file order, so a kind that lists relations first keeps that order.
    for (const section of this.entries(e.value)) {
      if (section.key === 'fields') {
        for (const f of this.entries(section.value)) members.push(this.fieldDecl(f));
      } else if (section.key === 'relations') {
        for (const r of this.entries(section.value)) members.push(this.relationDecl(r));
      }
    }
    const from = this.get(e.value, 'from')?.value;
    return {
      kind: 'kind',
      name: e.key,
      nameSpan: this.span(e.keyNode),
      listKey: this.stringOf(from) ?? '',
      label: this.label(this.get(e.value, 'label')?.value),
      members,
      span: e.span,
    };
  }

  private fieldDecl(e: Entry): A.FieldDecl {
    const nameSpan = this.span(e.keyNode);
    if (isMap(e.value)) {
      return { kind: 'field', name: e.key, nameSpan, type: this.typeRef(this.get(e.value, 'type')?.value, e.span), label: this.label(this.get(e.value, 'label')?.value), span: e.span };
    }
    return { kind: 'field', name: e.key, nameSpan, type: this.typeRef(e.value, e.span), span: e.span };
  }

  private relationDecl(e: Entry): A.RelationDecl {
    const many = this.get(e.value, 'many')?.value;
    const by = this.get(e.value, 'by')?.value;
    const transitive = this.get(e.value, 'transitive')?.value;
    return {
      kind: 'relation',
      name: e.key,
      nameSpan: this.span(e.keyNode),
      target: this.stringOf(many) ?? '',
      targetSpan: this.span(many, e.span),
      via: this.stringOf(by) ?? '',
      viaSpan: this.span(by, e.span),
      transitive: isScalar(transitive) && transitive.value === true,
      label: this.label(this.get(e.value, 'label')?.value),
      span: e.span,
    };
  }

  private paramDecl(e: Entry): A.ParamDecl {
    const base = { kind: 'param' as const, name: e.key, nameSpan: this.span(e.keyNode), span: e.span };
    if (!isMap(e.value)) {
      const history = isScalar(e.value) && e.value.value !== null ? [{ value: this.exprOrMissing(e.value, e.span), span: this.span(e.value) }] : [];
      return { ...base, history };
    }
    const type = this.get(e.value, 'type');
    const value = this.get(e.value, 'value');
    const history: A.ParamValue[] = [];
    if (value) history.push({ value: this.exprOrMissing(value.value, value.span), span: this.span(value.value, value.span) });
    for (const h of this.items(this.get(e.value, 'history')?.value)) {
      const v = this.get(h, 'value');
      history.push({ value: this.exprOrMissing(v?.value, this.span(h)), from: this.date(this.get(h, 'from')?.value), span: this.span(h) });
    }
    return {
      ...base,
      type: type ? this.typeRef(type.value, type.span) : undefined,
      label: this.label(this.get(e.value, 'label')?.value),
      history,
    };
  }

  private setDecl(e: Entry): A.SetDecl {
    const base = { kind: 'setdecl' as const, name: e.key, nameSpan: this.span(e.keyNode), span: e.span };
    const exprs = (n: YNode | undefined) => this.items(n).map((i) => this.exprOrMissing(i, this.span(i)));
    if (!isMap(e.value)) return { ...base, items: exprs(e.value) };
    const type = this.get(e.value, 'type');
    return {
      ...base,
      type: type ? this.typeRef(type.value, type.span) : undefined,
      label: this.label(this.get(e.value, 'label')?.value),
      items: exprs(this.get(e.value, 'items')?.value),
    };
  }

  private tableDecl(e: Entry): A.TableDecl {
    const result = this.get(e.value, 'result');
    const rows: A.TableRow[] = [];
    for (const row of this.items(this.get(e.value, 'rows')?.value)) {
      const cells = this.items(row).map((c) => this.exprOrMissing(c, this.span(c)));
      if (!isSeq(row)) continue;
      const rowSpan = this.span(row);
      rows.push({ keys: cells.slice(0, -1), value: cells[cells.length - 1] ?? { kind: 'name', name: '', span: rowSpan }, span: rowSpan });
    }
    return {
      kind: 'table',
      ...(this.boolOf(this.get(e.value, 'override')?.value) ? { override: true } : {}),
      name: e.key,
      nameSpan: this.span(e.keyNode),
      formals: this.formals(this.get(e.value, 'params')?.value),
      result: this.typeRef(result?.value, result?.span ?? e.span),
      label: this.label(this.get(e.value, 'label')?.value),
      rows,
      span: e.span,
    };
  }

  private defineDecl(e: Entry): A.DefineDecl {
    const base = { kind: 'define' as const, name: e.key, nameSpan: this.span(e.keyNode), span: e.span };
    if (!isMap(e.value)) return { ...base, formals: [], body: this.exprOrMissing(e.value, e.span) };
    const value = this.get(e.value, 'value');
    return {
      ...base,
      ...(this.boolOf(this.get(e.value, 'override')?.value) ? { override: true } : {}),
      formals: this.formals(this.get(e.value, 'params')?.value),
      label: this.label(this.get(e.value, 'label')?.value),
      body: this.exprOrMissing(value?.value, value?.span ?? e.span),
    };
  }

  private uncheckableDecl(n: YNode): A.UncheckableDecl | undefined {
    const cite = this.stringLit(this.get(n, 'cite')?.value);
    const reason = this.label(this.get(n, 'because')?.value);
    if (!cite || !reason) return undefined;
    return { kind: 'uncheckable', cite, quote: this.stringLit(this.get(n, 'quote')?.value), reason, span: this.span(n) };
  }

  private ruleDecl(n: YNode): A.RuleDecl {
    const span = this.span(n);
    const idNode = this.get(n, 'id')?.value;
    const rule: { -readonly [K in keyof A.RuleDecl]: A.RuleDecl[K] } = {
      kind: 'rule',
      id: this.stringOf(idNode) ?? '',
      idSpan: this.span(idNode, span),
      modality: 'must',
      span,
    };
    // `unit` and `step` belong to the `compute` clause, wherever they are written.
    const pending: { unit?: { unit: string; unitSpan: Span }; step?: { step: string; stepSpan: Span } } = {};
    // Clauses in file order, as the DSL builder reads them (a later clause wins).
    for (const c of this.entries(n)) {
      const v = c.value;
      switch (c.key) {
        case 'title': rule.title = this.label(v); break;
        case 'cite': rule.cite = this.stringLit(v); break;
        case 'quote': rule.quote = this.stringLit(v); break;
        case 'for': this.forClause(rule, v); break;
        case 'where': rule.where = this.expr(v); break;
        case 'must':
        case 'should':
        case 'may':
          rule.modality = c.key;
          rule.modalitySpan = this.span(c.keyNode);
          rule.requirement = this.expr(v);
          break;
        case 'eligible_when': rule.eligibleWhen = this.expr(v); break;
        case 'modality': {
          const m = this.stringOf(v);
          if (m !== undefined && MODALITIES.has(m)) {
            rule.modality = m as A.RuleModality;
            rule.modalitySpan = this.contentSpan(v);
          }
          break;
        }
        case 'by': rule.deadline = this.expr(v); break;
        case 'compute': {
          const value = this.expr(v);
          if (value) rule.compute = { ...rule.compute, value, span: this.span(v) };
          break;
        }
        case 'unit': {
          const unit = this.stringOf(v);
          if (unit !== undefined) pending.unit = { unit, unitSpan: this.contentSpan(v) };
          break;
        }
        case 'step': {
          // The text as written: `0.10` keeps its two decimals, which a YAML number would drop.
          const step = isScalar(v) && v.range ? this.text.slice(v.range[0], v.range[1]).trim().replace(/^["']|["']$/g, '') : undefined;
          if (step !== undefined) pending.step = { step, stepSpan: this.contentSpan(v) };
          break;
        }
        case 'from': rule.from = this.date(v); break;
        case 'until': rule.until = this.date(v); break;
        case 'explain': rule.explain = this.explain(v); break;
        default: break; // `id` is read above; unknown keys are reported by the schema
      }
    }
    if (rule.compute) rule.compute = { ...rule.compute, ...pending.unit, ...pending.step };
    return rule;
  }

  private forClause(rule: { -readonly [K in keyof A.RuleDecl]: A.RuleDecl[K] }, v: YNode | undefined): void {
    const s = this.stringOf(v);
    const m = s === undefined ? null : FOR_CLAUSE.exec(s.trim());
    if (!m || !isScalar(v)) return;
    const whole = this.contentSpan(v);
    const exact = this.content(v)?.exact ?? false;
    rule.subjectKind = m[1];
    rule.variable = m[3];
    if (exact) {
      rule.subjectKindSpan = { file: this.fileName, start: whole.start, end: whole.start + m[1].length };
      const varStart = whole.start + m[1].length + m[2].length;
      rule.variableSpan = { file: this.fileName, start: varStart, end: varStart + m[3].length };
    } else {
      rule.subjectKindSpan = whole;
      rule.variableSpan = whole;
    }
  }

  private explain(v: YNode | undefined): A.ExplainClause | undefined {
    if (isMap(v)) {
      const zh = this.stringLit(this.get(v, 'zh')?.value);
      return zh ? { zh, en: this.stringLit(this.get(v, 'en')?.value), span: this.span(v) } : undefined;
    }
    const zh = this.stringLit(v);
    return zh ? { zh, span: this.span(v) } : undefined;
  }
}
