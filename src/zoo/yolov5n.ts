// A YOLOv5n-style detector (YOLOv5 v6 layout at depth 0.33, width 0.25): a CSP backbone of C3 blocks with
// SiLU and residual adds, SPPF, a PAN neck of upsamples and concats, and three 1x1 detection convolutions
// (strides 8, 16, 32). Nodes are named `model.I.*` after the layer index of yolov5n.yaml, which
// stdlib/yolov5n.cmp selects.
import { NetBuilder } from '../onnx/builder.ts';
import type { ZooModel } from './types.ts';

/** Bottleneck: 1x1 then 3x3, plus the input when `shortcut`. */
function bottleneck(b: NetBuilder, x: string, name: string, shortcut: boolean): string {
  const c = b.ch(x);
  const y = b.conv(b.conv(x, `${name}.cv1`, { out: c, k: 1 }), `${name}.cv2`, { out: c, k: 3 });
  return shortcut ? b.add(x, y, name) : y;
}

/** C3: two 1x1 branches of c2/2 channels, n bottlenecks on one, concatenated and fused by a 1x1. */
function c3(b: NetBuilder, x: string, name: string, c2: number, n: number, shortcut = true): string {
  const h = c2 / 2;
  let m = b.conv(x, `${name}.cv1`, { out: h, k: 1 });
  for (let i = 0; i < n; i++) m = bottleneck(b, m, `${name}.m.${i}`, shortcut);
  const side = b.conv(x, `${name}.cv2`, { out: h, k: 1 });
  return b.conv(b.concat([m, side], `${name}.cat`), `${name}.cv3`, { out: c2, k: 1 });
}

/** SPPF: three chained 5x5 max pools, their outputs concatenated with the input, fused by a 1x1. */
function sppf(b: NetBuilder, x: string, name: string, c2: number): string {
  const h = b.ch(x) / 2;
  const a = b.conv(x, `${name}.cv1`, { out: h, k: 1 });
  const y1 = b.maxpool(a, `${name}.m1`, 5, 1);
  const y2 = b.maxpool(y1, `${name}.m2`, 5, 1);
  const y3 = b.maxpool(y2, `${name}.m3`, 5, 1);
  return b.conv(b.concat([a, y1, y2, y3], `${name}.cat`), `${name}.cv2`, { out: c2, k: 1 });
}

export const yolov5n: ZooModel = {
  name: 'yolov5n',
  summary: 'YOLOv5n-style: C3 blocks, SiLU, SPPF, PAN neck, anchor-based heads at strides 8/16/32 (640)',
  profile: 'yolov5n',
  defaultSize: 640,
  stride: 32,
  build({ size = 640, classes = 80, seed = 1 }) {
    const b = new NetBuilder('yolov5n', size, seed);
    const l0 = b.conv(b.input, 'model.0', { out: 16, k: 6, s: 2, p: 2 });
    const l1 = b.conv(l0, 'model.1', { out: 32, k: 3, s: 2 });
    const l2 = c3(b, l1, 'model.2', 32, 1);
    const l3 = b.conv(l2, 'model.3', { out: 64, k: 3, s: 2 });
    const l4 = c3(b, l3, 'model.4', 64, 2);
    const l5 = b.conv(l4, 'model.5', { out: 128, k: 3, s: 2 });
    const l6 = c3(b, l5, 'model.6', 128, 3);
    const l7 = b.conv(l6, 'model.7', { out: 256, k: 3, s: 2 });
    const l8 = c3(b, l7, 'model.8', 256, 1);
    const l9 = sppf(b, l8, 'model.9', 256);
    const l10 = b.conv(l9, 'model.10', { out: 128, k: 1 });
    const l13 = c3(b, b.concat([b.upsample(l10, 'model.11'), l6], 'model.12'), 'model.13', 128, 1, false);
    const l14 = b.conv(l13, 'model.14', { out: 64, k: 1 });
    const l17 = c3(b, b.concat([b.upsample(l14, 'model.15'), l4], 'model.16'), 'model.17', 64, 1, false);
    const l20 = c3(b, b.concat([b.conv(l17, 'model.18', { out: 64, k: 3, s: 2 }), l14], 'model.19'), 'model.20', 128, 1, false);
    const l23 = c3(b, b.concat([b.conv(l20, 'model.21', { out: 128, k: 3, s: 2 }), l10], 'model.22'), 'model.23', 256, 1, false);
    const per = 3 * (classes + 5);
    const outs = [l17, l20, l23].map((x, i) => b.conv(x, `model.24.m.${i}`, { out: per, k: 1, bn: false, act: 'linear' }));
    const anchors = [[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]];
    const yolo = outs.map((output, i) => ({ layer: 24, output, mask: [3 * i, 3 * i + 1, 3 * i + 2], anchors: anchors.flat(), classes, stride: 8 << i, style: 'v5' }));
    return b.build(outs, { 'lithe.yolo': JSON.stringify(yolo), 'lithe.source': `zoo yolov5n at ${size}x${size}` });
  },
};
