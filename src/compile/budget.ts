/**
 * The evaluation budget: steps (an item an aggregate visits, a call of a shared definition)
 * counted per subject and per run, so a policy whose nested aggregates are quadratic or worse
 * over a large relation ends in a diagnostic naming the rule and the subject (E0100 per
 * subject, E0101 per run) instead of running for hours. Steps, not time: the same policy and
 * facts stop at the same place on every machine.
 */
import { error, type Diagnostic } from '../model/diagnostics.js';

/**
 * Default steps per subject (all its rules): a few seconds of work. The bundled policy on a
 * generated province of 20,000 institutions (45,545 subjects) needs at most 227 for one
 * subject and 8,588 in all; a rule that counted every institution of a province of a million
 * from the province's region would need a million.
 */
export const DEFAULT_MAX_STEPS = 10_000_000;

/** Default steps per run (with `--jobs`, per thread): a minute or so of aggregating. */
export const DEFAULT_MAX_RUN_STEPS = 200_000_000;

/** Thrown out of a compiled closure when a budget is spent; the CLI reports its diagnostic. */
export class EvaluationBudgetExceeded extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.code);
    this.name = 'EvaluationBudgetExceeded';
  }
}

/** A subject as the diagnostic names it. */
interface Named {
  readonly kind: string;
  readonly id: string;
}

/** Steps left for the subject being decided and for the run. */
export class StepBudget {
  /**
   * Steps left before the next check. INVARIANT: `left` is the smaller of what the subject and
   * the run have left, so the hot path decrements one number.
   */
  left: number;
  private runLeft: number;
  private subjectStart = 0;
  private subject: Named | undefined;
  private rule = '';

  constructor(readonly maxPerSubject = DEFAULT_MAX_STEPS, readonly maxPerRun = DEFAULT_MAX_RUN_STEPS) {
    this.runLeft = maxPerRun;
    this.left = Math.min(maxPerSubject, maxPerRun);
    this.subjectStart = this.left;
  }

  /** Called before each decision: a new subject gets a fresh per-subject allowance. */
  enter(rule: string, subject: Named): void {
    this.rule = rule;
    if (subject === this.subject) return;
    this.runLeft -= this.subjectStart - this.left;
    this.subject = subject;
    this.left = Math.min(this.maxPerSubject, this.runLeft);
    this.subjectStart = this.left;
  }

  /** Called when `left` has gone below zero: throws the diagnostic of the limit that ran out. */
  exceeded(): never {
    const perRun = this.runLeft < this.maxPerSubject;
    const args = { rule: this.rule, kind: this.subject?.kind ?? '', subject: this.subject?.id ?? '', limit: perRun ? this.maxPerRun : this.maxPerSubject };
    throw new EvaluationBudgetExceeded(error(perRun ? 'E0101' : 'E0100', undefined, args));
  }
}
