// Shape arithmetic in int64, as PyTorch traces `x.view(bs, na, no, ny, nx)` with `bs, _, ny, nx = x.shape`:
// Shape → Gather (a Constant scalar index) → Unsqueeze (a Constant axes input) → Concat with Constant parts →
// Reshape, and a Cast PyTorch puts on sizes. Each head map is viewed as [bs, 3, 5 + C, ny, nx] and back as
// [bs, 3 (5 + C), ny, nx] (the head's output stays the map lithe.yolo reads). Symbolic batch, height and
// width; weights as initializers; opset 13.
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { DataType, attr, graph, node, tensor, valueInfo } from '../../../src/onnx/make.ts';
import { exported, storeFor, tiny, tinyNodes, write, yoloMetadata, type ForeignOptions, type Written } from './tiny.ts';

/** A Constant node holding an int64 tensor (PyTorch's indices and axes). */
function int64(nodes: NodeProto[], name: string, values: number[], scalar = false): string {
  nodes.push(node('Constant', [], [name], {}, name.replace('onnx::', 'Constant_')));
  nodes.at(-1)!.attribute = [attr('value', tensor(name, scalar ? [] : [values.length], BigInt64Array.from(values, BigInt)))];
  return name;
}

/** `x.shape[k]` as a 1-element int64 vector (Shape, Gather, Unsqueeze). */
function dim(nodes: NodeProto[], x: string, k: number, tag: string): string {
  nodes.push(node('Shape', [x], [`${tag}.shape`], {}, `${tag}/Shape`));
  nodes.push(node('Gather', [`${tag}.shape`, int64(nodes, `onnx::Gather_${tag}`, [k], true)], [`${tag}.dim`], { axis: 0 }, `${tag}/Gather`));
  nodes.push(node('Unsqueeze', [`${tag}.dim`, int64(nodes, `onnx::Unsqueeze_${tag}`, [0])], [`${tag}.vec`], {}, `${tag}/Unsqueeze`));
  return `${tag}.vec`;
}

/** The view there and back: [bs, 3, 5 + C, ny, nx], then [bs, -1, ny, nx]. */
function viewHead(nodes: NodeProto[], x: string, classes: number, out: string): void {
  const [bs, ny, nx] = [dim(nodes, x, 0, `${out}.bs`), dim(nodes, x, 2, `${out}.ny`), dim(nodes, x, 3, `${out}.nx`)];
  const five = [bs, int64(nodes, `onnx::Concat_${out}.na`, [3]), int64(nodes, `onnx::Concat_${out}.no`, [5 + classes]), ny, nx];
  nodes.push(node('Concat', five, [`${out}.shape5`], { axis: 0 }, `${out}/Concat`));
  nodes.push(node('Reshape', [x, `${out}.shape5`], [`${out}.view5`], {}, `${out}/Reshape`));
  nodes.push(node('Cast', [`${out}.ny.vec`], [`${out}.ny.cast`], { to: DataType.INT64 }, `${out}/Cast`));
  const four = [bs, int64(nodes, `onnx::Concat_${out}.minus`, [-1]), `${out}.ny.cast`, nx];
  nodes.push(node('Concat', four, [`${out}.shape4`], { axis: 0 }, `${out}/Concat_1`));
  nodes.push(node('Reshape', [`${out}.view5`, `${out}.shape4`], [out], {}, `${out}/Reshape_1`));
}

export function int64ShapesModel(opts: ForeignOptions = {}): { model: ModelProto; params: number } {
  const t = tiny(opts);
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  const { s16, s8 } = tinyNodes(t, 'images', storeFor(opts, nodes, inits), nodes);
  viewHead(nodes, s16, t.classes, 'output0');
  viewHead(nodes, s8, t.classes, 'output1');
  const per = t.heads[0]!.cout;
  const g = graph('main_graph', nodes, [valueInfo('images', DataType.FLOAT, ['batch', 3, 'height', 'width'])],
    [valueInfo('output0', DataType.FLOAT, ['batch', per, 'ny0', 'nx0']), valueInfo('output1', DataType.FLOAT, ['batch', per, 'ny1', 'nx1'])], inits);
  const metadata = opts.litheHead ? yoloMetadata(t, 'output0', 'output1') : {};
  return { model: exported(g, { producer: 'pytorch', version: '2.0.1', opset: 13, ir: 8, metadata }), params: t.params };
}

export function writeInt64Shapes(path: string, opts: ForeignOptions = {}): Written {
  const { model, params } = int64ShapesModel(opts);
  return write(path, model, params);
}
