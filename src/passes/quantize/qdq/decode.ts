// The decode tail: the nodes after the head's output convolutions, which turn raw head maps into boxes and
// scores (Sigmoid, grid and anchor arithmetic, Reshape/Transpose/Concat of rows, Ultralytics' DFL). They
// stay float: box coordinates need more than 8 bits, and the arithmetic is cheap; quantizing them is the
// trap that gives zero mAP with other quantizers. Two rules, joined:
//  - everything downstream of the head's output convolutions, when the head is known (its description's
//    `convs`): this catches a weighted op inside the decoding, such as the DFL's fixed 1×1 conv;
//  - by structure, for any model: a node is in the tail when no Conv/Gemm/MatMul follows it.
// The zoo's YOLO models end at the raw head convolutions (their decoding is lithe's TypeScript), so their
// tail is empty and their outputs stay float because graph outputs are never quantized; ssd-lite's row
// reshapes and concats form its tail.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';
import { WEIGHTED_OPS } from './roles.ts';

export function decodeTail(g: Graph, headConvs: readonly string[] = []): Set<NodeProto> {
  const leadsToWeights = new Set<NodeProto>();
  const order = g.topologicalOrder();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    if (WEIGHTED_OPS.has(n.opType) || n.output.some((o) => g.consumers(o).some((c) => leadsToWeights.has(c)))) leadsToWeights.add(n);
  }
  const after = new Set<NodeProto>();
  const stack = [...headConvs];
  while (stack.length) {
    for (const c of g.consumers(stack.pop()!)) if (!after.has(c)) { after.add(c); stack.push(...c.output.filter(Boolean)); }
  }
  // A graph with no weighted layer at all has nothing worth quantizing; it is all tail.
  return new Set(order.filter((n) => !leadsToWeights.has(n) || after.has(n)));
}
