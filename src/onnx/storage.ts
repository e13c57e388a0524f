// float16 storage of float32 models: the weights of convolutions and matrix products kept as float16
// initializers, each behind a Cast to float32. The file is half the size and still a plain float32 model any
// runtime loads (onnxruntime folds the Casts when it builds the session); the arithmetic is unchanged apart
// from the weights' float16 rounding. lithe's loader undoes it on reading, so passes see ordinary float32
// initializers, never a Cast between a weight and its convolution.
import type { ModelProto, TensorProto } from 'onnx-buf';
import { DataType, node, tensor } from './make.ts';
import { float32Copy } from './tensor.ts';
import { fromHalfBits, toHalf } from './half.ts';

/** The ops whose weights (input 1) are stored in float16: where nearly all of a detector's bytes are. */
const WEIGHT_OPS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
const SUFFIX = '__fp16';

/** Rewrites `model` in place: each float32 weight of WEIGHT_OPS stored as float16 + Cast. */
export function storeHalf(model: ModelProto): ModelProto {
  const g = model.graph!;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const inputs = new Set(g.input.map((i) => i.name)); // an initializer that is also an input may be fed: left alone
  const weights = new Set(g.node.filter((n) => WEIGHT_OPS.has(n.opType) && n.input[1] && !inputs.has(n.input[1])).map((n) => n.input[1]!));
  const casts = [];
  for (const name of weights) {
    const t = inits.get(name);
    const values = t && float32Copy(t);
    if (!t || typeof values === 'string' || !values) continue;
    const half = tensor(name + SUFFIX, t.dims.map(Number), toHalf(values), DataType.FLOAT16);
    g.initializer[g.initializer.indexOf(t)] = half;
    casts.push(node('Cast', [half.name], [name], { to: DataType.FLOAT }, name + '_cast'));
  }
  g.node.unshift(...casts);
  return model;
}

/** Undoes storeHalf (or any Cast of a float16 initializer to float32 that nothing else reads), in place. */
export function loadHalf(model: ModelProto): ModelProto {
  const g = model.graph;
  if (!g) return model;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const readers = new Map<string, number>();
  for (const n of g.node) for (const v of n.input) readers.set(v, (readers.get(v) ?? 0) + 1);
  const inputs = new Set(g.input.map((i) => i.name));
  const folded = new Map<string, TensorProto>();
  g.node = g.node.filter((n) => {
    const src = n.opType === 'Cast' && n.input.length === 1 ? inits.get(n.input[0]!) : undefined;
    const to = n.attribute.find((a) => a.name === 'to')?.i;
    if (!src || src.dataType !== DataType.FLOAT16 || Number(to) !== DataType.FLOAT || readers.get(src.name) !== 1) return true;
    if (inputs.has(src.name) || g.output.some((o) => o.name === src.name)) return true;
    if (src.rawData.length && src.rawData.length !== 2 * src.dims.reduce((a, d) => a * Number(d), 1)) return true; // malformed: left to the verifier
    folded.set(src.name, tensor(n.output[0]!, src.dims.map(Number), halfValues(src), DataType.FLOAT));
    return false;
  });
  if (folded.size) g.initializer = g.initializer.map((t) => folded.get(t.name) ?? t);
  return model;
}

function halfValues(t: TensorProto): Float32Array {
  const n = t.dims.reduce((a, d) => a * Number(d), 1);
  const bits = t.rawData.length ? new Uint16Array(new Uint8Array(t.rawData).buffer) : Uint16Array.from(t.int32Data);
  const out = new Float32Array(n);
  for (let i = 0; i < Math.min(n, bits.length); i++) out[i] = fromHalfBits(bits[i]!);
  return out;
}
