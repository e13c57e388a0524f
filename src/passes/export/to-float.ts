// Float copies of a quantized model, for toolchains that quantize themselves: Q/DQ stripped (weights
// dequantized, activation Q→DQ pairs removed, their scales kept for a calibration cache, as YOLOv6's
// tools/qat/onnx_utils.py does), and an fp16 model turned back to float32 (MindSpore Lite's converter casts
// to fp16 itself with --fp16=on).
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { AttributeProto_AttributeType as AT } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { DataType, tensor } from '../../onnx/make.ts';
import { elementCount, tensorValues } from '../../onnx/tensor.ts';
import { fromHalfBits } from '../../onnx/half.ts';
import { LitheError } from '../../errors.ts';
import { defaultOpset, MIN_OPSET } from '../../onnx/io.ts';
import { inferShapes } from '../../onnx/shape/infer.ts';

const isQ = (n: NodeProto) => n.opType === 'QuantizeLinear';
const isDQ = (n: NodeProto) => n.opType === 'DequantizeLinear';

export const hasQdq = (m: ModelProto): boolean => !!m.graph?.node.some((n) => isQ(n) || isDQ(n));
export const hasFp16 = (m: ModelProto): boolean => !!m.graph?.initializer.some((t) => t.dataType === DataType.FLOAT16);

function values(g: Graph, name: string | undefined, node: NodeProto): number[] {
  const t = name ? g.initializers.get(name) : undefined;
  const v = t && tensorValues(t);
  if (!v) throw new LitheError(`node '${node.name}' (${node.opType}): input '${name ?? ''}' is not a constant lithe can read`);
  return v;
}

/** DequantizeLinear of a constant: the float tensor it computes, per `axis` when the scale is a vector. */
function dequantized(g: Graph, dq: NodeProto): TensorProto {
  const q = g.initializers.get(dq.input[0]!)!;
  const x = values(g, q.name, dq);
  const scale = values(g, dq.input[1], dq);
  const zero = dq.input[2] ? values(g, dq.input[2], dq) : [0];
  const dims = q.dims.map(Number);
  const axisAttr = dq.attribute.find((a) => a.name === 'axis');
  const axis = scale.length > 1 ? ((axisAttr ? Number(axisAttr.i) : 1) + dims.length) % dims.length : -1;
  const inner = axis < 0 ? x.length : dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channels = axis < 0 ? 1 : dims[axis]!;
  const out = Float32Array.from(x, (v, i) => { const c = Math.floor(i / inner) % channels; return (v - (zero[c] ?? zero[0]!)) * scale[c]!; });
  return tensor(dq.output[0]!, dims, out);
}

/**
 * The float model under the Q/DQ, and the scale of every quantized activation by tensor name (where two
 * quantizers of one tensor disagree, e.g. a Concat branch sharing its concat's scale, the larger scale,
 * which covers both ranges). Weights come out on their int8 grid, as TensorRT would see them.
 */
export function stripQdq(model: ModelProto): { model: ModelProto; scales: Map<string, number> } {
  const g = Graph.fromModel(model);
  const scales = new Map<string, number>();
  for (const dq of g.nodes.filter((n) => isDQ(n) && g.initializers.has(n.input[0]!))) {
    g.remove(dq);
    g.initializers.set(dq.output[0]!, dequantized(g, dq));
  }
  for (const q of g.nodes.filter(isQ)) {
    const x = q.input[0]!;
    const s = values(g, q.input[1], q);
    if (s.length !== 1) throw new LitheError(`node '${q.name}' (QuantizeLinear): an activation quantized per channel cannot be stripped to a per-tensor scale`);
    scales.set(x, Math.max(scales.get(x) ?? 0, s[0]!));
    for (const dq of g.consumers(q.output[0]!)) {
      if (!isDQ(dq)) throw new LitheError(`node '${dq.name}' (${dq.opType}) reads a quantized tensor directly; lithe can strip only Q→DQ pairs`);
      g.remove(dq);
      g.rewire(dq.output[0]!, x);
    }
    g.remove(q);
  }
  g.dropUnusedInitializers();
  return { model: g.toModel(model), scales };
}

const CAST_TO = (n: NodeProto) => Number(n.attribute.find((a) => a.name === 'to')?.i ?? -1);

function halfToFloat(t: TensorProto): TensorProto {
  const n = elementCount(t);
  const bits = t.rawData.length ? new Uint16Array(new Uint8Array(t.rawData).buffer, 0, n) : Uint16Array.from(t.int32Data);
  return tensor(t.name, t.dims.map(Number), Float32Array.from(bits, fromHalfBits));
}

/** An fp16 model (quantize fp16) in float32 again: float16 constants widened, Casts between the two removed. */
export function fromFp16(model: ModelProto): ModelProto {
  const g = Graph.fromModel(model);
  const { types } = inferShapes(g, defaultOpset(model) ?? MIN_OPSET);
  const isFloaty = (v: string) => [DataType.FLOAT16, DataType.FLOAT].includes(types.get(v)?.elem ?? -1);
  for (const [k, t] of g.initializers) if (t.dataType === DataType.FLOAT16) g.initializers.set(k, halfToFloat(t));
  for (const n of g.nodes) {
    for (const a of n.attribute) if (a.type === AT.TENSOR && a.t?.dataType === DataType.FLOAT16) a.t = halfToFloat(a.t);
  }
  for (const c of g.nodes.filter((n) => n.opType === 'Cast' && [DataType.FLOAT16, DataType.FLOAT].includes(CAST_TO(n)) && isFloaty(n.input[0]!))) {
    const from = c.input[0]!;
    g.remove(c);
    if (g.isGraphOutput(c.output[0]!)) g.rename(from, c.output[0]!);
    else g.rewire(c.output[0]!, from);
  }
  for (const v of [...g.valueInfo.values(), ...g.inputs, ...g.outputs]) {
    const tt = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
    if (tt?.elemType === DataType.FLOAT16) tt.elemType = DataType.FLOAT;
  }
  g.dropUnusedInitializers();
  return g.toModel(model);
}
