// editors/vscode: the extension's manifest declares the language as lithe has it (id, `.cmp`, the grammar
// lithe generates, comments and brackets), and `npm run package` there builds the .vsix offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const DIR = 'editors/vscode';
const json = (p: string) => JSON.parse(readFileSync(join(DIR, p), 'utf8'));

test('the manifest: language lithe for .cmp, lithe\'s TextMate grammar, the configuration file', () => {
  const pkg = json('package.json');
  const [language] = pkg.contributes.languages;
  assert.equal(language.id, 'lithe');
  assert.deepEqual(language.extensions, ['.cmp']);
  const [grammar] = pkg.contributes.grammars;
  const source = JSON.parse(readFileSync('grammar/lithe.tmLanguage.json', 'utf8'));
  assert.equal(grammar.scopeName, source.scopeName);
  assert.equal(grammar.path, './syntaxes/lithe.tmLanguage.json', 'the build copies grammar/lithe.tmLanguage.json there');
  assert.ok(pkg.activationEvents.includes('onLanguage:lithe'));
  const config = json(language.configuration);
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [['(', ')'], ['[', ']']]);
  assert.match(readFileSync(join(DIR, 'src/extension.ts'), 'utf8'), /'lsp'/, 'the client starts lithe lsp');
});

const vsce = join(DIR, 'node_modules/@vscode/vsce/vsce');
test('npm run package builds the .vsix offline', { skip: !existsSync(vsce) && 'editors/vscode has no node_modules: run npm install there first' }, () => {
  const pkg = json('package.json');
  const out = join(DIR, `lithe-vscode-${pkg.version}.vsix`);
  rmSync(out, { force: true });
  execFileSync('npm', ['run', 'package'], { cwd: DIR, stdio: 'pipe', env: { ...process.env, npm_config_offline: 'true' } });
  const zip = readFileSync(out);
  assert.equal(zip.subarray(0, 2).toString(), 'PK', 'a zip file');
  for (const name of ['extension/package.json', 'extension/dist/extension.js', 'extension/syntaxes/lithe.tmLanguage.json', 'extension/language-configuration.json', 'extension.vsixmanifest']) {
    assert.ok(zip.includes(Buffer.from(name)), `${name} is in the .vsix`);
  }
});
