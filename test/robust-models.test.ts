// The ONNX reliability corpus (test/support/robust/models.ts): every corrupt model refused with a named error
// by `lithe info` and `lithe convert`, the input untouched and nothing written; every valid variant accepted.
// And the verifier's promise: a model it accepts loads in onnxruntime, so no command fails later with
// onnxruntime's raw message; seeded random mutants hold it to that too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCase } from './support/robust/run-case.ts';
import { corruptModels, modelCases, modelPath, validModels, writeMutant } from './support/robust/models.ts';
import { editedModels, flippedBytes } from './support/robust/models/fuzz.ts';
import { defaultOpset, loadModel, MIN_OPSET } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { createSession } from '../src/runtime/session.ts';
import { LitheError } from '../src/errors.ts';
import type { Verdict } from './support/robust/types.ts';

test(`the model corpus: ${corruptModels.length} corrupt models refused by name, ${validModels.length} valid ones accepted, by info and convert`, async () => {
  assert.ok(corruptModels.length >= 128, `${corruptModels.length} corrupt models`);
  const counts = new Map<Verdict, number>();
  const bad: string[] = [];
  for (const c of modelCases) {
    const r = await runCase(c, 30_000);
    counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
    const want = c.expect === 'fail' ? 'named' : 'ok';
    if (r.verdict !== want) bad.push(`${c.name}: ${r.verdict}${r.why ? ` (${r.why})` : ''}`);
    rmSync(r.dir, { recursive: true, force: true });
  }
  assert.deepEqual(bad, [], `${bad.length} of ${modelCases.length} cases went wrong:\n${bad.join('\n')}`);
  assert.equal(counts.get('named'), 2 * corruptModels.length);
  assert.equal(counts.get('ok'), 2 * validModels.length);
});

test('a model the verifier accepts loads in onnxruntime (corrupt and valid variants alike)', async () => {
  const refused: string[] = [];
  let accepted = 0;
  for (const mutant of [...corruptModels, ...validModels]) {
    if (mutant.subprocess) continue; // a FIFO: the loader refuses it, and it cannot be opened here safely
    const dir = mkdtempSync(join(tmpdir(), 'lithe-accepts-'));
    try {
      writeMutant(mutant, dir);
      let model;
      try {
        model = loadModel(modelPath(dir));
      } catch (e) {
        if (e instanceof LitheError) continue; // refused by name: nothing reaches onnxruntime
        throw e;
      }
      accepted++;
      try {
        await (await createSession(model, { quiet: true })).release();
      } catch (e) {
        refused.push(`${mutant.name}: ${(e as Error).message}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.deepEqual(refused, [], `the verifier accepted models onnxruntime refuses:\n${refused.join('\n')}`);
  assert.equal(accepted, validModels.length, 'only the valid variants are accepted');
});

test('seeded random mutants: each refused by name or accepted, and every one accepted loads in onnxruntime', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-fuzz-'));
  const path = join(dir, 'm.onnx');
  const escaped: string[] = [];
  const refusedByOrt: string[] = [];
  let accepted = 0;
  try {
    for (const { name, bytes } of [...flippedBytes(1, 400), ...editedModels(1, 400)]) {
      writeFileSync(path, bytes);
      let model;
      try {
        model = loadModel(path);
        modelStats(Graph.fromModel(model), defaultOpset(model) ?? MIN_OPSET);
      } catch (e) {
        if (!(e instanceof LitheError)) escaped.push(`${name}: ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ')}`);
        continue;
      }
      accepted++;
      try {
        await (await createSession(model, { quiet: true })).release();
      } catch (e) {
        refusedByOrt.push(`${name}: ${(e as Error).message}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(escaped, [], `errors that are not LitheErrors:\n${escaped.join('\n')}`);
  assert.deepEqual(refusedByOrt, [], `the verifier accepted models onnxruntime refuses:\n${refusedByOrt.join('\n')}`);
  assert.ok(accepted > 100, `${accepted} accepted: the mutants are not all refused`);
});
