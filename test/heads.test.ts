// Heads lithe did not build: each exporter style (test/support/foreign/heads/) recognised as what it is,
// decoded as a hand-written decode of its raw maps says, evaluated end to end; the unknown one refused by
// name; heads declared by a recipe; the description recorded on intake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { FOREIGN_HEADS } from './support/foreign/heads/index.ts';
import { V5_ANCHORS } from './support/foreign/heads/ultralytics-v5.ts';
import { ssdPriorValues } from './support/foreign/heads/ssd-priors.ts';
import { decodeModel, encodeModel } from '../src/onnx/io.ts';
import { getMetadata, setMetadata } from '../src/onnx/make.ts';
import { prepareModel } from '../src/onnx/prepare/index.ts';
import { runWithTaps } from '../src/runtime/session.ts';
import { HEAD_SPEC_SCHEMA, HEAD_KEY, headFor, headSpecProblem, recordedHead, type Head, type HeadSpec } from '../src/metrics/decode/head.ts';
import { HeadError } from '../src/metrics/decode/declared.ts';
import { decoderFor } from '../src/metrics/decode/decoder.ts';
import { decodeYolo } from '../src/metrics/decode/yolo.ts';
import { mapUnavailable, noHeadMessage, NoHeadError } from '../src/metrics/decode/describe.ts';
import { HeadView } from '../src/metrics/decode/detect/view.ts';
import { MetadataError } from '../src/metrics/decode/metadata.ts';
import type { Detection } from '../src/metrics/decode/types.ts';
import { evaluateModel } from '../src/metrics/evaluate-model.ts';
import { generateSynth } from '../src/data/synth/generate.ts';
import { loadCoco } from '../src/data/coco.ts';
import { RuntimeError } from '../src/runtime/session.ts';
import { mulberry32 } from '../src/util/random.ts';

const SIZE = 64;
/** Through encode and decode: the verifier checks each model as it would a file. */
const load = (m: ModelProto): ModelProto => decodeModel(encodeModel(m), 'foreign.onnx');
const build = (id: string, classes = 3) => load(FOREIGN_HEADS.find((f) => f.id === id)!.build({ size: SIZE, classes }));
const sig = (x: number) => 1 / (1 + Math.exp(-x));

test('every exporter style is recognised as what it is; the unknown head is refused by name', () => {
  for (const f of FOREIGN_HEADS) {
    const m = build(f.id);
    const head = headFor(m);
    if (!f.expect) {
      assert.equal(head, undefined, f.id);
      assert.match(noHeadMessage(m, 'centernet.onnx'), /^no detection head recognised in centernet\.onnx: its outputs are 'hm' \[1, 3, 8, 8\], 'wh' \[1, 2, 8, 8\], 'reg' \[1, 2, 8, 8\]; describe it with `head yolo anchors \[\.\.\] strides \[\.\.\]`.* or `head none`$/);
      continue;
    }
    assert.ok(head && head.kind !== 'none', f.id);
    assert.equal(head.kind, f.expect.kind, f.id);
    assert.match(head.style, f.expect.style, f.id);
    assert.equal(head.decoded, f.expect.decoded, f.id);
    assert.equal(head.classes, 3, f.id);
    assert.equal(head.source, 'detected', f.id);
    const v = new HeadView(m);
    assert.equal(new Set(head.convs.map((c) => v.stride(c))).size, f.expect.scales, `${f.id}: scales`);
  }
});

test('COCO-sized Ultralytics exports: v5 rows of 85 (objectness) against v8 rows of 84 (none)', () => {
  for (const [id, rows, objectness, rowsLast] of [['ultralytics-v5', 85, true, true], ['ultralytics-v8', 84, false, false]] as const) {
    const m = build(id, 80);
    const head = headFor(m);
    assert.ok(head && (head.kind === 'yolo' || head.kind === 'anchor-free') && head.decoded, id);
    assert.deepEqual([head.classes, head.objectness, head.rowsLast], [80, objectness, rowsLast], id);
    assert.equal(new HeadView(m).shape('output0')![rowsLast ? 2 : 1], rows, id);
  }
});

test('an NHWC input (TensorFlow converters) and a symbolic batch do not hide the head', () => {
  const m = load(FOREIGN_HEADS.find((f) => f.id === 'ultralytics-v5')!.build({ size: SIZE, classes: 3, batch: 'dynamic', nhwc: true }));
  const head = headFor(m);
  assert.ok(head?.kind === 'yolo' && head.decoded && head.raw);
  assert.deepEqual(head.raw.map((r) => r.stride), [8, 16, 32]);
});

/** Every detection lithe finds among the best `k` has a hand-decoded twin: same class, score and box. */
function assertSame(lithe: Detection[], hand: Detection[], what: string, k = 12): void {
  const best = [...lithe].sort((a, b) => b.score - a.score).slice(0, k);
  assert.ok(best.length >= Math.min(k, hand.length), `${what}: lithe found ${lithe.length} detections, the hand decode ${hand.length}`);
  for (const d of best) {
    const twin = hand.find((h) => h.cls === d.cls && Math.abs(h.score - d.score) < 1e-4 && Math.abs(h.x1 - d.x1) < 1e-2 && Math.abs(h.y1 - d.y1) < 1e-2 && Math.abs(h.x2 - d.x2) < 1e-2 && Math.abs(h.y2 - d.y2) < 1e-2);
    assert.ok(twin, `${what}: no hand-decoded twin for ${JSON.stringify(d)}`);
  }
  assert.equal(lithe.filter((d) => d.score >= 0.01).length, hand.filter((d) => d.score >= 0.01).length, `${what}: detections above 0.01`);
}

/** The model run on a fixed input, with its head's output convolutions (and `more`) tapped. */
async function run(m: ModelProto, head: Head, more: string[] = []): Promise<Record<string, ort.Tensor>> {
  const rnd = mulberry32(7);
  const x = new Float32Array(3 * SIZE * SIZE).map(() => rnd());
  return runWithTaps(m, { images: new ort.Tensor('float32', x, [1, 3, SIZE, SIZE]) }, [...head.convs, ...more]);
}

const f32 = (t: ort.Tensor) => t.data as Float32Array;
const dims = (t: ort.Tensor) => t.dims as number[];

/** Hand decodes, straight from each exporter's formulas over the raw maps. */
const HAND: Record<string, (out: Record<string, ort.Tensor>, head: Head) => Detection[]> = {
  // YOLOv5: centre (2σ − 0.5 + cell)·stride, size (2σ)²·anchor, score objectness × class
  'ultralytics-v5': (out, head) => head.convs.flatMap((c, i) => {
    const [, ch, H, W] = dims(out[c]!);
    const R = ch! / 3;
    const s = SIZE / H!;
    const d = f32(out[c]!);
    const dets: Detection[] = [];
    for (let a = 0; a < 3; a++) for (let y = 0; y < H!; y++) for (let x = 0; x < W!; x++) {
      const t = (k: number) => sig(d[((a * R + k) * H! + y) * W! + x]!);
      const [cx, cy] = [(2 * t(0) - 0.5 + x) * s, (2 * t(1) - 0.5 + y) * s];
      const [w, h] = [(2 * t(2)) ** 2 * V5_ANCHORS[i]![2 * a]!, (2 * t(3)) ** 2 * V5_ANCHORS[i]![2 * a + 1]!];
      for (let c2 = 0; c2 < R - 5; c2++) dets.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: t(4) * t(5 + c2), cls: c2 });
    }
    return dets;
  }),
  // YOLOv8: per side the expectation of a softmax over 16 bins; corners (cell + 0.5) ∓ distances, × stride
  'ultralytics-v8': (out, head) => head.convs.filter((_, k) => k % 2 === 0).flatMap((box, i) => {
    const cls = head.convs[2 * i + 1]!;
    const [, , H, W] = dims(out[box]!);
    const s = SIZE / H!;
    const plane = H! * W!;
    const dets: Detection[] = [];
    for (let cell = 0; cell < plane; cell++) {
      const dist = [0, 1, 2, 3].map((k) => {
        const bins = Array.from({ length: 16 }, (_, j) => f32(out[box]!)[(k * 16 + j) * plane + cell]!);
        const m = Math.max(...bins);
        const e = bins.map((b) => Math.exp(b - m));
        const sum = e.reduce((a, b) => a + b, 0);
        return e.reduce((a, b, j) => a + (b / sum) * j, 0);
      });
      const [px, py] = [(cell % W!) + 0.5, Math.floor(cell / W!) + 0.5];
      for (let c = 0; c < 3; c++) dets.push({ x1: (px - dist[0]!) * s, y1: (py - dist[1]!) * s, x2: (px + dist[2]!) * s, y2: (py + dist[3]!) * s, score: sig(f32(out[cls]!)[c * plane + cell]!), cls: c });
    }
    return dets;
  }),
  // darknet: centre (σ + cell)·stride, size exp(t)·anchor, darknet's default anchors by scale
  'darknet-yolov3': (out, head) => handDarknet(out, head, [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326], { 32: 6, 16: 3, 8: 0 }),
  'darknet-yolov3-tiny': (out, head) => handDarknet(out, head, [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], { 32: 3, 16: 0 }),
  // FCOS-style: distances (after the graph's ReLU) × stride around the cell centre, sigmoid scores
  'anchor-free-fcos': (out) => ['p3', 'p4', 'p5'].flatMap((o) => {
    const [, ch, H, W] = dims(out[o]!);
    const s = SIZE / H!;
    const plane = H! * W!;
    const d = f32(out[o]!);
    const dets: Detection[] = [];
    for (let cell = 0; cell < plane; cell++) {
      const [cx, cy] = [((cell % W!) + 0.5) * s, (Math.floor(cell / W!) + 0.5) * s];
      for (let c = 0; c < ch! - 4; c++) dets.push({ x1: cx - d[cell]! * s, y1: cy - d[plane + cell]! * s, x2: cx + d[2 * plane + cell]! * s, y2: cy + d[3 * plane + cell]! * s, score: d[(4 + c) * plane + cell]!, cls: c });
    }
    return dets;
  }),
  // SSD: offsets from the priors with variances 0.1 and 0.2, softmax, class 0 the background
  'ssd-raw-priors': (out) => handSsd(out.loc!, out.conf!),
  'ssd-decoded': (out) => handSsd(out['/Concat_output_0']!, out['/Concat_1_output_0']!),
};

function handDarknet(out: Record<string, ort.Tensor>, head: Head, anchors: number[], firstAnchor: Record<number, number>): Detection[] {
  return head.convs.flatMap((c) => {
    const [, ch, H, W] = dims(out[c]!);
    const s = SIZE / H!;
    const first = firstAnchor[s]!;
    const R = ch! / 3;
    const dets: Detection[] = [];
    for (let a = 0; a < 3; a++) for (let y = 0; y < H!; y++) for (let x = 0; x < W!; x++) {
      const t = (k: number) => f32(out[c]!)[((a * R + k) * H! + y) * W! + x]!;
      const [cx, cy, w, h] = [(sig(t(0)) + x) * s, (sig(t(1)) + y) * s, Math.exp(t(2)) * anchors[2 * (first + a)]!, Math.exp(t(3)) * anchors[2 * (first + a) + 1]!];
      for (let k = 0; k < R - 5; k++) dets.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: sig(t(4)) * sig(t(5 + k)), cls: k });
    }
    return dets;
  });
}

function handSsd(loc: ort.Tensor, conf: ort.Tensor): Detection[] {
  const priors = ssdPriorValues(SIZE, [8, 16]);
  const [, P, C] = dims(conf);
  const dets: Detection[] = [];
  for (let p = 0; p < P!; p++) {
    const l = (k: number) => f32(loc)[4 * p + k]!;
    const [pcx, pcy, pw, ph] = [0, 1, 2, 3].map((k) => priors[4 * p + k]!) as [number, number, number, number];
    const [cx, cy, w, h] = [pcx + l(0) * 0.1 * pw, pcy + l(1) * 0.1 * ph, pw * Math.exp(l(2) * 0.2), ph * Math.exp(l(3) * 0.2)];
    const z = Array.from({ length: C! }, (_, c) => f32(conf)[p * C! + c]!);
    const sum = z.reduce((a, b) => a + Math.exp(b), 0);
    for (let c = 1; c < C!; c++) dets.push({ x1: (cx - w / 2) * SIZE, y1: (cy - h / 2) * SIZE, x2: (cx + w / 2) * SIZE, y2: (cy + h / 2) * SIZE, score: Math.exp(z[c]!) / sum, cls: c - 1 });
  }
  return dets;
}

test('each recognised head decodes as a hand decode of its raw maps does', async () => {
  for (const f of FOREIGN_HEADS.filter((x) => x.expect)) {
    const m = build(f.id);
    const head = headFor(m)!;
    const out = await run(m, head, f.id === 'ssd-decoded' ? ['/Concat_output_0', '/Concat_1_output_0'] : []);
    const lithe = decoderFor(head, m)(out, 0, [SIZE, SIZE]);
    assertSame(lithe, HAND[f.id]!(out, head), f.id);
  }
});

test('YOLOv5: the raw maps found before the decoding carry the anchors of the graph, and decode to the same boxes', async () => {
  const m = build('ultralytics-v5');
  const head = headFor(m)!;
  assert.ok(head.kind === 'yolo' && head.decoded && head.raw);
  assert.deepEqual(head.raw.map((r) => r.anchors), V5_ANCHORS);
  assert.deepEqual(head.raw.map((r) => r.stride), [8, 16, 32]);
  const out = await run(m, head);
  const fromRaw = head.raw.flatMap((r) => decodeYolo(f32(out[r.output]!) && { data: f32(out[r.output]!), dims: dims(out[r.output]!) }, r, [SIZE, SIZE]));
  assertSame(fromRaw, decoderFor(head, m)(out, 0, [SIZE, SIZE]), 'raw maps against the graph\'s decoding');
});

test('recognised heads evaluate end to end on a synthetic set; an unknown one is refused before any image is run', async () => {
  const synth = join(mkdtempSync(join(tmpdir(), 'lithe-heads-')), 'synth');
  generateSynth({ out: synth, seed: 5, train: 0, val: 3, size: 96 });
  const data = loadCoco(synth);
  for (const f of FOREIGN_HEADS) {
    const m = build(f.id, data.categories.length);
    if (!f.expect) {
      await assert.rejects(evaluateModel(m, data, { batch: 1 }), (e: unknown) => e instanceof NoHeadError && /no detection head recognised in the model 'torch_jit': its outputs are 'hm'/.test((e as Error).message));
      continue;
    }
    const r = await evaluateModel(m, data, { batch: 1 });
    assert.equal(r.images, 3, f.id);
    assert.ok(r.stats.length === 12 && r.stats.every((x) => x === -1 || (x >= 0 && x <= 1)), f.id);
  }
  await assert.rejects(evaluateModel(build('ultralytics-v5', 3), data, { batch: 1 }), /3 classes; the data set has 9/);
  await assert.rejects(evaluateModel(build('ultralytics-v5', 9), data, { batch: 1, head: { kind: 'none' } }), (e: unknown) => e instanceof RuntimeError && /declared `none`/.test((e as Error).message));
});

test('a declared head: anchors and strides from the recipe, classes checked, a kind the outputs cannot carry refused', () => {
  const darknet = build('darknet-yolov3');
  const anchors = [[100, 100, 120, 90, 150, 200], [30, 30, 40, 50, 60, 40], [8, 8, 10, 14, 20, 12]];
  const h = headFor(darknet, { kind: 'yolo', anchors, strides: [32, 16, 8], classes: 3 });
  assert.ok(h?.kind === 'yolo' && !h.decoded);
  assert.equal(h.source, 'recipe');
  assert.equal(h.assumed, undefined);
  const v = new HeadView(darknet);
  for (const map of h.maps) assert.deepEqual(map.anchors, anchors[[32, 16, 8].indexOf(v.stride(map.output)!)]);
  assert.equal(headFor(darknet, { kind: 'yolo' })?.style, 'darknet yolov3');
  const refused: [string, HeadSpec, RegExp][] = [
    ['darknet-yolov3', { kind: 'yolo', classes: 80 }, /^head yolo classes 80: the model's outputs hold 3 classes$/],
    ['centernet-like', { kind: 'ssd' }, /^head ssd: no outputs \[N, P, 4\] and \[N, P, C\] .*\(the model's outputs: 'hm' \[1, 3, 8, 8\]/],
    ['centernet-like', { kind: 'yolo', anchors: [[10, 13, 16, 30]] }, /^head yolo: 3 maps but 1 lists of anchors/],
    ['centernet-like', { kind: 'yolo' }, /^head yolo: give the anchors of its 3 maps/],
    ['centernet-like', { kind: 'anchor-free' }, /^head anchor-free: anchor-free maps need 4 box channels/],
    ['darknet-yolov3', { kind: 'yolo', anchors: [[10, 13, 16]] }, /^head yolo: anchors of scale 1: \(width, height\) pairs are needed, got 3 numbers$/],
  ];
  for (const [id, spec, message] of refused) assert.throws(() => headFor(build(id), spec), (e: unknown) => e instanceof HeadError && message.test((e as Error).message), JSON.stringify(spec));
  assert.equal(headFor(build('centernet-like'), { kind: 'none' })?.kind, 'none');
  // the v8 rows read as yolo rows would mean an objectness row: declared anchor-free, they are what detection says
  assert.equal(headFor(build('ultralytics-v8'), { kind: 'anchor-free' })?.style, 'ultralytics v8');
  const declaredRows = headFor(build('ultralytics-v8'), { kind: 'yolo' });
  assert.ok(declaredRows?.kind === 'yolo' && declaredRows.decoded && declaredRows.objectness && declaredRows.classes === 2);
});

test('HeadSpec: the schema plan.head is checked against, and what it cannot say', () => {
  const validate = new Ajv({ strict: false }).compile(HEAD_SPEC_SCHEMA);
  assert.ok(validate({ kind: 'yolo', anchors: [[10, 13, 16, 30, 33, 23]], strides: [8], classes: 80 }));
  for (const bad of [{}, { kind: 'retina' }, { kind: 'yolo', anchors: [[-1, 2]] }, { kind: 'ssd', classes: 0 }, { kind: 'none', extra: 1 }]) assert.ok(!validate(bad), JSON.stringify(bad));
  assert.match(headSpecProblem({ kind: 'yolo', anchors: [[1, 2]], strides: [8, 16] })!, /1 lists of anchors for 2 strides/);
  assert.match(headSpecProblem({ kind: 'ssd', anchors: [[1, 2]] })!, /anchors describe a yolo head, not ssd/);
  assert.equal(headSpecProblem({ kind: 'anchor-free', strides: [8, 16, 32] }), undefined);
});

test('on intake the head is recorded as lithe.head (the input untouched); a recorded description is read back, a corrupt one named', () => {
  const m = build('ultralytics-v5');
  const { model, notes } = prepareModel(m, { file: 'yolov5s.onnx' });
  assert.deepEqual(notes.filter((n) => n.startsWith('head:')), [`head: ultralytics v5, 3 scales (strides 8, 16, 32), 3 classes, decoding in the graph (37 nodes: '/model.24/Reshape' ... '/model.24/Concat_3') (recognised in the graph)`]);
  assert.equal(getMetadata(m, HEAD_KEY), undefined);
  const saved = load(model);
  assert.deepEqual(recordedHead(saved), headFor(m));
  // prepared again, the recorded head is read back (no new head note; the batch this export bakes in stays)
  assert.deepEqual(prepareModel(saved, {}).notes.filter((n) => !n.startsWith('batch:')), []);
  const declared = prepareModel(m, { head: { kind: 'none' } }).model;
  assert.equal(headFor(declared)?.kind, 'none');
  assert.equal(mapUnavailable(m), undefined);
  assert.match(mapUnavailable(m, { kind: 'none' }, 'v5.onnx')!, /^the head of v5\.onnx is declared `none`/);
  assert.match(mapUnavailable(build('centernet-like'), undefined, 'c.onnx')!, /^no detection head recognised in c\.onnx/);
  const unknown = prepareModel(build('centernet-like'), { file: 'centernet.onnx' });
  assert.match(unknown.notes.find((n) => n.startsWith('head:'))!, /^head: no detection head recognised in centernet\.onnx: its outputs are 'hm'/);
  assert.equal(getMetadata(unknown.model, HEAD_KEY), undefined);
  for (const [bad, problem] of [['{', /not valid JSON/], ['{"kind":"yolo","source":"detected","style":"x","convs":[],"decoded":true}', /a yolo decoded head needs classes, output, rowsLast, objectness/], ['{"kind":"ssd"}', /must have required property 'source'/],
    ['{"kind":"anchor-free","source":"detected","style":"x","convs":[],"decoded":true,"classes":3,"output":"nope","rowsLast":true,"objectness":false}', /the head reads 'nope', which is not a graph output/]] as const) {
    const c = load(m);
    setMetadata(c, HEAD_KEY, bad);
    assert.throws(() => headFor(c), (e: unknown) => e instanceof MetadataError && problem.test((e as Error).message), bad);
  }
});
