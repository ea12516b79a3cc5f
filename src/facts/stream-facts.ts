/**
 * Streaming NDJSON facts: the subjects that other subjects relate to (regions, institutions)
 * are loaded and linked first and held in memory; the others (workers) are then validated and
 * handed on in small batches, each evaluated and dropped before the next is read, so memory
 * does not grow with the number of streamed subjects.
 *
 * Which kinds may stream is read from the policy ({@link streamableKinds}): a kind streams when
 * nothing needs its subjects after they have passed, that is when no field of any kind refers
 * to it and no rule reads a relation that ends at it (`all(w in i.workers : …)` would need every
 * worker of an institution at once). Otherwise nothing streams and the caller loads everything.
 *
 * The price, documented in docs/performance.md:
 * - held subjects must come before streamed ones in the file (F0040 otherwise), since a streamed
 *   subject is evaluated as soon as it is read;
 * - duplicate ids among streamed subjects are not detected (that would mean remembering every id);
 * - errors in a streamed line are found only when it is reached, after earlier results were
 *   written (with `--out` the file is left untouched; on stdout the output stops there).
 */
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { KindInfo, Policy, TExpr } from '../model/types.js';
import { buildFacts, DEFAULT_FACTS_LIMITS, type Facts, type FactsLimits, type RawSubject } from './facts.js';

/** Kinds whose subjects can be streamed under `policy` (see the module comment). */
export function streamableKinds(policy: Policy): Set<string> {
  const blocked = new Set<string>();
  for (const kind of policy.kinds.values()) {
    for (const f of kind.fields.values()) {
      const t = f.type.t === 'list' ? f.type.of : f.type;
      if (t.t === 'subject') blocked.add(t.kind);
    }
  }
  const bodies = new Set<TExpr>();
  const walk = (x: TExpr | undefined): void => {
    if (!x) return;
    switch (x.op) {
      case 'def':
        x.args.forEach(walk);
        // A shared definition body is walked once, however many calls reach it.
        if (!bodies.has(x.body)) {
          bodies.add(x.body);
          walk(x.body);
        }
        return;
      case 'relation':
        blocked.add(x.relation.target);
        walk(x.target);
        return;
      case 'field':
        walk(x.target);
        return;
      case 'call':
      case 'table':
        x.args.forEach(walk);
        return;
      case 'set':
        x.items.forEach(walk);
        return;
      case 'not':
      case 'neg':
        walk(x.operand);
        return;
      case 'binary':
        walk(x.left);
        walk(x.right);
        return;
      case 'aggregate':
        walk(x.source);
        walk(x.where);
        walk(x.body);
        return;
      case 'if':
        walk(x.condition);
        walk(x.then);
        walk(x.otherwise);
        return;
      default:
        return;
    }
  };
  for (const rule of policy.rules) {
    walk(rule.where);
    walk(rule.condition);
    walk(rule.deadline);
    for (const parts of [rule.explain?.zh, rule.explain?.en]) for (const p of parts ?? []) if ('expr' in p) walk(p.expr);
  }
  return new Set([...policy.kinds.keys()].filter((k) => !blocked.has(k)));
}

/** One line of an NDJSON facts file. */
export interface FactsLine {
  readonly text: string;
  /** 1-based line number. */
  readonly line: number;
  /** Offset of the line in the file (for diagnostics). */
  readonly offset: number;
}

/** A part of a streamed facts file, ready to evaluate. */
export interface FactsPart {
  /** The held subjects (first part, once) or a batch of streamed ones. */
  readonly facts: Facts;
  readonly held: boolean;
}

/** What is left to know once the stream ends. */
export interface StreamEnd {
  readonly diagnostics: readonly Diagnostic[];
  /** Whether errors stopped the stream (nothing after them was handed on). */
  readonly failed: boolean;
  /** Subjects held in memory and subjects streamed. */
  readonly held: number;
  readonly streamed: number;
}

/** Options of {@link streamFacts}. */
export interface StreamOptions {
  readonly limits?: FactsLimits;
  /** Kinds to stream (from {@link streamableKinds}). */
  readonly streamed: ReadonlySet<string>;
  /** Streamed subjects per batch (default 1024). */
  readonly batchSize?: number;
}

/**
 * Reads NDJSON facts lines: held kinds first (returned as the first part), then batches of the
 * streamed kinds, each validated against the held subjects. `maxSubjects` limits the held
 * subjects only; streamed ones are not counted, since they are not kept.
 */
export function* streamFacts(policy: Policy, file: string, lines: Iterable<FactsLine>, options: StreamOptions): Generator<FactsPart, StreamEnd> {
  const limits = options.limits ?? DEFAULT_FACTS_LIMITS;
  const batchSize = options.batchSize ?? 1024;
  const byName = new Map<string, KindInfo>();
  for (const k of policy.kinds.values()) {
    byName.set(k.name, k);
    byName.set(k.listKey, k);
  }
  const diagnostics: Diagnostic[] = [];
  let errors = 0;
  const fail = (d: Diagnostic): void => {
    errors++;
    if (errors <= limits.maxErrors) diagnostics.push(d);
  };
  let warnings = 0;
  const warn = (d: Diagnostic): void => {
    warnings++;
    if (warnings <= limits.maxWarnings) diagnostics.push(d);
  };
  const take = (found: readonly Diagnostic[]): void => {
    for (const d of found) (d.severity === 'error' ? fail : warn)(d);
  };
  const counters = new Map<KindInfo, number>();
  const heldRaw: RawSubject[] = [];
  let held: Facts | undefined;
  let batch: RawSubject[] = [];
  let streamedCount = 0;
  let firstStreamedLine = 0;
  const end = (): StreamEnd => {
    if (errors > limits.maxErrors) diagnostics.push({ code: 'S0012', severity: 'error', span: { file, start: 0, end: 0 }, args: { limit: limits.maxErrors } });
    return { diagnostics, failed: errors > 0, held: held?.subjects.length ?? heldRaw.length, streamed: streamedCount };
  };
  // Validates and links the held subjects; false when they have errors.
  const settle = (): boolean => {
    const result = buildFacts(policy, heldRaw, file, undefined, limits);
    take(result.diagnostics);
    heldRaw.length = 0;
    held = result.facts;
    return held !== undefined;
  };
  const flush = (): Facts | undefined => {
    const result = buildFacts(policy, batch, file, undefined, { ...limits, maxSubjects: Number.MAX_SAFE_INTEGER }, held);
    batch = [];
    take(result.diagnostics);
    return errors === 0 ? result.facts : undefined;
  };

  for (const { text, line, offset } of lines) {
    const body = text.trim();
    if (!body) continue;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (e) {
      fail(error('F0002', { file, start: offset, end: offset + text.length }, { detail: `line ${line}: ${(e as Error).message.split('\n')[0]}` }));
      if (errors > limits.maxErrors) break;
      continue;
    }
    const kindName = value && typeof value === 'object' && !Array.isArray(value) ? (value as { kind?: unknown }).kind : undefined;
    const kind = typeof kindName === 'string' ? byName.get(kindName) : undefined;
    if (!kind) {
      fail({ ...error('F0013', { file, start: offset, end: offset + text.length }, { line, detail: JSON.stringify(kindName ?? null) }), factsPath: `line ${line}` });
      if (errors > limits.maxErrors) break;
      continue;
    }
    const index = counters.get(kind) ?? 0;
    counters.set(kind, index + 1);
    const raw: RawSubject = { kind, value, at: [kind.listKey, index] };
    if (!options.streamed.has(kind.name)) {
      if (firstStreamedLine > 0) {
        fail({ ...error('F0040', { file, start: offset, end: offset + text.length }, { line, kind: kind.name, first: firstStreamedLine }), factsPath: `line ${line}` });
        break;
      }
      if (heldRaw.length >= limits.maxSubjects) {
        fail({ ...error('F0012', { file, start: offset, end: offset + text.length }, { what: 'subjects', limit: limits.maxSubjects }), factsPath: `line ${line}` });
        break;
      }
      heldRaw.push(raw);
      continue;
    }
    if (firstStreamedLine === 0) {
      firstStreamedLine = line;
      if (errors > 0 || !settle()) return end();
      yield { facts: held!, held: true };
    }
    if (errors > 0) continue; // keep reading to report up to maxErrors, but hand nothing on
    batch.push(raw);
    streamedCount++;
    if (batch.length >= batchSize) {
      const facts = flush();
      if (facts) yield { facts, held: false };
    }
  }
  if (firstStreamedLine === 0) {
    if (errors > 0 || !settle()) return end();
    yield { facts: held!, held: true };
  } else if (batch.length > 0 && errors === 0) {
    const facts = flush();
    if (facts) yield { facts, held: false };
  }
  return end();
}
