#!/usr/bin/env node
// The `lithe` command. It runs the compiled dist/ (built by `npm install`/`npm run build`) when that is up to
// date with src/, and otherwise the TypeScript in src/ through tsx (development: slower to start, never stale).
// LITHE_TSX=1 forces the sources.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './fresh.js';

// A reader that stops early (`lithe info m.onnx | head`) closes the pipe: that is not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
// `lithe --version` answers from package.json without loading the CLI: scripts call it to probe for lithe.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
  process.exit(0);
}
let entry = '../dist/cli/main.js';
if (process.env.LITHE_TSX === '1' || !distIsFresh(root)) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = '../src/cli/main.ts';
}
const { main } = await import(entry);
process.exitCode = await main(args);
