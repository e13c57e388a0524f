// `npm run bench:lsp`: how fast the language server answers, measured as an editor sees it: `lithe lsp
// --stdio` spawned, JSON-RPC over its stdin and stdout, on a generated 2,000-line recipe. Each request is
// sent `RUNS` times (after warm-up) and timed from send to answer. Prints a Markdown table; a report, not a
// test: it always exits 0.
//
//   completion   a criterion after `prune backbone `                        target < 50 ms (median)
//   hover        a scope name                                              target < 50 ms (median)
//   edit → diagnostics   an edit until its diagnostics are published (a whole check of 2,000 lines, after
//                        the server's pause of 40 ms for more keystrokes)
//   edit + completion    completion sent with the edit, as editors do: answered before the check
//                                                                          target < 50 ms (median)
//   symbols      the outline of the recipe
//   format       lithe fmt of the recipe as edits
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { LspClient, uriOf } from '../test/support/lsp-client.ts';
import { bigRecipe } from '../test/support/big-recipe.ts';
import { markers } from '../test/support/lsp-golden.ts';

const RUNS = 30;
const LINES = 2000;
const FILE = 'bench/lsp-2000.cmp'; // never written: the server reads the editor's buffer

const position = (text: string, offset: number) => {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
};

/** Times `f`, or takes the time it returns (a number: what it measured itself). */
async function timed(f: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await f();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = await f();
    out.push(typeof r === 'number' ? r : performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => xs[Math.floor(xs.length * 0.9)]!;

const client = new LspClient();
const started = performance.now();
await client.initialize();
const startup = performance.now() - started;
const { text, at } = markers(bigRecipe(LINES));
const doc = { textDocument: { uri: uriOf(FILE) } };
const t0 = performance.now();
await client.open(FILE, text);
const open = performance.now() - t0;
let version = 1;
const rows: [string, number[], number | undefined][] = [
  ['completion', await timed(() => client.request('textDocument/completion', { ...doc, position: position(text, at.get('1')!) })), 50],
  ['hover', await timed(() => client.request('textDocument/hover', { ...doc, position: position(text, at.get('2')!) })), 50],
  // Each edit makes a text never seen before: the whole check runs (parse included).
  ['edit → diagnostics', await timed(() => { version++; return client.change(FILE, `${text}# edit ${version}\n`, version); }), undefined],
  // Completion sent with the keystroke, as an editor does: answered before the edit's check runs.
  ['edit + completion', await timed(async () => {
    version++;
    const diagnostics = client.change(FILE, `${text}# edit ${version}\n`, version);
    const t = performance.now();
    await client.request('textDocument/completion', { ...doc, position: position(text, at.get('1')!) });
    const took = performance.now() - t;
    await diagnostics;
    return took;
  }), 50],
  ['symbols', await timed(() => client.request('textDocument/documentSymbol', doc)), undefined],
  ['format', await timed(() => client.request('textDocument/formatting', { ...doc, options: { tabSize: 4, insertSpaces: true } })), undefined],
];
await client.close();

console.log(`bench:lsp: ${LINES}-line recipe, ${RUNS} runs each after 3 warm-up; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}`);
console.log(`server start to initialized: ${startup.toFixed(0)} ms; open with first diagnostics: ${open.toFixed(0)} ms\n`);
console.log('| request | median ms | p90 ms | target | verdict |');
console.log('|---|---|---|---|---|');
for (const [name, xs, target] of rows) {
  console.log(`| ${name} | ${median(xs).toFixed(1)} | ${p90(xs).toFixed(1)} | ${target ? `< ${target} ms` : ''} | ${target ? (median(xs) < target ? 'met' : 'missed') : ''} |`);
}
