// YOLOv8 (`Detect`, anchor-free with DFL) as `yolo export format=onnx` writes it: per scale a box branch
// (two 3×3 convs, then a 1×1 conv of 4×reg_max channels) and a class branch (the same, C channels),
// concatenated and flattened; the scales concatenated to [N, 4·reg_max + C, P] and split; the box part through
// the DFL (view [N, 4, reg_max, P], transpose, softmax, the fixed 1×1 conv of weights 0..reg_max−1) and
// dist2bbox (anchor points ∓ distances, centre and size) times the strides; classes through a sigmoid. One
// output `output0` [N, 4+C, P] (84 rows for COCO).
import type { ModelProto } from 'onnx-buf';
import { body, Exporter, type ExportOptions } from './export.ts';

export const V8_STRIDES = [8, 16, 32];

export function ultralyticsV8(o: ExportOptions & { classes?: number; regMax?: number } = {}): ModelProto {
  const e = new Exporter(o);
  const C = o.classes ?? 80;
  const reg = o.regMax ?? 16;
  const no = 4 * reg + C;
  const { maps, channels } = body(e);
  const flat: string[] = [];
  const points: number[][] = [[], []];
  const strides: number[] = [];
  maps.forEach((x, i) => {
    const H = e.size / V8_STRIDES[i]!;
    const branch = (name: string, out: number) => {
      let y = e.conv(x, channels[i]!, 16, `model.22.${name}.${i}.0.conv`, { k: 3 });
      y = e.conv(y, 16, 16, `model.22.${name}.${i}.1.conv`, { k: 3 });
      return e.conv(y, 16, out, `model.22.${name}.${i}.2`, { act: 'none', gain: 0.5 });
    };
    const cat = e.op1('Concat', [branch('cv2', 4 * reg), branch('cv3', C)], { axis: 1 }, '/model.22');
    flat.push(e.op1('Reshape', [cat, e.ints([e.n, no, H * H], '/model.22')], {}, '/model.22'));
    for (let y = 0; y < H; y++) for (let x2 = 0; x2 < H; x2++) { points[0]!.push(x2 + 0.5); points[1]!.push(y + 0.5); strides.push(V8_STRIDES[i]!); }
  });
  const P = strides.length;
  const xcat = e.op1('Concat', flat, { axis: 2 }, '/model.22');
  const [box, cls] = e.split(xcat, [4 * reg, C], 1, '/model.22');
  const dfl = '/model.22/dfl';
  const b1 = e.op1('Transpose', [e.op1('Reshape', [box!, e.ints([e.n, 4, reg, P], dfl)], {}, dfl)], { perm: [0, 2, 1, 3] }, dfl);
  const b2 = e.op1('Softmax', [b1], { axis: 1 }, dfl);
  const w = e.init('model.22.dfl.conv.weight', [1, reg, 1, 1], Float32Array.from({ length: reg }, (_, k) => k));
  const b3 = e.op1('Conv', [b2, w], { kernel_shape: [1, 1], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1 }, `${dfl}/conv`);
  const dist = e.op1('Reshape', [b3, e.ints([e.n, 4, P], dfl)], {}, dfl);
  const slice = (from: number) => e.op1('Slice', [dist, e.ints([from], '/model.22'), e.ints([from + 2], '/model.22'), e.ints([1], '/model.22')], {}, '/model.22');
  const [lt, rb] = [slice(0), slice(2)];
  const anchors = e.constant([...points[0]!, ...points[1]!], [1, 2, P], '/model.22');
  const x1y1 = e.op1('Sub', [anchors, lt], {}, '/model.22');
  const x2y2 = e.op1('Add', [anchors, rb], {}, '/model.22');
  const cxy = e.op1('Div', [e.op1('Add', [x1y1, x2y2], {}, '/model.22'), e.constant([2], [], '/model.22')], {}, '/model.22');
  const wh = e.op1('Sub', [x2y2, x1y1], {}, '/model.22');
  const dbox = e.op1('Mul', [e.op1('Concat', [cxy, wh], { axis: 1 }, '/model.22'), e.constant(strides, [1, P], '/model.22')], {}, '/model.22');
  const out = e.output(e.op1('Concat', [dbox, e.op1('Sigmoid', [cls!], {}, '/model.22')], { axis: 1 }, '/model.22'), 'output0');
  return e.build([{ name: out, dims: [1, 4 + C, P] }], 'main_graph');
}
