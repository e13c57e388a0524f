// ONNX's own checker (onnx.checker.check_model with full_check, Debian's python3-onnx) on the models lithe
// writes: a representative set of writers — every zoo model, convert (plain, --half-weights, --opset 13),
// import darknet, two runs through fuse, prune + finetune, quantize int8 and fp16, eval and export, train,
// the writer property test's models — each noting its files through LITHE_WRITE_LOG, all checked in one
// Python process (scripts/check-written.ts, also `npm run check:written`). Skipped, saying why, where
// /usr/bin/python3 has no onnx package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { checkerMissing, PYTHON } from '../scripts/onnx-checker.ts';
import { checkRepresentative, summary } from '../scripts/check-written.ts';
import { IR_OF_OPSET } from '../src/onnx/versions.ts';
import { DEFAULT_IR_VERSION, DEFAULT_OPSET } from '../src/onnx/make.ts';

const missing = checkerMissing();
if (missing) console.log(`# onnx.checker tests skipped: ${missing}`);

test('every model the representative writers write passes onnx.checker\'s full check', { skip: missing, timeout: 300_000 }, async () => {
  const rows = await checkRepresentative();
  const writers = new Set(rows.map((r) => r.writer));
  for (const w of ['zoo build yolov3', 'convert --half-weights --profile', 'import darknet', 'train']) assert.ok(writers.has(w), `${w} wrote a model`);
  assert.ok(rows.length >= 20, `${rows.length} models`);
  // lithe writes IR 7 at opset 13, which onnx 1.12's checker knows: nothing may be skipped as too new
  assert.deepEqual(rows.filter((r) => r.verdict.status !== 'ok'), [], summary(rows));
});

test(`the IR version lithe writes with each opset is ONNX's own (onnx.helper.VERSION_TABLE; ${DEFAULT_OPSET} → IR ${DEFAULT_IR_VERSION})`, { skip: missing }, () => {
  const r = spawnSync(PYTHON, ['-c', 'import json, onnx.helper as h\nt = {}\nfor row in h.VERSION_TABLE: t.setdefault(row[2], row[1])\nprint(json.dumps(t))'], { encoding: 'utf8' });
  const table = JSON.parse(r.stdout) as Record<string, number>;
  for (const [opset, ir] of Object.entries(table)) if (Number(opset) >= 7) assert.equal(IR_OF_OPSET[Number(opset)], ir, `opset ${opset}`);
  assert.equal(BigInt(IR_OF_OPSET[DEFAULT_OPSET]!), DEFAULT_IR_VERSION);
});
