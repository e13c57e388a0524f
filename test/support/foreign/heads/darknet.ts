// darknet YOLOv3 / YOLOv3-tiny as TensorRT's yolov3_onnx sample (and keras/pytorch ports) export it: nodes
// named by darknet layer (`082_convolutional`, `_bn`, `_lrelu`), LeakyReLU 0.1, and the raw 1×1 output
// convolutions of 3 × (5 + C) channels as the graph outputs, no decoding: 3 scales (strides 32, 16, 8, as
// yolov3 orders them) or 2 (yolov3-tiny: 32, 16).
import type { ModelProto } from 'onnx-buf';
import { Exporter, type ExportOptions } from './export.ts';

export function darknetYolo(o: ExportOptions & { classes?: number; scales?: 2 | 3 } = {}): ModelProto {
  const e = new Exporter(o);
  const C = o.classes ?? 80;
  const n = o.scales ?? 3;
  let layer = 0;
  const conv = (x: string, cin: number, cout: number, k: number, s = 1, act: 'leaky' | 'none' = 'leaky') => {
    const id = String(layer++).padStart(3, '0');
    return e.conv(x, cin, cout, `${id}_convolutional`, { k, s, act, gain: act === 'none' ? 0.3 : 1 });
  };
  // strides 2 .. 32 with 8, 16, 16, 24, 32 filters; the heads read the last n of strides 8, 16, 32
  let x = e.input;
  let c = 3;
  const feats: { x: string; c: number }[] = [];
  for (const f of [8, 16, 16, 24, 32]) { x = conv(x, c, f, 3, 2); c = f; feats.push({ x, c }); }
  const outputs: { name: string; dims: number[] }[] = [];
  let deep = feats[4]!;
  for (let k = 0; k < n; k++) {
    const stride = 32 >> k;
    const y = conv(deep.x, deep.c, 16, 3);
    const raw = conv(y, 16, 3 * (5 + C), 1, 1, 'none');
    e.output(raw, raw.split('/')[1]!);
    outputs.push({ name: raw.split('/')[1]!, dims: [1, 3 * (5 + C), e.size / stride, e.size / stride] });
    if (k === n - 1) break;
    const up = e.upsample(conv(y, 16, 8, 1), `/${String(layer++).padStart(3, '0')}_upsample`);
    const skip = feats[3 - k]!;
    deep = { x: e.op1('Concat', [up, skip.x], { axis: 1 }, `/${String(layer++).padStart(3, '0')}_route`), c: 8 + skip.c };
  }
  return e.build(outputs, 'YOLOv3-608');
}
