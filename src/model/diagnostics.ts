/**
 * Diagnostics: one catalogue of codes with zh and en templates. The first letter of a code
 * names the stage (S syntax, Y yaml, C check, E eval, F facts, T policy tests, X cli, R records). Stages return
 * diagnostics as data; wording is filled in only when rendered, so tests check codes and
 * arguments, and a translation never changes behaviour. Never reuse a retired code.
 */
import type { Span } from './span.js';

/** Output language. */
export type Lang = 'zh' | 'en';

/** How bad a diagnostic is: errors stop the command, warnings do not. */
export type Severity = 'error' | 'warning';

/** Template pair for one code. Placeholders `{name}` are filled from the diagnostic's args. */
export interface MessageTemplate {
  readonly zh: string;
  readonly en: string;
}

/**
 * The catalogue. INVARIANT: zh and en templates of a code use the same placeholders.
 * Retired codes, never to be reused: S0011, C0030, C0032, E0001, E0002 (declared before any
 * release for situations the engine reports otherwise: a bad duration unit cannot be lexed;
 * an unset parameter and undefined arithmetic make a result `unknown`, not a diagnostic).
 */
export const CATALOGUE = {
  // syntax
  S0001: { zh: '无法识别的字符 `{text}`', en: 'unexpected character `{text}`' },
  S0002: { zh: '此处应为{expected}，实际为 `{found}`', en: 'expected {expected}, found `{found}`' },
  S0003: { zh: '此处应为{expected}，实际为 `{found}`', en: 'expected {expected} here, found `{found}`' },
  S0004: { zh: '文件意外结束，此处应为{expected}', en: 'unexpected end of file, expected {expected}' },
  S0005: { zh: '字符串没有结束引号', en: 'unterminated string' },
  S0006: { zh: '日期 `{text}` 不存在', en: 'date `{text}` does not exist' },
  S0007: { zh: '数字 `{text}` 无法表示', en: 'number `{text}` cannot be represented' },
  S0008: { zh: '此处应为文件结尾或下一条声明，多余的内容：`{found}`', en: 'the file should end here or a new declaration begin; unexpected `{found}`' },
  S0009: { zh: '文件超过 {limit} 字节上限（{size} 字节）', en: 'file is larger than the {limit}-byte limit ({size} bytes)' },
  S0010: { zh: '嵌套超过 {limit} 层上限', en: 'nesting deeper than the limit of {limit}' },
  S0100: { zh: '`{path}` 不是普通文件（{what}），拒绝读取', en: '`{path}` is not a regular file ({what}) and is not read' },
  S0101: { zh: '`{path}` 在政策根目录 `{root}` 之外；确需读取时用 --policy-root 指定更大的根目录', en: '`{path}` is outside the policy root `{root}`; to read it anyway, name a wider root with --policy-root' },
  S0013: { zh: '子句 `{clause}` 在同一条规则中重复出现', en: 'clause `{clause}` appears twice in one rule' },
  S0200: { zh: '`override` 只能用于 `define` 或 `table`', en: '`override` applies only to `define` or `table`' },
  S0012: { zh: '错误过多，仅显示前 {limit} 个', en: 'too many errors, only the first {limit} are shown' },
  S0014: { zh: '文件不是有效的 UTF-8 编码（第 {byte} 字节起）', en: 'file is not valid UTF-8 (from byte {byte})' },
  S0015: { zh: '词法单元超过 {limit} 个上限', en: 'more than the limit of {limit} tokens' },
  S0310: { zh: '全角符号 `{found}`：请使用半角 `{fix}`', en: 'full-width `{found}`: use the half-width `{fix}`' },
  S0311: { zh: '日期请写作 {fix}（年-月-日），而不是 `{found}`', en: 'write dates as {fix} (year-month-day), not `{found}`' },
  S0313: { zh: '表达式应在此结束，多余的内容：`{found}`', en: 'the expression should end here; unexpected `{found}`' },
  S0312: { zh: '字符串跨行了：请在本行用 `"` 结束字符串', en: 'the string runs onto the next line: close it with `"` on this line' },
  // yaml form
  Y0001: { zh: 'YAML 语法错误：{detail}', en: 'YAML syntax error: {detail}' },
  Y0002: { zh: '{where}：{detail}', en: '{where}: {detail}' },
  Y0003: { zh: '键 `{key}` 重复', en: 'duplicate key `{key}`' },
  Y0004: { zh: '别名（alias）过多，可能是别名炸弹', en: 'too many aliases: possible alias bomb' },
  Y0005: { zh: '不支持的标签 `{tag}`', en: 'unsupported tag `{tag}`' },
  Y0006: { zh: '一个文件只能有一个 YAML 文档', en: 'a file may hold only one YAML document' },
  // check
  C0001: { zh: '未知名称 `{name}`', en: 'unknown name `{name}`' },
  C0002: { zh: '{kind} 没有字段 `{field}`', en: '{kind} has no field `{field}`' },
  C0003: { zh: '类型不符：应为 {expected}，实际为 {actual}', en: 'type mismatch: expected {expected}, found {actual}' },
  C0004: { zh: '{what} `{name}` 重复定义', en: '{what} `{name}` is declared twice' },
  C0005: { zh: '定义之间存在循环：{cycle}', en: 'definitions form a cycle: {cycle}' },
  C0006: { zh: '条款编号 `{cite}` 不在文件的编号中', en: 'cite `{cite}` is not in the document\'s numbering' },
  C0007: { zh: '引文在原文中找不到', en: 'quote does not occur in the source text' },
  C0008: { zh: '参数 `{name}` 的历史日期未按时间顺序排列或重叠（{date}）', en: 'history of parameter `{name}` is unordered or overlapping ({date})' },
  C0009: { zh: '期限 {due} 早于政策生效日期 {effective}', en: 'deadline {due} is before the policy takes effect on {effective}' },
  C0010: { zh: '政策目录中没有 `policy` 声明', en: 'no `policy` header in the policy directory' },
  C0011: { zh: '找不到原文文件 `{path}`', en: 'source text file `{path}` not found' },
  C0012: { zh: '政策声明重复', en: 'the policy header is declared twice' },
  C0013: { zh: '未知的主体类型 `{name}`', en: 'unknown subject kind `{name}`' },
  C0014: { zh: '未知类型 `{name}`', en: 'unknown type `{name}`' },
  C0015: { zh: '`{name}` 不是 {type} 的取值', en: '`{name}` is not a value of {type}' },
  C0016: { zh: '`{name}` 需要 {expected} 个参数，实际为 {actual} 个', en: '`{name}` takes {expected} arguments, found {actual}' },
  C0017: { zh: '表 `{name}` 的行应有 {expected} 个键', en: 'rows of table `{name}` need {expected} keys' },
  C0018: { zh: '表 `{name}` 中的行重复', en: 'duplicate row in table `{name}`' },
  C0019: { zh: '引文出现在原文的 {found}，而不是 {cite}', en: 'quote occurs in {found} of the source, not in {cite}' },
  C0020: { zh: '无法加载被扩展的政策 `{path}`', en: 'cannot load the extended policy `{path}`' },
  C0021: { zh: '被扩展的政策中没有参数 `{name}`', en: 'the extended policy has no parameter `{name}`' },
  C0022: { zh: '资格规则不能有期限', en: 'an eligibility rule cannot have a deadline' },
  C0023: { zh: '说明模板有误：{detail}', en: 'bad explanation template: {detail}' },
  C0024: { zh: '未知函数 `{name}`', en: 'unknown function `{name}`' },
  C0025: { zh: '条件应为布尔值，实际为 {actual}', en: 'a condition must be boolean, found {actual}' },
  C0026: { zh: '目录 `{path}` 中没有规则文件（.clause 或 .yaml）', en: 'no rule files (.clause or .yaml) in `{path}`' },
  C0027: { zh: '关系 `{name}` 应指向 {kind} 的引用字段', en: 'relation `{name}` must name a reference field of {kind}' },
  C0028: { zh: '`{name}` 不是集合，不能聚合', en: '`{name}` is not a collection and cannot be aggregated' },
  C0029: { zh: '不能比较 {left} 和 {right}', en: 'cannot compare {left} with {right}' },
  C0031: { zh: '政策扩展形成循环：{path}', en: 'policy extension forms a cycle: {path}' },
  C0033: { zh: '生效日期 {from} 晚于失效日期 {until}', en: 'start date {from} is after end date {until}' },
  C0034: { zh: '扩展政策不能重新定义 `{name}` 的类型', en: 'an extending policy cannot change the type of `{name}`' },
  C0035: { zh: '规则 `{rule}` 缺少 {what}', en: 'rule `{rule}` is missing {what}' },
  C0036: { zh: '规则 `{rule}` 只能有一个要求（must/should/may）或资格条件（eligible when）', en: 'rule `{rule}` may have one requirement (must/should/may) or one eligibility condition (eligible when), not several' },
  C0037: { zh: '`{name}` 应为常量（字面量、枚举值或集合）', en: '`{name}` must be a constant (a literal, an enum value or a set)' },
  C0200: { zh: '`{op}` 两侧单位不同：{left} 与 {right}', en: '`{op}` needs the same unit on both sides: {left} and {right}' },
  C0201: { zh: '不能将带单位的值相乘或相除：{left} 与 {right}（乘除以无单位的数或百分比时保留单位）', en: 'cannot multiply or divide values with units {left} and {right} (`*` and `/` by a unitless number or percentage keep the unit)' },
  C0202: { zh: '`if` 的分支类型不同：then 为 {then}，else 为 {else}', en: 'branches of `if` have different types: {then} and {else}' },
  C0203: { zh: '值规则 `{rule}` 的结果不一定是步长 {step} 的整数倍：请显式取整，如 `round(…, {step})`、`floor(…, {step})` 或 `ceil(…, {step})`', en: 'value rule `{rule}` may give a result that is not a whole multiple of its step {step}: round it explicitly, e.g. `round(…, {step})`, `floor(…, {step})` or `ceil(…, {step})`' },
  C0204: { zh: '值规则 `{rule}` 应计算数值、百分比或日期，实际为 {type}', en: 'value rule `{rule}` must compute a number, percentage or date, not {type}' },
  C0205: { zh: '值规则 `{rule}` 声明的单位为 {expected}，表达式的单位为 {actual}', en: 'value rule `{rule}` declares unit {expected}, but its expression is in {actual}' },
  C0206: { zh: '取整步长应为正的常数，实际为 `{text}`', en: 'a rounding step must be a positive constant, found `{text}`' },
  C0207: { zh: '{what} `{name}` 会替换所继承的同名声明：如确需替换，请写 `override {what}`', en: '{what} `{name}` would replace the inherited one: write `override {what}` to replace it' },
  C0208: { zh: '`override {what} {name}` 没有可替换的继承{what}', en: '`override {what} {name}` replaces nothing: no inherited {what} of that name' },
  C0209: { zh: '所继承的{what} `{kind}` 已有 `{name}`，扩展只能新增', en: 'inherited {what} `{kind}` already has `{name}`: an extension may only add' },
  C0210: { zh: '规则 `{rule}` 不能同时计算值（compute）和设定要求或资格条件', en: 'rule `{rule}` cannot both compute a value and state a requirement or an eligibility condition' },
  C0211: { zh: '单位只能用于数值类型，`{type}` 不能带单位 {unit}', en: 'only numeric types take a unit: `{type}` cannot be in {unit}' },
  C0212: { zh: '`{name}` 的单位为 {expected}，所赋的值单位为 {actual}', en: '`{name}` is in {expected}, but the value given is in {actual}' },
  C0213: { zh: '值规则没有期限：请删除 `by`', en: 'a value rule has no deadline: remove `by`' },
  C0223: { zh: '值规则 `{rule}` 的结果可能是无限小数（除以非常量，或除以 3、7 等）：请在表达式最外层显式取整，如 `round(…, 0.01)`、`floor(…, 0.01)` 或 `ceil(…, 0.01)`', en: 'value rule `{rule}` may give a non-terminating decimal (a division by a non-constant, or by 3, 7 and the like): round it explicitly at the top of the expression, e.g. `round(…, 0.01)`, `floor(…, 0.01)` or `ceil(…, 0.01)`' },
  C0220: { zh: '未知的编号方式 `{text}`：请写 `{articles}`（第X章、第X条、款、项）或 `{sections}`（一、与（一））', en: 'unknown numbering scheme `{text}`: write `{articles}` (chapters, articles, paragraphs, items) or `{sections}` (sections and items)' },
  C0221: { zh: '政策声明的编号方式为 `{declared}`，但原文 `{path}` 按 `{detected}` 编号', en: 'the header declares numbering `{declared}`, but the source text `{path}` is numbered `{detected}`' },
  C0222: { zh: '声明了编号方式 `{scheme}`，但没有原文可供核对：请用 `source` 指明原文文件', en: 'numbering `{scheme}` is declared but there is no source text to check it against: name it with `source`' },
  C0038: { zh: '字段 `{name}` 的上级 `{parent}` 不是 record 类型', en: 'field `{name}` is nested under `{parent}`, which is not a record' },
  C0310: { zh: '`{text}` 不到 1%，而该参数的其他取值和其他百分比参数都不低于 1%：是否应为 `{fix}`？', en: '`{text}` is under 1%, while this parameter\'s other values and every other percentage are at least 1%: did you mean `{fix}`?' },
  C0311: { zh: '{where}中写死了 `{figure}`，但规则所用的参数 `{param}` 自{from}起为 {value}：参数不是 {figure} 的时期{where}就不对了', en: 'the {where} writes out `{figure}`, but the rule\'s parameter `{param}` is {value} from {from}: the {where} is wrong whenever the parameter is not {figure}' },
  C0100: { zh: '这一常量运算的结果超出精确数值范围（分子、分母的绝对值不超过 2^53 − 1，约 15 位有效数字）', en: 'this constant arithmetic leaves the exact number range (numerator and denominator of magnitude at most 2^53 − 1, about 15 significant digits)' },
  C0101: { zh: '政策编译后有 {size} 个表达式节点，超过 {limit} 的上限', en: 'the policy compiles to {size} expression nodes, more than the limit of {limit}' },
  // facts
  F0001: { zh: '无法读取事实文件：{detail}', en: 'cannot read the facts file: {detail}' },
  F0002: { zh: '事实文件语法错误：{detail}', en: 'facts syntax error: {detail}' },
  F0003: { zh: '事实文件应为包含 {lists} 列表的映射', en: 'facts must be a mapping with the lists {lists}' },
  F0004: { zh: '`{path}` 应为 {expected}，实际为 {actual}', en: '`{path}` should be {expected}, found {actual}' },
  F0005: { zh: '`{path}` 的取值 `{value}` 不在 {type} 中', en: '`{path}`: `{value}` is not a value of {type}' },
  F0006: { zh: '{kind} 的编号 `{id}` 重复', en: 'duplicate {kind} id `{id}`' },
  F0007: { zh: '`{path}` 引用的 {kind} `{id}` 不存在', en: '`{path}` refers to {kind} `{id}`, which does not exist' },
  F0008: { zh: '`{path}` 的上级关系形成循环：{cycle}', en: '`{path}` is part of a cycle: {cycle}' },
  F0009: { zh: '`{path}` 不是已声明的字段，已忽略', en: '`{path}` is not a declared field and is ignored' },
  F0010: { zh: '`{path}` 缺少编号 `id`', en: '`{path}` has no `id`' },
  F0011: { zh: '`{path}` 的日期 `{value}` 无效，应为存在的 YYYY-MM-DD', en: '`{path}`: `{value}` is not a valid YYYY-MM-DD date' },
  F0012: { zh: '事实超出限制：{what} 超过 {limit}', en: 'facts exceed a limit: {what} over {limit}' },
  F0013: { zh: '第 {line} 行的 `kind` 无效：{detail}', en: 'line {line} has no valid `kind`: {detail}' },
  F0014: { zh: '未知的列表 `{name}`，已忽略', en: 'unknown list `{name}` is ignored' },
  F0015: { zh: '不支持的事实文件类型 `{ext}`（应为 .yaml、.yml、.json 或 .ndjson）', en: 'unsupported facts file type `{ext}` (expected .yaml, .yml, .json or .ndjson)' },
  F0016: { zh: '事实文件超过 {limit} 字节上限（{size} 字节）', en: 'the facts file is larger than the {limit}-byte limit ({size} bytes)' },
  F0017: { zh: '事实文件嵌套超过 {limit} 层上限', en: 'facts nest deeper than the limit of {limit}' },
  F0018: { zh: '事实文件中不支持标签 `{tag}`', en: 'unsupported tag `{tag}` in facts' },
  F0019: { zh: '事实文件不是有效的 UTF-8 编码（第 {byte} 字节起）', en: 'the facts file is not valid UTF-8 (from byte {byte})' },
  F0020: { zh: '`{path}` 含有控制字符 {char}', en: '`{path}` contains the control character {char}' },
  F0300: { zh: '{kind} 的编号 `{id}` 在两处定义：{first} 和 {second}', en: 'duplicate {kind} id `{id}`: defined in {first} and in {second}' },
  F0301: { zh: '文件夹 `{path}` 中没有事实文件（.xlsx、.yaml、.yml、.json、.ndjson，或 CSV 文件）', en: 'no facts files (.xlsx, .yaml, .yml, .json, .ndjson, or CSV files) in the folder `{path}`' },
  F0040: { zh: '第 {line} 行的 {kind} 出现在流式读取的主体（自第 {first} 行起）之后；使用 --stream 时，被其他主体引用的主体须排在前面', en: 'line {line}: a {kind} comes after the streamed subjects (from line {first}); with --stream, subjects that others refer to must come first' },
  F0021: { zh: '`{path}` 所在的引用链超过 {limit} 层上限', en: '`{path}` starts a chain of references deeper than the limit of {limit}' },
  F0022: { zh: '`{place}`：列 `{header}` 不是{kind}的已声明字段，该列已忽略', en: '`{place}`: the column `{header}` is not a declared field of {kind} and is ignored' },
  F0023: { zh: '`{place}`：列 `{header}` 与 `{first}` 的列 `{firstHeader}` 是同一字段', en: '`{place}`: the column `{header}` is the same field as the column `{firstHeader}` at `{first}`' },
  F0024: { zh: '无法读取电子表格：{detail}', en: 'cannot read the spreadsheet: {detail}' },
  F0025: { zh: '`{path}` 应留空：`{none}` 已填为无', en: '`{path}` should be empty: `{none}` is none' },
  F0350: { zh: '{book} 中的表 `{sheet}` 不是本政策的列表（{lists}），已忽略', en: 'the sheet `{sheet}` of {book} is none of the policy\'s lists ({lists}) and is ignored' },
  F0351: { zh: '{kind}编号 `{id}` 重复：`{second}` 与 `{first}` 相同', en: 'duplicate {kind} id `{id}`: `{second}` repeats `{first}`' },
  F0100: { zh: '`{path}` 不是普通文件（{what}），拒绝读取', en: '`{path}` is not a regular file ({what}) and is not read' },
  F0700: { zh: 'CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码（第 {byte} 字节起无法识别）；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”', en: 'the CSV file is neither UTF-8 nor GBK/GB18030 (unreadable from byte {byte}); save it from Excel as "CSV UTF-8 (Comma delimited)"' },
  F0701: { zh: '不能同时选择{first}和{second}：请只选一个工作簿、一组 CSV 文件或一个 YAML/JSON 文件', en: 'cannot take {first} together with {second}: choose one workbook, one set of CSV files, or one YAML/JSON file' },
  // evaluation
  E0100: { zh: '规则 `{rule}` 对{kind} `{subject}` 的求值超过每个主体 {limit} 步的上限（嵌套汇总过大）；可用 --max-steps 调整', en: 'evaluating rule `{rule}` for {kind} `{subject}` took more than the limit of {limit} steps per subject (aggregates nested over large relations); change it with --max-steps' },
  E0101: { zh: '规则 `{rule}` 对{kind} `{subject}` 求值时，本次运行超过 {limit} 步的总上限；可用 --max-run-steps 调整', en: 'the run passed its limit of {limit} steps while evaluating rule `{rule}` for {kind} `{subject}`; change it with --max-run-steps' },
  // cli
  X0001: { zh: '未知命令 `{name}`', en: 'unknown command `{name}`' },
  X0002: { zh: '未知选项 `{name}`', en: 'unknown option `{name}`' },
  X0003: { zh: '缺少{what}', en: 'missing {what}' },
  X0004: { zh: '`{option}` 的取值 `{value}` 无效，应为 {expected}', en: 'invalid value `{value}` for `{option}`, expected {expected}' },
  X0005: { zh: '无法写入 `{path}`：{detail}', en: 'cannot write `{path}`: {detail}' },
  X0006: { zh: '找不到 `{path}`', en: '`{path}` not found' },
  X0007: { zh: '选项 `{name}` 需要一个值', en: 'option `{name}` needs a value' },
  X0008: { zh: '无法在 {address} 上启动工作台：{detail}', en: 'cannot start the workbench on {address}: {detail}' },
  X0009: { zh: '`{path}` 不是政策目录中可读写的文件', en: '`{path}` is not a file the workbench may read or write in the policy directory' },
  X0010: { zh: '请求体超过 {limit} 字节上限', en: 'request body is larger than the {limit}-byte limit' },
  X0011: { zh: '`{path}` 在打开后已被其他程序修改，未保存；请重新载入或确认覆盖', en: '`{path}` changed on disk since it was opened and was not saved: reload it, or confirm to overwrite' },
  X0012: { zh: '`{path}` 有语法错误，未保存', en: '`{path}` does not parse and was not saved' },
  X0014: { zh: '事实中没有编号为 `{id}` 的主体', en: 'no subject with id `{id}` in the facts' },
  X0013: { zh: '`--host` 的取值 `{host}` 不是本机回环地址，工作台将对网络开放（无登录、可写文件）', en: '`--host {host}` is not a loopback address: the workbench (no login, writes files) is open to the network' },
  X0110: { zh: '`{path}` 是{what}，不是普通文件：不写入（输出只替换普通文件）', en: '`{path}` is {what}, not a regular file: not written (an output only replaces a regular file)' },
  X0111: { zh: '`{path}` 是本次运行读取的输入（读取时的路径为 `{input}`），不会被输出覆盖；请换一个输出路径', en: '`{path}` is read by this run (as `{input}`) and is not overwritten by the output: choose another path' },
  X0112: { zh: '`{path}` 是只读文件（权限 {mode}），未替换；确需替换请加 --force', en: '`{path}` is read-only (mode {mode}) and was not replaced: add --force to replace it' },
  X0113: { zh: '`{path}` 是指向 `{target}` 的符号链接，而该目标不存在或无法解析（{detail}），未写入', en: '`{path}` is a symbolic link to `{target}`, which does not exist or cannot be resolved ({detail}): not written' },
  X0114: { zh: '请求的 URL 超过 {limit} 字节上限', en: 'the request URL is longer than the {limit}-byte limit' },
  X0115: { zh: '同时处理的请求已达 {limit} 个上限，请稍后重试', en: 'already serving the limit of {limit} requests at once: try again shortly' },
  X0116: { zh: '缺少或错误的访问令牌：令牌在启动时显示一次；请打开启动时显示的带 ?token= 的地址，或在请求头中发送 Authorization: Bearer 令牌', en: 'missing or wrong access token: it was shown once at start; open the address with ?token= shown then, or send Authorization: Bearer TOKEN' },
  X0117: { zh: '拒绝来自其他网站（`{site}`）的请求', en: 'request from another site (`{site}`) refused' },
  X0118: { zh: '`Host: {host}` 不是本服务的名称（可能是 DNS 重绑定）；确需使用该名称请加 --allow-host', en: '`Host: {host}` is not a name of this server (DNS rebinding?): add --allow-host to use that name' },
  X0119: { zh: '`{path}` 有 {size} 字节，超过工作台可读取的 {limit} 字节上限', en: '`{path}` has {size} bytes, more than the {limit}-byte limit of what the workbench reads' },
  X0450: { zh: '`--jobs {value}` 已不再使用，评估在单线程中进行（多线程在实测中更慢，见 docs/performance.md）', en: '`--jobs {value}` is ignored: evaluation runs on one thread (worker threads were measured slower, see docs/performance.md)' },
  X0500: { zh: '`{option}` 需要与 `{other}` 一起使用', en: '`{option}` needs `{other}`' },
  X0350: { zh: '`--record` 只记录一个事实来源（文件或文件夹），本次给了 {count} 个 `--facts`：请把各州（市）的文件放进同一个文件夹，再用 `--facts 文件夹`', en: '`--record` records one facts source (a file or a folder), and {count} `--facts` were given: put the prefectures\' files in one folder and pass `--facts FOLDER`' },
  X0501: { zh: '`--record` 不能与 `{option}` 同时使用：记录需要完整的、逐项的结果', en: '`--record` cannot be combined with `{option}`: a record needs every result in full' },
  X0502: { zh: '`{value}` 不是检查编号，应为正整数（见 clausal runs list）', en: '`{value}` is not a run number: expected a positive integer (see clausal runs list)' },
  X0503: { zh: '无法在 {address} 上启动决策接口：{detail}', en: 'cannot start the decision API on {address}: {detail}' },
  X0504: { zh: '`--host {host}` 不是本机回环地址，决策接口须设置访问令牌（--token 或环境变量 CLAUSAL_API_TOKEN）', en: '`--host {host}` is not a loopback address: the decision API needs an access token (--token or CLAUSAL_API_TOKEN)' },
  X0505: { zh: '请求体不是有效的 JSON：{detail}', en: 'the request body is not valid JSON: {detail}' },
  X0506: { zh: '请求中有未知字段 `{field}`（应为 facts、asOf、lang）', en: 'unknown field `{field}` in the request (expected facts, asOf, lang)' },
  X0507: { zh: '`{field}` 应为 {expected}', en: '`{field}` should be {expected}' },
  // records (`--record`, `clausal runs`, ledger, trend)
  R0500: { zh: '无法打开记录库 `{path}`：{detail}', en: 'cannot open the records database `{path}`: {detail}' },
  R0501: { zh: '记录库 `{path}` 正被另一个进程使用，已等待 {seconds} 秒；请稍后重试', en: 'the records database `{path}` is in use by another process; waited {seconds} s: try again later' },
  R0502: { zh: '记录库 `{path}` 的结构版本为 {found}，新于本程序支持的版本 {known}；拒绝读写，请升级 clausal', en: 'the records database `{path}` has schema version {found}, newer than the {known} this clausal knows: refused, upgrade clausal' },
  R0503: { zh: '`{path}` 不是 Clausal 记录库（有数据表但没有结构版本）；拒绝读写', en: '`{path}` is not a Clausal records database (it has tables but no schema version): refused' },
  R0504: { zh: '无法写入记录库 `{path}`：{detail}；本次检查未记录，记录库保持原样', en: 'cannot write to the records database `{path}`: {detail}; nothing was recorded and the database is as it was' },
  R0505: { zh: '记录库 `{path}` 中没有第 {run} 次检查', en: 'no run {run} in the records database `{path}`' },
  R0506: { zh: '记录库 `{path}` 中没有回执 `{id}`', en: 'no receipt `{id}` in the records database `{path}`' },
  R0507: { zh: '第 {run} 次检查保存的文件 `{file}` 与其哈希不符（已被改动）', en: 'the stored file `{file}` of run {run} does not match its hash (it was altered)' },
  R0508: { zh: '第 {run} 次检查没有保存事实副本，而 `{path}` {why}；无法复核（记录时加 --record-facts）', en: 'run {run} has no copy of its facts and `{path}` {why}: cannot re-evaluate (record with --record-facts)' },
  R0509: { zh: '记录库 `{path}` 不存在或是空的（用 clausal eval … --record 创建）', en: 'the records database `{path}` does not exist or is empty (clausal eval … --record creates it)' },
  R0511: { zh: '记录库 `{path}` 中没有政策 `{policy}` 的检查', en: 'no runs of policy `{policy}` in the records database `{path}`' },
  R0510: { zh: '记录库 `{path}` 的结构已从版本 {from} 升级到 {to}', en: 'the records database `{path}` was migrated from schema version {from} to {to}' },
  X0401: { zh: '规则 `{rule}` 无法编译为 SQL：不支持 `{construct}`（{reason}）', en: 'rule `{rule}` cannot be compiled to SQL: `{construct}` is not supported ({reason})' },
  X0402: { zh: '事实 `{path}` 的数值 `{value}` 超出 SQL 引擎可精确保存的范围（DECIMAL(38,10)）', en: 'fact `{path}`: the number `{value}` cannot be held exactly by the SQL engine (DECIMAL(38,10))' },
  X0700: { zh: '自查页的程序尚未构建（缺少 `{path}`）：请先运行 `npm run build`', en: 'the self-check page\'s code is not built (`{path}` is missing): run `npm run build` first' },
  // policy tests (`clausal test`)
  T0001: { zh: '目录 `{path}` 中没有测试文件（tests.yaml 或 *.tests.yaml）', en: 'no test files (tests.yaml or *.tests.yaml) in `{path}`' },
  T0002: { zh: '政策中没有规则 `{rule}`', en: 'the policy has no rule `{rule}`' },
  T0003: { zh: '用例的事实中没有编号为 `{id}` 的主体', en: 'the case\'s facts have no subject `{id}`' },
  T0004: { zh: '编号 `{id}` 对应多个类型的主体（{kinds}），请用 `kind` 指明', en: 'id `{id}` names subjects of several kinds ({kinds}): say which with `kind`' },
  T0005: { zh: '规则 `{rule}` 适用于 {kind}，而 `{id}` 是 {actual}', en: 'rule `{rule}` applies to {kind} subjects, but `{id}` is of kind {actual}' },
  T0006: { zh: '未写 `subject`，但用例的事实中有 {count} 个 {kind}，请指明是哪一个', en: '`subject` is left out, but the case\'s facts hold {count} {kind} subjects: name one' },
  T0007: { zh: '政策中没有参数 `{name}`', en: 'the policy has no parameter `{name}`' },
  T0008: { zh: '参数 `{name}` 的取值类型不符：应为 {expected}，实际为 {actual}', en: 'value of parameter `{name}` has the wrong type: expected {expected}, found {actual}' },
  T0009: { zh: '参数 `{name}` 的取值应为常量（字面量、枚举值或集合）', en: 'value of parameter `{name}` must be a constant (a literal, an enum value or a set)' },
  T0010: { zh: '用例 `{name}` 没有 `as_of`，文件也没有设定默认值', en: 'case `{name}` has no `as_of` and the file sets no default' },
  T0011: { zh: '日期 `{value}` 不存在', en: 'date `{value}` does not exist' },
  T0012: { zh: '同一用例中重复断言 {kind} `{id}` 的规则 `{rule}`', en: 'rule `{rule}` is checked twice for {kind} `{id}` in one case' },
  T0013: { zh: '政策中没有主体类型 `{name}`', en: 'the policy has no subject kind `{name}`' },
  T0014: { zh: '无法读取测试文件 `{path}`：{detail}', en: 'cannot read the test file `{path}`: {detail}' },
} as const satisfies Record<string, MessageTemplate>;

/** Every diagnostic code. */
export type DiagnosticCode = keyof typeof CATALOGUE;

/** Values that fill a template's placeholders. */
export type DiagnosticArgs = Readonly<Record<string, string | number>>;

/** One problem found in user input. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** Where the problem is; absent only for whole-command problems (usage errors). */
  readonly span?: Span;
  /** For facts: the path inside the facts, e.g. `institutions[3].posts.total`. */
  readonly factsPath?: string;
  readonly args: DiagnosticArgs;
  /** A suggestion, e.g. `did you mean \`posts\`?`, already phrased per language. */
  readonly help?: MessageTemplate;
}

/** Builds an error diagnostic. */
export function error(code: DiagnosticCode, span: Span | undefined, args: DiagnosticArgs = {}, help?: MessageTemplate): Diagnostic {
  return { code, severity: 'error', span, args, help };
}

/** Builds a warning diagnostic. */
export function warning(code: DiagnosticCode, span: Span | undefined, args: DiagnosticArgs = {}, help?: MessageTemplate): Diagnostic {
  return { code, severity: 'warning', span, args, help };
}

/**
 * Fills `{name}` placeholders; unknown placeholders stay visible rather than vanish. An
 * argument may be given per language as `name.zh` / `name.en` (e.g. a list of expected
 * tokens described in words); it wins over a plain `name`.
 */
export function fillTemplate(template: string, args: DiagnosticArgs, lang?: Lang): string {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(args, k);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (lang && has(`${name}.${lang}`)) return visible(String(args[`${name}.${lang}`]));
    return has(name) ? visible(String(args[name])) : whole;
  });
}

/** Longest argument quoted whole in a message; longer ones keep their first 120 and last 40 characters. */
export const MAX_QUOTED = 200;

/**
 * Arguments quote user input (ids, names, file text). A raw ESC or newline there would let a
 * facts file recolour the terminal or forge a diagnostic line, so control characters and
 * bidirectional overrides are shown as `\u{…}` escapes instead.
 */
function visible(text: string): string {
  // A 100,000-digit number or a 3-million-character name is quoted by its ends, not whole.
  if (text.length > MAX_QUOTED) text = `${text.slice(0, 120)}…(${text.length - 160} more characters)…${text.slice(-40)}`;
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** The message of a diagnostic in one language. */
export function messageOf(d: Diagnostic, lang: Lang): string {
  return fillTemplate(CATALOGUE[d.code][lang], d.args, lang);
}

/** A "did you mean" hint for the closest candidate, if one is close enough. */
export function didYouMean(name: string, candidates: Iterable<string>): MessageTemplate | undefined {
  const best = closestName(name, candidates);
  return best === undefined ? undefined : { zh: `是否想写 \`${best}\`？`, en: `did you mean \`${best}\`?` };
}

/** The candidate closest to `name` in spelling, if one is close enough to be a slip. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined || bestDistance > Math.max(2, Math.floor(name.length / 3))) return undefined;
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Whether any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** A diagnostic as the workbench server sends it to the browser: where (relative path, 1-based line and column) and what, in both languages. */
export interface DescribedDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: Record<Lang, string>;
}
