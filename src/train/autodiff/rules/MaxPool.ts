// MaxPool: each output's gradient goes to the input element it took, found through the Indices output
// (flat over N·C·H·W) that the training graph makes every MaxPool emit. Scatter-add handles overlapping
// windows (k3 s1, SPPF's k5 s1), where one element can be the maximum of several windows.
import { AutodiffError, type GradRule } from '../types.ts';
import { numel } from '../common.ts';

export const MaxPool: GradRule = {
  op: 'MaxPool',
  grad(ctx) {
    const [x] = ctx.node.input;
    const indices = ctx.node.output[1];
    if (!indices) throw new AutodiffError(`node '${ctx.node.name}' (MaxPool): the training graph must have it emit its Indices output`);
    const e = ctx.emit;
    const shape = ctx.shape(x!);
    const zeros = e.op1('ConstantOfShape', [e.ints([numel(shape)])]);
    const flat = (v: string) => e.op1('Reshape', [v, e.ints([-1])]);
    const scattered = e.op1('ScatterElements', [zeros, flat(indices), flat(ctx.dy()!)], { axis: 0, reduction: 'add' });
    return [e.op1('Reshape', [scattered, e.ints(shape)])];
  },
};
