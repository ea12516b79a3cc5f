/**
 * Facts text -> raw subjects, for the three text formats: YAML (with positions for
 * messages), JSON, and NDJSON (one subject per line with a `kind` field). Parsing is separate
 * from validation (`facts.ts`) so every format gets the same checks and messages.
 */
import { Composer, isMap, isSeq, Parser, type CST, type Document } from 'yaml';
import { error, hasErrors, warning, type Diagnostic } from '../model/diagnostics.js';
import type { RawFactsPart } from './raw-facts.js';
import type { Span } from '../model/span.js';
import type { KindInfo, Policy } from '../model/types.js';
import { buildFacts, DEFAULT_FACTS_LIMITS, formatPath, maxFactsFileSize, type BuildOptions, type FactsLimits, type FactsResult, type PositionLookup, type RawSubject } from './facts.js';

/** The facts formats. */
export type FactsFormat = 'yaml' | 'json' | 'ndjson';

/** The format of a facts file by its extension, or undefined for an unsupported one. */
export function factsFormatOf(path: string): FactsFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

function kindsByList(policy: Policy): Map<string, KindInfo> {
  return new Map([...policy.kinds.values()].map((k) => [k.listKey, k]));
}

function listsText(policy: Policy): string {
  return [...policy.kinds.values()].map((k) => k.listKey).join(', ');
}

/** Parses and validates facts text (only what `options.projection` reads, when given). */
export function loadFactsText(policy: Policy, file: string, text: string, format: FactsFormat, limits: FactsLimits = DEFAULT_FACTS_LIMITS, options?: BuildOptions): FactsResult {
  const part = parseFactsText(policy, file, text, format, limits);
  if (hasErrors(part.diagnostics)) return { diagnostics: part.diagnostics };
  const result = buildFacts(policy, part.raw, file, part.positions, limits, undefined, options);
  return { facts: result.facts, diagnostics: [...part.diagnostics, ...result.diagnostics] };
}

/**
 * Parses facts text into raw subjects without validating them (see `merge-facts.ts`): errors in
 * the returned diagnostics mean the file could not be read as facts at all.
 */
export function parseFactsText(policy: Policy, file: string, text: string, format: FactsFormat, limits: FactsLimits = DEFAULT_FACTS_LIMITS): RawFactsPart {
  const maxSize = maxFactsFileSize(limits, format === 'yaml');
  if (text.length > maxSize) return failed(file, [error('F0016', { file, start: 0, end: 0 }, { limit: maxSize, size: text.length })]);
  switch (format) {
    case 'yaml': return loadYaml(policy, file, text, limits);
    case 'json': return loadJson(policy, file, text, limits);
    case 'ndjson': return loadNdjson(policy, file, text, limits);
  }
}

function failed(file: string, diagnostics: readonly Diagnostic[]): RawFactsPart {
  return { file, raw: [], diagnostics };
}

function fromTopLevel(policy: Policy, file: string, root: unknown, positions: PositionLookup | undefined, limits: FactsLimits): RawFactsPart {
  const at0: Span = positions?.([]) ?? { file, start: 0, end: 0 };
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return failed(file, [error('F0003', at0, { lists: listsText(policy) })]);
  }
  const lists = kindsByList(policy);
  const extra: Diagnostic[] = [];
  const raw: RawSubject[] = [];
  for (const key of Object.keys(root)) {
    const kind = lists.get(key);
    const value = (root as Record<string, unknown>)[key];
    if (!kind) {
      extra.push({ ...warning('F0014', positions?.([key]) ?? at0, { name: key }), factsPath: key });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) {
      extra.push({ ...error('F0004', positions?.([key]) ?? at0, { path: key, expected: 'list', actual: typeof value }), factsPath: key });
      continue;
    }
    // Counted before any subject is built: refusing a million subjects should not cost a gigabyte.
    if (raw.length + value.length > limits.maxSubjects) {
      const at = [key, limits.maxSubjects - raw.length];
      return failed(file, [{ ...error('F0012', positions?.(at) ?? at0, { what: 'subjects', limit: limits.maxSubjects }), factsPath: formatPath(at) }]);
    }
    value.forEach((v, i) => raw.push({ kind, value: v, at: [key, i] }));
  }
  return { file, raw, positions, diagnostics: extra };
}

/** Tags that only restate what the core schema infers; every other tag is refused (F0018). */
const CORE_TAGS = new Set(['!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq']);

/**
 * Walks `yaml`'s concrete syntax tree (built without recursion) with an explicit stack, before
 * anything is composed: `yaml` composes recursively, so a document nested thousands deep would
 * end in a stack overflow, and a tag such as `!!js/function` or `!!binary` would be resolved.
 */
function scanYamlCst(tokens: readonly CST.Token[], maxDepth: number): { tooDeep?: number; badTag?: { offset: number; source: string } } {
  let tooDeep: number | undefined;
  let badTag: { offset: number; source: string } | undefined;
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  const props = (ts: readonly CST.Token[] | undefined, depth: number) => {
    for (const t of ts ?? []) if (t.type === 'tag') stack.push([t, depth]);
  };
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    switch (t.type) {
      case 'tag':
        if (!CORE_TAGS.has(t.source) && (!badTag || t.offset < badTag.offset)) badTag = { offset: t.offset, source: t.source };
        break;
      case 'document':
        props(t.start, depth);
        if (t.value) stack.push([t.value, depth]);
        break;
      case 'block-scalar':
        props(t.props, depth);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > maxDepth) {
          if (tooDeep === undefined || t.offset < tooDeep) tooDeep = t.offset;
          break;
        }
        for (const it of t.items) {
          props(it.start, depth + 1);
          props(it.sep, depth + 1);
          if (it.key) stack.push([it.key, depth + 1]);
          if (it.value) stack.push([it.value, depth + 1]);
        }
        break;
      default:
        break;
    }
  }
  return { tooDeep, badTag };
}

function loadYaml(policy: Policy, file: string, text: string, limits: FactsLimits): RawFactsPart {
  let doc: Document.Parsed;
  try {
    // Released once composed: the syntax tree is as large again as the document.
    let tokens: CST.Token[] | undefined = Array.from(new Parser().parse(text));
    const maxDepth = limits.maxDepth ?? DEFAULT_FACTS_LIMITS.maxDepth!;
    const scan = scanYamlCst(tokens, maxDepth);
    if (scan.tooDeep !== undefined) return failed(file, [error('F0017', { file, start: scan.tooDeep, end: scan.tooDeep + 1 }, { limit: maxDepth })]);
    if (scan.badTag) {
      const { offset, source } = scan.badTag;
      return failed(file, [error('F0018', { file, start: offset, end: offset + source.length }, { tag: source })]);
    }
    const docs = Array.from(new Composer({ uniqueKeys: true, prettyErrors: false }).compose(tokens, true, text.length));
    tokens = undefined;
    if (docs.length > 1) {
      const at = docs[1].range[0];
      return failed(file, [error('F0002', { file, start: at, end: at + 1 }, { detail: 'a facts file may hold only one YAML document' })]);
    }
    // `forceDoc` (the `true` above) makes even an empty text one document.
    if (!docs[0]) return fromTopLevel(policy, file, null, undefined, limits);
    doc = docs[0];
  } catch (e) {
    return failed(file, [error('F0002', { file, start: 0, end: 0 }, { detail: (e as Error).message })]);
  }
  const problems = [...doc.errors];
  if (problems.length) {
    // `yaml` places some errors one past the end of the text: clamp them into the file.
    return failed(file, problems.slice(0, limits.maxErrors).map((p) => error('F0002', { file, start: Math.min(p.pos[0], text.length), end: Math.min(p.pos[1], text.length) }, { detail: firstLine(p.message) })));
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    // Alias expansion past the cap (a "billion laughs" document) lands here.
    return failed(file, [error('F0002', { file, start: 0, end: 0 }, { detail: firstLine((e as Error).message) })]);
  }
  const positions: PositionLookup = (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range && (n === 0 || isMap(node) || isSeq(node) || node)) return { file, start: range[0], end: range[1] };
    }
    return undefined;
  };
  return fromTopLevel(policy, file, root, positions, limits);
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

function jsonErrorSpan(file: string, text: string, e: unknown, base = 0): Span {
  const m = /position (\d+)/.exec((e as Error).message);
  const at = m ? Number(m[1]) + base : base;
  return { file, start: Math.min(at, base + text.length), end: Math.min(at + 1, base + text.length) };
}

function loadJson(policy: Policy, file: string, text: string, limits: FactsLimits): RawFactsPart {
  let root: unknown;
  try {
    root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return failed(file, [error('F0002', jsonErrorSpan(file, text, e), { detail: jsonMessage(e) })]);
  }
  return fromTopLevel(policy, file, root, undefined, limits);
}

function jsonMessage(e: unknown): string {
  return firstLine((e as Error).message).replace(/\s*\(line \d+ column \d+\)/, '');
}

function loadNdjson(policy: Policy, file: string, text: string, limits: FactsLimits): RawFactsPart {
  const byKind = new Map<string, KindInfo>();
  for (const k of policy.kinds.values()) {
    byKind.set(k.name, k);
    byKind.set(k.listKey, k);
  }
  const raw: RawSubject[] = [];
  const diagnostics: Diagnostic[] = [];
  const counters = new Map<KindInfo, number>();
  const lines = text.split('\n');
  // One subject per non-blank line: count them before parsing any, so a file over the limit is
  // refused without building (and holding) a million objects first.
  let subjects = 0;
  for (let i = 0, start = 0; i < lines.length; start += lines[i].length + 1, i++) {
    if (lines[i].trim() && ++subjects > limits.maxSubjects) {
      return failed(file, [{ ...error('F0012', { file, start, end: start + lines[i].length }, { what: 'subjects', limit: limits.maxSubjects }), factsPath: `line ${i + 1}` }]);
    }
  }
  let offset = 0;
  let line = 0;
  for (const chunk of lines) {
    const start = offset;
    offset += chunk.length + 1;
    line++;
    const body = chunk.trim();
    if (!body) continue;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (e) {
      diagnostics.push(error('F0002', jsonErrorSpan(file, chunk, e, start), { detail: `line ${line}: ${jsonMessage(e)}` }));
      if (diagnostics.length >= limits.maxErrors) break;
      continue;
    }
    const kindName = value && typeof value === 'object' && !Array.isArray(value) ? (value as { kind?: unknown }).kind : undefined;
    const kind = typeof kindName === 'string' ? byKind.get(kindName) : undefined;
    if (!kind) {
      diagnostics.push({ ...error('F0013', { file, start, end: start + chunk.length }, { line, detail: JSON.stringify(kindName ?? null) }), factsPath: `line ${line}` });
      if (diagnostics.length >= limits.maxErrors) break;
      continue;
    }
    const index = counters.get(kind) ?? 0;
    counters.set(kind, index + 1);
    raw.push({ kind, value, at: [kind.listKey, index] });
  }
  if (diagnostics.length) return failed(file, diagnostics);
  return { file, raw, diagnostics: [] };
}
