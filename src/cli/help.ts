/**
 * What `clausal --help` and `clausal <command> --help` print, in zh (the default) and en. The
 * officers who run the CLI read Chinese; option names, format names and paths stay as typed.
 * A test checks that every registered command has an entry here and that every option the
 * command declares is described, so help cannot fall behind the options.
 */
import type { DiagnosticArgs, Lang } from '../model/diagnostics.js';

/** The help of one command in one language. */
interface CommandHelp {
  /** Usage lines, without the leading `clausal `. */
  readonly usage: readonly string[];
  readonly summary: string;
  /** `[option as written, what it does]`. */
  readonly options: ReadonlyArray<readonly [string, string]>;
  /** Exit codes, in words. */
  readonly exit?: string;
}

type Bilingual = Readonly<Record<Lang, CommandHelp>>;

const LANG_ZH: readonly [string, string] = ['--lang zh|en', '输出语言（默认 zh）'];
const LANG_EN: readonly [string, string] = ['--lang zh|en', 'output language (default zh)'];
const ASOF_ZH: readonly [string, string] = ['--as-of 日期', '按哪一天检查，写作 2022-06-01（默认今天）'];
const ASOF_EN: readonly [string, string] = ['--as-of YYYY-MM-DD', 'the date to check as of (default today)'];

/** Help per command; keys are the command names. */
export const COMMAND_HELP: Readonly<Record<string, Bilingual>> = {
  check: {
    zh: {
      usage: ['check <政策目录>... [--coverage [--format text|json]]'],
      summary: '检查规则文件：语法、类型、引文是否与原文一致',
      options: [['--coverage', '同时统计原文各条款被规则覆盖的情况'], ['--format text|json', '覆盖率的输出格式（默认 text）'], LANG_ZH],
      exit: '0 没有错误，1 有错误，2 用法错误',
    },
    en: {
      usage: ['check <policy-dir>... [--coverage [--format text|json]]'],
      summary: 'check rule files: syntax, types, and quotes against the source text',
      options: [['--coverage', 'also report how much of the source text the rules cover'], ['--format text|json', 'format of the coverage report (default text)'], LANG_EN],
      exit: '0 clean, 1 errors, 2 usage',
    },
  },
  eval: {
    zh: {
      usage: ['eval <政策目录> --facts <事实文件或文件夹>... [选项]'],
      summary: '按事实逐一检查每个主体是否符合每条规则',
      options: [
        ['--facts <文件或文件夹>', '事实：.yaml、.json、.ndjson、.xlsx 工作簿，或一个文件夹（按市州分开的文件，合并读取）；可写多次'],
        ASOF_ZH,
        ['--format text|json|ndjson|markdown|html|csv|xlsx', '输出格式（默认 text；xlsx 须与 --out 同用）'],
        ['--out 文件', '写入文件（先写临时文件，完成后替换）而不是屏幕'],
        ['--fail-on violation|pending|advisory|unknown', '有这些结果时以 3 退出（可用逗号分隔多个）'],
        ['--all', '文本报告中也列出符合和不适用的结果'],
        ['--explain 主体编号', '逐条说明某个主体的判断过程'],
        ['--fields all|status', '机器格式只输出状态字段（json、ndjson）'],
        ['--omit 状态,…', '机器格式中省略这些状态的结果'],
        ['--engine in-process|duckdb', '计算方式（默认 in-process；duckdb 用嵌入式数据库计算，结果相同）'],
        ['--stream', '逐行读取 .ndjson 事实并逐行输出（机器格式）'],
        ['--jobs 数量', '已不再使用，保留以兼容旧脚本'],
        ['--max-subjects 数量', '事实中主体数量上限'],
        ['--max-facts-size 字节数', '事实文件大小上限'],
        ['--max-steps 数量', '单条规则单个主体的计算步数上限'],
        ['--max-run-steps 数量', '整次检查的计算步数上限'],
        ['--record 记录库', '把本次检查记入记录库（DuckDB 文件），供 runs、ledger、trend 查阅'],
        ['--record-facts', '记录时同时保存一份事实'],
        ['--color, --no-color', '是否在终端中使用颜色'],
        LANG_ZH,
      ],
      exit: '0 已检查，1 政策有错误或无法写出，2 用法错误，3 出现 --fail-on 所列结果，4 事实有错误',
    },
    en: {
      usage: ['eval <policy-dir> --facts <file|folder>... [options]'],
      summary: 'evaluate every rule on every subject of the facts',
      options: [
        ['--facts <file|folder>', 'facts: .yaml, .json, .ndjson, an .xlsx workbook, or a folder (one file per prefecture, merged); may be repeated'],
        ASOF_EN,
        ['--format text|json|ndjson|markdown|html|csv|xlsx', 'output format (default text; xlsx needs --out)'],
        ['--out FILE', 'write to a file (atomically) instead of the screen'],
        ['--fail-on violation|pending|advisory|unknown', 'exit 3 when any result has one of these statuses (comma-separated)'],
        ['--all', 'list compliant and not-applicable results in the text report too'],
        ['--explain SUBJECT_ID', 'explain every rule step by step for one subject'],
        ['--fields all|status', 'machine formats: only the status fields (json, ndjson)'],
        ['--omit STATUS,…', 'machine formats: leave out results with these statuses'],
        ['--engine in-process|duckdb', 'how to compute (default in-process; duckdb computes the same results in an embedded database)'],
        ['--stream', 'read .ndjson facts and write results line by line (machine formats)'],
        ['--jobs N', 'ignored, kept for old scripts'],
        ['--max-subjects N', 'limit on the number of subjects in the facts'],
        ['--max-facts-size BYTES', 'limit on the size of a facts file'],
        ['--max-steps N', 'limit on the steps of one rule for one subject'],
        ['--max-run-steps N', 'limit on the steps of the whole run'],
        ['--record DB', 'keep the run in a records database (DuckDB) for runs, ledger and trend'],
        ['--record-facts', 'keep a copy of the facts with the record'],
        ['--color, --no-color', 'colour in the terminal or not'],
        LANG_EN,
      ],
      exit: '0 evaluated, 1 bad policy or output not written, 2 usage, 3 --fail-on matched, 4 bad facts',
    },
  },
  test: {
    zh: {
      usage: ['test <政策目录> [--coverage [--inherited]] [--format text|json]'],
      summary: '运行政策自带的测试用例（tests.yaml）',
      options: [['--coverage', '同时统计各规则分支被测试覆盖的情况（扩展政策只计本政策自己的规则）'], ['--inherited', '覆盖率也计入所继承的规则'], ['--format text|json', '输出格式（默认 text）'], LANG_ZH],
      exit: '0 全部通过，1 有失败或错误，2 用法错误',
    },
    en: {
      usage: ['test <policy-dir> [--coverage [--inherited]] [--format text|json]'],
      summary: "run the policy's own test cases (tests.yaml)",
      options: [['--coverage', 'also report which branches of each rule the tests reach (for an extending policy, its own rules only)'], ['--inherited', 'count inherited rules in the coverage too'], ['--format text|json', 'output format (default text)'], LANG_EN],
      exit: '0 all pass, 1 failures or errors, 2 usage',
    },
  },
  diff: {
    zh: {
      usage: ['diff <旧政策目录> <新政策目录> [--facts <事实文件> [--as-of 日期]] [--format text|json|markdown] [--out 文件]'],
      summary: '比较两个版本的政策；给出事实时，列出结果会改变的主体',
      options: [['--facts <文件>', '用这些事实比较两版的结果'], ASOF_ZH, ['--format text|json|markdown', '输出格式（默认 text）'], ['--out 文件', '写入文件'], LANG_ZH],
      exit: '0 已比较，1 政策有错误，2 用法错误，4 事实有错误',
    },
    en: {
      usage: ['diff <old-dir> <new-dir> [--facts <file> [--as-of YYYY-MM-DD]] [--format text|json|markdown] [--out FILE]'],
      summary: 'compare two versions of a policy; with facts, list the subjects whose results change',
      options: [['--facts <file>', 'compare the results of both versions on these facts'], ASOF_EN, ['--format text|json|markdown', 'output format (default text)'], ['--out FILE', 'write to a file'], LANG_EN],
      exit: '0 compared, 1 bad policy, 2 usage, 4 bad facts',
    },
  },
  fmt: {
    zh: {
      usage: ['fmt <规则文件>... [--check]'],
      summary: '把规则文件整理为统一格式（原地改写）',
      options: [['--check', '只检查、不改写：列出未整理的文件'], LANG_ZH],
      exit: '0 完成，1 有文件未整理（--check）或无法读写',
    },
    en: {
      usage: ['fmt <file>... [--check]'],
      summary: 'rewrite rule files in the canonical layout (in place)',
      options: [['--check', 'do not rewrite: list the files that are not formatted'], LANG_EN],
      exit: '0 done, 1 unformatted files (--check) or a file cannot be read or written',
    },
  },
  export: {
    zh: {
      usage: ['export <政策目录> --to jsonlogic|sql [--dialect duckdb|postgres|trino] [--query-only | --facts 文件] [--as-of 日期] [--out 文件]'],
      summary: '把规则导出为 JSON Logic 或 SQL，参数取检查日期当天的值',
      options: [
        ['--to jsonlogic|sql', '导出的形式'],
        ['--dialect duckdb|postgres|trino', 'SQL 的方言（默认 duckdb）'],
        ['--query-only', '只导出查询，不含建表语句'],
        ['--facts 文件', '同时导出插入这些事实的语句'],
        ASOF_ZH,
        ['--out 文件', '写入文件'],
        LANG_ZH,
      ],
      exit: '0 已导出，1 政策有错误或有规则无法导出，2 用法错误，4 事实有错误',
    },
    en: {
      usage: ['export <policy-dir> --to jsonlogic|sql [--dialect duckdb|postgres|trino] [--query-only | --facts FILE] [--as-of YYYY-MM-DD] [--out FILE]'],
      summary: 'export the rules as JSON Logic or SQL, with the parameters in force on the as-of date',
      options: [
        ['--to jsonlogic|sql', 'what to export to'],
        ['--dialect duckdb|postgres|trino', 'SQL dialect (default duckdb)'],
        ['--query-only', 'only the query, no table definitions'],
        ['--facts FILE', 'also insert these facts'],
        ASOF_EN,
        ['--out FILE', 'write to a file'],
        LANG_EN,
      ],
      exit: '0 exported, 1 bad policy or a rule that cannot be exported, 2 usage, 4 bad facts',
    },
  },
  serve: {
    zh: {
      usage: ['serve [政策目录] [--port 8080] [--host 127.0.0.1 [--allow-host 主机名]... [--token 令牌]]'],
      summary: '在浏览器中打开政策工作台：编辑、检查、试算规则（按 Ctrl+C 停止）',
      options: [
        ['--port 端口', '端口（默认 8080）'],
        ['--host 地址', '监听地址（默认 127.0.0.1，仅本机可访问）'],
        ['--allow-host 主机名', '经其他主机名访问时，允许的主机名（可写多次）'],
        ['--token 令牌', '非本机地址时的访问令牌（也可用环境变量 CLAUSAL_SERVE_TOKEN）'],
        LANG_ZH,
      ],
      exit: '0 已停止，1 无法启动，2 用法错误',
    },
    en: {
      usage: ['serve [policy-dir] [--port 8080] [--host 127.0.0.1 [--allow-host NAME]... [--token TOKEN]]'],
      summary: 'the policy workbench in the browser: edit, check and try rules (Ctrl+C to stop)',
      options: [
        ['--port PORT', 'port (default 8080)'],
        ['--host ADDRESS', 'address to listen on (default 127.0.0.1, this machine only)'],
        ['--allow-host NAME', 'a host name the workbench may be reached by (repeatable)'],
        ['--token TOKEN', 'access token on a non-loopback address (or CLAUSAL_SERVE_TOKEN)'],
        LANG_EN,
      ],
      exit: '0 stopped, 1 cannot start, 2 usage',
    },
  },
  template: {
    zh: {
      usage: ['template <政策目录> --out 文件.xlsx'],
      summary: '生成填报事实用的 Excel 工作簿：中文表头、下拉选项、填写说明',
      options: [['--out 文件.xlsx', '工作簿写到哪里'], ['--lang zh|en', '表头和说明的语言（默认 zh）']],
      exit: '0 已生成，1 政策有错误或无法写出，2 用法错误',
    },
    en: {
      usage: ['template <policy-dir> --out FILE.xlsx'],
      summary: 'write an Excel workbook to fill in the facts: headers, dropdowns, instructions',
      options: [['--out FILE.xlsx', 'where to write the workbook'], ['--lang zh|en', 'language of headers and instructions (default zh)']],
      exit: '0 written, 1 bad policy or not written, 2 usage',
    },
  },
  facts: {
    zh: {
      usage: ['facts <政策目录> --facts <文件或文件夹>... [--as-of 日期] [--format text|json] [--out-dir 文件夹]'],
      summary: '数据质量：各市州、各列缺少哪些事实，哪些结果因此未知；可按市州生成待补填清单',
      options: [
        ['--facts <文件或文件夹>', '事实（可写多次，或给一个文件夹）'],
        ASOF_ZH,
        ['--format text|json', '输出格式（默认 text）'],
        ['--out-dir 文件夹', '每个市州写一个待补填的工作簿到此文件夹'],
        LANG_ZH,
      ],
      exit: '0 完成，1 政策有错误或无法写出，2 用法错误，4 事实有错误',
    },
    en: {
      usage: ['facts <policy-dir> --facts <file|folder>... [--as-of YYYY-MM-DD] [--format text|json] [--out-dir DIR]'],
      summary: 'data quality: which facts the policy needs are missing per prefecture and column, and which results are unknown for it',
      options: [
        ['--facts <file|folder>', 'facts (may be repeated, or a folder)'],
        ASOF_EN,
        ['--format text|json', 'output format (default text)'],
        ['--out-dir DIR', 'write one workbook of cells to fill per prefecture into DIR'],
        LANG_EN,
      ],
      exit: '0 done, 1 bad policy or not written, 2 usage, 4 bad facts',
    },
  },
  runs: {
    zh: {
      usage: ['runs list --db 记录库 [--policy 政策编号]', 'runs show 编号 | verify 编号 | compare 编号甲 编号乙 | receipt 回执号 --db 记录库'],
      summary: '查阅记录库中的检查：列出、查看、重算核对、比较两次检查、查回执',
      options: [
        ['--db 记录库', '记录库文件（eval --record 所写）'],
        ['--policy 政策编号', '只列出这个政策的检查'],
        ['--format text|json', '输出格式（默认 text；compare 还可用 markdown）'],
        ['--out 文件', '写入文件'],
        LANG_ZH,
      ],
      exit: '0 完成（verify：结果一致），1 出错或结果不一致，2 用法错误',
    },
    en: {
      usage: ['runs list --db DB [--policy ID]', 'runs show N | verify N | compare A B | receipt ID --db DB'],
      summary: 'read the runs kept in a records database: list, show, re-evaluate and verify, compare two, look up a receipt',
      options: [
        ['--db DB', 'the records database (written by eval --record)'],
        ['--policy ID', 'only the runs of this policy'],
        ['--format text|json', 'output format (default text; compare also takes markdown)'],
        ['--out FILE', 'write to a file'],
        LANG_EN,
      ],
      exit: '0 done (verify: same results), 1 error or different results, 2 usage',
    },
  },
  ledger: {
    zh: {
      usage: ['ledger --db 记录库 [--policy 政策编号] [--format markdown|html|xlsx|json] [--out 文件]'],
      summary: '整改台账：每个问题从何时出现、是否已整改',
      options: [['--db 记录库', '记录库文件'], ['--policy 政策编号', '哪个政策（默认最近一次检查的）'], ['--format markdown|html|xlsx|json', '输出格式（默认 markdown；xlsx 须与 --out 同用）'], ['--out 文件', '写入文件'], LANG_ZH],
      exit: '0 完成，1 出错，2 用法错误',
    },
    en: {
      usage: ['ledger --db DB [--policy ID] [--format markdown|html|xlsx|json] [--out FILE]'],
      summary: 'the rectification ledger: when each problem appeared and whether it was put right',
      options: [['--db DB', 'the records database'], ['--policy ID', 'which policy (default: the one of the latest run)'], ['--format markdown|html|xlsx|json', 'output format (default markdown; xlsx needs --out)'], ['--out FILE', 'write to a file'], LANG_EN],
      exit: '0 done, 1 error, 2 usage',
    },
  },
  trend: {
    zh: {
      usage: ['trend --db 记录库 [--policy 政策编号] [--format html|markdown|json] [--out 文件]'],
      summary: '历次检查中各条款、各市州的符合情况变化',
      options: [['--db 记录库', '记录库文件'], ['--policy 政策编号', '哪个政策（默认最近一次检查的）'], ['--format html|markdown|json', '输出格式'], ['--out 文件', '写入文件'], LANG_ZH],
      exit: '0 完成，1 出错，2 用法错误',
    },
    en: {
      usage: ['trend --db DB [--policy ID] [--format html|markdown|json] [--out FILE]'],
      summary: 'compliance per clause and prefecture across runs',
      options: [['--db DB', 'the records database'], ['--policy ID', 'which policy (default: the one of the latest run)'], ['--format html|markdown|json', 'output format'], ['--out FILE', 'write to a file'], LANG_EN],
      exit: '0 done, 1 error, 2 usage',
    },
  },
  api: {
    zh: {
      usage: ['api <政策目录> [--host 127.0.0.1] [--port 8181] [--token 令牌] [--record 记录库] [--max-body 字节数]'],
      summary: '提供决策接口（HTTP）：提交事实，返回检查结果（按 Ctrl+C 停止）',
      options: [
        ['--host 地址', '监听地址（默认 127.0.0.1；其他地址须设置令牌）'],
        ['--port 端口', '端口（默认 8181）'],
        ['--token 令牌', '访问令牌（也可用环境变量 CLAUSAL_API_TOKEN）'],
        ['--record 记录库', '每次请求都记入记录库'],
        ['--max-body 字节数', '请求体大小上限'],
        LANG_ZH,
      ],
      exit: '0 已停止，1 无法启动，2 用法错误',
    },
    en: {
      usage: ['api <policy-dir> [--host 127.0.0.1] [--port 8181] [--token TOKEN] [--record DB] [--max-body BYTES]'],
      summary: 'a decision API over HTTP: post facts, get results (Ctrl+C to stop)',
      options: [
        ['--host ADDRESS', 'address to listen on (default 127.0.0.1; any other needs a token)'],
        ['--port PORT', 'port (default 8181)'],
        ['--token TOKEN', 'access token (or the environment variable CLAUSAL_API_TOKEN)'],
        ['--record DB', 'keep every request in a records database'],
        ['--max-body BYTES', 'limit on the size of a request body'],
        LANG_EN,
      ],
      exit: '0 stopped, 1 cannot start, 2 usage',
    },
  },
  bundle: {
    zh: {
      usage: ['bundle <政策目录> --out 文件.html'],
      summary: '生成一个可离线使用的自查网页，政策已内置',
      options: [['--out 文件.html', '网页写到哪里'], LANG_ZH],
      exit: '0 已生成，1 政策有错误或无法写出，2 用法错误',
    },
    en: {
      usage: ['bundle <policy-dir> --out FILE.html'],
      summary: 'one self-contained offline self-check page with the policy inside',
      options: [['--out FILE.html', 'where to write the page'], LANG_EN],
      exit: '0 written, 1 bad policy or not written, 2 usage',
    },
  },
  lsp: {
    zh: {
      usage: ['lsp [--stdio] [--as-of 日期]'],
      summary: '供编辑器使用的语言服务（经标准输入输出通信，一般由编辑器启动）',
      options: [['--stdio', '经标准输入输出通信（唯一的方式，编辑器会自动加上）'], ASOF_ZH, LANG_ZH],
    },
    en: {
      usage: ['lsp [--stdio] [--as-of YYYY-MM-DD]'],
      summary: 'the language server for editors, on stdin/stdout (editors start it)',
      options: [['--stdio', 'talk over stdin/stdout (the only transport; editors pass it)'], ASOF_EN, LANG_EN],
    },
  },
};

/** Options every command accepts, shown in the general help. */
const COMMON = {
  zh: ['所有命令都接受：--lang zh|en（默认 zh），--policy-root 文件夹（规则文件可读取的范围），--help', '写文件的命令（--out、--out-dir、fmt）另接受 --force：替换只读文件；编译政策的命令另接受 --max-compiled-size 数量'],
  en: ['every command accepts: --lang zh|en (default zh), --policy-root DIR (the folder rule files may read from), --help', 'commands that write files (--out, --out-dir, fmt) also take --force: replace a read-only file; commands that compile a policy take --max-compiled-size N'],
} as const;

const FORCE = { zh: ['--force', '替换只读文件（默认不替换）'], en: ['--force', 'replace a read-only file (not replaced by default)'] } as const;
const COMPILED = {
  zh: ['--max-compiled-size 数量', '政策编译后表达式节点数的上限（默认 1000000，超出为 C0101）'],
  en: ['--max-compiled-size N', 'limit on the expression nodes a policy compiles to (default 1000000, C0101)'],
} as const;

/** Options the CLI adds to a command by what it does. */
export interface SharedOptions {
  /** The command writes files, so it takes `--force`. */
  readonly writes?: boolean;
  /** The command compiles a policy, so it takes `--max-compiled-size`. */
  readonly compiles?: boolean;
}

/** `clausal <command> --help`, or undefined for a command without help. */
export function commandHelp(name: string, lang: Lang, shared: SharedOptions = {}): string | undefined {
  const entry = Object.prototype.hasOwnProperty.call(COMMAND_HELP, name) ? COMMAND_HELP[name][lang] : undefined;
  if (!entry) return undefined;
  const help = { ...entry, options: [...entry.options, ...(shared.compiles ? [COMPILED[lang]] : []), ...(shared.writes ? [FORCE[lang]] : [])] };
  const zh = lang === 'zh';
  const width = Math.max(...help.options.map(([o]) => o.length));
  const lines = [
    `${zh ? '用法：' : 'usage:'}`,
    ...help.usage.map((u) => `  clausal ${u}`),
    '',
    help.summary,
    '',
    `${zh ? '选项：' : 'options:'}`,
    ...help.options.map(([o, what]) => `  ${o.padEnd(width)}  ${what}`),
  ];
  if (help.exit) lines.push('', `${zh ? '退出码：' : 'exit codes: '}${help.exit}`);
  return `${lines.join('\n')}\n`;
}

/** The first usage line of a command, printed after a usage error. */
export function usageLine(name: string, lang: Lang): string | undefined {
  const help = Object.prototype.hasOwnProperty.call(COMMAND_HELP, name) ? COMMAND_HELP[name][lang] : undefined;
  return help && `${lang === 'zh' ? '用法：' : 'usage: '}${help.usage.map((u) => `clausal ${u}`).join(lang === 'zh' ? '\n      ' : '\n       ')}\n${lang === 'zh' ? `详见 clausal ${name} --help` : `see clausal ${name} --help`}`;
}

/** `clausal --help`: every command with its one-line summary. */
export function generalHelp(lang: Lang, names: readonly string[]): string {
  const zh = lang === 'zh';
  const width = Math.max(...names.map((n) => n.length));
  const lines = [
    zh ? 'clausal — 把政策条款写成可检查的规则' : 'clausal — policy rules as code',
    '',
    zh ? '用法：clausal <命令> [选项]' : 'usage: clausal <command> [options]',
    '',
    zh ? '命令：' : 'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMAND_HELP[n]?.[lang].summary ?? ''}`),
    '',
    zh
      ? '事实（--facts）可以是 .yaml、.yml、.json、.ndjson 文件、.xlsx 工作簿，或一个文件夹（每个市州一个文件，合并读取）；空白工作簿用 clausal template 生成'
      : '--facts takes .yaml, .yml, .json, .ndjson, an .xlsx workbook, or a folder (one file per prefecture, merged); clausal template writes an empty workbook',
    ...COMMON[lang],
    zh ? '每个命令的说明：clausal <命令> --help' : 'help on one command: clausal <command> --help',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Words of usage errors in zh. Commands name what is missing or expected in the English of
 * their synopsis (`<policy-dir>`, `a positive integer`); the zh message gets these instead.
 */
const ZH_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/<old-dir> <new-dir>/g, '<旧政策目录> <新政策目录>'],
  [/<policy-dir>/g, '<政策目录>'],
  [/<file\|folder>/g, '<事实文件或文件夹>'],
  [/<file>/g, '<文件>'],
  [/\bFILE\.(xlsx|html)\b/g, '文件.$1'],
  [/\bFILE\b/g, '文件'],
  [/\bSUBJECT_ID\b/g, '主体编号'],
  [/^a positive integer$/, '正整数'],
  [/^no arguments$/, '不带参数'],
  [/^no value$/, '不带取值'],
  [/^one of them$/, '二者之一'],
  [/^one directory$/, '一个目录'],
  [/^in-process \(with --stream\)$/, 'in-process（与 --stream 同用时）'],
  [/^a status, with a machine format \(--format json\|ndjson\)$/, '机器格式（--format json|ndjson）下的状态名'],
  [/^--format json\|ndjson with \.ndjson facts$/, '--format json|ndjson，且事实为 .ndjson 文件'],
  [/^--facts \(more than one\)$/, '多个 --facts'],
];

/**
 * The zh forms of a CLI diagnostic's `what` and `expected` arguments (as `what.zh`,
 * `expected.zh`, which the zh template prefers), left as they are when nothing is to translate.
 */
export function withZhWords(args: DiagnosticArgs): DiagnosticArgs {
  let out: Record<string, string | number> | undefined;
  for (const key of ['what', 'expected', 'option']) {
    const v = args[key];
    if (typeof v !== 'string' || Object.prototype.hasOwnProperty.call(args, `${key}.zh`)) continue;
    const zh = ZH_WORDS.reduce((s, [re, to]) => s.replace(re, to), v);
    if (zh !== v) (out ??= { ...args })[`${key}.zh`] = zh;
  }
  return out ?? args;
}
