/** Runs an exported rule with json-logic-js and derives its status as the export's notes say. */
import jsonLogic from 'json-logic-js';
import type { JsonLogicRule } from '../../src/export/jsonlogic.js';
import type { Status } from '../../src/model/result.js';

function run(logic: unknown, data: unknown): unknown {
  return jsonLogic.apply(logic as Parameters<typeof jsonLogic.apply>[0], data);
}

/**
 * The status json-logic-js gives, derived the way the evaluator derives it: where falsy ->
 * not_applicable; entitlements eligible/ineligible; obligations compliant, advisory for
 * should/may, pending on or before the deadline, violation after it.
 */
export function statusOf(rule: JsonLogicRule, data: { asOf: string }): { status: Status; due: string | null } {
  if (!jsonLogic.truthy(run(rule.where, data))) return { status: 'not_applicable', due: null };
  const holds = jsonLogic.truthy(run(rule.condition, data));
  const due = rule.deadline === null ? null : (run(rule.deadline, data) as string | null);
  if (rule.type === 'entitlement') return { status: holds ? 'eligible' : 'ineligible', due };
  if (holds) return { status: 'compliant', due };
  if (rule.modality !== 'must') return { status: 'advisory', due };
  // A deadline that reads a missing fact: the engine cannot decide either.
  if (rule.deadline !== null && due === null) return { status: 'unknown', due };
  return { status: due !== null && data.asOf <= due ? 'pending' : 'violation', due };
}
