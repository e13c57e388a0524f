// Lightweight block `mbconv`: the inverted residual (MobileNetV2; with squeeze-excitation as in EfficientNet and
// Micro-YOLO): 1x1 expansion to t·Cin, depthwise KxK, optional SE, linear 1x1 projection, and the input added
// back when the layer keeps its shape. Start: the expansion copies each input channel t times, so the t
// depthwise filters of a channel and the projection hold the rank-t factorisation of the old kernel's slice
// (factor.ts); the residual's identity is taken out of the kernel first. SE starts as a constant gate of 1/2
// (zero excitation weights), which the projection doubles back. The block ends linear, as the design has it.
import type { Block, BlockOptions } from './types.ts';
import type { Emitter } from '../emit.ts';
import type { Layer } from '../layers.ts';
import { EMIT_ACT } from '../act.ts';
import { factorize, offsets } from '../factor.ts';
import { depthwiseAttrs } from '../geometry.ts';
import { heUniform, mulberry32 } from '../../../util/random.ts';

const seWidth = (e: number, ratio: number): number => Math.max(1, Math.round(e * ratio));

/** True when the layer's output has its input's shape, so the block adds its input back. */
function residual(l: Layer): boolean {
  const same = l.autoPad ? l.autoPad.startsWith('SAME') : l.pads[0]! + l.pads[2]! === l.k - 1 && l.pads[1]! + l.pads[3]! === l.k - 1;
  return l.stride === 1 && l.cin === l.cout && same;
}

/** The old kernel less the identity the residual path provides (a 1 at the centre tap of W[i, i]). */
function lessIdentity(l: Layer): Float32Array {
  const w = Float32Array.from(l.weight);
  const c = (l.k - 1) / 2;
  for (let i = 0; i < l.cin; i++) w[((i * l.cin + i) * l.k + c) * l.k + c]! -= 1;
  return w;
}

function squeezeExcite(e: Emitter, x: string, c: number, ratio: number, seed: number): string {
  const r = seWidth(c, ratio);
  const pool = e.op('GlobalAveragePool', [x], 'se.pool');
  const w1 = heUniform(r * c, c, mulberry32(seed));
  let s = e.op('Conv', [pool, e.init('se.reduce.weight', [r, c, 1, 1], w1), e.init('se.reduce.bias', [r], new Float32Array(r))], 'se.reduce.conv', { kernel_shape: [1, 1] });
  s = e.op('Relu', [s], 'se.reduce.act');
  s = e.op('Conv', [s, e.init('se.expand.weight', [c, r, 1, 1], new Float32Array(c * r)), e.init('se.expand.bias', [c], new Float32Array(c))], 'se.expand.conv', { kernel_shape: [1, 1] });
  return e.op('Mul', [x, e.op('Sigmoid', [s], 'se.expand.act')], 'se.scale.mul');
}

function build(e: Emitter, l: Layer, o: BlockOptions, moments?: readonly Float64Array[]): string {
  const t = o.expand;
  const width = t * l.cin;
  const skip = residual(l);
  const f = factorize(skip ? lessIdentity(l) : l.weight, l.cout, l.cin, l.k, o.kernel, t, moments);
  let x = l.input;
  if (t > 1) {
    const copies = new Float32Array(width * l.cin);
    for (let c = 0; c < width; c++) copies[c * l.cin + Math.floor(c / t)] = 1;
    x = e.op('Conv', [x, e.init('expand.weight', [width, l.cin, 1, 1], copies)], 'expand.conv', { kernel_shape: [1, 1] });
    x = EMIT_ACT[o.act.kind](e, e.bn(x, 'expand', width), 'expand', o.act);
  }
  x = e.op('Conv', [x, e.init('dw.weight', [width, 1, o.kernel, o.kernel], f.depthwise)], 'dw.conv', depthwiseAttrs(l, o.kernel, width));
  const shift = o.act.kind === 'linear' ? undefined : offsets(f, l.cout);
  x = EMIT_ACT[o.act.kind](e, e.bn(x, 'dw', width, { beta: shift?.shift }), 'dw', o.act);
  if (o.se) x = squeezeExcite(e, x, width, o.se, l.cin * 7919 + l.cout);
  const project = o.se ? f.pointwise.map((v) => 2 * v) : f.pointwise;
  x = e.op('Conv', [x, e.init('project.weight', [l.cout, width, 1, 1], project)], 'project.conv', { kernel_shape: [1, 1] });
  x = e.bn(x, 'project', l.cout, { beta: shift ? l.bias.map((b, i) => b + shift.bias[i]!) : l.bias });
  return skip ? e.op('Add', [l.input, x], 'add') : x;
}

export const block: Block = {
  id: 'mbconv',
  summary: 'Inverted residual (MBConv): 1x1 expansion, depthwise KxK, optional squeeze-excitation, 1x1 projection.',
  // expansion Cin·tCin (when t > 1) + depthwise k²·tCin + SE tCin·r + r + r·tCin + tCin + projection tCin·Cout
  convWeights(cin, cout, o) {
    const e = o.expand * cin;
    const r = o.se ? seWidth(e, o.se) : 0;
    return (o.expand > 1 ? cin * e : 0) + o.kernel * o.kernel * e + (o.se ? 2 * e * r + r + e : 0) + e * cout;
  },
  build,
};
