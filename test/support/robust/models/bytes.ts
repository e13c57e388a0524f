// Files that are not a model, or no longer one: truncated at many offsets inside the graph, a field's tag
// overwritten with an invalid one, noise, text, zeros, nothing. Every offset is chosen so that the result is
// certainly not valid protobuf (a truncation inside a length-delimited field; wire type 7, which does not
// exist; field number 0, which is illegal), so each case must be refused.
import { mulberry32 } from '../../../../src/util/random.ts';
import type { BaseName, Mutant } from './types.ts';

interface Field { start: number; data: number; end: number }

function varint(b: Uint8Array, at: number): [number, number] {
  let v = 0;
  let scale = 1;
  for (let i = at; ; i++) {
    v += (b[i]! & 0x7f) * scale;
    scale *= 128;
    if (!(b[i]! & 0x80)) return [v, i + 1];
  }
}

/** The fields of the message in b[from, to): where each tag starts, its data starts, and it ends. */
function fields(b: Uint8Array, from = 0, to = b.length): Field[] {
  const out: Field[] = [];
  for (let at = from; at < to;) {
    const [tag, data] = varint(b, at);
    const wire = tag & 7;
    const [len, body] = wire === 2 ? varint(b, data) : [0, data];
    const end = wire === 0 ? varint(b, data)[1] : wire === 1 ? data + 8 : wire === 5 ? data + 4 : body + len;
    out.push({ start: at, data: wire === 2 ? body : data, end });
    at = end;
  }
  return out;
}

/** The graph field (number 7) of an encoded model. */
const graphOf = (b: Uint8Array): Field => fields(b).find((f) => b[f.start] === ((7 << 3) | 2))!;

function truncations(base: BaseName, n: number): Mutant[] {
  return Array.from({ length: n }, (_, k) => ({
    name: `truncated inside the graph at ${k + 1}/${n + 1}`, base,
    bytes: (b: Uint8Array) => { const g = graphOf(b); return b.slice(0, g.data + Math.floor(((k + 1) * (g.end - g.data)) / (n + 1))); },
  }));
}

/** Overwrites the tag of the i-th field of the graph with `tag` (0x0f: wire type 7; 0x00: field 0). */
const badTag = (base: BaseName, i: number, tag: number): Mutant => ({
  name: `graph field ${i} with tag 0x${tag.toString(16).padStart(2, '0')}`, base,
  bytes: (b) => { const g = graphOf(b); const f = fields(b, g.data, g.end)[i]!; const o = b.slice(); o[f.start] = tag; return o; },
});

const topTag = (i: number, tag: number): Mutant => ({
  name: `model field ${i} with tag 0x${tag.toString(16).padStart(2, '0')}`, base: 'net',
  bytes: (b) => { const o = b.slice(); o[fields(b)[i]!.start] = tag; return o; },
});

const file = (name: string, make: () => Uint8Array): Mutant => ({ name, base: 'net', bytes: () => make() });
const noise = (seed: number, n: number) => () => { const r = mulberry32(seed); return Uint8Array.from({ length: n }, () => Math.floor(r() * 256)); };
const text = (s: string) => () => new TextEncoder().encode(s);

export const byteMutants: Mutant[] = [
  ...truncations('net', 16), ...truncations('yolo', 12),
  { name: 'truncated to one byte', base: 'net', bytes: (b) => b.slice(0, 1) },
  { name: 'truncated in the graph\'s length', base: 'net', bytes: (b) => b.slice(0, graphOf(b).start + 1) },
  { name: 'truncated before the graph', base: 'net', bytes: (b) => b.slice(0, graphOf(b).start) },
  ...[0, 1, 2, 3, 5, 8, 11, 12].map((i) => badTag('net', i, 0x0f)),
  ...[0, 4, 6, 9].map((i) => badTag('net', i, 0x00)),
  ...[0, 1, 2].map((i) => topTag(i, 0x0f)),
  topTag(0, 0x00),
  file('empty file', () => new Uint8Array(0)),
  file('a recipe instead of a model', text('model "x.onnx"\nprune backbone l1 0.5\n')),
  file('JSON instead of a model', text('{"graph": {"node": []}, "ir_version": 7}\n')),
  file('a PNG header', () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])),
  file('4 KiB of zeros', () => new Uint8Array(4096)),
  file('4 KiB of 0xff', () => new Uint8Array(4096).fill(0xff)),
  ...[1, 2, 3, 4].map((seed) => file(`noise (seed ${seed})`, noise(seed, 2048))),
];
