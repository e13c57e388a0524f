// TensorRT's rules for explicit quantization (shared/notes/deploy.md, facts.md "TensorRT and ONNX Q/DQ"),
// checked on every QuantizeLinear/DequantizeLinear: symmetric (zero point all zeros, signed int8), scales
// positive, per-channel only for constant weights and only on axis 0 with one scale per output channel.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';
import { DataType } from '../../../onnx/make.ts';
import { tensorValues } from '../../../onnx/tensor.ts';

type Rule = (n: NodeProto, g: Graph) => string | undefined;

const constant = (g: Graph, v: string | undefined) => (v ? g.initializers.get(v) : undefined);
const valuesOf = (g: Graph, v: string | undefined): number[] => { const t = constant(g, v); return (t && tensorValues(t)) ?? []; };
const axisOf = (n: NodeProto): number => Number(n.attribute.find((a) => a.name === 'axis')?.i ?? 1);

const RULES: Rule[] = [
  (n) => (n.input.filter(Boolean).length < 3 ? 'needs its zero point input (TensorRT takes Q/DQ with all three inputs)' : undefined),
  (n, g) => (constant(g, n.input[2])?.dataType === DataType.UINT8 ? 'has a uint8 zero point; TensorRT takes signed int8 only' : undefined),
  (n, g) => (valuesOf(g, n.input[2]).some((z) => z !== 0) ? 'has a non-zero zero point; TensorRT takes symmetric quantization only (zero point 0)' : undefined),
  (n, g) => (valuesOf(g, n.input[1]).some((s) => !(s > 0)) ? 'has a scale that is not positive' : undefined),
  (n, g) => {
    const scale = constant(g, n.input[1]);
    if (!scale || scale.dims.length === 0 || Number(scale.dims[0]) <= 1) return undefined;
    const weight = constant(g, n.input[0]);
    if (!weight) return 'quantizes an activation per channel; TensorRT takes activations per tensor';
    if (axisOf(n) !== 0) return `quantizes weights on axis ${axisOf(n)}; TensorRT takes per-channel weights on axis 0 only`;
    return Number(weight.dims[0]) === Number(scale.dims[0]) ? undefined : `has ${scale.dims[0]} scales for ${weight.dims[0]} output channels`;
  },
];

/** A line per Q/DQ node that breaks a rule: `node 'x' (DequantizeLinear): ...`. */
export function qdqProblems(g: Graph): string[] {
  return g.nodes.filter((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear')
    .flatMap((n) => RULES.map((r) => r(n, g)).filter((p): p is string => !!p).map((p) => `node '${n.name}' (${n.opType}) ${p}`));
}
