// Weights in Constant nodes, as some PyTorch exports (do_constant_folding=False, or models traced through
// custom modules) and the npm text detector write them: no initializers at all, every weight, BN vector and
// scalar a Constant node (`value` tensors, plus a `value_float` and a `value_ints` as older exporters use),
// opset 13, a symbolic batch and a fixed 64x64 input.
import type { ModelProto, NodeProto } from 'onnx-buf';
import { DataType, attr, graph, node, valueInfo } from '../../../src/onnx/make.ts';
import { constantNodes, exported, SIZE, tiny, tinyNodes, write, yoloMetadata, type ForeignOptions, type Written } from './tiny.ts';

export function constantsModel(opts: ForeignOptions = {}): { model: ModelProto; params: number } {
  const t = tiny(opts);
  const nodes: NodeProto[] = [];
  const store = constantNodes(nodes);
  const { s16, s8 } = tinyNodes(t, 'input', store, nodes);
  // a scale of 1 (value_float) and the shape a flattening view would use (value_ints): configuration, not weights
  nodes.push(node('Constant', [], ['onnx::Mul_scale'], {}, 'Constant_scale'));
  nodes.at(-1)!.attribute = [attr('value_float', 1, true)];
  nodes.push(node('Mul', [s8, 'onnx::Mul_scale'], ['output8'], {}, 'Mul_scale'));
  nodes.push(node('Constant', [], ['onnx::Reshape_shape'], { value_ints: [0, t.heads[0]!.cout, SIZE / 16, SIZE / 16] }, 'Constant_shape'));
  nodes.push(node('Reshape', [s16, 'onnx::Reshape_shape'], ['output16'], {}, 'Reshape_16'));
  const per = t.heads[0]!.cout;
  const g = graph('torch_jit', nodes, [valueInfo('input', DataType.FLOAT, ['batch', 3, SIZE, SIZE])],
    [valueInfo('output16', DataType.FLOAT, ['batch', per, SIZE / 16, SIZE / 16]), valueInfo('output8', DataType.FLOAT, ['batch', per, SIZE / 8, SIZE / 8])]);
  const metadata = opts.litheHead ? yoloMetadata(t, 'output16', 'output8') : {};
  return { model: exported(g, { producer: 'pytorch', version: '1.13.1', opset: 13, ir: 7, metadata }), params: t.params };
}

export function writeConstants(path: string, opts: ForeignOptions = {}): Written {
  const { model, params } = constantsModel(opts);
  return write(path, model, params);
}
