// A fast start: each command loads only what it needs. `lithe check` and `lithe --version` never load
// onnxruntime or the training engine; bin/lithe.js runs dist/ only when it is as new as src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { distIsFresh } from '../bin/fresh.js';

const dir = mkdtempSync(join(tmpdir(), 'lithe-start-'));

/** The modules (repository-relative, or `pkg:NAME/...`) that `lithe ARGS` loads, through bin/lithe.js as a user runs it. */
function loaded(env: Record<string, string>, ...args: string[]): string[] {
  const log = join(dir, `modules-${args[0]}.txt`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', './test/support/module-log.mjs', 'bin/lithe.js', ...args], {
    encoding: 'utf8', env: { ...process.env, ...env, LITHE_MODULE_LOG: log },
  });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const root = new URL('..', import.meta.url).href;
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].map((u) =>
    u.includes('/node_modules/') ? `pkg:${u.slice(u.lastIndexOf('/node_modules/') + 14)}` : u.replace(root, ''));
}

/** What a command that only reads recipes must not load: onnxruntime, the training engine, the graph runtime. */
const HEAVY = [/^pkg:onnxruntime/, /^(src|dist)\/train\/(?!loss\/head-parts)/, /^(src|dist)\/runtime\//, /^(src|dist)\/onnx\/shape\//];

test('lithe check loads neither onnxruntime nor the training engine', () => {
  const recipe = join(dir, 'r.cmp');
  writeFileSync(recipe, 'data synth\ntarget x86\nprune backbone entropy 0.5; distill from teacher with cls+feat; quantize int8 qat\n');
  // as built (dist/, when `npm run build` is up to date) and from the sources through tsx
  for (const env of [{}, { LITHE_TSX: '1' }] as Record<string, string>[]) {
    const mods = loaded(env, 'check', recipe);
    assert.ok(mods.some((m) => /^(src|dist)\/lang\/parser\./.test(m)), 'the parser is loaded: the log works');
    for (const m of mods) for (const h of HEAVY) assert.doesNotMatch(m, h);
  }
});

test('lithe --version and COMMAND --help load no command', () => {
  for (const args of [['--version'], ['check', '--help'], ['run', '--help']]) {
    const mods = loaded({}, ...args);
    // tsx and its helpers load when dist/ is not built; nothing else from node_modules may
    assert.deepEqual(mods.filter((m) => /\/cli\/commands\/|\/lang\/parser|^pkg:(?!tsx|esbuild|get-tsconfig|resolve-pkg-maps)/.test(m)), [], args.join(' '));
  }
});

test('lithe --version, answered by bin/lithe.js alone, is the version the CLI and its reports carry', async () => {
  const { VERSION } = await import('../src/diagnostics/render.ts');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')).version;
  const r = spawnSync(process.execPath, ['bin/lithe.js', '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.deepEqual([r.stdout, VERSION], [`${pkg}\n`, pkg]);
});

test('bin/lithe.js runs dist/ only when no file under src/ is newer than its build', () => {
  const root = join(dir, 'repo');
  mkdirSync(join(root, 'src', 'lang'), { recursive: true });
  writeFileSync(join(root, 'src', 'lang', 'a.ts'), '');
  assert.equal(distIsFresh(root), false, 'no dist/');
  mkdirSync(join(root, 'dist'));
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(root, 'src', 'lang', 'a.ts'), past, past);
  utimesSync(join(root, 'src', 'lang'), past, past);
  utimesSync(join(root, 'src'), past, past);
  writeFileSync(join(root, 'dist', 'BUILT'), `${Date.now() - 30_000}\n`);
  assert.equal(distIsFresh(root), true);
  writeFileSync(join(root, 'src', 'lang', 'a.ts'), 'edited');   // an edit after the build
  assert.equal(distIsFresh(root), false);
  writeFileSync(join(root, 'dist', 'BUILT'), 'garbage');
  assert.equal(distIsFresh(root), false);
});

const root = new URL('..', import.meta.url).pathname;
const built = distIsFresh(root);

test('the compiled lithe checks as the sources do (vendored chevrotain, validators compiled ahead)', { skip: !built && 'dist/ is not built or older than src/ (npm run build)' }, () => {
  const golden = join(root, 'test', 'golden');
  const inputs = readdirSync(golden).flatMap((c) => ['input.cmp', 'input.yaml'].map((f) => join(golden, c, f))).filter((f) => existsSync(f));
  inputs.push(...readdirSync(join(root, 'recipes')).map((f) => join(root, 'recipes', f)));
  const check = (env: Record<string, string>) => spawnSync(process.execPath, ['bin/lithe.js', 'check', '--format', 'json', ...inputs], { encoding: 'utf8', env: { ...process.env, ...env }, cwd: root });
  const [compiled, sources] = [check({}), check({ LITHE_TSX: '1' })];
  assert.equal(compiled.status, sources.status);
  assert.ok(JSON.parse(compiled.stdout).length > 20, 'the golden cases have diagnostics');
  assert.equal(compiled.stdout, sources.stdout);
  // the target validator compiled ahead is used only while targets/target.schema.json holds the text it came from
  const ahead = createRequire(import.meta.url)(join(root, 'dist', 'targets', 'validator.cjs')) as { schemaText: string };
  assert.equal(ahead.schemaText, readFileSync(join(root, 'targets', 'target.schema.json'), 'utf8'));
});
