// Anchor-free heads as FCOS-style exports give them: per scale one output [N, 4+C, H, W], the Concat (axis 1)
// of a box branch (4 channels: distances left, top, right, bottom from the cell centre, in strides) and a
// class branch (C channels). Whether the graph already applies the box's exp (or a ReLU, as FCOS with
// normalised targets does) and the classes' sigmoid is read from the branches; lithe applies what is missing.
import type { NodeProto } from 'onnx-buf';
import type { AnchorFreeMapsHead } from '../head.ts';
import { shown, type HeadDetector } from './types.ts';
import type { HeadView } from './view.ts';

/** Activations that leave box distances positive. */
const POSITIVE = new Set(['Exp', 'Relu', 'Softplus']);

const through = (v: HeadView, value: string): NodeProto[] => v.walkBack([value]).tail;

export const detector: HeadDetector = {
  id: 'anchor-free',
  summary: 'FCOS-style anchor-free maps: per scale [N, 4+C, H, W], the Concat of a 4-channel box branch and a class branch',
  detect(v) {
    const outs = v.outputs();
    if (!outs.length || outs.length > 8) return `${outs.length} outputs`;
    const maps: { output: string; stride: number; ch: number }[] = [];
    let exp: boolean | undefined;
    let sigmoid: boolean | undefined;
    for (const o of outs) {
      const cat = v.g.producer(o.name);
      if (o.shape?.length !== 4 || cat?.opType !== 'Concat' || cat.input.length !== 2) return `${shown(o)} is not the Concat of a box and a class map`;
      const [box, cls] = cat.input.map((i) => v.shape(i!)) as [number[] | undefined, number[] | undefined];
      if (box?.[1] !== 4 || !cls?.[1] || box.length !== 4) return `${shown(o)} does not start with 4 box channels`;
      const stride = v.stride(o.name);
      if (!stride) return `the stride of ${shown(o)} is unknown`;
      const e = !through(v, cat.input[0]!).some((n) => POSITIVE.has(n.opType));
      const s = !through(v, cat.input[1]!).some((n) => n.opType === 'Sigmoid');
      if ((exp ?? e) !== e || (sigmoid ?? s) !== s) return 'the scales apply different activations';
      [exp, sigmoid] = [e, s];
      maps.push({ output: o.name, stride, ch: o.shape[1]! });
    }
    if (maps.some((m) => m.ch !== maps[0]!.ch)) return 'the maps have different channel counts';
    const { convs } = v.walkBack(outs.map((o) => o.name));
    const head: AnchorFreeMapsHead = {
      kind: 'anchor-free', decoded: false, source: 'detected', style: 'anchor-free (FCOS-style)', classes: maps[0]!.ch - 4,
      convs: convs.map((c) => c.output[0]!), maps: maps.map(({ output, stride }) => ({ output, stride })), exp: exp!, sigmoid: sigmoid!,
    };
    return head;
  },
};
