// Models written the way other exporters write them (test/support/foreign/: weights in Constants, symbolic
// sizes, PyTorch int64 shape arithmetic, tf2onnx's NHWC input) through lithe run to export tensorrt (int8,
// TensorRT's Q/DQ rules) and export mslite (the BIN files in the model input's layout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { cli } from './support/cli.ts';
import { FOREIGN_STYLES, SIZE } from './support/foreign/index.ts';
import { synthSet } from './support/robust/fixture.ts';
import { loadModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { verifyModel } from '../src/onnx/verify.ts';
import { declaredType } from '../src/onnx/shape/infer.ts';
import { qdqProblems } from '../src/passes/export/tensorrt/qdq-rules.ts';
import { parseCalibrationCache } from '../src/passes/export/tensorrt/calib-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-export-foreign-'));
process.chdir(dir);

for (const style of FOREIGN_STYLES) {
  test(`${style.id} (${style.summary}): int8 for tx2 and export tensorrt, export mslite for kirin990`, async () => {
    const sub = mkdtempSync(join(dir, `${style.id}-`));
    const { path } = style.write(join(sub, 'model.onnx'), { litheHead: true });
    const head = `model "${path}"\ndata coco "${synthSet()}"\n${style.symbolicSize ? `input ${SIZE}\n` : ''}`;
    writeFileSync(join(sub, 'trt.cmp'), `${head}target tx2\nquantize int8 calib 8\nexport tensorrt "${join(sub, 'trt')}"\n`);
    writeFileSync(join(sub, 'ms.cmp'), `${head}target kirin990\nfuse\nquantize int8 calib 4\nexport mslite "${join(sub, 'ms')}"\n`);
    for (const r of ['trt', 'ms']) {
      const run = await cli('run', join(sub, `${r}.cmp`), '--out', join(sub, `run-${r}`), '--threads', '1');
      assert.equal(run.code, 0, `${style.id} ${r}: ${run.err}`);
    }
    const trt = loadModel(join(sub, 'trt', 'model.onnx'));
    assert.deepEqual(verifyModel(trt, 13), []);
    assert.deepEqual(qdqProblems(Graph.fromModel(trt)), []);
    const { scales } = parseCalibrationCache(readFileSync(join(sub, 'trt', 'calibration.cache'), 'utf8'));
    const float = Graph.fromModel(loadModel(join(sub, 'trt', 'model_float.onnx')));
    for (const name of scales.keys()) assert.ok(float.hasValue(name), `${style.id}: ${name} in the float model`);
    const ms = loadModel(join(sub, 'ms', 'model.onnx'));
    const input = ms.graph!.input[0]!;
    const dims = declaredType(input)!.shape!.map((d) => (typeof d === 'number' ? d : 1));
    assert.equal(readFileSync(join(sub, 'ms', 'calibration', input.name, '0000.bin')).byteLength, dims.reduce((a, b) => a * b, 1) * 4);
    assert.match(readFileSync(join(sub, 'ms', 'convert.sh'), 'utf8'), new RegExp(`--inputShape="${input.name}:${dims.join(',')}"`));
    for (const f of [join(sub, 'trt', 'model.onnx'), join(sub, 'trt', 'model_float.onnx'), join(sub, 'ms', 'model.onnx')]) await (await ort.InferenceSession.create(readFileSync(f))).release();
  });
}
