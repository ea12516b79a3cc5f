/** The diagnostics that name the rules SQL cannot express. */
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { LoweredPolicy } from '../lower/lowered.js';

/** One X0401 per rule the lowering refused, naming the rule and the construct. */
export function unsupportedDiagnostics(lowered: LoweredPolicy): Diagnostic[] {
  return lowered.unsupported.map((u) => error('X0401', u.span, { rule: u.rule, construct: u.construct, reason: u.reason }));
}
