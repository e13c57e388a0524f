// The new depthwise convolution's attributes: the replaced layer's stride, and pads grown or shrunk by half
// the change in kernel size on every side, so the output has the old layer's height and width exactly.
import type { AttrValue } from '../../onnx/make.ts';
import { RunError } from '../../run/types.ts';
import type { Layer } from './layers.ts';

export function depthwiseAttrs(layer: Layer, kn: number, channels: number): Record<string, AttrValue> {
  const base = { kernel_shape: [kn, kn], strides: [layer.stride, layer.stride], group: channels };
  if (layer.autoPad) return { ...base, auto_pad: layer.autoPad };
  const pads = layer.pads.map((p) => p + (kn - layer.k) / 2);
  if (pads.some((p) => p < 0)) {
    throw new RunError(`replace: '${layer.conv.name}' pads its ${layer.k}x${layer.k} kernel by ${layer.pads.join(',')}: a ${kn}x${kn} kernel cannot give the same output size; choose kernel ${layer.k} or larger for it`);
  }
  return { ...base, pads };
}
