// A head no detector knows: CenterNet-style outputs, a class heatmap [N, C, H, W], sizes [N, 2, H, W] and
// offsets [N, 2, H, W] at stride 8. lithe must say it does not recognise it, not guess.
import type { ModelProto } from 'onnx-buf';
import { body, Exporter, type ExportOptions } from './export.ts';

export function centerNetLike(o: ExportOptions & { classes?: number } = {}): ModelProto {
  const e = new Exporter(o);
  const C = o.classes ?? 80;
  const { maps, channels } = body(e);
  const H = e.size / 8;
  const head = (name: string, out: number) => ({ name: e.output(e.conv(e.conv(maps[0]!, channels[0]!, 16, `${name}.0`, { k: 3, act: 'relu' }), 16, out, `${name}.2`, { act: 'none' }), name), dims: [1, out, H, H] });
  return e.build([head('hm', C), head('wh', 2), head('reg', 2)]);
}
