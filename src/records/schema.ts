/**
 * The records database's schema as numbered migrations. A stored schema is a contract
 * (docs/records.md): analysts query these tables with plain SQL, so a migration only ever adds;
 * nothing is renamed or dropped, and a database written by a newer Clausal is refused rather
 * than misread. `clausal_schema` holds one row per applied migration.
 */

/** One step of the schema. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** Every migration, in order. INVARIANT: versions are 1, 2, 3… with no gap. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, their files, parameters, rules and results',
    statements: [
      `CREATE TABLE clausal_schema (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`,
      `CREATE SEQUENCE runs_seq START 1`,
      `CREATE TABLE runs (
        run INTEGER PRIMARY KEY,
        run_key VARCHAR NOT NULL UNIQUE,
        policy_id VARCHAR NOT NULL,
        policy_version VARCHAR NOT NULL,
        policy_hash VARCHAR NOT NULL,
        policy_dir VARCHAR NOT NULL,
        as_of DATE NOT NULL,
        lang VARCHAR NOT NULL,
        engine_version VARCHAR NOT NULL,
        command_line VARCHAR NOT NULL,
        cwd VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP NOT NULL,
        facts_path VARCHAR NOT NULL,
        facts_hash VARCHAR NOT NULL,
        facts_copy BOOLEAN NOT NULL,
        subjects INTEGER NOT NULL,
        result_count INTEGER NOT NULL,
        summary VARCHAR NOT NULL
      )`,
      `CREATE TABLE run_files (
        run INTEGER NOT NULL,
        role VARCHAR NOT NULL,
        path VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        bytes BIGINT NOT NULL,
        content BLOB,
        compressed BOOLEAN NOT NULL,
        PRIMARY KEY (run, role, path)
      )`,
      `CREATE TABLE run_params (
        run INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        value VARCHAR,
        since DATE,
        PRIMARY KEY (run, name)
      )`,
      `CREATE TABLE run_rules (
        run INTEGER NOT NULL,
        rule VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        cite VARCHAR NOT NULL,
        modality VARCHAR NOT NULL,
        title_zh VARCHAR,
        title_en VARCHAR,
        quote VARCHAR,
        PRIMARY KEY (run, rule)
      )`,
      `CREATE TABLE results (
        run INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        receipt VARCHAR NOT NULL,
        subject_kind VARCHAR NOT NULL,
        subject_id VARCHAR NOT NULL,
        subject_name VARCHAR,
        prefecture_id VARCHAR,
        prefecture_name VARCHAR,
        rule VARCHAR NOT NULL,
        cite VARCHAR NOT NULL,
        modality VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        due DATE,
        missing VARCHAR NOT NULL,
        value VARCHAR,
        unit VARCHAR,
        shortfall VARCHAR,
        shortfall_unit VARCHAR,
        explanation VARCHAR NOT NULL,
        result_json VARCHAR NOT NULL,
        PRIMARY KEY (run, seq)
      )`,
      `CREATE INDEX results_receipt ON results (receipt)`,
    ],
  },
  {
    version: 2,
    name: 'decisions of the decision API',
    statements: [
      `CREATE TABLE decisions (
        decision VARCHAR PRIMARY KEY,
        received_at TIMESTAMP NOT NULL,
        policy_id VARCHAR NOT NULL,
        policy_version VARCHAR NOT NULL,
        policy_hash VARCHAR NOT NULL,
        as_of DATE NOT NULL,
        lang VARCHAR NOT NULL,
        engine_version VARCHAR NOT NULL,
        facts_hash VARCHAR NOT NULL,
        facts_json VARCHAR NOT NULL,
        results_json VARCHAR NOT NULL,
        summary VARCHAR NOT NULL
      )`,
    ],
  },
];

/** The schema version this Clausal writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
