// Models written the way old exporters wrote them, for the upgrade's tests and the checker's: darknet →
// ONNX YOLOv3 as TensorRT's yolov3_to_onnx.py wrote it (opset 9, every initializer also a graph input), and
// a case format — one small graph, its inputs, what the upgrade must do — that onnx-upgrade.test.ts fills.
import { create } from '@bufbuild/protobuf';
import { TypeProtoSchema, TypeProto_TensorSchema, ValueInfoProtoSchema, type ModelProto, type NodeProto, type TensorProto } from 'onnx-buf';
import { attr, DataType, graph, model, node, tensor, valueInfo } from '../../src/onnx/make.ts';
import { mulberry32 } from '../../src/util/random.ts';
import { Graph } from '../../src/onnx/graph.ts';
import { inferShapes } from '../../src/onnx/shape/infer.ts';

/** A node with integer attributes (`attrs`) and float ones (`floats`, kept float even when whole). */
export function op(type: string, inputs: string[], outputs: string[], attrs: Record<string, number | number[] | string> = {}, floats: Record<string, number | number[]> = {}): NodeProto {
  const n = node(type, inputs, outputs, attrs, outputs[0]);
  n.attribute.push(...Object.entries(floats).map(([k, v]) => attr(k, v, true)));
  return n;
}

const rnd = mulberry32(13);
export const floats = (n: number, scale = 2) => Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * scale);
export const count = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
export const weights = (name: string, dims: number[], scale = 0.5) => tensor(name, dims, floats(count(dims), scale));
export const ints = (name: string, values: number[]) => tensor(name, [values.length], BigInt64Array.from(values, BigInt));
export const positive = (name: string, n: number) => tensor(name, [n], Float32Array.from({ length: n }, () => 0.5 + rnd()));

export interface Case {
  opset: number;
  nodes: NodeProto[];
  inputs: Record<string, number[]>;
  outputs: string[];
  initializers?: TensorProto[];
  ir?: bigint;
  /** Old exporters listed every initializer as a graph input too (required before IR 4). */
  initializersAsInputs?: boolean;
  to?: number;
  /** Ops the upgraded graph has, and ops it no longer has. */
  has?: string[];
  gone?: string[];
  /** The original cannot run (Upsample deprecated at opset 10): compare with the model built at this opset. */
  reference?: number;
  refused?: RegExp;
  /** Output shapes to declare where lithe's shape inference does not follow the op (TopK, Dropout, ...). */
  shapes?: Record<string, number[]>;
}

/** A float output of no declared shape (where an exporter knew none). */
export const output = (name: string) => create(ValueInfoProtoSchema, {
  name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType: DataType.FLOAT }) } }),
});

/** The case's model at `opset`; outputs declared with the shapes exporters compute (shape inference's). */
export function build(c: Case, opset = c.opset): ModelProto {
  const inits = c.initializers ?? [];
  const ins = Object.entries(c.inputs).map(([k, dims]) => valueInfo(k, DataType.FLOAT, dims));
  if (c.initializersAsInputs) ins.push(...inits.map((t) => valueInfo(t.name, t.dataType, t.dims.map(Number))));
  const m = model(graph('old', c.nodes.map((n) => ({ ...n, attribute: [...n.attribute] })), ins, c.outputs.map(output), inits), { opset, irVersion: c.ir ?? 5n });
  m.metadataProps = [];
  m.producerName = 'an old exporter';
  const { types } = inferShapes(Graph.fromModel(m), opset);
  m.graph!.output = c.outputs.map((o) => {
    const t = types.get(o);
    if (c.shapes?.[o]) return valueInfo(o, DataType.FLOAT, c.shapes[o]);
    return t?.shape ? valueInfo(o, t.elem, t.shape.map((d) => (d === '?' ? `${o}_d` : d))) : output(o);
  });
  return m;
}

/** Darknet → ONNX YOLOv3 as TensorRT's yolov3_to_onnx.py wrote it: conv + BN + leaky, a route, an
 *  upsample with a scales initializer, a concat, two heads. */
export function yolov3Trt(opset: number): Case {
  const conv = (i: number, x: string, cin: number, cout: number, k: number, s: number): [NodeProto[], TensorProto[]] => {
    const p = `${String(i).padStart(3, '0')}_convolutional`;
    return [[
      op('Conv', [x, `${p}_conv_weights`], [p], { kernel_shape: [k, k], strides: [s, s], pads: Array(4).fill((k - 1) / 2), dilations: [1, 1], auto_pad: 'NOTSET' }),
      op('BatchNormalization', [p, `${p}_bn_scale`, `${p}_bn_bias`, `${p}_bn_mean`, `${p}_bn_var`], [`${p}_bn`], {}, { epsilon: 1e-5, momentum: 0.99 }),
      op('LeakyRelu', [`${p}_bn`], [`${p}_lrelu`], {}, { alpha: 0.1 }),
    ], [weights(`${p}_conv_weights`, [cout, cin, k, k]), positive(`${p}_bn_scale`, cout), weights(`${p}_bn_bias`, [cout]), weights(`${p}_bn_mean`, [cout], 0.1), positive(`${p}_bn_var`, cout)]];
  };
  const [n1, w1] = conv(1, '000_net', 3, 8, 3, 1);
  const [n2, w2] = conv(2, '001_convolutional_lrelu', 8, 16, 3, 2);
  const [n3, w3] = conv(3, '002_convolutional_lrelu', 16, 8, 1, 1);
  const scales = tensor('004_upsample_scale', [4], Float32Array.of(1, 1, 2, 2));
  const up = opset < 9 ? op('Upsample', ['003_convolutional_lrelu'], ['004_upsample'], { mode: 'nearest' }, { scales: [1, 1, 2, 2] })
    : op('Upsample', ['003_convolutional_lrelu', '004_upsample_scale'], ['004_upsample'], { mode: 'nearest' });
  return {
    opset, ir: opset < 9 ? 3n : 4n, initializersAsInputs: true,
    inputs: { '000_net': [1, 3, 8, 8] }, outputs: ['006_convolutional', '002_convolutional_lrelu'],
    nodes: [...n1, ...n2, ...n3, up, op('Concat', ['004_upsample', '001_convolutional_lrelu'], ['005_route'], { axis: 1 }),
      op('Conv', ['005_route', '006_conv_weights', '006_conv_bias'], ['006_convolutional'], { kernel_shape: [1, 1], strides: [1, 1] })],
    initializers: [...w1, ...w2, ...w3, ...(opset < 9 ? [] : [scales]), weights('006_conv_weights', [6, 16, 1, 1]), weights('006_conv_bias', [6])],
    has: ['Resize'], gone: ['Upsample'],
  };
}

