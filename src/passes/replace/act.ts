// The activation that follows a replaced layer, read from the graph and written again inside the new block.
// A table per activation: how to recognise it after a value (its nodes), and the nodes that compute it.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../onnx/graph.ts';
import { Attrs } from '../../onnx/attrs.ts';
import { tensorValues } from '../../onnx/tensor.ts';
import type { Emitter } from './emit.ts';

import type { ActKind } from './act-kinds.ts';

export type { ActKind };
export interface Act { kind: ActKind; alpha?: number }
/** An activation found after a value: what it is, the nodes that compute it, and its output. */
export interface FoundAct { act: Act; nodes: NodeProto[]; out: string }

const only = (g: Graph, v: string): NodeProto | undefined => {
  const cs = g.consumers(v);
  return cs.length === 1 && !g.isGraphOutput(v) && cs[0]!.input[0] === v ? cs[0] : undefined;
};

/** x * gate(x), the gate and the Mul being the only readers of x. */
function gated(g: Graph, v: string, gateOp: string, kind: ActKind, check: (n: NodeProto) => boolean): FoundAct | undefined {
  const cs = g.consumers(v);
  if (cs.length !== 2 || g.isGraphOutput(v)) return undefined;
  const gate = cs.find((n) => n.opType === gateOp && n.input[0] === v && check(n));
  const mul = cs.find((n) => n.opType === 'Mul' && gate && n.input.includes(v) && n.input.includes(gate.output[0]!));
  if (!gate || !mul || g.consumers(gate.output[0]!).length !== 1 || g.isGraphOutput(gate.output[0]!)) return undefined;
  return { act: { kind }, nodes: [gate, mul], out: mul.output[0]! };
}

const constant = (g: Graph, v: string | undefined): number | undefined => {
  const t = v ? g.initializers.get(v) : undefined;
  const vals = t ? tensorValues(t) : undefined;
  return vals?.length === 1 ? vals[0] : undefined;
};

/** Recognisers, tried in order; the first that matches wins. */
const FIND: ((g: Graph, v: string) => FoundAct | undefined)[] = [
  (g, v) => { const n = only(g, v); return n?.opType === 'LeakyRelu' ? { act: { kind: 'leaky', alpha: new Attrs(n).float('alpha', 0.01) }, nodes: [n], out: n.output[0]! } : undefined; },
  (g, v) => { const n = only(g, v); return n?.opType === 'Relu' ? { act: { kind: 'relu' }, nodes: [n], out: n.output[0]! } : undefined; },
  (g, v) => {
    const n = only(g, v);
    return n?.opType === 'Clip' && constant(g, n.input[1]) === 0 && constant(g, n.input[2]) === 6 ? { act: { kind: 'relu6' }, nodes: [n], out: n.output[0]! } : undefined;
  },
  (g, v) => gated(g, v, 'Sigmoid', 'silu', () => true),
  (g, v) => gated(g, v, 'HardSigmoid', 'hardswish', (n) => Math.abs(new Attrs(n).float('alpha', 0.2) - 1 / 6) < 1e-6 && new Attrs(n).float('beta', 0.5) === 0.5),
];

/** The activation reading `v` alone, or linear (no nodes) when none lithe knows does. */
export function findAct(g: Graph, v: string): FoundAct {
  for (const f of FIND) {
    const r = f(g, v);
    if (r) return r;
  }
  return { act: { kind: 'linear' }, nodes: [], out: v };
}

/** Emits `act` after `x`; returns its output. */
export const EMIT_ACT: Record<ActKind, (e: Emitter, x: string, base: string, a: Act) => string> = {
  hardswish: (e, x, base) => e.op('Mul', [x, e.op('HardSigmoid', [x], `${base}.hsig`, { alpha: 1 / 6, beta: 0.5 })], `${base}.act`),
  leaky: (e, x, base, a) => e.op('LeakyRelu', [x], `${base}.act`, { alpha: a.alpha ?? 0.1 }),
  linear: (_e, x) => x,
  relu: (e, x, base) => e.op('Relu', [x], `${base}.act`),
  relu6: (e, x, base) => e.op('Clip', [x, e.init(`${base}.min`, [], [0]), e.init(`${base}.max`, [], [6])], `${base}.act`),
  silu: (e, x, base) => e.op('Mul', [x, e.op('Sigmoid', [x], `${base}.sig`)], `${base}.act`),
};
