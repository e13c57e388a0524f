// An NHWC model as tf2onnx converts a Keras detector: the input [unk__N, 64, 64, 3] with a Transpose to NCHW
// right after it, BN folded into the convolutions' weights and biases (TensorFlow's inference graph), weights
// as initializers, opset 13, and the head maps transposed back to NHWC as outputs — unless `litheHead`, where
// the outputs are the NCHW maps that lithe.yolo describes (lithe's decoder reads NCHW).
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { DataType, graph, node, valueInfo } from '../../../src/onnx/make.ts';
import { exported, storeFor, SIZE, tiny, tinyNodes, write, yoloMetadata, type ForeignOptions, type Written } from './tiny.ts';

export function tf2onnxNhwcModel(opts: ForeignOptions = {}): { model: ModelProto; params: number } {
  const t = tiny(opts);
  const nodes: NodeProto[] = [node('Transpose', ['input_1'], ['model/conv0/Conv2D__6:0'], { perm: [0, 3, 1, 2] }, 'model/conv0/Conv2D__6')];
  const inits: TensorProto[] = [];
  const { s16, s8 } = tinyNodes(t, 'model/conv0/Conv2D__6:0', storeFor(opts, nodes, inits), nodes, true);
  const per = t.heads[0]!.cout;
  const outs = opts.litheHead ? [s16, s8] : ['Identity:0', 'Identity_1:0'];
  if (!opts.litheHead) {
    nodes.push(node('Transpose', [s16], [outs[0]!], { perm: [0, 2, 3, 1] }, 'Identity__20'));
    nodes.push(node('Transpose', [s8], [outs[1]!], { perm: [0, 2, 3, 1] }, 'Identity_1__21'));
  }
  const shape = (s: number) => (opts.litheHead ? ['unk__30', per, SIZE / s, SIZE / s] : ['unk__30', SIZE / s, SIZE / s, per]);
  const g = graph('tf2onnx', nodes, [valueInfo('input_1', DataType.FLOAT, ['unk__29', SIZE, SIZE, 3])],
    [valueInfo(outs[0]!, DataType.FLOAT, shape(16)), valueInfo(outs[1]!, DataType.FLOAT, shape(8))], inits);
  const metadata = opts.litheHead ? yoloMetadata(t, outs[0]!, outs[1]!) : {};
  // BN folded: 4 vectors per backbone layer become 1 bias
  const params = t.params - t.backbone.reduce((a, c) => a + 3 * c.cout, 0);
  return { model: exported(g, { producer: 'tf2onnx', version: '1.16.1 15c810', opset: 13, ir: 8, metadata }), params };
}

export function writeTf2onnxNhwc(path: string, opts: ForeignOptions = {}): Written {
  const { model, params } = tf2onnxNhwcModel(opts);
  return write(path, model, params);
}
