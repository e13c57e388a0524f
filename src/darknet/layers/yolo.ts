// [yolo]: the layer decodes boxes in darknet; in ONNX the raw map of the conv before it is a graph output and
// decoding is lithe's (src/metrics/decode/yolo.ts), from what goes into the `lithe.yolo` metadata: anchors,
// mask, classes, and scale_x_y and new_coords when set (yolov4, scaled-YOLOv4).
import { node } from '../../onnx/make.ts';
import { prefix, type LayerFn, type YoloHead } from '../builder.ts';
import { CfgError } from '../cfg.ts';

export const yolo: LayerFn = (b, i, o, s, _cfg, opts) => {
  const anchors = o.floats('anchors') ?? [];
  // darknet's defaults: without a mask, anchors 0 .. num − 1 (num=1)
  const mask = o.ints('mask') ?? Array.from({ length: o.int('num', 1) }, (_, k) => k);
  const head: YoloHead = { layer: i, output: b.out(i - 1), mask, anchors, classes: opts.classes ?? o.int('classes', 20) };
  const scaleXY = o.float('scale_x_y', 1);
  if (!(scaleXY > 0)) throw new CfgError(`${b.file}:${s.line}: [yolo] scale_x_y=${scaleXY} must be positive`);
  if (scaleXY !== 1) head.scaleXY = scaleXY;
  const newCoords = o.int('new_coords', 0);
  if (newCoords !== 0 && newCoords !== 1) throw new CfgError(`${b.file}:${s.line}: [yolo] new_coords=${newCoords} is not 0 or 1`);
  if (newCoords) head.newCoords = true;
  const per = head.mask.length * (head.classes + 5);
  if (b.ch(i - 1) !== per) throw new CfgError(`${b.file}:${s.line}: [yolo] reads ${b.ch(i - 1)} channels, but ${head.mask.length} anchors x (${head.classes} classes + 5) are ${per}`);
  b.yolo.push(head);
  b.nodes.push(node('Identity', [head.output], [b.out(i)], {}, `${prefix(i)}.yolo`));
  return b.ch(i - 1);
};
