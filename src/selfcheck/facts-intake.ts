/**
 * The files an officer picks or drops on the self-check page -> facts, through the same
 * loaders as `clausal eval --facts`: one `.xlsx` workbook, a set of CSV files (any of UTF-8,
 * UTF-8 with BOM, GBK/GB18030), or one YAML/JSON/NDJSON file. Browser-safe; tested in Node.
 */
import { error, type Diagnostic } from '../model/diagnostics.js';
import type { Policy } from '../model/types.js';
import { DEFAULT_FACTS_LIMITS, maxFactsFileSize, type Facts, type FactsLimits } from '../facts/facts.js';
import { factsFormatOf, loadFactsText } from '../facts/parse-facts.js';
import { firstInvalidUtf8, type TextEncodingName } from '../loader/decode-text.js';
import { csvSetFacts, spreadsheetFactsFromBytes, type BytesFile } from '../loader/spreadsheet-intake.js';

/** What the picked files gave: facts (absent on errors), diagnostics, and the texts they point into. */
export interface IntakeResult {
  readonly facts?: Facts;
  readonly diagnostics: readonly Diagnostic[];
  readonly texts: ReadonlyMap<string, string>;
  /** How each CSV file was decoded, by name. */
  readonly encodings: ReadonlyMap<string, TextEncodingName>;
}

type Group = 'workbook' | 'csv' | 'text';

const GROUP_WORDS: Record<Group, { zh: string; en: string }> = {
  workbook: { zh: '工作簿（.xlsx）', en: 'a workbook (.xlsx)' },
  csv: { zh: 'CSV 文件', en: 'CSV files' },
  text: { zh: 'YAML/JSON 文件', en: 'a YAML/JSON file' },
};

function groupOf(name: string): Group | undefined {
  const n = name.toLowerCase();
  if (n.endsWith('.xlsx')) return 'workbook';
  if (n.endsWith('.csv')) return 'csv';
  return factsFormatOf(n) ? 'text' : undefined;
}

/**
 * Whether the picked files form one set of facts: one workbook, one YAML/JSON/NDJSON file, or
 * CSV files (F0015 for a file of another type, F0701 for a mixture that would need merging).
 */
export function checkPickedFiles(files: readonly BytesFile[]): Diagnostic | undefined {
  const unknown = files.find((f) => groupOf(f.path) === undefined);
  if (unknown) {
    const dot = unknown.path.lastIndexOf('.');
    return error('F0015', undefined, { ext: dot >= 0 ? unknown.path.slice(dot) : unknown.path });
  }
  const groups = [...new Set(files.map((f) => groupOf(f.path)!))];
  if (groups.length === 0 || (groups.length === 1 && (groups[0] === 'csv' || files.length === 1))) return undefined;
  const [first, second] = groups.length > 1 ? groups : [groups[0], groups[0]];
  return error('F0701', undefined, { 'first.zh': GROUP_WORDS[first].zh, 'first.en': GROUP_WORDS[first].en, 'second.zh': GROUP_WORDS[second].zh, 'second.en': GROUP_WORDS[second].en });
}

/** Reads the picked files as one set of facts, through the loaders `clausal eval --facts` uses. */
export async function factsFromPickedFiles(policy: Policy, files: readonly BytesFile[], limits: FactsLimits = DEFAULT_FACTS_LIMITS): Promise<IntakeResult> {
  const none = { texts: new Map<string, string>(), encodings: new Map<string, TextEncodingName>() };
  if (files.length === 0) return { diagnostics: [], ...none };
  const bad = checkPickedFiles(files);
  if (bad) return { diagnostics: [bad], ...none };
  const group = groupOf(files[0].path);
  if (group === 'workbook') {
    const r = await spreadsheetFactsFromBytes(policy, files[0].path, { workbook: files[0] }, limits);
    return { facts: r.facts, diagnostics: r.diagnostics, texts: r.texts, encodings: new Map() };
  }
  if (group === 'csv') {
    const r = csvSetFacts(policy, files[0].path, files, limits, '');
    return { facts: r.facts, diagnostics: r.diagnostics, texts: r.texts, encodings: r.encodings ?? new Map() };
  }
  const file = files[0];
  const format = factsFormatOf(file.path.toLowerCase())!;
  const max = maxFactsFileSize(limits, format === 'yaml');
  if (file.bytes.length > max) return { diagnostics: [error('F0016', { file: file.path, start: 0, end: 0 }, { limit: max, size: file.bytes.length })], ...none };
  // YAML and JSON facts are UTF-8 by their specifications; only CSV files are told apart.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    const byte = firstInvalidUtf8(file.bytes);
    const lossy = new TextDecoder().decode(file.bytes);
    const offset = new TextDecoder().decode(file.bytes.subarray(0, byte)).length;
    return { diagnostics: [error('F0019', { file: file.path, start: offset, end: offset + 1 }, { byte })], texts: new Map([[file.path, lossy]]), encodings: new Map() };
  }
  const r = loadFactsText(policy, file.path, text, format, limits);
  return { facts: r.facts, diagnostics: r.diagnostics, texts: new Map([[file.path, text]]), encodings: new Map() };
}
