/**
 * The JSON Schema (draft-07) of YAML rule files: the single source of truth. The loader
 * validates every document against it with ajv, and `docs/schema/policy.schema.json` is this
 * object serialised for editors (autocomplete, hover text); a test fails when that file is
 * stale (`UPDATE_SCHEMA=1 npx vitest run test/yaml` regenerates it).
 *
 * Shape rules, so the YAML form stays regular:
 * - every declaration group is a mapping from the declared name to its body, except `rules`,
 *   which is a list (rule order is significant and ids are data);
 * - where an entry has one main value, a scalar (or list) may stand for the whole entry:
 *   a field's type, a parameter's single value, a set's items, a definition's body, the zh
 *   text of a label;
 * - alternatives are told apart by JSON type only (no `anyOf`/`oneOf`), so a mistake gives one
 *   precise error instead of one per branch.
 *
 * Descriptions are written zh first, then en, one per line.
 */
import { KEYWORDS } from '../syntax/tokens.js';

/** The characters a name may start with / continue with; the same ranges as the DSL lexer. */
const NAME_START = 'A-Za-z_\\u3400-\\u4dbf\\u4e00-\\u9fff';
const NAME_PART = 'A-Za-z0-9_\\u3400-\\u4dbf\\u4e00-\\u9fff';
/** One DSL name (identifier), inner hyphens allowed as in rule ids. */
const NAME = `[${NAME_START}][${NAME_PART}]*(?:-[${NAME_PART}]+)*`;

/** Regular expressions (as schema `pattern` strings) shared with the loader. */
export const PATTERNS = {
  name: `^${NAME}$`,
  fieldName: `^${NAME}(?:\\.${NAME})*$`,
  typeRef: `^(?:list[ \\t]+)?${NAME}(?:[ \\t]+in[ \\t]+${NAME})?$`,
  forClause: `^${NAME}[ \\t]+${NAME}$`,
  date: '^\\d{4}-\\d{2}-\\d{2}$',
} as const;

/** DSL keywords: they cannot name a declaration, because an expression could not refer to it. */
export const KEYWORD_NAMES: readonly string[] = KEYWORDS.map((t) => t.name.replace(/^Kw_/, ''));

function d(zh: string, en: string): string {
  return `${zh}\n${en}`;
}

/** A JSON value, the type of the schema object. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

const labelProperties = {
  zh: { type: 'string', description: d('中文文本', 'Chinese text') },
  en: { type: 'string', description: d('英文文本', 'English text') },
};

/** The names of the definitions, so the loader can word errors per definition. */
export type DefinitionName =
  | 'identifier' | 'memberName' | 'fieldName' | 'typeRef' | 'date' | 'expression' | 'text' | 'label'
  | 'enumDecl' | 'fieldDecl' | 'relationDecl' | 'kindDecl' | 'paramDecl' | 'paramValue' | 'setDecl'
  | 'formals' | 'tableDecl' | 'defineDecl' | 'forClause' | 'ruleDecl' | 'uncheckableDecl';

const definitions: Record<DefinitionName, Json> = {
  identifier: {
    type: 'string',
    pattern: PATTERNS.name,
    not: { enum: [...KEYWORD_NAMES] },
    description: d('名称：字母、数字、下划线或汉字，可含中间连字符，不能是关键字', 'A name: letters, digits, underscores or CJK characters, inner hyphens allowed; not a keyword'),
  },
  memberName: {
    type: 'string',
    pattern: PATTERNS.name,
    description: d('枚举值名称', 'Name of an enum member'),
  },
  fieldName: {
    type: 'string',
    pattern: PATTERNS.fieldName,
    description: d('字段名称，可用点号表示嵌套字段，如 `posts.total`', 'Field name; dots declare nested facts, e.g. `posts.total`'),
  },
  typeRef: {
    type: 'string',
    pattern: PATTERNS.typeRef,
    description: d(
      '类型：integer、number、percent、ratio、date、duration、boolean、string、record、枚举名、主体类型名，或 `list 类型`',
      'A type: integer, number, percent, ratio, date, duration, boolean, string, record, an enum, a subject kind, or `list T`',
    ),
  },
  date: {
    type: 'string',
    pattern: PATTERNS.date,
    description: d('日期 YYYY-MM-DD', 'A date YYYY-MM-DD'),
  },
  expression: {
    type: ['string', 'number', 'boolean'],
    description: d(
      '规则语言表达式，按原文解析（例如 `70%`、`2021-01-01`、`i.posts.total >= 10`）；字符串字面量须保留引号：\'"文本"\'；含 `: ` 或以 `{` 开头的表达式须加引号或写成 `>-` 块',
      'An expression of the rule language, parsed from its source text (e.g. `70%`, `2021-01-01`, `i.posts.total >= 10`); a string literal keeps its quotes: \'"text"\'; quote an expression, or write it as a `>-` block, when it contains `: ` or starts with `{`',
    ),
  },
  text: {
    type: ['string', 'object'],
    properties: labelProperties,
    required: ['zh'],
    additionalProperties: false,
    description: d('中文文本，或 `{ zh: …, en: … }`', 'Chinese text, or `{ zh: …, en: … }`'),
  },
  label: {
    type: ['string', 'object', 'null'],
    properties: labelProperties,
    required: ['zh'],
    additionalProperties: false,
    description: d('中文标签，或 `{ zh: …, en: … }`；留空表示无标签', 'Chinese label, or `{ zh: …, en: … }`; empty for none'),
  },
  enumDecl: {
    type: 'object',
    properties: {
      label: ref('text'),
      members: {
        type: ['object', 'array'],
        propertyNames: ref('memberName'),
        additionalProperties: ref('label'),
        items: ref('memberName'),
        description: d('枚举值：`名称: 标签` 的映射，或名称列表', 'Members: a mapping `name: label`, or a list of names'),
      },
    },
    required: ['members'],
    additionalProperties: false,
    description: d('枚举类型', 'An enumeration'),
  },
  fieldDecl: {
    type: ['string', 'object'],
    pattern: PATTERNS.typeRef,
    properties: {
      type: ref('typeRef'),
      label: ref('text'),
    },
    required: ['type'],
    additionalProperties: false,
    description: d('字段：类型，或 `{ type: …, label: … }`', 'A field: its type, or `{ type: …, label: … }`'),
  },
  relationDecl: {
    type: 'object',
    properties: {
      many: { ...ref('identifier'), description: d('关联的主体类型', 'The related subject kind') },
      by: { ...ref('identifier'), description: d('对方指向本主体的引用字段', 'The reference field of the related kind that points here') },
      transitive: { type: 'boolean', description: d('沿引用字段逐级传递（DSL 中的 `by parent*`）', 'Follow the reference transitively (`by parent*` in the DSL)') },
      label: ref('text'),
    },
    required: ['many', 'by'],
    additionalProperties: false,
    description: d('反向关系：`{ many: 主体类型, by: 字段 }`', 'An inverse relation: `{ many: kind, by: field }`'),
  },
  kindDecl: {
    type: 'object',
    properties: {
      from: { ...ref('identifier'), description: d('事实文件中的列表名', 'The list in the facts file') },
      label: ref('text'),
      fields: {
        type: 'object',
        propertyNames: ref('fieldName'),
        additionalProperties: ref('fieldDecl'),
        description: d('字段', 'Fields'),
      },
      relations: {
        type: 'object',
        propertyNames: ref('fieldName'),
        additionalProperties: ref('relationDecl'),
        description: d('反向关系', 'Inverse relations'),
      },
    },
    required: ['from'],
    additionalProperties: false,
    description: d('主体类型', 'A subject kind'),
  },
  paramDecl: {
    type: ['string', 'number', 'boolean', 'object'],
    properties: {
      type: ref('typeRef'),
      label: ref('text'),
      value: ref('expression'),
      history: {
        type: 'array',
        items: ref('paramValue'),
        minItems: 1,
        description: d('按生效日期排列的取值', 'Values by the date they take effect'),
      },
    },
    additionalProperties: false,
    dependencies: { value: { properties: { history: false } } },
    description: d(
      '参数：一个取值，或 `{ type, label, value | history }`；无取值表示须由地方细则设定',
      'A parameter: one value, or `{ type, label, value | history }`; without a value a local supplement must set it',
    ),
  },
  paramValue: {
    type: 'object',
    properties: {
      value: ref('expression'),
      from: { ...ref('date'), description: d('生效日期；省略表示自始有效', 'In force from this date; omitted: from the start') },
    },
    required: ['value'],
    additionalProperties: false,
    description: d('一个取值及其生效日期', 'One value and the date it takes effect'),
  },
  setDecl: {
    type: ['array', 'object'],
    items: ref('expression'),
    properties: {
      type: ref('typeRef'),
      label: ref('text'),
      items: { type: 'array', items: ref('expression'), description: d('成员', 'Members') },
    },
    required: ['items'],
    additionalProperties: false,
    description: d('常量集合：成员列表，或 `{ type, label, items }`', 'A constant set: a list of members, or `{ type, label, items }`'),
  },
  formals: {
    type: 'object',
    propertyNames: ref('identifier'),
    additionalProperties: ref('typeRef'),
    description: d('形式参数：`名称: 类型`，按顺序', 'Formal parameters `name: type`, in order'),
  },
  tableDecl: {
    type: 'object',
    properties: {
      params: ref('formals'),
      result: { ...ref('typeRef'), description: d('结果类型', 'The result type') },
      override: { type: 'boolean', description: d('替换所继承的同名查找表', 'Replaces the inherited table of the same name') },
      label: ref('text'),
      rows: {
        type: 'array',
        description: d('各行：`[键…, 结果]`', 'Rows: `[keys…, result]`'),
        items: {
          type: 'array',
          items: ref('expression'),
          minItems: 2,
          description: d('一行：各个键，最后一项为结果', 'One row: the keys, then the result as the last cell'),
        },
      },
    },
    required: ['params', 'result'],
    additionalProperties: false,
    description: d('查找表', 'A lookup table'),
  },
  defineDecl: {
    type: ['string', 'number', 'boolean', 'object'],
    properties: {
      params: ref('formals'),
      label: ref('text'),
      override: { type: 'boolean', description: d('替换所继承的同名定义', 'Replaces the inherited definition of the same name') },
      value: { ...ref('expression'), description: d('定义的表达式', 'The defining expression') },
    },
    required: ['value'],
    additionalProperties: false,
    description: d('定义：一个表达式，或 `{ params, label, value }`', 'A definition: an expression, or `{ params, label, value }`'),
  },
  forClause: {
    type: 'string',
    pattern: PATTERNS.forClause,
    description: d('适用对象：`主体类型 变量`，如 `institution i`', 'What the rule applies to: `kind variable`, e.g. `institution i`'),
  },
  ruleDecl: {
    type: 'object',
    properties: {
      id: { ...ref('identifier'), description: d('规则编号', 'The rule id') },
      title: ref('text'),
      cite: { type: 'string', description: d('原文条款编号，如 `三（二）`', 'The clause number in the source document, e.g. `三（二）`') },
      quote: { type: 'string', description: d('原文引文', 'The quoted source text') },
      for: ref('forClause'),
      where: { ...ref('expression'), description: d('适用条件', 'Which subjects the rule covers') },
      must: { ...ref('expression'), description: d('必须满足的要求', 'A mandatory requirement') },
      should: { ...ref('expression'), description: d('鼓励性要求', 'An encouraged requirement') },
      may: { ...ref('expression'), description: d('许可性要求', 'A permissive requirement') },
      eligible_when: { ...ref('expression'), description: d('资格条件（权益规则）', 'Eligibility condition (entitlement rule)') },
      compute: { ...ref('expression'), description: d('值规则：计算的值（金额、人数、日期等）', 'A value rule: the value it computes (an amount, a count, a date, …)') },
      unit: { ...ref('identifier'), description: d('值规则结果的单位，如 `元`', 'The unit of a value rule\'s result, e.g. `元`') },
      step: { type: ['number', 'string'], pattern: '^\\d+(?:\\.\\d+)?$', description: d('值规则结果须为其整数倍的步长，如 `0.01`', 'The step every result of a value rule is a whole multiple of, e.g. `0.01`') },
      modality: { enum: ['must', 'should', 'may'], description: d('资格规则的强度，默认 must', 'Strength of an entitlement rule; default must') },
      by: { ...ref('expression'), description: d('期限', 'The deadline') },
      from: { ...ref('date'), description: d('规则生效日期', 'The rule applies from this date') },
      until: { ...ref('date'), description: d('规则失效日期', 'The rule applies until this date') },
      explain: { ...ref('text'), description: d('说明模板，`{表达式}` 处填入取值', 'Explanation template; `{expr}` is replaced by its value') },
    },
    required: ['id'],
    additionalProperties: false,
    dependencies: {
      must: { properties: { should: false, may: false, eligible_when: false } },
      should: { properties: { may: false, eligible_when: false } },
      may: { properties: { eligible_when: false } },
      modality: ['eligible_when'],
      unit: ['compute'],
      step: ['compute'],
    },
    description: d('规则：义务（must/should/may）或资格（eligible_when）', 'A rule: an obligation (must/should/may) or an entitlement (eligible_when)'),
  },
  uncheckableDecl: {
    type: 'object',
    properties: {
      cite: { type: 'string', description: d('原文条款编号', 'The clause number in the source document') },
      quote: { type: 'string', description: d('限定到含此引文的段落', 'Narrows it to the paragraph holding this text') },
      because: { ...ref('text'), description: d('无法由事实检验的理由', 'Why no fact can check it') },
    },
    required: ['cite', 'because'],
    additionalProperties: false,
    description: d('无法由事实检验的原文段落及理由', 'A passage of the source no fact can check, with the reason'),
  },
};

const section = (body: DefinitionName, zh: string, en: string): Json => ({
  type: 'object',
  propertyNames: ref('identifier'),
  additionalProperties: ref(body),
  description: d(zh, en),
});

/** The schema of one YAML rule file. */
export const POLICY_SCHEMA: { readonly [key: string]: Json } = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Clausal policy (YAML form)',
  description: d(
    'Clausal 规则文件的 YAML 形式，与 `.clause` 文件一一对应。声明按文件中的顺序生效。',
    'The YAML form of a Clausal rule file; it maps one-to-one to the `.clause` syntax. Declarations keep their file order.',
  ),
  type: 'object',
  properties: {
    policy: { ...ref('identifier'), description: d('政策编号（文件头）', 'Policy id (the header)') },
    version: { type: ['string', 'number'], description: d('版本，如 "2021"', 'Version, e.g. "2021"') },
    title: { ...ref('text'), description: d('政策标题', 'Policy title') },
    source: { type: 'string', description: d('原文文件路径', 'Path of the source text file') },
    effective: {
      type: ['string', 'object'],
      pattern: PATTERNS.date,
      properties: {
        from: ref('date'),
        until: ref('date'),
      },
      required: ['from'],
      additionalProperties: false,
      description: d('生效日期，或 `{ from, until }`', 'Effective date, or `{ from, until }`'),
    },
    extends: { type: 'string', description: d('被扩展的政策目录', 'Directory of the policy this one extends') },
    numbering: { type: 'string', enum: ['第X条', '一、（一）'], description: d('原文的编号方式：`第X条`（条款项）或 `一、（一）`（部分与条目），与原文核对', 'Numbering of the source text: `第X条` (articles) or `一、（一）` (sections), checked against the text') },
    enums: section('enumDecl', '枚举类型', 'Enumerations'),
    kinds: section('kindDecl', '主体类型', 'Subject kinds'),
    params: section('paramDecl', '参数', 'Parameters'),
    sets: section('setDecl', '常量集合', 'Constant sets'),
    tables: section('tableDecl', '查找表', 'Lookup tables'),
    defines: section('defineDecl', '定义', 'Definitions'),
    rules: { type: 'array', items: ref('ruleDecl'), description: d('规则', 'Rules') },
    uncheckable: { type: 'array', items: ref('uncheckableDecl'), description: d('无法检验的原文段落', 'Passages no fact can check') },
  },
  additionalProperties: false,
  dependencies: {
    policy: ['version'],
    version: ['policy'],
    title: ['policy'],
    source: ['policy'],
    effective: ['policy'],
    extends: ['policy'],
    numbering: ['policy'],
  },
  definitions,
};

/** The schema file's text, exactly as committed in `docs/schema/policy.schema.json`. */
export function policySchemaJson(): string {
  return `${JSON.stringify(POLICY_SCHEMA, null, 2)}\n`;
}
