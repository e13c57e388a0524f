// `npm run build` (and `prepare`, so `npm install` and `npm ci` run it): compiles src/ to dist/ for the
// published `lithe`, copies the data files src/ reads beside its code, and stamps the time the build began.
// bin/lithe.js runs dist/ only when no file under src/ is newer than that stamp (see bin/fresh.js).
// Plain JavaScript: it runs before anything is compiled, and without tsx.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.env.LITHE_VALIDATE_GRAMMAR = '1';
const began = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

/** Files src/ reads at run time by a path beside its code (op-schemas.json): copied as they are. */
function copyData(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) copyData(path);
    else if (!e.name.endsWith('.ts')) {
      const to = join(root, 'dist', relative(join(root, 'src'), path));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(path, to);
    }
  }
}
copyData(join(root, 'src'));

// Chevrotain's package is some 700 small modules (lodash-es): 300 ms of CPU to load at each start. Its own
// one-file ESM build of the same version loads in a fraction of that, so dist/ imports that instead.
const chevrotain = join(dirname(createRequire(import.meta.url).resolve('chevrotain')), '..', 'chevrotain.mjs');
cpSync(chevrotain, join(root, 'dist', 'vendor', 'chevrotain.js'));
function useVendored(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) { useVendored(path); continue; }
    if (!e.name.endsWith('.js') || dir.endsWith('vendor')) continue;
    const text = readFileSync(path, 'utf8');
    const to = relative(dir, join(root, 'dist', 'vendor', 'chevrotain.js')).split('\\').join('/');
    const next = text.replace(/ from 'chevrotain';/g, ` from '${to.startsWith('.') ? to : `./${to}`}';`);
    if (next !== text) writeFileSync(path, next);
  }
}
useVendored(join(root, 'dist'));
// The plan's validators, compiled ahead (src/plan/schema.ts validatorSchemas): one module per ajv option set.
const require = createRequire(import.meta.url);
const { Ajv } = require('ajv');
const standalone = require('ajv/dist/standalone').default;
const { validatorSchemas } = await import(pathToFileURL(join(root, 'dist', 'plan', 'schema.js')).href);
for (const [file, allErrors] of [['validators-first.cjs', false], ['validators-all.cjs', true]]) {
  const ajv = new Ajv({ allErrors, strict: false, code: { source: true } });
  const keys = {};
  for (const v of validatorSchemas().filter((x) => x.allErrors === allErrors)) {
    const { $id, ...schema } = v.schema;  // one instance holds them all: ids would clash
    ajv.addSchema(schema, v.key);
    keys[v.key] = v.key;
  }
  writeFileSync(join(root, 'dist', 'plan', file), standalone(ajv, keys));
}

// The target schema's validator, with the text it was compiled from: targets/ is not under src/, so
// src/targets/load.ts uses it only while the schema file still holds that text.
{
  const { TARGET_AJV, targetsDir } = await import(pathToFileURL(join(root, 'dist', 'targets', 'load.js')).href);
  const text = readFileSync(join(targetsDir(), 'target.schema.json'), 'utf8');
  const ajv = new Ajv({ ...TARGET_AJV, code: { source: true } });
  const code = standalone(ajv, ajv.compile(JSON.parse(text)));
  writeFileSync(join(root, 'dist', 'targets', 'validator.cjs'), `${code}\nmodule.exports.schemaText = ${JSON.stringify(text)};\n`);
}

// The shipped target profiles, parsed and checked (src/targets/compiled.ts): each with the stamps of its YAML
// and the schema, so an edited file is read again.
{
  const { listTargets, loadTarget, targetsDir, SCHEMA_FILE } = await import(pathToFileURL(join(root, 'dist', 'targets', 'load.js')).href);
  const { stampOf } = await import(pathToFileURL(join(root, 'dist', 'targets', 'compiled.js')).href);
  mkdirSync(join(root, 'dist', 'targets', 'compiled'), { recursive: true });
  for (const name of listTargets()) {
    const profile = { yaml: stampOf(join(targetsDir(), `${name}.yaml`)), schema: stampOf(join(targetsDir(), SCHEMA_FILE)), target: loadTarget(name) };
    writeFileSync(join(root, 'dist', 'targets', 'compiled', `${name}.json`), JSON.stringify(profile));
  }
}

// The compiled lexer and parser skip chevrotain's validation at start-up: they are validated here, once
// (LITHE_VALIDATE_GRAMMAR is set before any compiled module is loaded).
(await import(pathToFileURL(join(root, 'dist', 'lang', 'parse.js')).href)).getParser();

writeFileSync(join(root, 'dist', 'BUILT'), `${began}\n`);
