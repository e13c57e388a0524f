// Shape rule for Upsample: as Resize, each dimension times its scale (floored).
import { resizeLike } from './Resize.ts';

export const rule = resizeLike('Upsample');
