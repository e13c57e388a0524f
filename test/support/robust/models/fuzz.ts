// Seeded random mutants, whose verdict is not known in advance: bytes flipped in an encoded model, and
// random edits of a decoded one (an op swapped for another lithe can follow, attribute values, dimensions,
// element types, inputs rewired or dropped, attributes dropped, retyped or copied from another node,
// declared outputs changed, another opset). The promise they test: lithe refuses each by name or accepts
// it, and onnxruntime loads every model it accepts.
import { AttributeProto_AttributeType as A, type ModelProto } from 'onnx-buf';
import { encodeModel } from '../../../../src/onnx/io.ts';
import { shapeRules } from '../../../../src/onnx/shape/registry.ts';
import { mulberry32 } from '../../../../src/util/random.ts';
import { BASES } from './bases.ts';
import type { BaseName } from './types.ts';

type Rnd = { pick<T>(a: readonly T[]): T; int(lo: number, hi: number): number; unit(): number };

function rnd(seed: number): Rnd {
  const r = mulberry32(seed);
  return {
    pick: (a) => a[Math.floor(r() * a.length)]!,
    int: (lo, hi) => lo + Math.floor(r() * (hi - lo + 1)),
    unit: r,
  };
}

/** The ops a node may become: those lithe's shape inference follows (beyond them, convert's backstop). */
const OPS = shapeRules.map((s) => s.op).filter((op) => op !== 'Upsample' && op !== 'HardSwish');

const EDITS: ((m: ModelProto, r: Rnd) => void)[] = [
  (m, r) => { r.pick(m.graph!.node).opType = r.pick(OPS); },
  (m, r) => {
    const n = r.pick(m.graph!.node);
    if (!n.attribute.length) return;
    const a = r.pick(n.attribute);
    if (a.ints.length) a.ints = a.ints.map(() => BigInt(r.int(-2, 6)));
    else if (a.type === A.INT) a.i = BigInt(r.int(-2, 6));
    else a.f = r.unit() * 4 - 2;
  },
  (m, r) => { const t = r.pick(m.graph!.initializer); if (t.dims.length) t.dims[r.int(0, t.dims.length - 1)] = BigInt(r.int(-1, 10)); },
  (m, r) => { r.pick(m.graph!.initializer).dataType = r.int(0, 26); },
  (m, r) => {
    const n = r.pick(m.graph!.node);
    const values = [...m.graph!.node.flatMap((x) => x.output), ...m.graph!.initializer.map((t) => t.name), m.graph!.input[0]!.name, ''];
    if (n.input.length) n.input[r.int(0, n.input.length - 1)] = r.pick(values);
  },
  (m, r) => { const n = r.pick(m.graph!.node); if (n.attribute.length) n.attribute.splice(r.int(0, n.attribute.length - 1), 1); },
  (m, r) => { const n = r.pick(m.graph!.node); if (n.attribute.length) r.pick(n.attribute).type = r.int(0, 14); },
  (m, r) => {
    const n = r.pick(m.graph!.node);
    const k = r.int(0, 3);
    if (k === 0) n.input.push(r.pick(n.input.length ? n.input : ['x']));
    else if (k === 1) n.input.pop();
    else if (k === 2) n.output.push(`extra${r.int(0, 9)}`);
    else n.output.pop();
  },
  (m, r) => { const n = r.pick(m.graph!.node); const from = r.pick(m.graph!.node); if (from.attribute.length) n.attribute.push({ ...r.pick(from.attribute) }); },
  (m, r) => { m.opsetImport[0]!.version = BigInt(r.int(11, 17)); },
  (m, r) => {
    const t = r.pick(m.graph!.output).type?.value;
    if (t?.case !== 'tensorType') return;
    if (r.unit() < 0.5) t.value.elemType = r.int(1, 16);
    else if (t.value.shape?.dim.length) r.pick(t.value.shape.dim).value = { case: 'dimValue', value: BigInt(r.int(0, 40)) };
  },
];

const BASE_NAMES: readonly BaseName[] = ['net', 'yolo', 'ssd'];

/** `n` models with one to three bytes overwritten, from seed `seed`. */
export function* flippedBytes(seed: number, n: number): Generator<{ name: string; bytes: Uint8Array }> {
  const r = rnd(seed);
  for (let i = 0; i < n; i++) {
    const base = r.pick(BASE_NAMES);
    const b = encodeModel(BASES[base]()).slice();
    const flips = r.int(1, 3);
    for (let k = 0; k < flips; k++) b[r.int(0, b.length - 1)] = r.int(0, 255);
    yield { name: `${base} with ${flips} bytes flipped (seed ${seed}, #${i})`, bytes: b };
  }
}

/** `n` models with one or two random edits, from seed `seed`. */
export function* editedModels(seed: number, n: number): Generator<{ name: string; bytes: Uint8Array }> {
  const r = rnd(seed);
  for (let i = 0; i < n; i++) {
    const base = r.pick(BASE_NAMES);
    const m = BASES[base]();
    const edits = r.int(1, 2);
    for (let k = 0; k < edits; k++) r.pick(EDITS)(m, r);
    yield { name: `${base} with ${edits} random edits (seed ${seed}, #${i})`, bytes: encodeModel(m) };
  }
}
