// darknet's scale_x_y, the factor on a YOLO head's centre: 1 by default, 2 for YOLOv5's style (yolo.ts).
// Apart from the decoder so that graph code (train/loss/head-parts.ts) uses it without the metadata reader.
import type { YoloHead } from './yolo.ts';

export const centreScale = (h: Pick<YoloHead, 'scaleXY' | 'style'>): number => h.scaleXY ?? (h.style === 'v5' ? 2 : 1);
