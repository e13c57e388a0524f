// onnxruntime-node sessions over in-memory models, with taps: chosen intermediate values (feature maps) made
// graph outputs, so criteria and calibration can read them. Thread counts are explicit, because latency on a
// 2-core board or CI machine depends on them.
import * as ort from 'onnxruntime-node';
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import { defaultOpset, MIN_OPSET, encodeModel } from '../onnx/io.ts';
import { Graph } from '../onnx/graph.ts';
import { inferShapes } from '../onnx/shape/infer.ts';
import { valueInfo } from '../onnx/make.ts';
import { LitheError } from '../errors.ts';

export interface SessionOptions {
  /** Threads inside one op (onnxruntime's intra-op pool); 1 when unset, so results are reproducible. */
  threads?: number;
  /** onnxruntime's graph optimizations; `all` by default. */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Keep onnxruntime's own error log off stderr (the error is reported in lithe's words instead). */
  quiet?: boolean;
  /** Profile every kernel into a JSON file whose path starts with this (onnxruntime's profiler). */
  profileTo?: string;
}

export class RuntimeError extends LitheError {
  override name = 'RuntimeError';
}

export async function createSession(model: ModelProto, opts: SessionOptions = {}): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(encodeModel(model), {
      intraOpNumThreads: opts.threads ?? 1, interOpNumThreads: 1, executionMode: 'sequential',
      graphOptimizationLevel: opts.optimization ?? 'all', ...(opts.quiet ? { logSeverityLevel: 4 as const } : {}),
      ...(opts.profileTo ? { enableProfiling: true, profileFilePrefix: opts.profileTo } : {}),
    });
  } catch (e) {
    throw new RuntimeError(`onnxruntime cannot load the model: ${ortReason((e as Error).message)}`);
  }
}

/** Strips a C++ function signature `ns::f(args) ` from the front of `s`, parentheses balanced. */
function dropSignature(s: string): string {
  const open = s.indexOf('(');
  if (open < 0 || !/^[\w:<>,&*~ ]+$/.test(s.slice(0, open)) || !s.slice(0, open).includes('::')) return s;
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    depth += s[i] === '(' ? 1 : s[i] === ')' ? -1 : 0;
    if (depth === 0) return s.slice(i + 1).trim();
  }
  return s;
}

/**
 * onnxruntime's reason for refusing a model, in a line a user can read: without its source file, C++
 * signature and boilerplate (`This is an invalid model. In Node, (...) , Error X` becomes `node 'y' (Relu): X`).
 */
export function ortReason(message: string): string {
  let s = message.replace(/^\[ONNXRuntimeError\] : \d+ : \w+ : /, '').replace(/^(Exception during initialization|Failed to load model with error|Load model from \S+ failed): */i, '');
  const inNode = /In Node, \("([^"]*)", ([\w.]+), [\s\S]*?, Error ([\s\S]*)$/.exec(s);
  if (inNode) s = `node '${inNode[1]}' (${inNode[2]}): ${inNode[3]}`;
  s = s.replace(/\/onnxruntime_src\/\S+:\d+ /g, '');
  s = dropSignature(s).replace(/\[(ShapeInferenceError|TypeInferenceError)\] /g, '').replace(/^This is an invalid model\. */, '');
  const line = s.split('\n').map((l) => l.trim()).find(Boolean) ?? 'no reason given';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** The model with `values` added as graph outputs (typed by shape inference), so a run returns them. */
export function withTaps(model: ModelProto, values: readonly string[]): ModelProto {
  const g = Graph.fromModel(model);
  const { types } = inferShapes(g, defaultOpset(model) ?? MIN_OPSET);
  for (const v of values) {
    if (g.isGraphOutput(v)) continue;
    if (!g.hasValue(v)) throw new RuntimeError(`cannot tap '${v}': no node produces it`);
    const t = types.get(v);
    if (!t) throw new RuntimeError(`cannot tap '${v}': its type is unknown`);
    g.outputs.push(valueInfo(v, t.elem, t.shape ?? []));
  }
  return create(ModelProtoSchema, g.toModel(model));
}

/** Taps in groups whose tensors together take at most `budget` bytes (a bigger tap goes alone): feature maps
 * are fetched a group per session, so calibrating a big model never holds all of them at once. */
export function tapChunks(taps: readonly string[], bytes: (tap: string) => number, budget: number): string[][] {
  const chunks: string[][] = [];
  let size = Infinity;
  for (const t of taps) {
    const b = bytes(t);
    if (size + b > budget) { chunks.push([]); size = 0; }
    chunks.at(-1)!.push(t);
    size += b;
  }
  return chunks;
}

/** Runs once and returns the graph outputs and the tapped values by name. */
export async function runWithTaps(model: ModelProto, feeds: Record<string, ort.Tensor>, taps: readonly string[], opts: SessionOptions = {}): Promise<Record<string, ort.Tensor>> {
  const session = await createSession(withTaps(model, taps), opts);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}
