// [upsample] stride=S: nearest-neighbour upsampling by S, as Resize with scales [1, 1, S, S].
import { node, tensor } from '../../onnx/make.ts';
import { prefix, type LayerFn } from '../builder.ts';
import { CfgError } from '../cfg.ts';

export const upsample: LayerFn = (b, i, o, sec) => {
  const s = o.int('stride', 2);
  if (s < 1) throw new CfgError(`${b.file}:${sec.line}: [upsample] stride=${s}: lithe imports upsampling only (stride 1 or more)`);
  o.only({ scale: '1' });
  const p = prefix(i);
  b.inits.push(tensor(`${p}.roi`, [0], new Float32Array(0)), tensor(`${p}.scales`, [4], Float32Array.from([1, 1, s, s])));
  b.nodes.push(node('Resize', [b.out(i - 1), `${p}.roi`, `${p}.scales`], [b.out(i)], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, `${p}.upsample`));
  return b.ch(i - 1);
};
