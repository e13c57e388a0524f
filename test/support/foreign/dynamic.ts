// Symbolic batch, height and width, as `torch.onnx.export(..., dynamic_axes=...)` writes them: the input
// ['batch', 3, 'height', 'width'], outputs with their own symbolic names, weights as initializers, opset 13.
// lithe runs it once the recipe's `input` (or --size) fixes the size.
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { DataType, graph, valueInfo } from '../../../src/onnx/make.ts';
import { exported, storeFor, tiny, tinyNodes, write, yoloMetadata, type ForeignOptions, type Written } from './tiny.ts';

export function dynamicModel(opts: ForeignOptions = {}): { model: ModelProto; params: number } {
  const t = tiny(opts);
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  const { s16, s8 } = tinyNodes(t, 'images', storeFor(opts, nodes, inits), nodes);
  const per = t.heads[0]!.cout;
  const g = graph('main_graph', nodes, [valueInfo('images', DataType.FLOAT, ['batch', 3, 'height', 'width'])],
    [valueInfo(s16, DataType.FLOAT, ['batch', per, 'Convoutput16_dim_2', 'Convoutput16_dim_3']), valueInfo(s8, DataType.FLOAT, ['batch', per, 'Convoutput8_dim_2', 'Convoutput8_dim_3'])], inits);
  const metadata = opts.litheHead ? yoloMetadata(t, s16, s8) : {};
  return { model: exported(g, { producer: 'pytorch', version: '2.1.0', opset: 13, ir: 8, metadata }), params: t.params };
}

export function writeDynamic(path: string, opts: ForeignOptions = {}): Written {
  const { model, params } = dynamicModel(opts);
  return write(path, model, params);
}
