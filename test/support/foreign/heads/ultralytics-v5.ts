// YOLOv5 (v6/v7 `Detect`) as `export.py --include onnx` writes it: per scale a 1×1 conv of A×(5+C) channels,
// viewed as [N, A, 5+C, H, W], permuted to [N, A, H, W, 5+C], sigmoid, split into xy, wh and conf; xy·2 +
// grid (cell − 0.5) times the stride; (wh·2)² times the anchor grid (anchors in pixels); concatenated and
// reshaped to rows, the scales concatenated: one output `output0` [N, P, 5+C].
import type { ModelProto } from 'onnx-buf';
import { body, Exporter, type ExportOptions } from './export.ts';

export const V5_ANCHORS = [[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]];
export const V5_STRIDES = [8, 16, 32];

export interface V5Options extends ExportOptions { classes?: number }

export function ultralyticsV5(o: V5Options = {}): ModelProto {
  const e = new Exporter(o);
  const C = o.classes ?? 80;
  const R = 5 + C;
  const A = 3;
  const { maps, channels } = body(e);
  const rows: string[] = [];
  let P = 0;
  maps.forEach((x, i) => {
    const scope = '/model.24';
    const stride = V5_STRIDES[i]!;
    const H = e.size / stride;
    const conv = e.conv(x, channels[i]!, A * R, `model.24.m.${i}`, { act: 'none', gain: 0.5 });
    const view = e.op1('Reshape', [conv, e.ints([e.n, A, R, H, H], scope)], {}, scope);
    const perm = e.op1('Transpose', [view], { perm: [0, 1, 3, 4, 2] }, scope);
    const sig = e.op1('Sigmoid', [perm], {}, scope);
    const [xy, wh, conf] = e.split(sig, [2, 2, R - 4], 4, scope);
    const grid = new Float32Array(A * H * H * 2);
    const anchor = new Float32Array(A * H * H * 2);
    for (let a = 0; a < A; a++) for (let y = 0; y < H; y++) for (let x2 = 0; x2 < H; x2++) {
      const k = ((a * H + y) * H + x2) * 2;
      grid.set([x2 - 0.5, y - 0.5], k);
      anchor.set([V5_ANCHORS[i]![2 * a]!, V5_ANCHORS[i]![2 * a + 1]!], k);
    }
    const xy2 = e.op1('Mul', [e.op1('Add', [e.op1('Mul', [xy!, e.constant([2], [], scope)], {}, scope), e.constant(grid, [1, A, H, H, 2], scope)], {}, scope), e.constant([stride], [], scope)], {}, scope);
    const wh2 = e.op1('Mul', [e.op1('Pow', [e.op1('Mul', [wh!, e.constant([2], [], scope)], {}, scope), e.constant([2], [], scope)], {}, scope), e.constant(anchor, [1, A, H, H, 2], scope)], {}, scope);
    const y = e.op1('Concat', [xy2, wh2, conf!], { axis: 4 }, scope);
    rows.push(e.op1('Reshape', [y, e.ints([e.n, A * H * H, R], scope)], {}, scope));
    P += A * H * H;
  });
  const out = e.output(e.op1('Concat', rows, { axis: 1 }, '/model.24'), 'output0');
  return e.build([{ name: out, dims: [1, P, R] }], 'main_graph');
}
