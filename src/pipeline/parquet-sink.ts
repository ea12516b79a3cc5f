/**
 * `clausal eval --format parquet --out results.parquet`: the results as a Parquet file, one row
 * per result with the contract's fields as columns (`subject_kind`, `subject_id`, `rule`, `cite`,
 * `modality`, `status`, `due` as DATE, `missing` as a list of text; with `--fields all` also
 * `explanation`, and `figures`, `shortfall`, `value`, `unit` as JSON text).
 *
 * The results are written as they arrive to a temporary NDJSON file (the same lines `--format
 * ndjson` prints), which DuckDB turns into Parquet with `COPY … TO` in one pass at the end; the
 * Parquet bytes then go to the output, which for `--out` is written to a temporary file and
 * renamed (atomic, as every output). No result is held in memory.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { RuleResult } from '../model/result.js';
import { NdjsonRenderer, Utf8Chunker } from '../report/eval-json.js';
import { sqlString } from '../sql/dialects.js';
import { registerSink, OutputError, type Output, type ResultSink, type SinkCopy, type SinkNeeds } from './engine.js';
import { copyFileTo } from './copy-file.js';

class ParquetSink implements ResultSink {
  readonly needs: SinkNeeds;
  private readonly renderer: NdjsonRenderer;
  private readonly chunks = new Utf8Chunker();
  private dir: string | undefined;
  private fd: number | undefined;
  private taken = false;
  readonly copy?: SinkCopy;

  constructor(private readonly output: Output, private readonly fields: 'all' | 'status') {
    this.needs = { explanations: fields === 'all', subjects: false, streaming: true };
    this.renderer = new NdjsonRenderer(fields, false);
    // The DuckDB engine writes the status columns itself: no NDJSON in between.
    if (fields === 'status') {
      this.copy = {
        format: 'parquet',
        take: (file) => {
          this.taken = true;
          copyFileTo(file, output);
        },
      };
    }
  }

  begin(): void {
    this.dir = mkdtempSync(join(tmpdir(), 'clausal-parquet-'));
    this.fd = openSync(join(this.dir, 'results.ndjson'), 'w');
  }

  write(batch: readonly RuleResult[]): void {
    for (let i = 0; i < batch.length; i++) this.renderer.write(batch[i], this.chunks);
    this.drain();
  }

  async end(): Promise<void> {
    if (this.taken) {
      this.output.commit();
      this.cleanUp();
      return;
    }
    this.chunks.flush();
    this.drain();
    closeSync(this.fd!);
    this.fd = undefined;
    const parquet = join(this.dir!, 'results.parquet');
    const columns = ["subject: 'STRUCT(kind VARCHAR, id VARCHAR)'", "rule: 'VARCHAR'", "cite: 'VARCHAR'", "modality: 'VARCHAR'", "status: 'VARCHAR'", "due: 'DATE'", "missing: 'VARCHAR[]'"];
    const select = ['subject.kind AS subject_kind', 'subject.id AS subject_id', 'rule', 'cite', 'modality', 'status', 'due', 'missing'];
    if (this.fields === 'all') {
      columns.push("explanation: 'VARCHAR'", "figures: 'JSON'", "shortfall: 'JSON'", "value: 'JSON'", "unit: 'VARCHAR'");
      select.push('explanation', 'figures', 'shortfall', 'value', 'unit');
    }
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await instance.connect();
    try {
      // An empty file has no rows for read_json to type: the column list types them.
      await connection.run(`COPY (SELECT ${select.join(', ')} FROM read_json(${sqlString(join(this.dir!, 'results.ndjson'))}, format = 'newline_delimited', columns = {${columns.join(', ')}})) TO ${sqlString(parquet)} (FORMAT parquet)`);
    } catch (e) {
      throw new OutputError(parquet, (e as Error).message);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    copyFileTo(parquet, this.output);
    this.output.commit();
    this.cleanUp();
  }

  abort(): void {
    this.output.discard();
    this.cleanUp();
  }

  private drain(): void {
    const ready = this.chunks.ready;
    for (const c of ready) writeSync(this.fd!, c);
    ready.length = 0;
  }

  private cleanUp(): void {
    try {
      if (this.fd !== undefined) closeSync(this.fd);
    } catch {
      // Already closed: nothing to release.
    }
    this.fd = undefined;
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

registerSink('parquet', { machine: true, create: (o) => new ParquetSink(o.output, o.fields) });
