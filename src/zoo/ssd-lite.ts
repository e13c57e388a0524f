// An SSD-lite-style detector: a MobileNetV2-like backbone of inverted residuals with ReLU6 (width 0.5), four
// extra layers that halve the map each time, and depthwise-separable box and class predictors on six maps
// (strides 16 to 512 at 320). The predictions are concatenated into `boxes` [N, priors, 4] and `scores`
// [N, priors, classes + 1] (class 0 is background); the prior layout goes into the metadata (`lithe.ssd`).
// Names: `backbone.features.I.*`, `backbone.extra.I.*`, `head.box.I.*`, `head.cls.I.*`.
import { NetBuilder } from '../onnx/builder.ts';
import type { ZooModel } from './types.ts';

/** MobileNetV2's (expansion, channels, repeats, stride), at width 0.5. */
const BLOCKS: [number, number, number, number][] = [[1, 8, 1, 1], [6, 12, 2, 2], [6, 16, 3, 2], [6, 32, 4, 2], [6, 48, 3, 1], [6, 80, 3, 2], [6, 160, 1, 1]];
const EXTRA = [256, 128, 128, 64];
/** Anchors per cell: 3 on the first map (scales only), 6 on the others (aspect ratios 1, 2, 1/2, 3, 1/3 and an extra 1). */
const ANCHORS = [3, 6, 6, 6, 6, 6];

export const ssdLite: ZooModel = {
  name: 'ssd-lite',
  summary: 'SSD-lite-style: MobileNetV2-like backbone (ReLU6, width 0.5), four extra layers, six prediction maps (320)',
  profile: 'ssd-lite',
  defaultSize: 320,
  stride: 64,
  build({ size = 320, classes = 80, seed = 1 }) {
    const b = new NetBuilder('ssd-lite', size, seed);
    let x = b.conv(b.input, 'backbone.features.0', { out: 16, k: 3, s: 2, act: 'relu6' });
    const maps: string[] = [];
    let i = 1;
    for (const [t, c, n, s] of BLOCKS) {
      for (let r = 0; r < n; r++, i++) {
        x = b.mbconv(x, `backbone.features.${i}`, { out: c, expand: t, s: r === 0 ? s : 1, act: 'relu6' });
        if (c === 48 && r === n - 1) maps.push(x); // stride 16
      }
    }
    maps.push((x = b.conv(x, `backbone.features.${i}`, { out: 640, k: 1, act: 'relu6' }))); // stride 32
    EXTRA.forEach((c, j) => {
      const p = `backbone.extra.${j}`;
      const reduce = b.conv(x, `${p}.reduce`, { out: c / 2, k: 1, act: 'relu6' });
      maps.push((x = b.conv(b.dw(reduce, `${p}.dw`, { s: 2, act: 'relu6' }), `${p}.expand`, { out: c, k: 1, act: 'relu6' })));
    });
    const pred = (kind: 'box' | 'cls', per: number) => maps.map((m, j) => {
      const p = `head.${kind}.${j}`;
      const y = b.conv(b.dw(m, `${p}.dw`, { act: 'relu6' }), `${p}.out`, { out: ANCHORS[j]! * per, k: 1, bn: false, act: 'linear' });
      return b.rows(y, `${p}.rows`, per);
    });
    const boxes = b.concatRows(pred('box', 4), 'boxes');
    const scores = b.concatRows(pred('cls', classes + 1), 'scores');
    const sizes = [16, 32, 64, 128, 256, 512].map((s) => Math.ceil(size / s));
    const ssd = { classes, background: 0, strides: [16, 32, 64, 128, 256, 512], sizes, anchors: ANCHORS, minScale: 0.2, maxScale: 0.95, aspectRatios: [[2], [2, 3], [2, 3], [2, 3], [2, 3], [2, 3]] };
    return b.build([boxes, scores], { 'lithe.ssd': JSON.stringify(ssd), 'lithe.source': `zoo ssd-lite at ${size}x${size}` });
  },
};
