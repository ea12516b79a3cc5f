/**
 * Names and regions of subjects, for reports that group by prefecture and county. The region
 * kind is the one whose subjects point at themselves (`parent`); other subjects reach it
 * through their references (worker -> institution -> region).
 */
import type { RegionRef, SubjectInfo } from '../model/result.js';
import type { Policy } from '../model/types.js';
import type { Facts, Subject } from './facts.js';

function isSubject(v: unknown): v is Subject {
  return typeof v === 'object' && v !== null && 'related' in v && 'data' in v;
}

/** Key of a subject in the info map. */
export function subjectKey(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}

/** Builds name and region chain of every subject. */
export function subjectInfos(policy: Policy, facts: Facts): Map<string, SubjectInfo> {
  const regionKind = [...policy.kinds.values()].find((k) => [...k.fields.values()].some((f) => f.type.t === 'subject' && f.type.kind === k.name));
  const selfField = regionKind ? [...regionKind.fields.values()].find((f) => f.type.t === 'subject' && f.type.kind === regionKind.name)?.path : undefined;
  const chains = new Map<Subject, RegionRef[]>();
  const chainOf = (r: Subject): RegionRef[] => {
    const cached = chains.get(r);
    if (cached) return cached;
    const out: RegionRef[] = [];
    const seen = new Set<Subject>();
    let cur: Subject | undefined = r;
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      out.push({ id: cur.id, name: typeof cur.data.name === 'string' ? cur.data.name : undefined, level: typeof cur.data.level === 'string' ? cur.data.level : undefined });
      const next: unknown = selfField ? cur.data[selfField] : undefined;
      cur = isSubject(next) ? next : undefined;
    }
    chains.set(r, out);
    return out;
  };
  const regionOf = (s: Subject, depth: number): Subject | undefined => {
    if (regionKind && s.kind === regionKind.name) return s;
    if (depth > 3) return undefined;
    for (const v of Object.values(s.data)) if (isSubject(v)) return regionOf(v, depth + 1);
    return undefined;
  };
  const out = new Map<string, SubjectInfo>();
  for (const s of facts.subjects) {
    const region = regionOf(s, 0);
    out.set(subjectKey(s.kind, s.id), {
      kind: s.kind,
      id: s.id,
      name: typeof s.data.name === 'string' ? s.data.name : undefined,
      regions: region ? chainOf(region) : [],
    });
  }
  return out;
}
