/**
 * Loads every subcommand module; each registers itself with `registerCommand` (and report
 * formats with `registerFormat`). One import per command keeps main.ts free of their details.
 */
import './main.js';
