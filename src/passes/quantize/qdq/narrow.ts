// Convolutions that stay in float for onnxruntime's CPU kernels: a convolution reading the image itself (3
// channels) is slower in int8 than in float there. MLAS's int8 convolution works on NHWC pixels whose 3
// channels fill a fraction of a vector register, and its short im2col rows (C·kh·kw = 27 for a 3x3) are too
// short for kernels that pack the reduction in blocks of 4 and 16; the float convolution has a direct path
// for few-channel NCHW inputs instead. Measured at 1 thread: yolov3-tiny's first layer (3x3, 3→16) at 320 px,
// int8 4.0 ms against float 1.5; yolov5n's 6x6 stride-2 stem (3→16, rows of 108) at 640 px, the whole model
// 1–3 ms faster with the stem float in each of 8 interleaved pairs (on average 32.0 against 29.8 ms CPU time on a
// loaded machine). TensorRT picks its own kernel per layer, so its encoding keeps no layer float.
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../../../onnx/attrs.ts';
import type { Graph } from '../../../onnx/graph.ts';

/** The input channels up to which a convolution reading a graph input stays float (RGB, RGBA, gray). */
export const NARROW_CHANNELS = 4;

/** Names of the Conv nodes that read a graph input of at most NARROW_CHANNELS channels (the weight's input
 *  channels times the groups: a depthwise conv on a 64-channel input is not narrow). */
export function narrowInputConvs(g: Graph): string[] {
  const inputs = new Set(g.inputs.map((i) => i.name).filter((v) => !g.initializers.has(v)));
  const channels = (n: NodeProto) => Number(g.initializers.get(n.input[1] ?? '')?.dims[1] ?? Infinity) * new Attrs(n).int('group', 1);
  return g.nodes.filter((n) => n.opType === 'Conv' && inputs.has(n.input[0]!) && channels(n) <= NARROW_CHANNELS).map((n) => n.name);
}
