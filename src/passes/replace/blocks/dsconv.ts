// Lightweight block `dsconv`: a depthwise KxK conv then a pointwise 1x1 conv, each with BN and activation.
// Starts from the rank-1 factorisation of the old kernel per input channel (factor.ts): the depthwise BN is
// an identity (or, with moments, a shift out of the activation's bend: factor.ts offsets), the pointwise BN adds
// the old layer's (BN-folded) bias, and the last activation is the old one.
import type { Block } from './types.ts';
import { EMIT_ACT } from '../act.ts';
import { factorize, offsets } from '../factor.ts';
import { depthwiseAttrs } from '../geometry.ts';

export const block: Block = {
  id: 'dsconv',
  summary: 'Depthwise-separable convolution: a depthwise KxK conv then a pointwise 1x1 conv, each with BN and activation.',
  // k²·Cin + Cin·Cout (Howard et al. 2017, MobileNets)
  convWeights: (cin, cout, o) => o.kernel * o.kernel * cin + cin * cout,
  build(e, layer, o, moments) {
    const { cin, cout } = layer;
    const kn = o.kernel;
    const f = factorize(layer.weight, cout, cin, layer.k, kn, 1, moments);
    const shift = o.act.kind === 'linear' ? undefined : offsets(f, cout);
    let x = e.op('Conv', [layer.input, e.init('dw.weight', [cin, 1, kn, kn], f.depthwise)], 'dw.conv', depthwiseAttrs(layer, kn, cin));
    x = EMIT_ACT[o.act.kind](e, e.bn(x, 'dw', cin, { beta: shift?.shift }), 'dw', o.act);
    x = e.op('Conv', [x, e.init('pw.weight', [cout, cin, 1, 1], f.pointwise)], 'pw.conv', { kernel_shape: [1, 1] });
    const beta = shift ? layer.bias.map((b, i) => b + shift.bias[i]!) : layer.bias;
    return EMIT_ACT[o.act.kind](e, e.bn(x, 'pw', cout, { beta }), 'pw', o.act);
  },
};
