/**
 * Facts: the subjects (regions, institutions, workers) a policy is evaluated on.
 *
 * Facts are validated against the fact schema the policy declares, by walking the declared
 * fields directly rather than by compiling a generated JSON Schema with ajv: ajv turns schemas
 * into JavaScript with `new Function`, and these schemas are derived from user-written policy
 * text (and must also run under a browser's content-security policy). The same declared schema
 * is published as JSON Schema for editors (`factsJsonSchema`), and a test checks that ajv and
 * this validator agree on it.
 *
 * Every value is converted once at load: numbers become exact {@link Num}s, dates are checked
 * calendar dates, references become the referenced subject. Only declared fields are copied,
 * into prototype-less objects, so a key such as `__proto__` in the input is data, never a
 * prototype change.
 */
import { error, warning, type Diagnostic, type DiagnosticCode, type DiagnosticArgs } from '../model/diagnostics.js';
import { isValidDate } from '../model/dates.js';
import { fromJsNumber, parseDecimal, type Num } from '../model/rational.js';
import type { Span } from '../model/span.js';
import type { CellPlace } from './raw-facts.js';
import { typeName, type FieldInfo, type KindInfo, type Policy, type Type } from '../model/types.js';
import { isRead, type Projection } from './projection.js';

/** One subject of the facts. */
export interface Subject {
  readonly kind: string;
  readonly id: string;
  /** `{ kind, id }`, built once: every result of this subject shares it. */
  readonly ref: { readonly kind: string; readonly id: string };
  /** Position in the facts file, across all lists: the order results follow. */
  readonly order: number;
  /** How missing facts of this subject are named: `institutions[KM-CWH-01]`. */
  readonly path: string;
  /** Declared facts, converted; nested groups are nested objects; references are Subjects. */
  readonly data: FactRecord;
  /** Inverse relations (`children`, `workers`), filled when the facts are linked. */
  readonly related: Record<string, Subject[]>;
}

/** A prototype-less record of converted facts. */
export type FactRecord = Record<string, unknown>;

/** Loaded, validated and linked facts. */
export interface Facts {
  /** Every subject in facts-file order. */
  readonly subjects: readonly Subject[];
  /** Subjects by kind and id. */
  readonly byKind: ReadonlyMap<string, ReadonlyMap<string, Subject>>;
  /**
   * Where a subject's field is in the officer's spreadsheet (`云南-昆明.xlsx 机构!F5`), for
   * facts read from workbooks or CSV files; absent for the other formats.
   */
  readonly placeOf?: (kind: string, id: string, field: string) => CellPlace | undefined;
}

/** Where a value sits in the facts file, when the format keeps positions (YAML). */
export type PositionLookup = (path: readonly (string | number)[]) => Span | undefined;

/** Limits on facts. */
export interface FactsLimits {
  /** Most subjects in one facts file (F0012). */
  readonly maxSubjects: number;
  /** Most errors reported before the rest are summarised. */
  readonly maxErrors: number;
  /** Most unknown-field warnings reported. */
  readonly maxWarnings: number;
  /** Largest JSON or NDJSON facts file, in bytes (in UTF-16 code units for text given in memory) (F0016). */
  readonly maxFileSize?: number;
  /** Largest YAML facts file, likewise (F0016): YAML takes about four times the memory of JSON. */
  readonly maxYamlFileSize?: number;
  /** Deepest nesting of YAML collections (F0017); JSON is parsed without recursion. */
  readonly maxDepth?: number;
  /**
   * Longest chain of a kind's references to itself (`parent`) (F0021). A transitive relation
   * (`descendants`) costs the sum of the chains' lengths: a 100,000-deep chain of counties
   * would take hours where a real five-level hierarchy takes microseconds.
   */
  readonly maxChainDepth?: number;
}

/**
 * Default facts limits, sized so that a file within them evaluates inside Node's default heap
 * (about 4 GiB) with the bundled policy: a million bare subjects peaked at 2.8 GB (1.5 million
 * generated ones ran out of memory); 17 MB of generated facts peaked at 0.4 GB as JSON and
 * 1.6 GB as YAML.
 */
export const DEFAULT_FACTS_LIMITS: FactsLimits = {
  maxSubjects: 1_000_000,
  maxErrors: 50,
  maxWarnings: 20,
  maxFileSize: 64 * 1024 * 1024,
  maxYamlFileSize: 16 * 1024 * 1024,
  maxDepth: 100,
  maxChainDepth: 100,
};

/** The file-size limit that applies to a facts format. */
export function maxFactsFileSize(limits: FactsLimits, yaml: boolean): number {
  return yaml ? limits.maxYamlFileSize ?? DEFAULT_FACTS_LIMITS.maxYamlFileSize! : limits.maxFileSize ?? DEFAULT_FACTS_LIMITS.maxFileSize!;
}

/** Characters refused in ids: controls (a newline or ESC would forge or recolour output lines) and bidi overrides. */
const ID_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Characters refused in other text: the same, except tab and line breaks, which a name or note may hold. */
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function controlName(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The result of loading facts. */
export interface FactsResult {
  readonly facts?: Facts;
  readonly diagnostics: readonly Diagnostic[];
}

/** One raw subject as parsed from the file, with its kind and its path for messages. */
export interface RawSubject {
  readonly kind: KindInfo;
  readonly value: unknown;
  /** Path segments to the subject in the file, e.g. `['institutions', 3]`. */
  readonly at: readonly (string | number)[];
}

/** A textual facts path: `institutions[3].posts.total`. */
export function formatPath(at: readonly (string | number)[]): string {
  let out = '';
  for (const seg of at) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return String(v);
}

/**
 * A record without a prototype (a key such as `__proto__` or `toString` is data) whose
 * properties stay in V8's fast mode: `Object.create(null)` makes a hash-table object, which rules
 * read about twice as slowly, millions of times a run.
 */
function newRecord(): FactRecord {
  return Object.setPrototypeOf({}, null) as FactRecord;
}

/** Collects diagnostics with caps, so a broken million-row file reports quickly. */
class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private errors = 0;
  private warnings = 0;
  constructor(private readonly file: string, private readonly positions: PositionLookup | undefined, private readonly limits: FactsLimits) {}

  private span(at: readonly (string | number)[]): Span {
    return this.positions?.(at) ?? { file: this.file, start: 0, end: 0 };
  }

  get errorCount(): number {
    return this.errors;
  }

  error(code: DiagnosticCode, at: readonly (string | number)[], args: DiagnosticArgs): void {
    this.errors++;
    if (this.errors > this.limits.maxErrors) return;
    this.diagnostics.push({ ...error(code, this.span(at), args), factsPath: formatPath(at) });
  }

  warn(code: DiagnosticCode, at: readonly (string | number)[], args: DiagnosticArgs): void {
    this.warnings++;
    if (this.warnings > this.limits.maxWarnings) return;
    this.diagnostics.push({ ...warning(code, this.span(at), args), factsPath: formatPath(at) });
  }

  finish(): void {
    if (this.errors > this.limits.maxErrors) {
      this.diagnostics.push({ code: 'S0012', severity: 'error', span: { file: this.file, start: 0, end: 0 }, args: { limit: this.limits.maxErrors } });
    }
  }
}

/** A group of declared fields under one prefix: the shape of a nested facts object. */
interface Shape {
  /** Declared fields and groups; {@link SKIP} for a declared field the projection leaves out. */
  readonly fields: Map<string, FieldInfo | Shape | typeof SKIP>;
  readonly record?: FieldInfo;
}

/** A declared field no rule reads: neither converted nor kept (see `projection.ts`). */
const SKIP = 0;

function isShape(x: FieldInfo | Shape): x is Shape {
  return (x as Shape).fields instanceof Map;
}

const shapeCache = new WeakMap<KindInfo, Shape>();
const projectedShapes = new WeakMap<Projection, WeakMap<KindInfo, Shape>>();

/** The nested shape of a kind's declared fields (`posts.total` -> posts: { total }), only the read ones under `projection`. */
function shapeOf(kind: KindInfo, projection?: Projection): Shape {
  let cache = shapeCache;
  if (projection) {
    cache = projectedShapes.get(projection) ?? new WeakMap();
    projectedShapes.set(projection, cache);
  }
  const cached = cache.get(kind);
  if (cached) return cached;
  const read = projection?.fields.get(kind.name);
  const kept = (path: string): boolean => !projection || isRead(read, path);
  const root: Shape = { fields: new Map() };
  const groups = new Map<string, Shape>([['', root]]);
  const groupFor = (prefix: string): Shape => {
    let g = groups.get(prefix);
    if (g) return g;
    const dot = prefix.lastIndexOf('.');
    const parent = groupFor(dot < 0 ? '' : prefix.slice(0, dot));
    const record = kind.fields.get(prefix);
    g = { fields: new Map(), record: record?.isRecord ? record : undefined };
    parent.fields.set(dot < 0 ? prefix : prefix.slice(dot + 1), g);
    groups.set(prefix, g);
    return g;
  };
  const sorted = [...kind.fields.values()].sort((a, b) => a.path.split('.').length - b.path.split('.').length);
  for (const f of sorted) {
    const dot = f.path.lastIndexOf('.');
    if (!kept(f.path)) {
      // Still declared (no F0009 for it), but skipped: marked in the nearest group that is kept.
      const segs = f.path.split('.');
      let n = segs.length - 1;
      while (n > 0 && !groups.has(segs.slice(0, n).join('.'))) n--;
      const g = groups.get(segs.slice(0, n).join('.'))!;
      if (!g.fields.has(segs[n])) g.fields.set(segs[n], SKIP);
      continue;
    }
    if (f.isRecord) {
      groupFor(f.path);
      continue;
    }
    const g = groupFor(dot < 0 ? '' : f.path.slice(0, dot));
    g.fields.set(dot < 0 ? f.path : f.path.slice(dot + 1), f);
  }
  cache.set(kind, root);
  return root;
}

/** What conversion needs besides the value: where to report, where to queue references. */
interface Ctx {
  readonly report: Reporter;
  readonly refs: PendingRef[];
  readonly policy: Policy;
  /** Subjects built so far, to resolve a reference at once when its target came first. */
  readonly byKind: ReadonlyMap<string, ReadonlyMap<string, Subject>>;
  /** Subjects loaded earlier (held while others stream), which references may also name. */
  readonly context?: Facts;
}

interface PendingRef {
  readonly holder: FactRecord;
  readonly key: string;
  readonly kind: string;
  readonly id: string;
  readonly at: readonly (string | number)[];
}

/** Options of {@link FactsBuilder}. */
export interface BuildOptions {
  /** Convert and keep only what the policy reads (`projection.ts`); subjects of kinds it neither decides nor reads are not built. */
  readonly projection?: Projection;
  /** Kinds whose subjects are kept once built (default: every kind); the others' ids are kept, for duplicates. */
  readonly keep?: ReadonlySet<string>;
}

/**
 * Validates, converts and links raw subjects one at a time, in file order: what
 * {@link buildFacts} does to a whole list, for a reader that decides subjects as they are read
 * and drops them. Diagnostics are the same as buildFacts' for the same subjects in the same order.
 */
export class FactsBuilder {
  private readonly report: Reporter;
  private readonly subjects: Subject[] = [];
  private readonly byKind = new Map<string, Map<string, Subject>>();
  /** Ids of the subjects not kept (see {@link BuildOptions.keep}), for F0006. */
  private readonly dropped = new Map<string, Set<string>>();
  private readonly refs: PendingRef[] = [];
  private readonly ctx: Ctx;
  private built = 0;
  /** Whether a subject past `maxSubjects` came (F0012): nothing after it is read. */
  overLimit = false;
  private readonly checked = new Set<string>();
  private readonly linked = new Set<string>();

  constructor(
    private readonly policy: Policy,
    private readonly file: string,
    positions?: PositionLookup,
    private readonly limits: FactsLimits = DEFAULT_FACTS_LIMITS,
    private readonly context?: Facts,
    private readonly options: BuildOptions = {},
  ) {
    this.report = new Reporter(file, positions, limits);
    for (const k of policy.kinds.values()) byKindInit(this.byKind, this.dropped, k.name, options.keep);
    this.ctx = { report: this.report, refs: this.refs, policy, byKind: this.byKind, context };
  }

  /** Errors so far. */
  get errorCount(): number {
    return this.report.errorCount;
  }

  /** References waiting for a subject not read yet. */
  get pendingRefs(): number {
    return this.refs.length;
  }

  /** Validates and converts one subject; the subject, or undefined when it failed, is dropped by the projection or comes past the limit. */
  add(item: RawSubject): Subject | undefined {
    const { report, limits } = this;
    if (this.built >= limits.maxSubjects) {
      report.error('F0012', item.at, { what: 'subjects', limit: limits.maxSubjects });
      this.overLimit = true;
      return undefined;
    }
    const { kind, value, at } = item;
    const projection = this.options.projection;
    if (projection && !projection.kinds.has(kind.name)) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      report.error('F0004', at, { path: formatPath(at), ...kindWords('expected', 'mapping'), ...kindWords('actual', describe(value)) });
      return undefined;
    }
    const obj = value as Record<string, unknown>;
    const rawId = Object.prototype.hasOwnProperty.call(obj, 'id') ? obj.id : undefined;
    if (rawId === undefined || rawId === null || rawId === '') {
      report.error('F0010', at, { path: formatPath(at) });
      return undefined;
    }
    if (typeof rawId !== 'string' && !(typeof rawId === 'number' && Number.isSafeInteger(rawId))) {
      report.error('F0004', [...at, 'id'], { path: formatPath([...at, 'id']), ...kindWords('expected', 'string'), ...kindWords('actual', describe(rawId)) });
      return undefined;
    }
    const id = String(rawId);
    const bad = ID_CONTROL.exec(id);
    if (bad) {
      report.error('F0020', [...at, 'id'], { path: formatPath([...at, 'id']), char: controlName(bad[0]) });
      return undefined;
    }
    const ofKind = this.byKind.get(kind.name)!;
    const ids = this.dropped.get(kind.name);
    if (ids ? ids.has(id) : ofKind.has(id)) {
      report.error('F0006', [...at, 'id'], { kind: kind.name, id });
      return undefined;
    }
    const data = newRecord();
    data.id = id;
    convertGroup(shapeOf(kind, projection), obj, data, at, this.ctx, true);
    const subject: Subject = { kind: kind.name, id, ref: { kind: kind.name, id }, order: this.built++, path: `${kind.listKey}[${id}]`, data, related: newRecord() as Record<string, Subject[]> };
    if (ids) {
      ids.add(id);
    } else {
      ofKind.set(id, subject);
      this.subjects.push(subject);
    }
    return subject;
  }

  /**
   * Once the lists of the `complete` kinds are read whole (no subject of them will follow):
   * resolves the references to them, and, while there are no errors, checks their chains of
   * self-references and links the relations among them, so their subjects can be decided
   * before the rest of the file is read.
   */
  settle(complete: ReadonlySet<string>): void {
    const { refs, byKind, context } = this;
    let kept = 0;
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i];
      const target = complete.has(r.kind) ? byKind.get(r.kind)?.get(r.id) ?? context?.byKind.get(r.kind)?.get(r.id) : undefined;
      if (target) r.holder[r.key] = target;
      else refs[kept++] = r;
    }
    refs.length = kept;
    if (this.report.errorCount > 0 || refs.length > 0) return;
    const kinds = [...this.policy.kinds.values()].filter((k) => complete.has(k.name) && !this.checked.has(k.name));
    checkCycles(kinds, byKind, this.report, this.limits.maxChainDepth ?? DEFAULT_FACTS_LIMITS.maxChainDepth!);
    for (const k of kinds) this.checked.add(k.name);
    if (this.report.errorCount > 0) return;
    linkRelations(this.policy, byKind, this.linked, (owner, target) => complete.has(owner) && complete.has(target));
  }

  /** Resolves what is left, checks and links: the facts (kept subjects), or the errors. */
  finish(): FactsResult {
    const { report, refs, byKind, context } = this;
    for (const r of refs) {
      const target = byKind.get(r.kind)?.get(r.id) ?? context?.byKind.get(r.kind)?.get(r.id);
      if (!target) report.error('F0007', r.at, { path: formatPath(r.at), kind: r.kind, id: r.id });
      else r.holder[r.key] = target;
    }
    refs.length = 0;
    if (report.errorCount === 0) {
      checkCycles([...this.policy.kinds.values()].filter((k) => !this.checked.has(k.name)), byKind, report, this.limits.maxChainDepth ?? DEFAULT_FACTS_LIMITS.maxChainDepth!);
    }
    report.finish();
    if (report.errorCount > 0) return { diagnostics: report.diagnostics };
    linkRelations(this.policy, byKind, this.linked, () => true);
    return { facts: { subjects: this.subjects, byKind }, diagnostics: report.diagnostics };
  }
}

function byKindInit(byKind: Map<string, Map<string, Subject>>, dropped: Map<string, Set<string>>, kind: string, keep: ReadonlySet<string> | undefined): void {
  byKind.set(kind, new Map());
  if (keep && !keep.has(kind)) dropped.set(kind, new Set());
}

/**
 * Validates, converts and links raw subjects. `raw` is in file order. Errors leave `facts`
 * undefined: nothing is evaluated on facts that failed validation. References may also name
 * subjects of `context` (facts loaded earlier: the held subjects of a streamed file).
 */
export function buildFacts(policy: Policy, raw: Iterable<RawSubject>, file: string, positions?: PositionLookup, limits: FactsLimits = DEFAULT_FACTS_LIMITS, context?: Facts, options?: BuildOptions): FactsResult {
  const builder = new FactsBuilder(policy, file, positions, limits, context, options);
  for (const item of raw) {
    builder.add(item);
    // The first subject past the limit is reported, and nothing after it read.
    if (builder.overLimit) break;
  }
  return builder.finish();
}

function convertGroup(
  shape: Shape,
  obj: Record<string, unknown>,
  out: FactRecord,
  at: readonly (string | number)[],
  ctx: Ctx,
  isSubject: boolean,
): void {
  const report = ctx.report;
  for (const key of Object.keys(obj)) {
    if (isSubject && (key === 'id' || key === 'kind')) continue;
    const value = obj[key];
    const decl = shape.fields.get(key);
    if (decl === SKIP) continue;
    // The path of a field is built only when it is reported or descended into: building it
    // for every field of every subject cost more than converting the value.
    if (!decl) {
      const here = [...at, key];
      report.warn('F0009', here, { path: formatPath(here) });
      continue;
    }
    if (value === undefined) continue;
    if (isShape(decl)) {
      if (value === null) {
        out[key] = null;
      } else if (typeof value !== 'object' || Array.isArray(value)) {
        const here = [...at, key];
        report.error('F0004', here, { path: formatPath(here), ...kindWords('expected', 'mapping'), ...kindWords('actual', describe(value)) });
      } else {
        const inner = newRecord();
        convertGroup(decl, value as Record<string, unknown>, inner, [...at, key], ctx, false);
        out[key] = inner;
      }
      continue;
    }
    const converted = convertValue(decl.type, value, at, key, ctx, out, key);
    if (converted !== INVALID) out[key] = converted;
  }
}

const INVALID = Symbol('invalid');

function badValue(report: Reporter, at: readonly (string | number)[], value: unknown, expected: string): typeof INVALID {
  report.error('F0004', at, { path: formatPath(at), ...kindWords('expected', expected), ...kindWords('actual', describe(value)) });
  return INVALID;
}

/** zh words for the kinds of value F0004 names (`integer` → 整数); quoted values and type names stay. */
const KIND_ZH: Readonly<Record<string, string>> = {
  integer: '整数',
  number: '数',
  ratio: '比例（小数）',
  'percent (0.7 or "70%")': '百分比（0.7 或 "70%"）',
  'integer between -(2^53 - 1) and 2^53 - 1': '-(2^53 - 1) 到 2^53 - 1 之间的整数',
  'date (YYYY-MM-DD)': '日期（YYYY-MM-DD）',
  duration: '期限',
  boolean: '是/否（true 或 false）',
  string: '文本',
  mapping: '映射（键: 值）',
  list: '列表',
  null: '空值（null）',
};

/** `{ [key]: words, [key.zh]: zh words }` for F0004's `expected` and `actual`. */
function kindWords(key: string, words: string): Record<string, string> {
  const id = / id$/.exec(words) ? words.slice(0, -3) : undefined;
  const zh = Object.prototype.hasOwnProperty.call(KIND_ZH, words) ? KIND_ZH[words] : id !== undefined ? `${id} 的编号` : undefined;
  return zh === undefined ? { [key]: words } : { [key]: words, [`${key}.zh`]: zh };
}

function convertValue(
  type: Type,
  value: unknown,
  parent: readonly (string | number)[],
  seg: string | number,
  ctx: Ctx,
  holder: FactRecord,
  key: string,
): unknown {
  if (value === null) return null;
  const bad = (expected: string): typeof INVALID => badValue(ctx.report, [...parent, seg], value, expected);
  switch (type.t) {
    case 'integer':
    case 'number':
    case 'percent':
    case 'ratio': {
      let n: Num | undefined;
      if (typeof value === 'number') n = fromJsNumber(value);
      else if (typeof value === 'string' && type.t === 'percent' && /^\s*-?\d+(\.\d+)?\s*%\s*$/.test(value)) {
        const p = parseDecimal(value.replace('%', ''));
        n = p === undefined ? undefined : (fromPercent(p) as Num);
      }
      if (n === undefined) return bad(type.t === 'percent' ? 'percent (0.7 or "70%")' : type.t);
      if (type.t === 'integer' && !(typeof n === 'number' && Number.isInteger(n))) return bad('integer');
      // Past 2^53 the parser has already rounded the written digits: refuse rather than count wrongly.
      if (type.t === 'integer' && !Number.isSafeInteger(n)) return bad('integer between -(2^53 - 1) and 2^53 - 1');
      return n;
    }
    case 'date':
      if (typeof value !== 'string') return bad('date (YYYY-MM-DD)');
      if (!isValidDate(value)) {
        ctx.report.error('F0011', [...parent, seg], { path: formatPath([...parent, seg]), value });
        return INVALID;
      }
      return value;
    case 'duration':
      return bad('duration');
    case 'boolean':
      return typeof value === 'boolean' ? value : bad('boolean');
    case 'string': {
      const bad2 = typeof value === 'string' ? TEXT_CONTROL.exec(value) : null;
      if (bad2) {
        ctx.report.error('F0020', [...parent, seg], { path: formatPath([...parent, seg]), char: controlName(bad2[0]) });
        return INVALID;
      }
      return typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : bad('string');
    }
    case 'enum': {
      if (typeof value !== 'string') return bad(type.name);
      const e = ctx.policy.enums.get(type.name);
      if (e && !e.members.has(value)) {
        ctx.report.error('F0005', [...parent, seg], { path: formatPath([...parent, seg]), value, type: type.name });
        return INVALID;
      }
      return value;
    }
    case 'subject': {
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isSafeInteger(value))) return bad(`${type.kind} id`);
      const id = String(value);
      // Resolved at once when the target is already known (regions come before institutions).
      const target = ctx.byKind.get(type.kind)?.get(id) ?? ctx.context?.byKind.get(type.kind)?.get(id);
      if (target) return target;
      ctx.refs.push({ holder, key, kind: type.kind, id, at: [...parent, seg] });
      return id;
    }
    case 'list': {
      if (!Array.isArray(value)) return bad(typeName(type));
      const out: unknown[] = [];
      value.forEach((v, i) => {
        const c = convertValue(type.of, v, [...parent, seg], i, ctx, out as unknown as FactRecord, String(i));
        if (c !== INVALID) out[i] = c;
      });
      return out;
    }
    default:
      return bad(typeName(type));
  }
}

function fromPercent(p: Num): unknown {
  return typeof p === 'number' ? parseDecimal(String(p / 100)) ?? p / 100 : parseDecimal(String(p.n / p.d / 100));
}

/** Reports reference cycles among subjects of one kind (a region that is its own ancestor). */
/**
 * Reports reference cycles among subjects of one kind (a region that is its own ancestor), and
 * chains of such references deeper than `maxChain`.
 */
function checkCycles(kinds: readonly KindInfo[], byKind: Map<string, Map<string, Subject>>, report: Reporter, maxChain: number): void {
  for (const kind of kinds) {
    const selfRefs = [...kind.fields.values()].filter((f) => f.type.t === 'subject' && f.type.kind === kind.name && !f.path.includes('.'));
    for (const field of selfRefs) {
      // Chain length from each subject to the top, filled as trails finish (no recursion).
      const depth = new Map<Subject, number>();
      let tooDeep: Subject | undefined;
      for (const start of byKind.get(kind.name)!.values()) {
        if (depth.has(start)) continue;
        const trail: Subject[] = [];
        const onTrail = new Set<Subject>();
        let cur: Subject | undefined = start;
        let cyclic = false;
        while (cur && !depth.has(cur)) {
          if (onTrail.has(cur)) {
            const cycle = trail.slice(trail.indexOf(cur)).map((s) => s.id);
            // A long cycle is named by its first few members: the message stays one line.
            const shown = cycle.length > 10 ? [...cycle.slice(0, 10), '…'] : cycle;
            report.error('F0008', [kind.listKey, cur.order, field.path], { path: `${kind.listKey}[${cur.id}].${field.path}`, cycle: [...shown, cur.id].join(' -> ') });
            cyclic = true;
            break;
          }
          onTrail.add(cur);
          trail.push(cur);
          const next: unknown = cur.data[field.path];
          cur = next && typeof next === 'object' && 'kind' in (next as object) ? (next as Subject) : undefined;
        }
        let d = cur && !cyclic ? depth.get(cur)! : 0;
        for (let i = trail.length - 1; i >= 0; i--) {
          depth.set(trail[i], cyclic ? 0 : ++d);
          if (d > maxChain && !tooDeep) tooDeep = trail[i];
        }
      }
      if (tooDeep) {
        const index = [...byKind.get(kind.name)!.values()].indexOf(tooDeep);
        report.error('F0021', [kind.listKey, index, field.path], { path: `${kind.listKey}[${tooDeep.id}].${field.path}`, limit: maxChain });
      }
    }
  }
}

/**
 * Fills inverse relations: each subject's `related[name]` lists the subjects pointing at it.
 * Relations in `linked` are skipped, and those `ready` accepts added to it (linked once, early or at the end).
 */
function linkRelations(policy: Policy, byKind: Map<string, Map<string, Subject>>, linked: Set<string>, ready: (owner: string, target: string) => boolean): void {
  for (const kind of policy.kinds.values()) {
    for (const rel of kind.relations.values()) {
      const key = `${kind.name}\u0000${rel.name}`;
      if (linked.has(key) || !ready(kind.name, rel.target)) continue;
      linked.add(key);
      const owners = byKind.get(kind.name)!;
      for (const s of owners.values()) s.related[rel.name] = [];
      for (const t of byKind.get(rel.target)?.values() ?? []) {
        const owner = readPath(t.data, rel.via);
        // Only owners built here: a streamed batch must not add itself to the held subjects
        // (no rule reads those relations, or the kind would not stream, and they would grow).
        if (owner && typeof owner === 'object' && (owner as Subject).kind === kind.name && owners.get((owner as Subject).id) === owner) (owner as Subject).related[rel.name].push(t);
      }
    }
  }
}

/** Reads a dotted path of converted facts: undefined when absent, null when none. */
export function readPath(data: FactRecord, path: string): unknown {
  if (!path.includes('.')) return data[path];
  let cur: unknown = data;
  for (const seg of path.split('.')) {
    if (cur === null) return null;
    if (cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as FactRecord)[seg];
  }
  return cur;
}
