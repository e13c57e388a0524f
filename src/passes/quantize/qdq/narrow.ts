// Convolutions that stay in float for onnxruntime's CPU kernels: a convolution reading the image itself (3
// channels) multiplies im2col rows of C·kh·kw = 27 values, too short for MLAS's int8 kernels, which pack the
// reduction dimension in blocks of 4 and 16 across 32- and 64-byte registers; its float convolution has a
// direct path for few-channel NCHW inputs instead. Measured on yolov3-tiny's first layer at 320 px, 1 thread:
// int8 4.0 ms, float 1.5 ms. TensorRT picks its own kernel per layer, so its encoding keeps no layer float.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';

/** The reduction length (C·kh·kw) below which int8 loses to float on onnxruntime's CPU provider. */
export const NARROW_REDUCTION = 32;

/** Names of the Conv nodes that read a graph input over a reduction shorter than NARROW_REDUCTION. */
export function narrowInputConvs(g: Graph): string[] {
  const inputs = new Set(g.inputs.map((i) => i.name).filter((v) => !g.initializers.has(v)));
  const reduction = (n: NodeProto) => g.initializers.get(n.input[1] ?? '')?.dims.slice(1).reduce((a, b) => a * Number(b), 1);
  return g.nodes.filter((n) => n.opType === 'Conv' && inputs.has(n.input[0]!) && (reduction(n) ?? Infinity) < NARROW_REDUCTION).map((n) => n.name);
}
