/**
 * Loads every subcommand module; each registers itself with `registerCommand` (and report
 * formats with `registerFormat`). One import per command keeps main.ts free of their details.
 */
import './main.js';
import './cmd-test.js';
import './cmd-export.js';
import './cmd-diff.js';
import './cmd-fmt.js';
import './cmd-serve.js';
import '../report/formats.js';
import './cmd-template.js';
import './cmd-facts.js';
import './cmd-runs.js';
import './cmd-ledger.js';
import './cmd-api.js';
import './cmd-lsp.js';
import './cmd-bundle.js';
