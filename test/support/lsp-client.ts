// A headless LSP client for the tests and bench:lsp: spawns `lithe lsp --stdio` and speaks JSON-RPC to it
// over its stdin and stdout, as an editor does.
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver/node.js';

export const uriOf = (file: string): string => pathToFileURL(resolve(file)).href;

export class LspClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; version?: number; done: (d: Diagnostic[]) => void }[] = [];
  stderr = '';

  constructor(args: string[] = ['lsp', '--stdio'], cwd = process.cwd()) {
    this.child = spawn(process.execPath, [resolve('bin/lithe.js'), ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (b: Buffer) => { this.stderr += b.toString(); });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.done(p.diagnostics);
        }
      }
    });
    this.connection.listen();
  }

  async initialize(initializationOptions: object = {}): Promise<unknown> {
    const r = await this.connection.sendRequest('initialize', { processId: process.pid, rootUri: uriOf('.'), capabilities: {}, initializationOptions });
    await this.connection.sendNotification('initialized', {});
    return r;
  }

  /** The diagnostics published for `uri` at `version` (waits for them). */
  diagnostics(uri: string, version?: number): Promise<Diagnostic[]> {
    const p = this.published.get(uri);
    if (p && (version === undefined || p.version === version)) return Promise.resolve(p.diagnostics);
    return new Promise((done) => this.waiters.push({ uri, version, done }));
  }

  /** The next diagnostics published for `uri`, whatever was published before. */
  next(uri: string): Promise<Diagnostic[]> {
    return new Promise((done) => this.waiters.push({ uri, done }));
  }

  async open(file: string, text: string, version = 1): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    const languageId = /\.ya?ml$/.test(file) ? 'yaml' : 'lithe';
    const wait = this.diagnostics(uri, version);
    this.published.delete(uri);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return wait;
  }

  async change(file: string, text: string, version: number): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    const wait = new Promise<Diagnostic[]>((done) => this.waiters.push({ uri, version, done }));
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return wait;
  }

  request<T>(method: string, params: object): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  async close(): Promise<number | null> {
    const exited = new Promise<number | null>((done) => this.child.once('exit', (code) => done(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
