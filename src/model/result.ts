/**
 * Result types of an evaluation: what `clausal eval --format json` prints and what the
 * embedding API returns. The shape is fixed by the interface contract (section 3).
 */

/** A subject's kind and id, e.g. `{ kind: "institution", id: "KM-CWH-01" }`. */
export interface SubjectRef {
  /** The subject kind as declared in the policy (region, institution, worker). */
  readonly kind: string;
  /** The subject's id as written in the facts. */
  readonly id: string;
}

/** Deontic modality of a rule, read from the document's own wording. */
export type Modality = 'must' | 'should' | 'may';

/** Every status a rule can take for one subject. */
export type Status =
  | 'not_applicable'
  | 'compliant'
  | 'violation'
  | 'pending'
  | 'advisory'
  | 'unknown'
  | 'eligible'
  | 'ineligible'
  /** A value rule's result: see {@link RuleResult.value}. */
  | 'computed';

/** All statuses in the order reports list them. */
export const STATUSES: readonly Status[] = [
  'violation',
  'pending',
  'unknown',
  'advisory',
  'compliant',
  'eligible',
  'ineligible',
  'computed',
  'not_applicable',
];

/** A figure that decided a result: a fact or parameter and its value, printable as is. */
export interface Figure {
  /** Facts path (`institutions[KM-CWH-01].posts.social_work`) or `param NAME`. */
  readonly path: string;
  /** The value as JSON: number, string, boolean, null (none), or a `YYYY-MM-DD` date. */
  readonly value: string | number | boolean | null;
}

/** The decision of one rule for one subject. */
export interface RuleResult {
  /** The subject the rule was evaluated on. */
  readonly subject: SubjectRef;
  /** The rule id. */
  readonly rule: string;
  /** The clause of the source document, e.g. `三（二）`. */
  readonly cite: string;
  /** The rule's modality. */
  readonly modality: Modality;
  /** The decision. */
  readonly status: Status;
  /** The deadline in force (`YYYY-MM-DD`), or null when the rule has none. */
  readonly due: string | null;
  /** Facts paths and parameters that were needed but absent (non-empty only when unknown). */
  readonly missing: readonly string[];
  /** One line in the requested language, with the figures that decided. */
  readonly explanation: string;
  /** The rule's zh (or en) title. */
  readonly title: string;
  /** Figures read while deciding, in reading order. */
  readonly figures: readonly Figure[];
  /**
   * For unmet numeric requirements: how much more of the compared quantity is needed, as an
   * exact decimal string (`"12"`, `"3.5"`).
   */
  readonly shortfall?: string;
  /** The unit of {@link RuleResult.shortfall} (`岗位`), or null when the quantity has none. */
  readonly shortfallUnit?: string | null;
  /** Value rules: the computed value, an exact decimal string or a `YYYY-MM-DD` date. */
  readonly value?: string;
  /** Value rules: the value's unit, or null. */
  readonly unit?: string | null;
}

/** Counts of results per status. */
export type Summary = Record<Status, number>;

/** The whole output of an evaluation. */
export interface EvaluationReport {
  /** Policy id and version. */
  readonly policy: { readonly id: string; readonly version: string; readonly title?: string };
  /** The evaluation date, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** One entry per subject and rule, ordered by subject (facts order) then rule (policy order). */
  readonly results: readonly RuleResult[];
  /** Counts per status. */
  readonly summary: Summary;
}

/** A summary with every status at zero. */
export function emptySummary(): Summary {
  return {
    compliant: 0,
    violation: 0,
    pending: 0,
    advisory: 0,
    not_applicable: 0,
    unknown: 0,
    eligible: 0,
    ineligible: 0,
    computed: 0,
  };
}

/** A region on a subject's path up to the province, for grouping reports by prefecture and county. */
export interface RegionRef {
  readonly id: string;
  readonly name?: string;
  /** province | prefecture | county | township | village, when known. */
  readonly level?: string;
}

/** What reports need to know about a subject beyond its id: its name and where it is. */
export interface SubjectInfo {
  readonly kind: string;
  readonly id: string;
  readonly name?: string;
  /** The subject's regions from the nearest one up to the province (for a region: itself first). */
  readonly regions: readonly RegionRef[];
}
