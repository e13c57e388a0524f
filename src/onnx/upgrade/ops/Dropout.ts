// Dropout: at opset 10 its mask output became BOOL (it had the data's type before); at 12 the ratio moved
// from an attribute to an input. Inference ignores both, but a model that reads the old mask would read
// another type, so that is refused.
import type { UpgradeRule } from '../types.ts';
import { attrs, drop } from '../edit.ts';
import { tensor } from '../../make.ts';

export const rule: UpgradeRule = {
  id: 'Dropout',
  ops: ['Dropout'],
  summary: 'ratio attribute → input (opset 12)',
  upgrade(n, ctx) {
    const mask = n.output[1];
    if (ctx.crosses(10) && mask && ctx.read(mask)) ctx.fail(`its mask '${mask}' is read, and the mask changes type (to BOOL) at opset 10`);
    if (!ctx.crosses(12)) return undefined;
    const a = attrs(n);
    if (a.has('ratio')) {
      const ratio = ctx.add(`${n.name || n.output[0]}_ratio`, (name) => tensor(name, [], Float32Array.of(a.float('ratio', 0.5))));
      n.input = [n.input[0]!, ratio];
    }
    drop(n, 'ratio');
    return [n];
  },
};
