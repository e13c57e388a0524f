// A Micro-YOLO-style detector: YOLOv3-tiny's layout (two scales, strides 32 and 16) with its 3x3
// convolutions replaced by lightweight blocks, as Micro-YOLO does: depthwise-separable convolutions (DSConv)
// in the thin early backbone, inverted residuals with squeeze-excitation (MBConv+SE) for the wide layers.
// Nodes keep yolov3-tiny's darknet layer numbering (`layers.III.*`), which stdlib/micro-yolo.cmp selects.
import { NetBuilder } from '../onnx/builder.ts';
import type { ZooModel } from './types.ts';

const L = (i: number): string => `layers.${String(i).padStart(3, '0')}`;

export const microYolo: ZooModel = {
  name: 'micro-yolo',
  summary: 'Micro-YOLO-style: YOLOv3-tiny layout with DSConv and MBConv+SE blocks, two scales (416)',
  profile: 'micro-yolo',
  defaultSize: 416,
  stride: 32,
  build({ size = 416, classes = 80, seed = 1 }) {
    const b = new NetBuilder('micro-yolo', size, seed);
    let x = b.conv(b.input, L(0), { out: 16, k: 3, act: 'leaky' });
    x = b.maxpool(x, L(1), 2, 2, [0, 0, 0, 0]);
    [32, 64, 128, 256].forEach((c, j) => { x = b.maxpool(b.dsconv(x, L(2 + 2 * j), { out: c, act: 'leaky' }), L(3 + 2 * j), 2, 2, [0, 0, 0, 0]); });
    const l8 = `${L(8)}.pw.out`;
    x = b.mbconv(x, L(10), { out: 512, expand: 2, se: 0.25, act: 'leaky' });
    x = b.maxpool(x, L(11), 2, 1, [0, 0, 1, 1]);
    x = b.mbconv(x, L(12), { out: 512, expand: 2, se: 0.25, act: 'leaky' });
    const l13 = b.conv(x, L(13), { out: 256, k: 1, act: 'leaky' });
    const per = 3 * (classes + 5);
    const out1 = b.conv(b.dsconv(l13, L(14), { out: 512, act: 'leaky' }), L(15), { out: per, k: 1, bn: false, act: 'linear' });
    const up = b.upsample(b.conv(l13, L(18), { out: 128, k: 1, act: 'leaky' }), L(19));
    const out2 = b.conv(b.dsconv(b.concat([up, l8], L(20)), L(21), { out: 256, act: 'leaky' }), L(22), { out: per, k: 1, bn: false, act: 'linear' });
    const anchors = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319];
    const yolo = [{ layer: 16, output: out1, mask: [3, 4, 5], anchors, classes, stride: 32 }, { layer: 23, output: out2, mask: [0, 1, 2], anchors, classes, stride: 16 }];
    return b.build([out1, out2], { 'lithe.yolo': JSON.stringify(yolo), 'lithe.source': `zoo micro-yolo at ${size}x${size}` });
  },
};
