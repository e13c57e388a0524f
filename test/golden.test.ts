// Runs every golden folder: diagnostics, plan and formatting must match the committed expected files, and a
// YAML twin (input.yaml beside input.cmp) must give the same plan and the same diagnostic codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../src/plan/build.ts';
import { expected, GOLDEN, goldenCases, inputOf, produce, stripPositions, updating, write } from './support/golden.ts';

for (const name of goldenCases()) {
  const dir = join(GOLDEN, name);
  test(`golden ${name}`, () => {
    const got = produce(inputOf(dir));
    for (const [file, text] of Object.entries(got)) {
      if (updating) write(dir, file, text);
      else assert.equal(text, expected(dir, file), `${dir}/${file}`);
    }
  });
  const cmp = join(dir, 'input.cmp');
  const yaml = join(dir, 'input.yaml');
  if (existsSync(cmp) && existsSync(yaml)) {
    test(`golden ${name}: the YAML twin gives the same plan`, () => {
      const a = checkText(cmp, readFileSync(cmp, 'utf8'));
      const b = checkText(yaml, readFileSync(yaml, 'utf8'));
      assert.deepEqual(b.diagnostics.map((d) => d.code), a.diagnostics.map((d) => d.code));
      assert.deepEqual(stripPositions(b.plan), stripPositions(a.plan));
    });
  }
}

test('every golden case that yields a plan has a YAML twin', () => {
  for (const name of goldenCases()) {
    const dir = join(GOLDEN, name);
    if (existsSync(join(dir, 'plan.json')) && existsSync(join(dir, 'input.cmp'))) assert.ok(existsSync(join(dir, 'input.yaml')), `${dir} has no input.yaml`);
  }
});
