// `lithe lsp --stdio`, driven headlessly as an editor drives it: a spawned server, JSON-RPC over its stdin and
// stdout. Each feature is checked on a golden input (test/data/lsp/), diagnostics also against `lithe check`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CompletionItem, Hover, InitializeResult } from 'vscode-languageserver/node.js';
import { LspClient, uriOf } from './support/lsp-client.ts';
import { answer, compare, diagnosticLines, LSP_GOLDEN, lspCases, markers } from './support/lsp-golden.ts';
import { main } from '../src/cli/main.ts';
import { bigRecipe } from './support/big-recipe.ts';

let client: LspClient;
let init: InitializeResult;
before(async () => {
  client = new LspClient();
  init = await client.initialize() as InitializeResult;
});
after(async () => {
  const code = await client.close();
  assert.equal(code, 0, `the server exits with 0 after shutdown and exit (stderr: ${client.stderr})`);
  assert.equal(client.stderr, '', 'nothing on stderr');
});

test('initialize announces every feature', () => {
  const c = init.capabilities;
  for (const k of ['completionProvider', 'hoverProvider', 'definitionProvider', 'documentSymbolProvider', 'documentFormattingProvider', 'codeActionProvider'] as const) {
    assert.ok(c[k], k);
  }
});

for (const name of lspCases()) {
  test(`lsp golden ${name}`, async () => {
    const got = await answer(client, name);
    const want = compare(name, got);
    if (want !== undefined) assert.equal(got, want);
  });
}

/** `lithe check --format json` of a file, in process. */
async function check(file: string): Promise<{ line: number; col: number; endLine: number; endCol: number; severity: string; code: string; file: string }[]> {
  let out = '';
  await main(['check', '--format', 'json', file], { out: (s: string) => { out += s; }, err: () => {} } as never);
  return JSON.parse(out);
}

for (const name of ['diagnostics', 'yaml', 'code-actions']) {
  test(`lsp ${name}: the same codes, ranges and severities as lithe check`, async () => {
    const dir = join(LSP_GOLDEN, name);
    const file = join(dir, name === 'yaml' ? 'input.yaml' : 'input.cmp');
    const published = await client.open(file, readFileSync(file, 'utf8'), 7);
    const checked = await check(file);
    assert.ok(checked.length > 0);
    assert.deepEqual(
      published.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1, d.range.end.character + 1, ['', 'error', 'warning', 'info'][d.severity!]]),
      checked.map((d) => [d.code, d.line, d.col, d.endLine, d.endCol, d.severity]),
    );
  });
}

test('diagnostics follow every change, and a used file being edited re-checks the recipes that use it', async () => {
  const dir = join(LSP_GOLDEN, 'use');
  const recipe = join(dir, 'input.cmp');
  const lib = join(dir, 'lib.cmp');
  const text = readFileSync(recipe, 'utf8');
  const first = await client.open(recipe, text, 1);
  assert.ok(first.some((d) => d.code === 'CMP3009'), diagnosticLines(first).join('\n'));
  const typo = await client.change(recipe, text.replace('l1 0.5', 'l3 0.5'), 2);
  assert.ok(typo.some((d) => d.code === 'CMP1002'), 'the misspelt criterion is reported after the change');
  // The used file, opened and fixed in the editor (not on disk): the recipe is checked again against the buffer.
  const libText = readFileSync(lib, 'utf8');
  const waitRecipe = client.next(uriOf(recipe));
  await client.open(lib, libText.replace('scope broken = scope nowhere\n', '').replace('prune backbone l1 0.5\n', ''), 1);
  const again = await waitRecipe;
  assert.ok(!again.some((d) => d.code === 'CMP3009' || d.code === 'CMP3002'), diagnosticLines(again).join('\n'));
});

test('completion and hover answer on a 2,000-line recipe (a generous bound: the machine may be loaded)', async () => {
  const file = 'test/data/lsp/big.cmp';
  const { text, at } = markers(bigRecipe(2000));
  await client.open(file, text);
  const position = (offset: number) => {
    const before = text.slice(0, offset);
    return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
  };
  const t0 = performance.now();
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: position(at.get('1')!) });
  const t1 = performance.now();
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: position(at.get('2')!) });
  const t2 = performance.now();
  assert.ok(items.some((i) => i.label === 'entropy'));
  assert.ok(hover && (hover.contents as { value: string }).value.includes('scope'));
  assert.ok(t1 - t0 < 2000 && t2 - t1 < 2000, `completion ${t1 - t0} ms, hover ${t2 - t1} ms`);
});

test('hover on a scope says how many layers it matches in the recipe\'s model, and which', async () => {
  const file = 'test/data/lsp/model-scope.cmp'; // never written: the server reads the buffer
  const text = 'model zoo:yolov3-tiny\ndata synth\nscope early = "layers.00*"\nprune early l1 0.5\nprune backbone l1 0.5\n';
  assert.deepEqual(await client.open(file, text), []);
  const at = (word: string) => ({ textDocument: { uri: uriOf(file) }, position: { line: text.slice(0, text.indexOf(word)).split('\n').length - 1, character: text.slice(0, text.indexOf(word)).length - text.slice(0, text.indexOf(word)).lastIndexOf('\n') } });
  const early = await client.request<Hover>('textDocument/hover', at('early l1'));
  assert.match((early.contents as { value: string }).value, /In zoo:yolov3-tiny: 5 layers \(20 nodes; recipe\): `layers\.000\.conv`, `layers\.002\.conv`/);
  const backbone = await client.request<Hover>('textDocument/hover', at('backbone'));
  assert.match((backbone.contents as { value: string }).value, /7 layers .*stdlib\/yolov3-tiny\.cmp.*`layers\.012\.conv`/);
});

test('a used file changed on disk: the recipes that use it are checked again when the client says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-lsp-'));
  try {
    const recipe = join(dir, 'r.cmp');
    const lib = join(dir, 'lib.cmp');
    writeFileSync(lib, 'scope mine = op Conv\n');
    const text = 'model zoo:yolov3-tiny\nuse "lib.cmp"\nprune mine l1 0.5\n';
    assert.deepEqual(await client.open(recipe, text), []);
    writeFileSync(lib, 'scope yours = op Conv\n');
    const next = client.next(uriOf(recipe));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(lib), type: 2 }] });
    assert.deepEqual((await next).map((d) => d.code), ['CMP3002']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the server ends with 0 when its client goes away without a word (stdin closes)', async () => {
  const child = spawn(process.execPath, ['bin/lithe.js', 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
  const code = await new Promise<number | null>((done) => { child.once('exit', done); child.stdin.end(); });
  assert.equal(code, 0, err);
});
