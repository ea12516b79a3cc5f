/**
 * Finds English words in text an officer reads in zh mode. What may stay in Latin letters is
 * what the user types or what names a thing rather than says something: diagnostic codes and
 * the `error`/`warning` word of the contract's diagnostic line, paths and file names, option
 * names and their `a|b` value lists, text in backticks (quoted input), URLs, and the ids of the
 * policy (rule ids, kinds, fields, enum codes, parameters) passed in `ids`.
 */

/** Words that name a thing and are written in Latin letters in Chinese text too. */
const NAMES = new Set([
  'clausal', 'Excel', 'HTTP', 'Logic', 'in-process', 'CSV', 'JSON', 'YAML', 'HTML', 'SQL', 'UTF', 'ID', 'Ctrl', 'Node', 'npm', 'LSP', 'DuckDB',
  'text', 'json', 'ndjson', 'markdown', 'html', 'csv', 'xlsx', 'sql', 'jsonlogic', 'duckdb', 'postgres', 'trino', 'yaml', 'yml',
  'zh', 'en', 'YYYY-MM-DD', 'true', 'false', 'null', 'stdio', 'stdin', 'stdout', 'localhost', 'token', 'TOKEN', 'CLAUSAL_API_TOKEN', 'CLAUSAL_SERVE_TOKEN', 'NO_COLOR', 'CLAUSAL_DEBUG',
  // the command names of the CLI and of `runs`
  'check', 'eval', 'test', 'diff', 'fmt', 'export', 'serve', 'template', 'facts', 'runs', 'ledger', 'trend', 'api', 'bundle', 'lsp', 'help',
  'list', 'show', 'verify', 'compare', 'receipt',
]);

/** Removes what may be in Latin letters; what is left over is prose. */
function strip(text: string): string {
  return text
    .replace(/\u001b\[[0-9;]*m/g, '')
    // a code frame quotes the user's own file: `12 | text` and its underline
    .replace(/^ *\d* \|.*$/gm, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/「[^」\n]*」|"[^"\n]*"/g, ' ')
    // ids in capitals such as `DUTY-YES`
    .replace(/\b[A-Z]+(?:-[A-Z0-9]+)+\b/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    // the contract's diagnostic line: `where: error CODE: message`
    .replace(/\b(error|warning) (?=[A-Z]\d{4}\b)/g, ' ')
    .replace(/\b[A-Z]\d{4}\b/g, ' ')
    // subject ids such as `KM-CWH-01` or `W-0001`: letters and digits
    .replace(/\b[A-Za-z][\w-]*\d[\w-]*/g, ' ')
    .replace(/\b\d[\w-]*[A-Za-z][\w-]*/g, ' ')
    .replace(/--[a-z][a-z-]*/g, ' ')
    .replace(/(?:^|[\s(（「'"])[^\s(（「'"]*[/\\][^\s)）」'"，。：、]*/g, ' ')
    .replace(/[\w.-]+\.(?:ya?ml|json|ndjson|xlsx|csv|html?|clause|md|db|txt|js|ts)\b/g, ' ')
    .replace(/\b[\w-]+(?:\|[\w.-]+)+/g, ' ');
}

/** Prose words in Latin letters (two letters or more) left in `text`, each once, in order. */
export function englishWords(text: string, ids: Iterable<string> = []): string[] {
  const allowed = new Set([...NAMES, ...ids]);
  const found = new Set<string>();
  for (const m of strip(text).matchAll(/[A-Za-z][A-Za-z_-]*[A-Za-z]/g)) {
    const w = m[0];
    if (allowed.has(w) || w.split(/[_-]/).length > 1 && allowed.has(w.replace(/-/g, '_'))) continue;
    found.add(w);
  }
  return [...found];
}
