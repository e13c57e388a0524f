// NHWC inputs (TensorFlow converters: [N, H, W, 3], usually followed at once by a Transpose to NCHW) become
// NCHW inputs, so that every pass, the data pipeline and the latency measure feed images one way. When every
// reader of the input is that Transpose, the Transposes go and their readers read the input; otherwise a
// Transpose back to NHWC is put after the input. Either way the model lithe writes takes NCHW: its interface
// changes, and the `lithe.layout` metadata records what the original took, for deployment code to follow.
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../attrs.ts';
import { Graph } from '../graph.ts';
import { node, setMetadata, valueInfo } from '../make.ts';
import { dims, imageInput } from './image-input.ts';
import type { PrepareStep } from './types.ts';

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

const toNchw = (n: NodeProto): boolean => n.opType === 'Transpose' && (new Attrs(n).ints('perm') ?? []).join() === TO_NCHW.join();
/** Image channels: grey, colour, colour with alpha. */
const channels = (d: unknown): boolean => d === 1 || d === 3 || d === 4;

export const nhwc: PrepareStep = {
  id: 'nhwc',
  summary: 'an NHWC image input becomes NCHW (its leading Transpose removed, or one added); lithe.layout records the original',
  run(model) {
    const g = Graph.fromModel(model);
    const input = imageInput(g);
    if (!input) return { model, notes: [] };
    const [n, a, b, c] = input.shape as [string | number, string | number, string | number, string | number];
    const name = input.info.name;
    const readers = g.consumers(name);
    const transposes = readers.length > 0 && readers.every((r) => toNchw(r) && !g.isGraphOutput(r.output[0]!));
    if (!transposes && !(channels(c) && !channels(a))) return { model, notes: [] };
    g.inputs[input.index] = valueInfo(name, input.elem, [n, c, a, b]);
    let how: string;
    if (transposes) {
      for (const r of readers) {
        g.remove(r);
        g.valueInfo.delete(r.output[0]!);
        g.rewire(r.output[0]!, name);
      }
      how = `its Transpose${readers.length > 1 ? 's' : ''} ${readers.map((r) => `'${r.name}'`).join(', ')} removed`;
    } else {
      const inner = g.freshName(`${name}_nhwc`);
      g.rewire(name, inner);
      g.insert([node('Transpose', [name], [inner], { perm: TO_NHWC }, g.freshName(`${name}_to_nhwc`))], undefined);
      g.sort();
      how = `a Transpose to NHWC put after it`;
    }
    const out = g.toModel(model);
    setMetadata(out, 'lithe.layout', JSON.stringify({ input: name, original: 'NHWC', now: 'NCHW' }));
    return { model: out, notes: [`input '${name}' is NHWC (${dims(input.shape)}): lithe feeds it NCHW (${dims([n, c, a, b])}), ${how}; the model lithe writes takes NCHW (metadata lithe.layout)`] };
  },
};
