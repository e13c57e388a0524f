// The layers a `replace` step rewrites: each k x k convolution in the scope, with the BatchNormalization and
// activation that only it feeds. Convolutions a block cannot stand in for are listed with the reason.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../onnx/graph.ts';
import { Attrs } from '../../onnx/attrs.ts';
import { float32Copy } from '../../onnx/tensor.ts';
import { findAct, type FoundAct } from './act.ts';

export interface Layer {
  conv: NodeProto;
  bn?: NodeProto;
  act: FoundAct;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  /** [top, left, bottom, right]; auto_pad when the layer sets it. */
  pads: number[];
  autoPad?: string;
  /** The layer's affine map with its BN folded in: weight [cout, cin, k, k] and bias [cout]. */
  weight: Float32Array;
  bias: Float32Array;
  /** The layer's input, and its output after BN and activation (what the block must produce). */
  input: string;
  out: string;
  /** Name prefix of the block's nodes. */
  prefix: string;
}
export interface Skipped { node: string; why: string }

const floats = (g: Graph, v: string | undefined): Float32Array | undefined => {
  const t = v ? g.initializers.get(v) : undefined;
  const r = t ? float32Copy(t) : undefined;
  return r instanceof Float32Array ? r : undefined;
};

/** Why `conv` cannot become a block, or undefined when it can. */
function refusal(g: Graph, conv: NodeProto, head: ReadonlySet<string>): string | undefined {
  const a = new Attrs(conv);
  const dims = g.initializers.get(conv.input[1] ?? '')?.dims.map(Number);
  if (head.has(conv.output[0]!)) return 'an output convolution of the detection head: its channels are the output format';
  if (!dims || !floats(g, conv.input[1]) || (conv.input[2] && !floats(g, conv.input[2]))) return 'its weights are not float32 initializers';
  if (dims.length !== 4) return `a ${dims.length - 2}-D convolution (only 2-D ones are replaced)`;
  if (a.int('group', 1) !== 1) return `a grouped convolution (group ${a.int('group', 1)})`;
  if (dims[2] !== dims[3]) return `a ${dims[2]}x${dims[3]} kernel (only square ones are replaced)`;
  if (dims[2] === 1) return 'a 1x1 convolution: a block would not make it lighter';
  if (dims[2]! % 2 === 0) return `an even ${dims[2]}x${dims[3]} kernel`;
  if ((a.ints('dilations') ?? [1, 1]).some((d) => d !== 1)) return 'a dilated convolution';
  const s = a.ints('strides') ?? [1, 1];
  if (s[0] !== s[1]) return `unequal strides ${s.join('x')}`;
  return undefined;
}

/** The BatchNormalization only `v` feeds, with its parameters, if any. */
function bnAfter(g: Graph, v: string): { node: NodeProto; p: Float32Array[]; eps: number } | undefined {
  const cs = g.consumers(v);
  const n = cs.length === 1 && !g.isGraphOutput(v) && cs[0]!.opType === 'BatchNormalization' && cs[0]!.input[0] === v ? cs[0]! : undefined;
  const p = n?.input.slice(1, 5).map((x) => floats(g, x));
  if (!n || !p || p.length !== 4 || p.some((x) => !x) || n.output.filter(Boolean).length !== 1) return undefined;
  return { node: n, p: p as Float32Array[], eps: new Attrs(n).float('epsilon', 1e-5) };
}

function layerOf(g: Graph, conv: NodeProto): Layer {
  const a = new Attrs(conv);
  const [cout, cin, k] = g.initializers.get(conv.input[1]!)!.dims.map(Number) as [number, number, number];
  const weight = floats(g, conv.input[1])!;
  const bias = floats(g, conv.input[2]) ?? new Float32Array(cout);
  const bn = bnAfter(g, conv.output[0]!);
  if (bn) {
    const [gamma, beta, mean, variance] = bn.p as [Float32Array, Float32Array, Float32Array, Float32Array];
    const per = cin * k * k;
    for (let o = 0; o < cout; o++) {
      const s = gamma[o]! / Math.sqrt(variance[o]! + bn.eps);
      for (let i = o * per; i < (o + 1) * per; i++) weight[i]! *= s;
      bias[o] = (bias[o]! - mean[o]!) * s + beta[o]!;
    }
  }
  const act = findAct(g, bn ? bn.node.output[0]! : conv.output[0]!);
  const autoPad = a.string('auto_pad', 'NOTSET');
  return {
    conv, bn: bn?.node, act, cin, cout, k, weight, bias,
    stride: (a.ints('strides') ?? [1, 1])[0]!, pads: a.ints('pads') ?? [0, 0, 0, 0], autoPad: autoPad === 'NOTSET' ? undefined : autoPad,
    input: conv.input[0]!, out: act.out, prefix: conv.name.replace(/\.conv$/, '') || conv.output[0]!,
  };
}

/** The layers of `scope` (node names) in graph order, and the convolutions in it that stay as they are. */
export function findLayers(g: Graph, scope: ReadonlySet<string>, headOutputs: readonly string[]): { layers: Layer[]; skipped: Skipped[] } {
  const head = new Set(headOutputs);
  const layers: Layer[] = [];
  const skipped: Skipped[] = [];
  for (const n of g.topologicalOrder()) {
    if (n.opType !== 'Conv' || !scope.has(n.name)) continue;
    const why = refusal(g, n, head);
    if (why) skipped.push({ node: n.name, why });
    else layers.push(layerOf(g, n));
  }
  return { layers, skipped };
}
