#!/usr/bin/env node
// Launches the TypeScript CLI through tsx, so `lithe` works from an npm install without a build step.
import { register } from 'tsx/esm/api';

// A reader that stops early (`lithe info m.onnx | head`) closes the pipe: that is not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
