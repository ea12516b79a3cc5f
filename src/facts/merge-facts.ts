/**
 * Several facts sources as one set of facts: a folder of per-prefecture workbooks, or several
 * `--facts`. The raw subjects of every part are validated together by `buildFacts`, so a
 * reference in one file to a region defined in another resolves, and the usual checks and
 * messages apply; each diagnostic is then put back in its own part's terms (its file, its
 * list index, its cell). An id defined in two files is an error naming both places (F0300).
 * No I/O here: the browser's self-check page merges files the same way.
 */
import { error, hasErrors, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import { buildFacts, DEFAULT_FACTS_LIMITS, type BuildOptions, type FactsLimits, type FactsResult, type RawSubject } from './facts.js';
import { placesOf, placeText, type RawFactsPart } from './raw-facts.js';

/** Where the `index`-th subject of `list` of a part is, in words: `昆明.xlsx 机构!A3` or `昆明.yaml:12`. */
function subjectWhere(part: RawFactsPart, list: string, index: number, lang: 'zh' | 'en' = 'zh'): string {
  const place = part.place?.(list, index, 'id');
  if (place) return placeText(place, lang);
  const span = part.positions?.([list, index, 'id']);
  return span && part.lineOf ? `${part.file}:${part.lineOf(span.start)}` : `${part.file} ${list}[${index}]`;
}

/** The id a raw subject declares, as `buildFacts` will read it; undefined when it has none usable. */
function rawId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const id = (value as Record<string, unknown>).id;
  return typeof id === 'string' && id !== '' ? id : typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : undefined;
}

/** Validates and links the parts as one set of facts; `parts` in the order results should follow. */
export function mergeFactsParts(policy: Policy, parts: readonly RawFactsPart[], limits: FactsLimits = DEFAULT_FACTS_LIMITS, options?: BuildOptions): FactsResult {
  const early = parts.flatMap((p) => p.diagnostics);
  if (hasErrors(early)) return { diagnostics: early };
  // Each list's subjects across parts: global index -> (part, index in the part).
  const owners = new Map<string, { part: number; local: number }[]>();
  const firstSeen = new Map<string, { part: number; list: string; local: number }>();
  const duplicates: Diagnostic[] = [];
  const raw: RawSubject[] = [];
  parts.forEach((part, pi) => {
    for (const r of part.raw) {
      const list = String(r.at[0]);
      const local = Number(r.at[1]);
      const id = rawId(r.value);
      const key = `${r.kind.name}\u0000${id}`;
      const first = id === undefined ? undefined : firstSeen.get(key);
      if (first && first.part !== pi) {
        // Named at the second place, with the first: which prefecture's row is right is the officer's call.
        const span = part.positions?.([list, local, 'id']) ?? { file: part.file, start: 0, end: 0 };
        duplicates.push({
          ...error('F0300', span, { kind: r.kind.name, 'kind.zh': r.kind.label?.zh ?? r.kind.name, id: id!, first: subjectWhere(parts[first.part], first.list, first.local), 'first.en': subjectWhere(parts[first.part], first.list, first.local, 'en'), second: subjectWhere(part, list, local), 'second.en': subjectWhere(part, list, local, 'en') }),
          factsPath: subjectWhere(part, list, local),
        });
        continue;
      }
      if (id !== undefined && !first) firstSeen.set(key, { part: pi, list, local });
      const mine = owners.get(list) ?? [];
      owners.set(list, mine);
      raw.push({ kind: r.kind, value: r.value, at: [list, mine.length] });
      mine.push({ part: pi, local });
    }
  });
  if (duplicates.length) return { diagnostics: [...early, ...duplicates.slice(0, limits.maxErrors)] };
  const ownerOf = (list: unknown, index: unknown) => (typeof list === 'string' && typeof index === 'number' ? owners.get(list)?.[index] : undefined);
  const result = buildFacts(policy, raw, parts[0]?.file ?? '', (at) => {
    const o = ownerOf(at[0], at[1]);
    if (!o) return undefined;
    const part = parts[o.part];
    // A part without positions (JSON) still names its own file.
    return part.positions?.([at[0], o.local, ...at.slice(2)]) ?? { file: part.file, start: 0, end: 0 };
  }, limits, undefined, options);
  const relocated = result.diagnostics.map((d) => {
    const m = d.factsPath === undefined ? null : /^([^.[]+)\[(\d+)\]/.exec(d.factsPath);
    const o = m ? ownerOf(m[1], Number(m[2])) : undefined;
    if (!m || !o) return d;
    const part = parts[o.part];
    const local = `${m[1]}[${o.local}]`;
    const factsPath = local + d.factsPath!.slice(m[0].length);
    const args = typeof d.args.path === 'string' && d.args.path.startsWith(m[0]) ? { ...d.args, path: local + d.args.path.slice(m[0].length) } : d.args;
    const own = { ...d, args, factsPath };
    return part.relocate ? part.relocate(own) : own;
  });
  const facts = result.facts && parts.some((p) => p.place)
    ? { ...result.facts, placeOf: placesOf(result.facts, (list, index) => { const o = ownerOf(list, index); return o && { part: parts[o.part], local: o.local }; }, (kind) => policy.kinds.get(kind)?.listKey) }
    : result.facts;
  return { facts, diagnostics: [...early, ...relocated] };
}
