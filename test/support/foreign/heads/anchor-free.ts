// FCOS-style anchor-free heads (as mmdetection/FCOS exports with `norm_on_bbox` leave them, the per-scale
// outputs concatenated): per scale a box branch (3×3 conv, then a 4-channel conv and a ReLU: distances left,
// top, right, bottom in strides) and a class branch (3×3 conv, C-channel conv, sigmoid), concatenated into
// one output [N, 4+C, H, W] per scale: `p3`, `p4`, `p5` at strides 8, 16, 32.
import type { ModelProto } from 'onnx-buf';
import { body, Exporter, type ExportOptions } from './export.ts';

export const AF_STRIDES = [8, 16, 32];

export function anchorFreeFcos(o: ExportOptions & { classes?: number } = {}): ModelProto {
  const e = new Exporter(o);
  const C = o.classes ?? 80;
  const { maps, channels } = body(e);
  const outputs = maps.map((x, i) => {
    const box = e.op1('Relu', [e.conv(e.conv(x, channels[i]!, 16, `bbox_head.reg_convs.${i}`, { k: 3, act: 'relu' }), 16, 4, `bbox_head.conv_reg.${i}`, { act: 'none', gain: 0.3, bias: 1 })], {}, `/bbox_head.${i}`);
    const cls = e.op1('Sigmoid', [e.conv(e.conv(x, channels[i]!, 16, `bbox_head.cls_convs.${i}`, { k: 3, act: 'relu' }), 16, C, `bbox_head.conv_cls.${i}`, { act: 'none', gain: 0.5 })], {}, `/bbox_head.${i}`);
    const name = e.output(e.op1('Concat', [box, cls], { axis: 1 }, `/bbox_head.${i}`), `p${i + 3}`);
    return { name, dims: [1, 4 + C, e.size / AF_STRIDES[i]!, e.size / AF_STRIDES[i]!] };
  });
  return e.build(outputs);
}
