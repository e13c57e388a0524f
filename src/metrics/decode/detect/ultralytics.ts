// Ultralytics exports (YOLOv5/v7 `Detect`, YOLOv8/11 `Detect`): one output of decoded rows, with the decoding
// inside the graph, from the output convolutions through a sigmoid, the grid and stride arithmetic and a
// Concat over the scales.
//  - v5: per scale one conv of A×(5+C) channels, viewed as [N, A, 5+C, H, W], sigmoid, xy·2 − 0.5 + grid,
//    ×stride, (wh·2)² × anchor grid; rows [N, P, 5+C] with P = Σ A·H·W (85 rows for COCO: objectness).
//    The anchor grid is a constant ([1, A, H, W, 2] or [1, A, 1, 1, 2], in pixels): read back, it gives the
//    raw maps with their anchors, which training needs.
//  - v8: per scale a box conv (4 × reg_max channels) and a class conv (C), concatenated; the box part goes
//    through the DFL (softmax over reg_max bins, a fixed 1×1 conv of weights 0..reg_max−1) and dist2bbox;
//    rows [N, 4+C, P] with P = Σ H·W (84 rows for COCO: no objectness).
import type { NodeProto } from 'onnx-buf';
import type { RowsHead, YoloMap } from '../head.ts';
import { shown, type HeadDetector } from './types.ts';
import type { HeadView } from './view.ts';

interface Scale { conv: NodeProto; out: string; ch: number; h: number; w: number }

/** The anchors of one scale from its anchor grid: a positive constant of last dimension 2 with one axis of A
 *  anchors, the same pair at every cell. */
function anchorsOf(v: HeadView, s: Scale, A: number, tail: ReadonlySet<NodeProto>): number[] | undefined {
  const near = [...v.downstream([s.out])].filter((n) => tail.has(n) && n.opType === 'Mul');
  for (const n of near) {
    for (const i of n.input) {
      const c = i && v.isConstant(i) ? v.constant(i) : undefined;
      const axis = c ? c.dims.slice(0, -1).indexOf(A) : -1;
      if (!c || c.dims.at(-1) !== 2 || axis < 0 || c.values.length % (2 * A)) continue;
      const block = c.values.length / A;
      const pairs = Array.from({ length: A }, (_, a) => [c.values[a * block]!, c.values[a * block + 1]!]);
      const uniform = pairs.every(([w, h], a) => w! > 0 && h! > 0 && Array.from({ length: block / 2 }, (_, k) => k).every((k) => c.values[a * block + 2 * k] === w && c.values[a * block + 2 * k + 1] === h));
      if (uniform) return pairs.flat();
    }
  }
  return undefined;
}

function v5(v: HeadView, output: string, dims: number[], scales: Scale[], tail: NodeProto[]): RowsHead | string {
  for (const rowsLast of [true, false]) {
    const R = dims[rowsLast ? 2 : 1]!;
    const P = dims[rowsLast ? 1 : 2]!;
    const A = scales[0]!.ch / R;
    if (R < 6 || !Number.isInteger(A) || scales.some((s) => s.ch !== A * R)) continue;
    if (scales.reduce((n, s) => n + A * s.h * s.w, 0) !== P) continue;
    const classes = R - 5;
    const inTail = new Set(tail);
    const anchors = scales.map((s) => anchorsOf(v, s, A, inTail));
    const raw: YoloMap[] | undefined = anchors.every(Boolean)
      ? scales.map((s, k) => ({ output: s.out, mask: Array.from({ length: A }, (_, a) => a), anchors: anchors[k]!, classes, style: 'v5', stride: v.input[0] / s.h }))
      : undefined;
    return {
      kind: 'yolo', decoded: true, source: 'detected', style: 'ultralytics v5', classes, convs: scales.map((s) => s.out),
      output, rowsLast, objectness: true, ...(raw ? { raw } : { assumed: ['no anchor grid constant found: the raw maps cannot be trained'] }),
    };
  }
  return `the output rows fit no ${scales.length}-scale layout of A x (5 + C) channels per convolution`;
}

function v8(v: HeadView, output: string, dims: number[], scales: Scale[], dfl: NodeProto): RowsHead | string {
  const reg = v.constant(dfl.input[1]!)!.values.length;
  const bySize = new Map<string, Scale[]>();
  for (const s of scales) (bySize.get(`${s.h}x${s.w}`) ?? bySize.set(`${s.h}x${s.w}`, []).get(`${s.h}x${s.w}`)!).push(s);
  const sums = [...bySize.values()].map((g) => g.reduce((n, s) => n + s.ch, 0));
  const classes = sums[0]! - 4 * reg;
  if (classes < 1 || sums.some((x) => x !== sums[0])) return `the convolutions per scale do not add up to 4 x ${reg} box bins + C classes`;
  const P = [...bySize.values()].reduce((n, g) => n + g[0]!.h * g[0]!.w, 0);
  // [N, 4+C, P] is v8's layout, and wins when P = 4 + C (84 predictions at 64 px for COCO)
  const rowsFirst = dims[1] === 4 + classes && dims[2] === P;
  const rowsLast = !rowsFirst && dims[2] === 4 + classes && dims[1] === P;
  if (!rowsFirst && !rowsLast) return `the output is not [N, ${4 + classes}, ${P}] rows`;
  return { kind: 'anchor-free', decoded: true, source: 'detected', style: 'ultralytics v8', classes, convs: scales.map((s) => s.out), output, rowsLast, objectness: false };
}

export const detector: HeadDetector = {
  id: 'ultralytics',
  summary: 'Ultralytics YOLOv5/v8 exports: one output of decoded rows [N, P, 5+C] (v5) or [N, 4+C, P] (v8), decoding in the graph',
  detect(v) {
    const rows = v.outputs().filter((o) => o.shape?.length === 3);
    if (rows.length !== 1) return `${rows.length} outputs of rank 3, not one`;
    const out = rows[0]!;
    const { convs, tail } = v.walkBack([out.name]);
    if (!convs.length) return `no convolution before ${shown(out)}`;
    if (!tail.some((n) => n.opType === 'Sigmoid')) return `no sigmoid between the convolutions and ${shown(out)}`;
    const scales: Scale[] = [];
    for (const conv of convs) {
      const s = v.shape(conv.output[0]!);
      if (s?.length !== 4) return `the shape of '${conv.output[0]}' is unknown`;
      scales.push({ conv, out: conv.output[0]!, ch: s[1]!, h: s[2]!, w: s[3]! });
    }
    const dfl = tail.find((n) => v.isIntegral(n));
    return dfl ? v8(v, out.name, out.shape!, scales, dfl) : v5(v, out.name, out.shape!, scales, tail);
  },
};
