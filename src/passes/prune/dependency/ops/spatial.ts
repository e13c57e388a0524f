// Ops that work on each channel's map alone: pools, resizes, padding and reductions over space. The channels
// pass through, as long as the op's constants leave the channel axis alone (a scale of 1, no padding, not
// reduced). MaxPool's Indices count channels: not followed.
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../../../../onnx/attrs.ts';
import type { OpRule, Tracer } from '../tracer.ts';

function pass(node: NodeProto, t: Tracer, ok: boolean, why: string): void {
  const input = t.layout(node.input[0]!);
  t.poisonInputs(node, `'${node.name}' (${node.opType}) reads a feature map as a parameter`, [0]);
  if (!input) return;
  if (!ok) return t.poisonLayout(input, `'${node.name}' (${node.opType}) ${why}`);
  t.set(node.output[0], input);
}

const pool: OpRule = (node, t) => pass(node, t, !node.output[1] || !t.g.consumers(node.output[1]).length, 'outputs indices');

/** Resize (opset 11+: roi, scales, sizes) and Upsample (scales): the channel scale must be 1, sizes absent. */
const resize: OpRule = (node, t) => {
  const scalesAt = node.opType === 'Upsample' ? 1 : 2;
  const scales = node.input[scalesAt] ? t.constant(node.input[scalesAt]) : undefined;
  const sized = node.opType === 'Resize' && !!node.input[3];
  pass(node, t, !sized && scales?.[1] === 1, 'has computed or channel-changing scales, or explicit sizes');
};

const pad: OpRule = (node, t) => {
  const pads = node.input[1] ? t.constant(node.input[1]) : new Attrs(node).ints('pads');
  const r = pads ? pads.length / 2 : 0;
  pass(node, t, !!pads && !node.input[3] && pads[1] === 0 && pads[1 + r] === 0, 'pads the channel axis, or has computed pads or axes');
};

/** Reductions over space only; keepdims or not, the channel axis stays axis 1. */
const reduce: OpRule = (node, t) => {
  const axes = new Attrs(node).ints('axes') ?? (node.input[1] ? t.constant(node.input[1]) : undefined);
  const r = t.shape(node.input[0])?.length ?? 0;
  const ok = !!axes && axes.length > 0 && axes.every((a) => (a + r) % r >= 2);
  pass(node, t, ok, 'reduces over the channels, or over unknown axes');
};

export const rules: Record<string, OpRule> = {
  AveragePool: pool, GlobalAveragePool: pool, GlobalLpPool: pool, GlobalMaxPool: pool, LpPool: pool, MaxPool: pool,
  Pad: pad,
  ReduceL1: reduce, ReduceL2: reduce, ReduceMax: reduce, ReduceMean: reduce, ReduceMin: reduce, ReduceSum: reduce,
  Resize: resize, Upsample: resize,
};
