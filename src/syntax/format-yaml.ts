/**
 * Canonical layout of YAML rule files, through the `yaml` package's document model so that
 * comments survive: two-space indentation, no line folding, keys in the author's order.
 * Formatting is refused when the file does not parse cleanly as a policy file.
 */
import { parseDocument } from 'yaml';
import { hasErrors } from '../model/diagnostics.js';
import { parseYamlPolicyFile } from '../yaml/load-yaml.js';
import type { FormatResult } from './format.js';

/** Formats the text of a YAML rule file. */
export function formatYamlText(path: string, text: string): FormatResult {
  const checked = parseYamlPolicyFile(path, text);
  const diagnostics = [...checked.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics };
  const doc = parseDocument(text, { keepSourceTokens: false });
  const output = doc.toString({ indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false });
  return { output, diagnostics };
}
