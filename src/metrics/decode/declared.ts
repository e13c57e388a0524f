// A head the recipe declares (`head yolo anchors [..] strides [..] classes N`, `head anchor-free`, `head ssd`,
// `head none`), resolved against the model's outputs: the kind says how to read them, the graph says where
// they are. A pattern the detectors know fills in what the declaration leaves out; anchors and strides given
// in the recipe win over assumed ones. A declaration the outputs cannot carry is a HeadError naming both.
import type { ModelProto } from 'onnx-buf';
import { LitheError, EXIT } from '../../errors.ts';
import { headSpecProblem, type AnchorFreeMapsHead, type Head, type HeadKind, type HeadSpec, type RowsHead, type YoloMapsHead } from './head.ts';
import { detectHead } from './detect/registry.ts';
import { detector as ssdDetector } from './detect/ssd-priors.ts';
import { shown } from './detect/types.ts';
import { HeadView, type Output } from './detect/view.ts';

export class HeadError extends LitheError {
  override name = 'HeadError';
  constructor(message: string) { super(message, EXIT.problems); }
}

type Resolver = (v: HeadView, spec: HeadSpec, detected: Head | undefined) => Head;

const fail = (spec: HeadSpec, v: HeadView, why: string): never => {
  throw new HeadError(`head ${spec.kind}: ${why} (the model's outputs: ${v.outputs().map(shown).join(', ')})`);
};

/** The single output of rows, [N, P, R] or [N, R, P]: the longer axis is the predictions; on a tie, YOLOv5's
 *  layout [N, P, R] for rows with objectness, YOLOv8's [N, R, P] without. */
function rows(v: HeadView, spec: HeadSpec, objectness: boolean): RowsHead | undefined {
  const r3 = v.outputs().filter((o) => o.shape?.length === 3);
  if (r3.length !== 1) return undefined;
  const [, a, b] = r3[0]!.shape!;
  const rowsLast = b! < a! || (b === a && objectness);
  const classes = (rowsLast ? b! : a!) - (objectness ? 5 : 4);
  if (classes < 1) fail(spec, v, `rows of ${rowsLast ? b : a} values leave no class after the box${objectness ? ' and the objectness' : ''}`);
  const convs = v.walkBack([r3[0]!.name]).convs.map((c) => c.output[0]!);
  return { kind: objectness ? 'yolo' : 'anchor-free', decoded: true, source: 'recipe', style: `declared ${spec.kind}, decoded rows`, classes, convs, output: r3[0]!.name, rowsLast, objectness };
}

/** The 4-D outputs with their strides: from the map sizes, or the recipe's strides in output order. */
function maps(v: HeadView, spec: HeadSpec): { o: Output; stride: number }[] {
  const outs = v.outputs().filter((o) => o.shape?.length === 4);
  if (!outs.length) fail(spec, v, 'no output is a [N, C, H, W] map or a single output of rows');
  return outs.map((o, k) => {
    const stride = v.stride(o.name) ?? spec.strides?.[k];
    return stride ? { o, stride } : fail(spec, v, `the stride of ${shown(o)} is unknown: give \`strides\``);
  });
}

const yolo: Resolver = (v, spec, detected) => {
  if (detected?.kind === 'yolo' && (!spec.anchors || detected.decoded)) return detected;
  const decoded = rows(v, spec, true);
  if (decoded) return decoded;
  const found = maps(v, spec);
  const anchors = spec.anchors;
  if (!anchors) return fail(spec, v, `give the anchors of its ${found.length} maps: \`head yolo anchors [..] strides [..]\``);
  if (!spec.strides && anchors.length !== found.length) fail(spec, v, `${found.length} maps but ${anchors.length} lists of anchors`);
  const convs = v.walkBack(found.map((f) => f.o.name)).convs.map((c) => c.output[0]!);
  const heads = found.map(({ o, stride }, k) => {
    const at = spec.strides ? spec.strides.indexOf(stride) : k;
    const a = anchors[at];
    if (!a) return fail(spec, v, `no anchors for stride ${stride} of ${shown(o)}`);
    const A = a.length / 2;
    const classes = o.shape![1]! / A - 5;
    if (!Number.isInteger(classes) || classes < 1) fail(spec, v, `${shown(o)}: ${o.shape![1]} channels are not ${A} anchors x (5 + C)`);
    return { output: o.name, mask: Array.from({ length: A }, (_, i) => i), anchors: a, classes, style: 'v3' as const, stride };
  });
  if (heads.some((h) => h.classes !== heads[0]!.classes)) fail(spec, v, 'the maps hold different numbers of classes');
  const head: YoloMapsHead = { kind: 'yolo', decoded: false, source: 'recipe', style: 'declared yolo', classes: heads[0]!.classes, convs, maps: heads };
  return head;
};

const anchorFree: Resolver = (v, spec, detected) => {
  if (detected?.kind === 'anchor-free') return detected;
  const decoded = rows(v, spec, false);
  if (decoded) return decoded;
  const found = maps(v, spec);
  const { convs, tail } = v.walkBack(found.map((f) => f.o.name));
  const ch = found[0]!.o.shape![1]!;
  if (ch < 5 || found.some((f) => f.o.shape![1] !== ch)) fail(spec, v, 'anchor-free maps need 4 box channels and C class channels each, the same C for all');
  const head: AnchorFreeMapsHead = {
    kind: 'anchor-free', decoded: false, source: 'recipe', style: 'declared anchor-free maps', classes: ch - 4, convs: convs.map((c) => c.output[0]!),
    maps: found.map((f) => ({ output: f.o.name, stride: f.stride })),
    exp: !tail.some((n) => ['Exp', 'Relu', 'Softplus'].includes(n.opType)), sigmoid: !tail.some((n) => n.opType === 'Sigmoid'),
  };
  return head;
};

const ssd: Resolver = (v, spec, detected) => {
  if (detected?.kind === 'ssd') return detected;
  const r = ssdDetector.detect(v);
  return typeof r === 'string' ? fail(spec, v, r) : r;
};

const RESOLVERS: Record<HeadKind, Resolver> = {
  'anchor-free': anchorFree,
  none: () => ({ kind: 'none', source: 'recipe', style: 'none', convs: [] }),
  ssd,
  yolo,
};

/** The head `spec` declares, found in `model`'s outputs. */
export function resolveDeclared(model: ModelProto, spec: HeadSpec): Head {
  const problem = headSpecProblem(spec);
  if (problem) throw new HeadError(`head ${spec.kind}: ${problem}`);
  const { head: detected, view } = spec.kind === 'none' ? { head: undefined, view: undefined } : detectHead(model);
  const head = { ...RESOLVERS[spec.kind](view!, spec, detected), source: 'recipe' } as Head;
  if (spec.classes !== undefined && head.classes !== undefined && head.classes !== spec.classes) {
    throw new HeadError(`head ${spec.kind} classes ${spec.classes}: the model's outputs hold ${head.classes} classes`);
  }
  return head;
}
