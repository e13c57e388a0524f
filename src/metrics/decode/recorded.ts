// The `lithe.head` metadata entry: a head description as lithe recorded it when it took the model in, in
// JSON, checked on reading against one schema for every kind, then against the fields each kind needs and the
// graph's outputs. A corrupt entry is a MetadataError naming what is wrong, never a crash in a decoder later.
import type { ModelProto } from 'onnx-buf';
import { setMetadata } from '../../onnx/make.ts';
import { readHeadMetadata } from './metadata.ts';
import type { Head } from './head.ts';

const MAX_CLASSES = 100_000;
const positive = { type: 'number', exclusiveMinimum: 0 };
const names = { type: 'array', items: { type: 'string', minLength: 1 } };
const YOLO_OUTPUT = {
  type: 'object', required: ['output', 'mask', 'anchors', 'classes'],
  properties: { output: { type: 'string', minLength: 1 }, mask: { type: 'array', items: { type: 'integer', minimum: 0 } }, anchors: { type: 'array', items: positive }, classes: { type: 'integer', minimum: 1 }, style: { enum: ['v3', 'v5'] }, stride: positive },
};

/** The `lithe.head` entry: one schema for every kind, the fields each kind needs checked by `headProblem`. */
const HEAD_SCHEMA = {
  type: 'object', required: ['kind', 'source', 'style', 'convs'],
  properties: {
    kind: { enum: ['yolo', 'anchor-free', 'ssd', 'none'] },
    source: { enum: ['metadata', 'recipe', 'detected'] },
    style: { type: 'string', minLength: 1, maxLength: 200 },
    classes: { type: 'integer', minimum: 1, maximum: MAX_CLASSES },
    convs: names, assumed: names,
    decoded: { type: 'boolean' }, output: { type: 'string', minLength: 1 }, rowsLast: { type: 'boolean' }, objectness: { type: 'boolean' },
    maps: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'object', required: ['output'], properties: { output: { type: 'string', minLength: 1 }, stride: positive } } },
    raw: { type: 'array', minItems: 1, maxItems: 16, items: YOLO_OUTPUT },
    exp: { type: 'boolean' }, sigmoid: { type: 'boolean' },
    boxes: { type: 'string', minLength: 1 }, scores: { type: 'string', minLength: 1 }, priors: { type: 'string', minLength: 1 },
    corners: { type: 'boolean' }, relative: { type: 'boolean' }, activate: { enum: ['softmax', 'sigmoid', 'none'] }, background: { type: 'boolean' },
  },
};

/** Fields each kind of head needs, beyond the common ones. */
const NEEDS: Record<string, readonly string[]> = {
  'yolo/raw': ['classes', 'maps'],
  'yolo/decoded': ['classes', 'output', 'rowsLast', 'objectness'],
  'anchor-free/raw': ['classes', 'maps', 'exp', 'sigmoid'],
  'anchor-free/decoded': ['classes', 'output', 'rowsLast', 'objectness'],
  'ssd/raw': ['classes', 'boxes', 'scores', 'priors', 'corners', 'relative', 'activate', 'background'],
  'ssd/decoded': ['classes', 'boxes', 'scores', 'corners', 'relative', 'activate', 'background'],
  'none/raw': [],
};

const needsKey = (h: { kind: string; decoded?: boolean }) => `${h.kind}/${h.decoded ? 'decoded' : 'raw'}`;

function headProblem(h: Head): string | undefined {
  const needs = NEEDS[needsKey(h)];
  if (!needs) return `a ${h.kind} head is not described with decoded: ${String((h as { decoded?: boolean }).decoded)}`;
  const missing = needs.filter((k) => (h as unknown as Record<string, unknown>)[k] === undefined);
  if (missing.length) return `a ${needsKey(h).replace('/', ' ')} head needs ${missing.join(', ')}`;
  if (h.kind === 'yolo' && !h.decoded) {
    const bad = h.maps.find((m) => !Array.isArray(m.mask) || !Array.isArray(m.anchors) || m.anchors.length % 2 || m.mask.some((k) => k >= m.anchors.length / 2));
    if (bad) return `map '${bad.output}' needs anchors in (width, height) pairs and a mask within them`;
  }
  return undefined;
}

export const HEAD_KEY = 'lithe.head';

/** The outputs a head reads. */
export const headOutputs = (h: Head): string[] =>
  h.kind === 'none' ? [] : h.kind === 'ssd' ? [h.boxes, h.scores] : h.decoded ? [h.output] : h.maps.map((m) => m.output);

/** The model's recorded `lithe.head`, checked, and fitting the graph (it reads outputs the graph has). */
export function recordedHead(model: ModelProto): Head | undefined {
  const outputs = new Set(model.graph?.output.map((o) => o.name));
  return readHeadMetadata<Head>(model, HEAD_KEY, HEAD_SCHEMA, (h) => {
    const problem = headProblem(h);
    if (problem) return problem;
    const missing = headOutputs(h).find((o) => !outputs.has(o));
    return missing ? `the head reads '${missing}', which is not a graph output` : undefined;
  });
}

/** Records `head` as the model's head description (setMetadata gives the model a new list of entries). */
export function recordHead(model: ModelProto, head: Head): void {
  setMetadata(model, HEAD_KEY, JSON.stringify(head));
}

