// A model's detection head: how its outputs become boxes. Three places say it, in this order (`headFor`):
//  1. the recipe (`head yolo anchors [..] strides [..] classes N`, `head anchor-free`, `head ssd`, `head none`:
//     a HeadSpec, resolved against the graph by declared.ts);
//  2. the model's metadata: `lithe.head` (what lithe recorded when it took the model in), or lithe's own
//     `lithe.yolo` / `lithe.ssd` (models lithe built or imported);
//  3. a pattern found in the graph (detect/: Ultralytics, darknet, SSD with priors, anchor-free).
// The description names outputs and the output convolutions by tensor name (node names are optional in
// ONNX, tensor names are not), so it survives pruning and quantization, which keep both.
import type { ModelProto } from 'onnx-buf';
import { getMetadata } from '../../onnx/make.ts';
import { HEAD_KEY, recordedHead } from './recorded.ts';
import { resolveDeclared } from './declared.ts';
import { detectHead } from './detect/registry.ts';
import { ssdMetadata, type SsdLayout } from './ssd.ts';
import { yoloMetadata, type YoloOutput } from './yolo.ts';

export type HeadKind = 'yolo' | 'anchor-free' | 'ssd' | 'none';

/** A head as a recipe declares it (plan.head); anchors are per scale, (width, height) pairs in input pixels. */
export interface HeadSpec { kind: HeadKind; anchors?: number[][]; strides?: number[]; classes?: number }

const MAX_CLASSES = 100_000;
const positive = { type: 'number', exclusiveMinimum: 0 };

export const HEAD_SPEC_SCHEMA = {
  type: 'object', required: ['kind'], additionalProperties: false,
  properties: {
    kind: { enum: ['yolo', 'anchor-free', 'ssd', 'none'] },
    anchors: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'array', minItems: 2, maxItems: 64, items: positive } },
    strides: { type: 'array', minItems: 1, maxItems: 16, items: positive },
    classes: { type: 'integer', minimum: 1, maximum: MAX_CLASSES },
  },
} as const;

/** What HEAD_SPEC_SCHEMA cannot say; undefined when the spec is sound. */
export function headSpecProblem(s: HeadSpec): string | undefined {
  const odd = s.anchors?.findIndex((a) => a.length % 2);
  if (odd !== undefined && odd >= 0) return `anchors of scale ${odd + 1}: (width, height) pairs are needed, got ${s.anchors![odd]!.length} numbers`;
  if (s.anchors && s.strides && s.anchors.length !== s.strides.length) return `${s.anchors.length} lists of anchors for ${s.strides.length} strides`;
  if (s.anchors && s.kind !== 'yolo') return `anchors describe a yolo head, not ${s.kind}`;
  if (s.kind === 'none' && (s.strides || s.classes)) return 'head none takes no options';
  return undefined;
}

interface HeadBase {
  /** Who said so. */
  source: 'metadata' | 'recipe' | 'detected';
  /** What it is, in words: 'ultralytics v5', 'darknet yolov3', 'lithe yolo', ... */
  style: string;
  classes: number;
  /** Output tensors of the head's output convolutions: their channel counts are the output format. */
  convs: string[];
  /** What lithe assumed rather than read from the graph (darknet's default anchors, a box format). */
  assumed?: string[];
}

/** One raw anchor map as lithe.yolo describes it, with its stride where known. */
export type YoloMap = YoloOutput & { stride?: number };

/** Raw anchor maps [N, A*(5+C), H, W], decoded by lithe (yolo.ts). */
export interface YoloMapsHead extends HeadBase { kind: 'yolo'; decoded: false; maps: YoloMap[] }

/** One output of decoded rows, [N, P, R] (rowsLast) or [N, R, P]: centre x, centre y, width, height in input
 *  pixels, then the objectness (YOLOv5) and the class scores, all after their sigmoid. `raw`: the anchor maps
 *  before the decoding, with their anchors, where the graph gives them (what training needs). */
export interface RowsHead extends HeadBase {
  kind: 'yolo' | 'anchor-free'; decoded: true; output: string; rowsLast: boolean; objectness: boolean; raw?: YoloMap[];
}

/** Raw anchor-free maps [N, 4+C, H, W] (FCOS-style): distances left, top, right, bottom from the cell centre
 *  in strides (through exp when `exp`), class scores (through a sigmoid when `sigmoid`). */
export interface AnchorFreeMapsHead extends HeadBase {
  kind: 'anchor-free'; decoded: false; maps: { output: string; stride: number }[]; exp: boolean; sigmoid: boolean;
}

/** SSD: boxes [N, P, 4] and scores [N, P, C]. Raw: offsets from priors (a tensor of the graph, centre form,
 *  relative; or lithe's `lithe.ssd` layout), variances 0.1 and 0.2. Decoded: boxes as corners or centre-size,
 *  relative (0..1) or in pixels. `activate`: what lithe applies to the scores; `background`: class 0 is none. */
export interface SsdHead extends HeadBase {
  kind: 'ssd'; decoded: boolean; boxes: string; scores: string; priors?: string; layout?: SsdLayout;
  corners: boolean; relative: boolean; activate: 'softmax' | 'sigmoid' | 'none'; background: boolean;
}

/** A model with no head lithe decodes (`head none`): calibration, latency and size only. */
export interface NoHead { kind: 'none'; source: 'metadata' | 'recipe'; style: 'none'; classes?: undefined; convs: string[] }

export type Head = YoloMapsHead | RowsHead | AnchorFreeMapsHead | SsdHead | NoHead;

export { HEAD_KEY, headOutputs, recordedHead, recordHead } from './recorded.ts';

/** lithe's own descriptions (`lithe.yolo`, `lithe.ssd`) as a Head. */
function litheHead(model: ModelProto): Head | undefined {
  const maps = yoloMetadata(model);
  if (maps) return { kind: 'yolo', decoded: false, source: 'metadata', style: `lithe yolo${maps[0]!.style === 'v5' ? 'v5' : 'v3'}`, classes: maps[0]!.classes, convs: maps.map((m) => m.output), maps };
  const layout = ssdMetadata(model);
  if (layout) {
    return {
      kind: 'ssd', decoded: false, source: 'metadata', style: 'lithe ssd', classes: layout.classes, convs: [], boxes: 'boxes', scores: 'scores',
      layout, corners: false, relative: true, activate: 'softmax', background: true,
    };
  }
  return undefined;
}

/** Whether the model carries a head description of its own (then detection is not needed). */
export const describesHead = (model: ModelProto): boolean =>
  [HEAD_KEY, 'lithe.yolo', 'lithe.ssd'].some((k) => getMetadata(model, k) !== undefined);

/** The model's head from its metadata only. */
export const metadataHead = (model: ModelProto): Head | undefined => recordedHead(model) ?? litheHead(model);

/** Detection, once per graph: evaluation, pruning and quantization of the same model ask in turn. */
const detected = new WeakMap<object, Head | null>();

/**
 * The model's head: the declared one if any (resolved against the graph), else its metadata, else a pattern
 * found in the graph; undefined when none matches. A declaration the outputs cannot carry, or corrupt
 * metadata, is a LitheError.
 */
export function headFor(model: ModelProto, declared?: HeadSpec): Head | undefined {
  if (declared) return resolveDeclared(model, declared);
  const meta = metadataHead(model);
  if (meta || !model.graph) return meta;
  if (!detected.has(model.graph)) detected.set(model.graph, detectHead(model).head ?? null);
  return detected.get(model.graph) ?? undefined;
}
