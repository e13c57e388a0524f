// Builds the extension offline: copies lithe's TextMate grammar into syntaxes/, bundles src/extension.ts with
// vscode-languageclient into dist/extension.js (esbuild), and with --vsix packs lithe-vscode-VERSION.vsix
// (vsce, no dependency scan: the bundle holds them). Needs only the packages `npm install` put here.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const grammar = join(root, '../../grammar/lithe.tmLanguage.json');
mkdirSync(join(root, 'syntaxes'), { recursive: true });
copyFileSync(grammar, join(root, 'syntaxes/lithe.tmLanguage.json'));

await build({
  entryPoints: [join(root, 'src/extension.ts')],
  outfile: join(root, 'dist/extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  sourcemap: false,
  minify: true,
  logLevel: 'warning',
});

if (process.argv.includes('--vsix')) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = `lithe-vscode-${version}.vsix`;
  const vsce = join(root, 'node_modules/@vscode/vsce/vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], { cwd: root, stdio: 'inherit' });
  console.log(`built ${join('editors/vscode', out)}`);
}
