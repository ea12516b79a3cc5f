/**
 * A JSON-RPC client that drives the language server the way an editor does: Content-Length
 * framed messages over a pair of byte streams, either in this process (fast, runs the
 * TypeScript sources) or through the stdio of `node bin/clausal.js lsp` (the built command).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import type { Diagnostic, InitializeResult, Position } from 'vscode-languageserver';
import { startLanguageServer, type LspSettings } from '../../src/lsp/server.js';

/** The bundled policy family, as a workspace folder. */
export const FAMILY = realpathSync(resolve('policies/yunnan-social-work'));

/** A file URI of a path in the family. */
export function uriOf(rel: string, root = FAMILY): string {
  return pathToFileURL(resolve(root, rel)).href;
}

/** An editor's side of the connection. */
export class LspClient {
  /** The latest diagnostics published per URI. */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: { uri: string; check: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();

  constructor(readonly connection: MessageConnection, private readonly child?: ChildProcess) {
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.check(p.diagnostics)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    connection.listen();
  }

  /** `initialize` + `initialized`. */
  async initialize(options: { root?: string; settings?: LspSettings; locale?: string } = {}): Promise<InitializeResult> {
    const root = options.root ?? FAMILY;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'policies' }],
      capabilities: {},
      locale: options.locale,
      initializationOptions: options.settings,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** The next diagnostics for `uri` that satisfy `check` (or the current ones, if they do). */
  waitForDiagnostics(uri: string, check: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}: last ${JSON.stringify(this.diagnostics.get(uri))}`)), 20_000);
      this.waiters.push({ uri, check, resolve: (d) => { clearTimeout(timer); resolvePromise(d); } });
    });
  }

  /** Opens a file of the family with its disk text (or `text`). */
  async open(rel: string, text?: string, root = FAMILY): Promise<string> {
    const uri = uriOf(rel, root);
    const body = text ?? readFileSync(resolve(root, rel), 'utf8');
    this.versions.set(uri, 1);
    this.texts.set(uri, body);
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: rel.endsWith('.clause') ? 'clause' : 'yaml', version: 1, text: body },
    });
    return uri;
  }

  /** Replaces the whole text of an open document. */
  async change(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** The exit code of a spawned server once it has exited. */
  get exitCode(): number | null | undefined {
    return this.child?.exitCode;
  }

  /** The text last sent for `uri`. */
  text(uri: string): string {
    return this.texts.get(uri)!;
  }

  /** The position of the `nth` occurrence of `needle` in the open text, plus `delta` characters. */
  positionOf(uri: string, needle: string, delta = 0, nth = 0): Position {
    const text = this.text(uri);
    let at = -1;
    for (let i = 0; i <= nth; i++) {
      at = text.indexOf(needle, at + 1);
      if (at < 0) throw new Error(`\`${needle}\` not found in ${uri}`);
    }
    const offset = at + delta;
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  }

  /** A request. */
  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  /** `shutdown` + `exit`, then closes the connection. */
  async close(): Promise<void> {
    if (this.child) {
      const exited = new Promise((r) => (this.child!.exitCode !== null ? r(null) : this.child!.once('exit', r)));
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
      await exited;
    }
    this.connection.dispose();
  }
}

/** The server in this process over a pair of in-memory byte streams. */
export function inProcessServer(today = '2022-06-01'): LspClient {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startLanguageServer(createConnection(toServer, toClient), { today: () => today });
  return new LspClient(createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)));
}

/** `node bin/clausal.js lsp --stdio` with its stdin/stdout as the connection. */
export function spawnedServer(args: readonly string[] = []): LspClient {
  const child = spawn(process.execPath, ['bin/clausal.js', 'lsp', '--stdio', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new LspClient(createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)), child);
}
