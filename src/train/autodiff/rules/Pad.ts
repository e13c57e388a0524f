// Pad (constant mode): the gradient is the padded output's inner part, cut out with Slice.
import { AutodiffError, type GradRule } from '../types.ts';

export const Pad: GradRule = {
  op: 'Pad',
  grad(ctx) {
    const [x, padsIn] = ctx.node.input;
    const mode = ctx.attrs.string('mode', 'constant');
    const pads = padsIn ? ctx.constant(padsIn) : undefined;
    if (mode !== 'constant' || !pads || ctx.node.input[3]) {
      throw new AutodiffError(`node '${ctx.node.name}' (Pad): only constant padding by constant amounts over all axes can be trained`);
    }
    const shape = ctx.shape(x!);
    const e = ctx.emit;
    const starts = shape.map((_, a) => pads[a]!);
    const ends = shape.map((d, a) => pads[a]! + d);
    return [e.op1('Slice', [ctx.dy()!, e.ints(starts), e.ints(ends), e.ints(shape.map((_, a) => a))])];
  },
};
