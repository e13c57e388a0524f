// Fake quantization: the training form of a plan (qat). Each value plan.ts quantizes becomes
// Mul(Round(Clip(Div(x, s), qmin, qmax)), s) in float ops, which computes exactly what QuantizeLinear →
// DequantizeLinear computes (round half to even, saturation at the grid's ends), so the training graph
// sees the deployed model's values. Its gradients come from the ops' own rules: Round's straight-through
// estimator and Clip's mask give the clipped STE (∂x̂/∂x = 1 where qmin·s ≤ x ≤ qmax·s, 0 outside), and the
// Div and Mul rules give the step size LSQ's gradient (round(x/s) − x/s inside, qmin or qmax at the limits).
// Clip comes before Round so the mask is taken on x/s itself, as the clipped STE defines it.
//  - Activations: one scalar step size per shared-scale group (plan.ts rule 5), on the signed grid −128..127
//    (onnxruntime's uint8 with zero point 128 is the same grid).
//  - Weights: the float weight stays, under its own name, as the weight that trains; its step sizes (per
//    output channel, shaped to broadcast along the weight's axis, or one) start at max|w| / qmax.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';
import { node } from '../../../onnx/make.ts';
import { readFloats } from '../floats.ts';
import { addInit, place, weightAxis, weightQmax, type InsertOptions } from './insert.ts';
import type { QdqPlan } from './plan.ts';
import { quantizeWeight } from './weights.ts';

/** The step sizes of a fake-quantized graph: initializer names, and each one's LSQ element count and qmax. */
export interface FakeQuant {
  /** By quantized tensor or branch id (keys of one group share a name). */
  activations: Map<string, string>;
  /** By weight name. */
  weights: Map<string, string>;
  /** For each step-size initializer: N, the values that share one step size (per image), and qmax. */
  lsq: Map<string, { n: number; qmax: number }>;
}

const ACTIVATION_RANGE = [-128, 127] as const;

/** x̂ = Mul(Round(Clip(Div(x, s), lo, hi)), s), inserted after `after`; returns x̂. */
function fakeQuant(g: Graph, x: string, s: string, range: readonly [number, number], base: string, after?: NodeProto): string {
  const lo = addInit(g, `${base}.qmin`, [], Float32Array.of(range[0]));
  const hi = addInit(g, `${base}.qmax`, [], Float32Array.of(range[1]));
  const [scaled, clipped, rounded, out] = ['scaled', 'clipped', 'rounded', 'fake_quantized'].map((k) => g.freshName(`${base}.${k}`)) as [string, string, string, string];
  const name = (op: string) => g.freshName(`${base}.fake_quantize.${op}`);
  g.insert([
    node('Div', [x, s], [scaled], {}, name('div')),
    node('Clip', [scaled, lo, hi], [clipped], {}, name('clip')),
    node('Round', [clipped], [rounded], {}, name('round')),
    node('Mul', [rounded, s], [out], {}, name('mul')),
  ], after);
  return out;
}

/**
 * Inserts the plan as fake quantization. `scales`: the activation scales by tensor and branch id (as for
 * insertQdq); `elements(v)`: the values of `v` per image (LSQ's N).
 */
export function insertFakeQuant(g: Graph, plan: QdqPlan, scales: ReadonlyMap<string, number>, opts: InsertOptions, elements: (v: string) => number): FakeQuant {
  const fq: FakeQuant = { activations: new Map(), weights: new Map(), lsq: new Map() };
  const groupScale = new Map<string, string>();
  for (const [key, group] of plan.group) {
    const name = groupScale.get(group) ?? addInit(g, `${group}.step`, [], Float32Array.of(scales.get(key)!));
    groupScale.set(group, name);
    fq.activations.set(key, name);
    const branch = plan.branches.find((b) => b.id === key);
    const n = elements(branch?.tensor ?? key);
    fq.lsq.set(name, { n: (fq.lsq.get(name)?.n ?? 0) + n, qmax: ACTIVATION_RANGE[1] });
  }
  const qmax = weightQmax(opts);
  place(g, plan, {
    weight(g, n, spec) {
      const w = g.initializers.get(n.input[spec.slot]!);
      if (!w) return; // as insertQdq: a weight from a Constant node stays float
      const dims = w.dims.map(Number);
      const axis = weightAxis(n, spec, w, opts);
      const { scales: ws } = quantizeWeight(readFloats(w), dims, axis, qmax);
      const s = addInit(g, `${w.name}.step`, axis === undefined ? [] : dims.map((d, k) => (k === axis ? d : 1)), ws);
      fq.weights.set(w.name, s);
      fq.lsq.set(s, { n: readFloats(w).length / ws.length, qmax });
      n.input[spec.slot] = fakeQuant(g, w.name, s, [-qmax, qmax], w.name, n);
    },
    activation: (g, v, base, key, after) => fakeQuant(g, v, fq.activations.get(key)!, ACTIVATION_RANGE, base, after),
    // by group, not by value: learned scales of two groups part even where calibration made them equal (the
    // export then requantizes the branch); while they are equal the extra requantization changes nothing
    sameScale: (a, b) => plan.group.get(a) === plan.group.get(b),
  });
  return fq;
}
