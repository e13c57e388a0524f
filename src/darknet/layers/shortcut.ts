// [shortcut] from=A(,B...): the previous layer's map plus the named layers' maps, then the activation (darknet
// applies it after the sum, forward_shortcut_layer). Weighted shortcuts (weights_type) are not imported.
import { node } from '../../onnx/make.ts';
import { ACTIVATIONS, activationNames } from '../activations.ts';
import { prefix, type LayerFn } from '../builder.ts';
import { CfgError } from '../cfg.ts';

export const shortcut: LayerFn = (b, i, o, s) => {
  o.only({ weights_type: 'none' });
  const given = o.ints('from');
  if (!given?.length) throw new CfgError(`${b.file}:${s.line}: [shortcut] needs from=`);
  const from = given.map((f) => (f < 0 ? i + f : f));
  const bad = from.findIndex((l) => l < 0 || l >= i);
  if (bad >= 0) throw new CfgError(`${b.file}:${s.line}: [shortcut] from=${given[bad]} names no earlier layer`);
  const c = b.ch(i - 1);
  const other = from.find((l) => b.ch(l) !== c);
  if (other !== undefined) throw new CfgError(`${b.file}:${s.line}: [shortcut] adds layer ${other}'s ${b.ch(other)} channels to ${c}: lithe imports shortcuts of equal channels only`);
  const act = o.string('activation', 'linear');
  const activate = ACTIVATIONS[act];
  if (!activate) throw new CfgError(`${b.file}:${s.line}: activation '${act}' is not supported (${activationNames()})`);
  const p = prefix(i);
  const sum = act === 'linear' ? b.out(i) : `${p}.sum`;
  let x = b.out(i - 1);
  from.forEach((l, j) => {
    const y = j === from.length - 1 ? sum : `${p}.sum.${j}`;
    b.nodes.push(node('Add', [x, b.out(l)], [y], {}, j === from.length - 1 ? `${p}.shortcut` : `${p}.shortcut.${j}`));
    x = y;
  });
  if (act !== 'linear') activate(b, p, sum, b.out(i));
  return c;
};
