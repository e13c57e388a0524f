// Preparation step: the detection head, recorded once as `lithe.head` — the recipe's `head` resolved
// against the graph, or a pattern recognised in it (metrics/decode/detect/) — so that evaluation, the
// loss, pruning and quantization read one description. A model that describes its own head (lithe.yolo,
// lithe.ssd, lithe.head) and no declaration: nothing to do. Nothing recognised is said, not refused: a
// recipe without mAP (calibration, latency) still runs; the steps that need a head say why they cannot.
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { describesHead, headFor, recordHead } from '../../metrics/decode/head.ts';
import { headText, noHeadMessage } from '../../metrics/decode/describe.ts';
import type { PrepareStep } from './types.ts';

export const head: PrepareStep = {
  id: 'head',
  summary: 'records the detection head (declared by the recipe, or recognised in the graph) as lithe.head',
  run(model, opts) {
    if (!opts.head && describesHead(model)) return { model, notes: [] };
    const head = headFor(model, opts.head);
    if (!head) return { model, notes: [noHeadMessage(model, opts.file)] };
    // a shallow copy: setMetadata replaces the copy's list of entries, the input's stays as it was
    const out = create(ModelProtoSchema, { ...model });
    recordHead(out, head);
    return { model: out, notes: [headText(head, model)] };
  },
};
