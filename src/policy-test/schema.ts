/**
 * The JSON Schema (draft-07) of policy test files (`tests.yaml`, `*.tests.yaml`): the single
 * source of truth. The test loader validates every file against it with ajv (compiled once:
 * the schema is ours and static, never derived from user input), and
 * `docs/schema/policy-tests.schema.json` is this object serialised for editors; a test fails
 * when that file is stale (`UPDATE_SCHEMA=1 npx vitest run test/policy-test` regenerates it).
 *
 * The schema checks shape only. What needs the policy (rule ids, subjects, parameter values,
 * the facts themselves) is checked by the loader afterwards, with its own codes.
 *
 * Descriptions are written zh first, then en, one per line, as in the rule-file schema.
 */
import { STATUSES } from '../model/result.js';

/** A JSON value, the type of the schema object. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

function d(zh: string, en: string): string {
  return `${zh}\n${en}`;
}

const ref = (name: TestsDefinitionName) => ({ $ref: `#/definitions/${name}` });

/** The names of the definitions, so the loader can word errors per definition. */
export type TestsDefinitionName = 'date' | 'name' | 'params' | 'fragments' | 'expectation' | 'testCase';

/** `YYYY-MM-DD`; whether the day exists is checked by the loader. */
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** A rule id or parameter name, as the DSL writes them (inner hyphens allowed). */
export const NAME_PATTERN = '^[A-Za-z_\\u3400-\\u4dbf\\u4e00-\\u9fff][A-Za-z0-9_\\u3400-\\u4dbf\\u4e00-\\u9fff]*(?:-[A-Za-z0-9_\\u3400-\\u4dbf\\u4e00-\\u9fff]+)*$';

const fragmentList: Json = {
  type: ['string', 'array'],
  items: { type: 'string', minLength: 1 },
};

const definitions: Record<TestsDefinitionName, Json> = {
  date: {
    type: 'string',
    pattern: DATE_PATTERN,
    description: d('YYYY-MM-DD 形式的日期', 'A date of the form YYYY-MM-DD'),
  },
  name: {
    type: 'string',
    pattern: NAME_PATTERN,
    description: d('规则编号或参数名', 'A rule id or parameter name'),
  },
  params: {
    type: 'object',
    propertyNames: ref('name'),
    additionalProperties: { type: ['string', 'number', 'boolean'] },
    description: d(
      '参数取值覆盖：`参数名: DSL 字面量`，如 `school_ratio: "1:1000"`、`civil_affairs_share: 75%`，按参数类型检查',
      'Parameter overrides `name: DSL literal`, e.g. `school_ratio: "1:1000"`, `civil_affairs_share: 75%`; checked against the parameter\'s type',
    ),
  },
  fragments: {
    type: ['string', 'array', 'object'],
    items: { type: 'string', minLength: 1 },
    properties: { zh: fragmentList, en: fragmentList },
    additionalProperties: false,
    minProperties: 1,
    description: d(
      '说明中应出现的片段：字符串或列表（按中文说明核对），或 `{ zh: …, en: … }` 按各语言核对',
      'Fragments the explanation must contain: a string or list (checked against the zh explanation), or `{ zh: …, en: … }` per language',
    ),
  },
  expectation: {
    type: 'object',
    properties: {
      subject: {
        type: ['string', 'integer'],
        description: d(
          '主体编号；用例事实中该规则适用类型的主体只有一个时可省略',
          'The subject id; may be left out when the case\'s facts hold exactly one subject of the rule\'s kind',
        ),
      },
      kind: {
        type: 'string',
        pattern: NAME_PATTERN,
        description: d('主体类型，仅在编号重名时需要', 'The subject kind, needed only when the id names subjects of several kinds'),
      },
      rule: { ...ref('name'), description: d('规则编号', 'The rule id') },
      status: {
        enum: [...STATUSES],
        description: d('预期状态', 'The expected status'),
      },
      missing: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: d(
          '预期缺失的事实路径与参数（不计顺序），如 `institutions[A].posts.total`、`param school_ratio`',
          'Expected missing facts paths and parameters (any order), e.g. `institutions[A].posts.total`, `param school_ratio`',
        ),
      },
      due: {
        type: ['string', 'null'],
        pattern: DATE_PATTERN,
        description: d('预期期限；null 表示无期限', 'The expected deadline; null for none'),
      },
      explanation: ref('fragments'),
      value: {
        type: ['string', 'number'],
        description: d(
          '值规则的预期值，精确比较（`"300.00"` 与 `300` 相等）；日期写 `YYYY-MM-DD`',
          'The expected value of a value rule, compared exactly (`"300.00"` equals `300`); a date as `YYYY-MM-DD`',
        ),
      },
      shortfall: {
        type: ['string', 'number', 'null'],
        description: d('预期缺口（精确比较）；null 表示没有缺口', 'The expected shortfall, compared exactly; null for none'),
      },
    },
    required: ['rule', 'status'],
    additionalProperties: false,
    description: d('一项断言：某主体在某规则下的预期结果', 'One check: the expected result of a rule for a subject'),
  },
  testCase: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, description: d('用例名称', 'The case name') },
      as_of: { ...ref('date'), description: d('评估日期；省略时用文件的 `as_of`', 'The as-of date; defaults to the file\'s `as_of`') },
      params: ref('params'),
      facts: {
        type: ['string', 'object'],
        description: d(
          '事实：内联的 `{ regions, institutions, workers }`，或相对于本测试文件的事实文件路径',
          'Facts: inline `{ regions, institutions, workers }`, or the path of a facts file relative to this test file',
        ),
      },
      expect: {
        type: 'array',
        items: ref('expectation'),
        minItems: 1,
        description: d('断言', 'The checks'),
      },
    },
    required: ['name', 'facts', 'expect'],
    additionalProperties: false,
    description: d('一个测试用例', 'One test case'),
  },
};

/** The schema of one policy test file. */
export const POLICY_TESTS_SCHEMA: { readonly [key: string]: Json } = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Clausal policy tests',
  description: d(
    '政策自带的规则测试（`tests.yaml` 或 `*.tests.yaml`，与规则文件放在同一目录），由 `clausal test` 运行。',
    'A policy\'s own rule tests (`tests.yaml` or `*.tests.yaml`, next to the rule files), run by `clausal test`.',
  ),
  type: 'object',
  properties: {
    as_of: { ...ref('date'), description: d('各用例默认的评估日期', 'The default as-of date of the cases') },
    params: { ...ref('params'), description: d('各用例共用的参数覆盖（用例中的同名参数优先）', 'Parameter overrides shared by every case (a case\'s own win)') },
    tests: {
      type: 'array',
      items: ref('testCase'),
      minItems: 1,
      description: d('测试用例', 'The test cases'),
    },
  },
  required: ['tests'],
  additionalProperties: false,
  definitions,
};

/** The schema file's text, exactly as committed in `docs/schema/policy-tests.schema.json`. */
export function policyTestsSchemaJson(): string {
  return `${JSON.stringify(POLICY_TESTS_SCHEMA, null, 2)}\n`;
}

/** A raw expectation as the schema admits it. */
export interface RawExpectation {
  readonly subject?: string | number;
  readonly kind?: string;
  readonly rule: string;
  readonly status: (typeof STATUSES)[number];
  readonly missing?: readonly string[];
  readonly due?: string | null;
  readonly explanation?: string | readonly string[] | { readonly zh?: string | readonly string[]; readonly en?: string | readonly string[] };
  readonly value?: string | number;
  readonly shortfall?: string | number | null;
}

/** A raw test case as the schema admits it. */
export interface RawTestCase {
  readonly name: string;
  readonly as_of?: string;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  readonly facts: string | Readonly<Record<string, unknown>>;
  readonly expect: readonly RawExpectation[];
}

/** A raw test file as the schema admits it. */
export interface RawTestFile {
  readonly as_of?: string;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  readonly tests: readonly RawTestCase[];
}
