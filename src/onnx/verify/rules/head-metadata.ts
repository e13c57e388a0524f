// Head metadata: a model's `lithe.yolo` or `lithe.ssd` description (what eval, train and run decode its
// outputs with) is valid, and fits the graph: each YOLO head reads a graph output with anchors x (5 +
// classes) channels; an SSD layout gives as many priors as the `boxes` output has rows.
import type { ValueInfoProto } from 'onnx-buf';
import { LitheError } from '../../../errors.ts';
import { yoloMetadata, type YoloOutput } from '../../../metrics/decode/yolo.ts';
import { priorCount, ssdMetadata, type SsdLayout } from '../../../metrics/decode/ssd.ts';
import type { Dim } from '../../shape/types.ts';
import type { VerifyContext, VerifyRule } from '../types.ts';

type Shape = (v: string) => Dim[] | undefined;

function yoloProblems(heads: YoloOutput[], outputs: readonly ValueInfoProto[], shape: Shape): string[] {
  return heads.flatMap((h, i) => {
    if (!outputs.some((o) => o.name === h.output)) return [`head ${i} reads '${h.output}', which is not a graph output`];
    const c = shape(h.output)?.[1];
    const want = h.mask.length * (5 + h.classes);
    return typeof c === 'number' && c !== want ? [`head ${i} reads '${h.output}' of ${c} channels, but ${h.mask.length} anchors x (5 + ${h.classes} classes) need ${want}`] : [];
  });
}

function ssdProblems(l: SsdLayout, outputs: readonly ValueInfoProto[], shape: Shape): string[] {
  const missing = ['boxes', 'scores'].filter((n) => !outputs.some((o) => o.name === n));
  if (missing.length) return [`the graph has no output named ${missing.map((m) => `'${m}'`).join(' or ')} for the SSD head`];
  const [, rows] = shape('boxes') ?? [];
  const [, , classes] = shape('scores') ?? [];
  if (typeof rows === 'number' && rows !== priorCount(l)) return [`the layout gives ${priorCount(l)} priors, but 'boxes' has ${rows} rows`];
  if (typeof classes === 'number' && classes !== l.classes + 1) return [`${l.classes} classes need ${l.classes + 1} scores per prior (with background), 'scores' has ${classes}`];
  return [];
}

export const rule: VerifyRule = {
  id: 'head-metadata',
  summary: 'the lithe.yolo or lithe.ssd head description is valid and fits the graph\'s outputs',
  stage: 'semantics',
  needs: 'model',
  check(ctx: VerifyContext) {
    const shape: Shape = (v) => ctx.shapes().types.get(v)?.shape;
    for (const [key, problems] of [
      ['lithe.yolo', () => { const h = yoloMetadata(ctx.model!); return h ? yoloProblems(h, ctx.outputs, shape) : []; }],
      ['lithe.ssd', () => { const l = ssdMetadata(ctx.model!); return l ? ssdProblems(l, ctx.outputs, shape) : []; }],
    ] as const) {
      try {
        for (const p of problems()) ctx.report({ message: `${key} metadata: ${p}` });
      } catch (e) {
        if (!(e instanceof LitheError)) throw e;
        ctx.report({ message: e.message });
      }
    }
  },
};
