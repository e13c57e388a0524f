// [convolutional]: Conv, then BatchNormalization when batch_normalize=1 (else the conv's bias), then the
// activation. Before a [yolo] layer with --classes, the filters are the output format: (classes + 5) per anchor.
import { node, tensor } from '../../onnx/make.ts';
import { ACTIVATIONS, activationNames } from '../activations.ts';
import { prefix, type LayerFn } from '../builder.ts';
import { CfgError, Opts } from '../cfg.ts';

export const convolutional: LayerFn = (b, i, o, s, cfg, opts) => {
  const p = prefix(i);
  const cin = b.ch(i - 1);
  o.only({ dilation: '1', antialiasing: '0', binary: '0', xnor: '0', deform: '0', sway: '0', rotate: '0', stretch: '0', stretch_sway: '0', share_index: '' });
  const k = o.int('size', 1);
  const stride = o.int('stride', 1);
  const [sx, sy] = [o.int('stride_x', stride), o.int('stride_y', stride)];
  const groups = o.int('groups', 1);
  const bn = o.int('batch_normalize', 0) === 1;
  const next = cfg.layers[i + 1];
  const mask = next?.type === 'yolo' ? new Opts(next, b.file).ints('mask') : undefined;
  const filters = mask && opts.classes !== undefined ? (opts.classes + 5) * mask.length : o.int('filters');
  const padding = o.int('pad', 0) ? Math.floor(k / 2) : o.int('padding', 0);
  const act = o.string('activation', 'logistic');
  const activate = ACTIVATIONS[act];
  if (!activate) throw new CfgError(`${b.file}:${s.line}: activation '${act}' is not supported (${activationNames()})`);
  if (cin % groups || filters % groups) throw new CfgError(`${b.file}:${s.line}: ${cin} input channels and ${filters} filters do not split into ${groups} groups`);
  const attrs = { kernel_shape: [k, k], strides: [sy, sx], pads: [padding, padding, padding, padding], group: groups };
  const w = b.weights.conv(`${p}.conv`, filters, (cin / groups) * k * k, bn);
  const wName = `${p}.weight`;
  b.inits.push(tensor(wName, [filters, cin / groups, k, k], w.weights));
  if (bn) {
    for (const [n, v] of [['gamma', w.scales!], ['beta', w.biases], ['mean', w.mean!], ['var', w.variance!]] as const) b.inits.push(tensor(`${p}.${n}`, [filters], v));
    b.nodes.push(node('Conv', [b.out(i - 1), wName], [`${p}.conv`], attrs, `${p}.conv`));
    b.nodes.push(node('BatchNormalization', [`${p}.conv`, `${p}.gamma`, `${p}.beta`, `${p}.mean`, `${p}.var`], [`${p}.bn`], { epsilon: 1e-5 }, `${p}.bn`));
    activate(b, p, `${p}.bn`, b.out(i));
  } else {
    b.inits.push(tensor(`${p}.bias`, [filters], w.biases));
    const y = act === 'linear' ? b.out(i) : `${p}.conv`;
    b.nodes.push(node('Conv', [b.out(i - 1), wName, `${p}.bias`], [y], attrs, `${p}.conv`));
    if (act !== 'linear') activate(b, p, y, b.out(i));
  }
  return filters;
};
