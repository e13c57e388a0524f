// Shape rule for AveragePool: [N, C, spatial...] through kernel_shape, strides, pads, auto_pad and ceil_mode.
import { poolLike } from './MaxPool.ts';

export const rule = poolLike('AveragePool');
