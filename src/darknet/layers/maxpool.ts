// [maxpool]: darknet pads `padding` (size − 1 by default) in total, padding/2 before and the rest after, so a
// stride-1 pool keeps the map's size (yolov4's SPP: 5, 9, 13) and the 2/1 pool pads only bottom and right.
// Output side (w + padding − size) / stride + 1, as darknet computes it and as ONNX MaxPool floors it.
import { node } from '../../onnx/make.ts';
import { prefix, type LayerFn } from '../builder.ts';
import { CfgError } from '../cfg.ts';

export const maxpool: LayerFn = (b, i, o, s) => {
  o.only({ maxpool_depth: '0', antialiasing: '0', maxpool_zero_nonmax: '0' });
  // darknet's defaults: stride 1, size = stride
  const stride = o.int('stride', 1);
  const [sx, sy] = [o.int('stride_x', stride), o.int('stride_y', stride)];
  const k = o.int('size', stride);
  const padding = o.int('padding', k - 1);
  if (k < 1 || sx < 1 || sy < 1 || padding < 0) throw new CfgError(`${b.file}:${s.line}: [maxpool] size=${k} stride=${sx}x${sy} padding=${padding} is not a pooling window`);
  const begin = Math.floor(padding / 2);
  const end = padding - begin;
  b.nodes.push(node('MaxPool', [b.out(i - 1)], [b.out(i)], { kernel_shape: [k, k], strides: [sy, sx], pads: [begin, begin, end, end] }, `${prefix(i)}.pool`));
  return b.ch(i - 1);
};
