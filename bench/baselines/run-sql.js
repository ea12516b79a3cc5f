#!/usr/bin/env node
// Runs a hand-written SQL baseline (bench/baselines/*.sql) in embedded DuckDB, the same
// @duckdb/node-api the DuckDB engine uses, with two threads like the engine:
//
//   node bench/baselines/run-sql.js SCRIPT.sql FACTS.json OUT.ndjson
//
// {{facts}} and {{out}} in the script are replaced by the paths (single quotes doubled).

import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [script, facts, out] = process.argv.slice(2);
const quoted = (p) => p.replaceAll("'", "''");
const sql = readFileSync(script, 'utf8').replaceAll('{{facts}}', quoted(facts)).replaceAll('{{out}}', quoted(out));
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
// One statement at a time: the script is a plain list of statements ending in `;`, no `;` in strings.
for (const statement of sql.split(/;\s*\n/).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean)) await connection.run(statement);
connection.closeSync();
instance.closeSync();
