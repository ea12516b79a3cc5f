/**
 * Parameter overrides of policy tests: values written as DSL literals (`"1:1000"`, `75%`,
 * `2023-06-30`, an enum member, a set) are parsed by the DSL's own expression parser and
 * checked by the checker's expression checker against the parameter's declared type, so an
 * override means exactly what the same text would mean in a `param` declaration.
 */
import { assignable, constValueOf, ExprChecker, Scope } from '../check/expressions.js';
import { didYouMean, error, type Diagnostic } from '../model/diagnostics.js';
import { formatNum, isNum } from '../model/rational.js';
import type { Span } from '../model/span.js';
import { typeName, type ConstValue, type Policy } from '../model/types.js';
import { parseExpression } from '../syntax/parse.js';

/** One override as written in a test file. */
export interface OverrideSource {
  /** The parameter name. */
  readonly name: string;
  /** Where the name is written. */
  readonly nameSpan: Span;
  /** The YAML value: strings and numbers are DSL literals, booleans are booleans. */
  readonly value: string | number | boolean;
  /** The literal's text and where it starts in the file (for exact spans inside it). */
  readonly text: string;
  readonly offset: number;
  /** The whole value's span. */
  readonly span: Span;
}

/**
 * Parses and type-checks one override. Returns the value, or undefined with diagnostics.
 *
 * A string parameter may be written without DSL quotes (`region_name: 昆明市`): the YAML
 * string is then the value itself, since there is nothing else it could mean.
 */
export function parseOverride(policy: Policy, src: OverrideSource): { value?: ConstValue; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const param = policy.params.get(src.name);
  if (!param) {
    diagnostics.push(error('T0007', src.nameSpan, { name: src.name }, didYouMean(src.name, policy.params.keys())));
    return { diagnostics };
  }
  if (typeof src.value === 'string' && param.type.t === 'string' && !src.value.trimStart().startsWith('"')) {
    return { value: src.value, diagnostics };
  }
  const parsed = parseExpression(src.text, src.span.file, src.offset);
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.value || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const checker = new ExprChecker({ ...policy, cyclicDefines: new Set() }, diagnostics);
  const before = diagnostics.length;
  const x = checker.check(parsed.value, Scope.root(), param.type);
  if (diagnostics.length > before) return { diagnostics };
  if (!assignable(param.type, x.type) || x.type.t === 'error') {
    diagnostics.push(error('T0008', src.span, { name: src.name, expected: typeName(param.type), actual: typeName(x.type) }));
    return { diagnostics };
  }
  const value = constValueOf(x);
  if (value === undefined) {
    diagnostics.push(error('T0009', src.span, { name: src.name }));
    return { diagnostics };
  }
  if (param.type.t === 'integer' && isNum(value) && !(typeof value === 'number' && Number.isInteger(value))) {
    diagnostics.push(error('T0008', src.span, { name: src.name, expected: 'integer', actual: formatNum(value) }));
    return { diagnostics };
  }
  return { value, diagnostics };
}
