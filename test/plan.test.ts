// The plan: schema assembled from the registry, generated files up to date, YAML and .cmp identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkText } from '../src/plan/build.ts';
import { validatePlan } from '../src/plan/schema.ts';
import { passes } from '../src/passes/registry.ts';
import { rules } from '../src/plan/rules/registry.ts';
import { criteria } from '../src/passes/prune/criteria/registry.ts';
import { planSchemaText } from '../scripts/plan-schema.ts';
import { diagnosticsDoc } from '../scripts/diagnostics-doc.ts';
import { unrunnable } from '../src/run/run.ts';

const sorted = (xs: string[]) => assert.deepEqual(xs, [...xs].sort());

test('registries are sorted lists', () => {
  sorted(passes.map((p) => p.name));
  sorted(rules.map((r) => r.id));
  sorted(criteria.map((c) => c.id));
  for (const p of passes) sorted(p.options.map((o) => o.name));
});

test('every pass has full metadata', () => {
  for (const p of passes) {
    assert.ok(p.summary && p.docs && p.syntax.startsWith(p.name), p.name);
    assert.equal((p.params as { type: string }).type, 'object');
    for (const o of p.options) assert.ok(o.summary, `${p.name} ${o.name}`);
  }
});

test('plan.schema.json is the schema assembled from the passes', () => {
  assert.equal(readFileSync('plan.schema.json', 'utf8'), planSchemaText());
});

test('grammar/diagnostics.md is up to date', () => {
  assert.equal(readFileSync('grammar/diagnostics.md', 'utf8'), diagnosticsDoc());
});

test('a checked plan validates against plan.schema.json, and a broken one does not', () => {
  const { plan } = checkText('q.cmp', 'data synth\nprune backbone l1 0.5 round 8\nquantize int8\n');
  assert.ok(plan);
  assert.deepEqual(validatePlan(plan), []);
  const broken = structuredClone(plan) as { steps: { params: Record<string, unknown> }[] };
  broken.steps[0]!.params.amount = 2;
  assert.notDeepEqual(validatePlan(broken), []);
});

test('set is positional: a later set changes only later steps', () => {
  const { plan } = checkText('s.cmp', 'data synth\nset epochs 2\nfinetune\nset epochs 5\nfinetune\n');
  assert.deepEqual(plan!.steps.map((s) => s.params.epochs), [2, 5]);
  assert.deepEqual(plan!.steps.map((s) => s.defaults.epochs), ['set epochs', 'set epochs']);
});

test('the target gives defaults; --target overrides the recipe', () => {
  const text = 'target x86\nprune backbone l1 0.5\n';
  assert.equal(checkText('t.cmp', text).plan!.steps[0]!.params.round, 8);
  assert.equal(checkText('t.cmp', text, { target: 'kirin990' }).plan!.steps[0]!.params.round, 16);
  assert.equal(checkText('t.cmp', text, { target: 'tx9' }).diagnostics[0]!.code, 'CMP1006');
});

test('a zoo model brings its stdlib profile for the built-in scopes', () => {
  const { plan } = checkText('z.cmp', 'model zoo:yolov3-tiny\n');
  assert.equal(plan!.profile, 'yolov3-tiny');
  assert.ok('selector' in plan!.scopes.backbone!);
  assert.equal(checkText('f.cmp', 'model "x.onnx"\n').plan!.scopes.backbone!.hasOwnProperty('inferred'), true);
});

test('steps whose pass cannot execute yet are named, with their line, before a run starts', () => {
  const { plan } = checkText('r.cmp', 'model zoo:yolov3-tiny\nteacher zoo:yolov3 as big\ndata synth\nfuse\ndistill from big with cls\n');
  assert.deepEqual(unrunnable(plan!), ['step 2 (distill, line 5): its execution on ONNX models is not implemented yet']);
});
