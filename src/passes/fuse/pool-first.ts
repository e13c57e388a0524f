// Moves a MaxPool in front of the activation that feeds it: act(x) → MaxPool becomes MaxPool(x) → act. For a
// non-decreasing activation, max(f(a), f(b)) = f(max(a, b)), so the result is the same value for value (and
// bit for bit after int8 rounding, which is non-decreasing too); MaxPool's padding is −∞ and never selected.
// The gain is in the int8 graph: onnxruntime fuses Conv's activation into QLinearConv only for Relu and Clip,
// so yolov3-tiny's LeakyReLU runs as its own QLinearLeakyRelu kernel, and a 2×2/2 pool after it gives it 4×
// fewer values to map (measured 10% of the int8 model's time before the move). Applied before the Q/DQ plan,
// so ptq and qat (which trains the same folded graph) place their pairs on the moved graph alike; int8.ts
// calibrates on the graph before the move, so that the scales (and the int8 model's outputs) are the ones
// the unmoved graph would get.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../onnx/graph.ts';
import { Attrs } from '../../onnx/attrs.ts';

/** Activations that never decrease, with the attribute conditions that keep them so. */
const NON_DECREASING: Readonly<Record<string, (n: NodeProto) => boolean>> = {
  Clip: () => true,
  HardSigmoid: (n) => new Attrs(n).float('alpha', 0.2) >= 0,
  LeakyRelu: (n) => new Attrs(n).float('alpha', 0.01) >= 0,
  Relu: () => true,
  Sigmoid: () => true,
  Tanh: () => true,
};

/** One move: `input` → MaxPool → `pooled` → activation → `out`, where `input` → activation → `removed` →
 *  MaxPool → `out` was; `out` holds the same values as before. */
export interface PoolMove { activation: string; input: string; pooled: string; removed: string; out: string }

/** Moves each such MaxPool before its activation. */
export function poolBeforeActivation(g: Graph): PoolMove[] {
  const moved: PoolMove[] = [];
  for (const act of [...g.nodes]) {
    const monotone = NON_DECREASING[act.opType];
    const a = act.output[0];
    if (!monotone?.(act) || !a || act.output.length !== 1 || g.isGraphOutput(a)) continue;
    const readers = g.consumers(a);
    const pool = readers[0];
    // the pool's optional Indices output would point into the activation's larger tensor
    if (readers.length !== 1 || pool!.opType !== 'MaxPool' || pool!.output.filter(Boolean).length !== 1 || pool!.input[0] !== a) continue;
    // the pool's output name (what later nodes read) now comes from the activation; `a` is gone
    const [out, pooled] = [pool!.output[0]!, g.freshName(`${act.input[0]}.pooled`)];
    pool!.input[0] = act.input[0]!;
    pool!.output[0] = pooled;
    act.input[0] = pooled;
    act.output[0] = out;
    g.valueInfo.delete(a);
    g.touched();
    moved.push({ activation: act.name, input: pool!.input[0]!, pooled, removed: a, out });
  }
  if (moved.length) g.sort();
  return moved;
}
