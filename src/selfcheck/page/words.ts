/** The page's own words in zh and en (results and messages come from the engine's catalogue). */
import type { Lang } from '../../model/diagnostics.js';

export const WORDS = {
  zh: {
    eyebrow: '政策执行自查', policy: '政策', version: '版本', engine: '引擎', hash: '规则内容摘要', files: '规则文件',
    offline: '本页完全离线运行：所选文件只在本机读取，不会上传或发送到任何地方。',
    step1: '一、选择事实数据', pick: '选择文件', drop: '或把文件拖到这里',
    pickHint: '可选：一个 Excel 工作簿（.xlsx）；或一组 CSV 文件（regions.csv、institutions.csv、workers.csv，UTF-8 或 GBK 编码均可）；或一个 YAML/JSON 文件。',
    clear: '清除', noFiles: '尚未选择文件。',
    step2: '二、评估日期与语言', asOf: '评估日期', lang: '语言',
    step3: '三、自查结果', running: '正在评估…', loading: '正在读取文件…',
    problems: '事实数据有误，请按下列提示改正后重新选择文件：', warnings: '提示：',
    done: (n: number, r: number) => `已评估 ${n} 个对象，共 ${r} 项规则结果。`,
    missingTitle: '缺少的事实（补齐后可判定）', missingNone: '没有因缺少事实而无法判定的结果。',
    missingCols: ['对象', '编号', '缺少的事实', '字段', '填写位置', '影响的条款'],
    downloads: '下载', dlJson: '结果（JSON）', dlHtml: '报告（HTML）', dlXlsx: '问题清单（Excel）',
    reportTitle: '评估报告', badPage: '本页的政策数据缺失或已损坏，请向省级主管部门重新索取自查页。',
    encoding: { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8（带 BOM）', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16', gb18030: 'GBK/GB18030' },
  },
  en: {
    eyebrow: 'Policy self-check', policy: 'Policy', version: 'Version', engine: 'Engine', hash: 'Rule content digest', files: 'Rule files',
    offline: 'This page works entirely offline: the files you choose are read on this computer only and are never uploaded or sent anywhere.',
    step1: '1. Choose the facts', pick: 'Choose files', drop: 'or drop files here',
    pickHint: 'Choose one Excel workbook (.xlsx); or a set of CSV files (regions.csv, institutions.csv, workers.csv, in UTF-8 or GBK); or one YAML/JSON file.',
    clear: 'Clear', noFiles: 'No files chosen yet.',
    step2: '2. As-of date and language', asOf: 'As of', lang: 'Language',
    step3: '3. Results', running: 'Evaluating…', loading: 'Reading the files…',
    problems: 'The facts have errors; correct them as shown and choose the files again:', warnings: 'Notes:',
    done: (n: number, r: number) => `${n} subjects evaluated, ${r} rule results.`,
    missingTitle: 'Missing facts (give them and these can be decided)', missingNone: 'No result is undecided for lack of facts.',
    missingCols: ['Subject', 'Id', 'Missing fact', 'Field', 'Where to fill it in', 'Clauses waiting'],
    downloads: 'Download', dlJson: 'Results (JSON)', dlHtml: 'Report (HTML)', dlXlsx: 'Issue list (Excel)',
    reportTitle: 'Report', badPage: 'The policy data of this page is missing or damaged; ask the province for a new copy of the checker.',
    encoding: { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8 (BOM)', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16', gb18030: 'GBK/GB18030' },
  },
} as const;

export type Words = (typeof WORDS)[Lang];
