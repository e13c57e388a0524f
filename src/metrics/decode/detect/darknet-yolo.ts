// darknet YOLOv3 as other converters export it (TensorRT's yolov3_onnx sample, keras/pytorch ports): the
// raw maps [N, 3×(5+C), H, W] of the 1×1 output convolutions are the graph outputs, 3 scales (yolov3) or 2
// (yolov3-tiny), with no decoding in the graph. The anchors are not in the file: darknet's defaults for that
// count of scales are taken, the largest to the coarsest map, and the description says they were assumed.
import type { YoloMapsHead } from '../head.ts';
import { shown, type HeadDetector } from './types.ts';

/** darknet's cfg anchors, (w, h) pairs in pixels, and each scale's mask from the coarsest map down. */
const DEFAULTS: Record<number, { name: string; anchors: number[]; masks: number[][] }> = {
  2: { name: 'yolov3-tiny', anchors: [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], masks: [[3, 4, 5], [0, 1, 2]] },
  3: { name: 'yolov3', anchors: [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326], masks: [[6, 7, 8], [3, 4, 5], [0, 1, 2]] },
};

export const detector: HeadDetector = {
  id: 'darknet-yolo',
  summary: 'darknet / TensorRT-sample YOLOv3 and YOLOv3-tiny: raw maps [N, 3x(5+C), H, W] at 3 or 2 scales as outputs (darknet\'s anchors assumed)',
  detect(v) {
    const outs = v.outputs();
    const known = DEFAULTS[outs.length];
    if (!known) return `${outs.length} outputs, not 2 or 3 maps`;
    const maps = [];
    for (const o of outs) {
      if (o.shape?.length !== 4) return `${shown(o)} is not a [N, C, H, W] map`;
      const { convs, tail } = v.walkBack([o.name]);
      if (convs.length !== 1 || tail.some((n) => n.opType !== 'Identity')) return `${shown(o)} is not the output of one convolution`;
      const stride = v.stride(o.name);
      if (!stride) return `the stride of ${shown(o)} is unknown`;
      maps.push({ output: o.name, conv: convs[0]!.output[0]!, ch: o.shape[1]!, stride });
    }
    const ch = maps[0]!.ch;
    const classes = ch / 3 - 5;
    if (!Number.isInteger(classes) || classes < 1 || maps.some((m) => m.ch !== ch)) return `maps of ${maps.map((m) => m.ch).join(', ')} channels are not 3 x (5 + C) each`;
    if (new Set(maps.map((m) => m.stride)).size !== maps.length) return 'two maps have the same stride';
    const coarse = [...maps].sort((a, b) => b.stride - a.stride);
    const head: YoloMapsHead = {
      kind: 'yolo', decoded: false, source: 'detected', style: `darknet ${known.name}`, classes, convs: maps.map((m) => m.conv),
      maps: maps.map((m) => ({ output: m.output, mask: known.masks[coarse.indexOf(m)]!, anchors: known.anchors, classes, style: 'v3', stride: m.stride })),
      assumed: [`darknet's default ${known.name} anchors (${known.anchors.join(',')})`],
    };
    return head;
  },
};
