// `lithe lsp --stdio`: the language server, a thin shell over the language service (src/service/). Every
// request calls the same functions as `lithe check`, `lithe fmt` and the REPL: the editor shows what the
// command line prints. Open documents are the workspace's buffers, so a `use`d file being edited is read
// from its buffer, and documents that use it are checked again when it changes.
import { fileURLToPath } from 'node:url';
import { basename, resolve } from 'node:path';
import {
  CodeActionKind, createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeParams,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as service from '../service/index.ts';
import { LitheError } from '../errors.ts';
import { VERSION } from '../diagnostics/render.ts';
import { shownToPath, toCodeAction, toCompletion, toDiagnostic, toHover, toLocation, toRange, toSymbol, uriOf } from './convert.ts';
import { currentSymbols } from '../service/current.ts';

/** The characters after which the editor asks for completion without a word typed. */
const TRIGGERS = [' ', '"', '/', '+', ',', ':', '('];

/** How long after the last keystroke a document is checked. */
const CHECK_DELAY_MS = 40;

/** A document's path: its file, or for an unsaved buffer (`untitled:`) a name in the working folder. */
export function pathOf(uri: string): string {
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  return resolve(basename(uri.replace(/^[a-z]+:/i, '')) || 'untitled.cmp');
}

export function startServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Connection {
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(input), new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  const ws = new service.Workspace();
  let options: service.ServiceOptions = {};

  /** Runs a request; a user's error (LitheError) is shown to them, anything else is logged as a bug. */
  const guard = <T>(what: string, fallback: T, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof LitheError) void connection.window.showErrorMessage(`lithe: ${e.message}`);
      else connection.console.error(`lithe: internal error in ${what}: ${(e as Error)?.message ?? String(e)}`);
      return fallback;
    }
  };

  const validate = (doc: TextDocument): void => guard('diagnostics', undefined, () => {
    const file = pathOf(doc.uri);
    const analysis = ws.analyze(file, doc.getText(), options);
    const uses = analysis.yaml ? [] : currentSymbols(ws, file, doc.getText()).uses;
    // A problem in a used file shows on the `use` that brings it in (else the first `use`: it came in through it).
    const useOf = (shown: string) => (uses.find((u) => u.target === shownToPath(shown)) ?? uses[0])?.range;
    const diagnostics = analysis.result.diagnostics.map((d) => toDiagnostic(d, doc.uri, d.file ? useOf(d.file) : undefined));
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  });

  const check = (doc: TextDocument): void => {
    validate(doc);
    // Documents that use this one: their diagnostics may change with it.
    for (const dep of ws.dependents(pathOf(doc.uri))) {
      const other = documents.get(uriOf(dep));
      if (other) validate(other);
    }
  };

  // While the user types, the check waits for a pause: a completion or hover request sent with the keystroke
  // is answered first (from the last analysis), and a burst of edits is checked once, at its last version.
  const pending = new Map<string, NodeJS.Timeout>();
  const changed = (doc: TextDocument): void => {
    ws.open(pathOf(doc.uri), doc.getText());
    clearTimeout(pending.get(doc.uri));
    pending.set(doc.uri, setTimeout(() => {
      pending.delete(doc.uri);
      const now = documents.get(doc.uri);
      if (now) check(now);
    }, CHECK_DELAY_MS));
  };

  connection.onInitialize((params: InitializeParams) => {
    const init = (params.initializationOptions ?? {}) as service.ServiceOptions;
    options = { ...(init.target ? { target: init.target } : {}), ...(init.model ? { model: init.model } : {}), ...(init.data ? { data: init.data } : {}) };
    return {
      serverInfo: { name: 'lithe', version: VERSION },
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: TRIGGERS },
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
    };
  });

  // Opening fires both events: an opened document is checked at once, and its content event skipped.
  const opened = new Set<string>();
  documents.onDidOpen((e) => {
    opened.add(e.document.uri);
    ws.open(pathOf(e.document.uri), e.document.getText());
    check(e.document);
  });
  documents.onDidChangeContent((e) => { if (!opened.delete(e.document.uri)) changed(e.document); });
  documents.onDidClose((e) => {
    clearTimeout(pending.get(e.document.uri));
    pending.delete(e.document.uri);
    ws.close(pathOf(e.document.uri));
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  // A file changed on disk (the client watches recipes): the open documents that read it are checked again.
  connection.onDidChangeWatchedFiles((p) => {
    const files = p.changes.filter((c) => c.uri.startsWith('file:')).map((c) => pathOf(c.uri));
    const affected = new Set(files.flatMap((f) => ws.dependents(f)));
    for (const file of affected) {
      const doc = documents.get(uriOf(file));
      if (doc) validate(doc);
    }
  });

  const withDoc = <T>(uri: string, fallback: T, what: string, f: (doc: TextDocument, file: string) => T): T => {
    const doc = documents.get(uri);
    return doc ? guard(what, fallback, () => f(doc, pathOf(uri))) : fallback;
  };

  connection.onCompletion((p) => withDoc(p.textDocument.uri, [], 'completion', (doc, file) =>
    service.complete(doc.getText(), doc.offsetAt(p.position), file, ws).map(toCompletion)));
  connection.onHover(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    try {
      const h = await service.hoverWithModel(doc.getText(), doc.offsetAt(p.position), pathOf(p.textDocument.uri), options, ws);
      return h ? toHover(h) : null;
    } catch (e) {
      return guard('hover', null, () => { throw e; });
    }
  });
  connection.onDefinition((p) => withDoc(p.textDocument.uri, [], 'definition', (doc, file) =>
    service.definition(doc.getText(), doc.offsetAt(p.position), file, ws).map(toLocation)));
  connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], 'symbols', (doc, file) =>
    service.documentSymbols(doc.getText(), file, ws).map(toSymbol)));
  connection.onDocumentFormatting((p) => withDoc(p.textDocument.uri, [], 'formatting', (doc, file) => {
    if (/\.ya?ml$/i.test(file)) return [];
    const r = service.format(doc.getText());
    return 'edits' in r ? r.edits.map((e) => ({ range: toRange(e.range), newText: e.text })) : [];
  }));
  connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], 'code actions', (doc, file) => {
    const text = doc.getText();
    const range = { start: posOf(doc, p.range.start), end: posOf(doc, p.range.end) };
    return service.codeActions(text, range, file, options, ws).map((a) => toCodeAction(a, p.textDocument.uri, p.context.diagnostics));
  }));

  documents.listen(connection);
  connection.listen();
  return connection;
}

function posOf(doc: TextDocument, p: { line: number; character: number }): service.Range['start'] {
  return { line: p.line + 1, col: p.character + 1, offset: doc.offsetAt(p) };
}

/**
 * `lithe lsp`: serves until the client says `exit` (the library then ends the process: 0 after `shutdown`,
 * 1 without, as LSP has it) or goes away (stdin closes: 0).
 */
export function runLsp(): Promise<number> {
  startServer();
  return new Promise((done) => process.stdin.once('close', () => done(0)).once('end', () => done(0)));
}
