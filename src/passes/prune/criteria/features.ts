// Per-channel statistics of feature maps over the calibration batches, in streaming fashion: the values are
// tapped (made graph outputs) a few at a time, so that one run's taps stay under a memory budget; each tapped
// map goes through its accumulator and is dropped. Nothing keeps all feature maps. This module loads
// onnxruntime: criteria import it dynamically, when they score.
import * as ort from 'onnxruntime-node';
import type { Batch } from '../../../data/batches.ts';
import { declaredType, inferShapes } from '../../../onnx/shape/infer.ts';
import { createSession, tapChunks, withTaps } from '../../../runtime/session.ts';
import { PruneError } from '../dependency/types.ts';
import type { ScoreContext } from './types.ts';

/** Sees one value's maps batch after batch ([N, C, H, W], C-major per image); says what it learned. */
export interface Accumulator<R> { add(data: Float32Array, dims: readonly number[]): void; result(): R }

/** Bytes of tapped maps one run may return. */
const BUDGET = 256 * 2 ** 20;

/** The model's image input, shaped for a batch. */
function feed(ctx: ScoreContext, batch: Batch): Record<string, ort.Tensor> {
  const input = ctx.graph.inputs.find((i) => !ctx.graph.initializers.has(i.name));
  if (!input) throw new PruneError('the model has no input to feed calibration images to');
  const shape = declaredType(input)?.shape ?? [];
  const c = typeof shape[1] === 'number' ? shape[1] : 3;
  const plane = batch.input.length / (batch.count * c);
  const [h, w] = typeof shape[2] === 'number' && typeof shape[3] === 'number' ? [shape[2], shape[3]] : [Math.sqrt(plane), Math.sqrt(plane)];
  if (h * w !== plane) throw new PruneError(`calibration batches of ${plane} pixels per channel do not fit the model input '${input.name}'`);
  return { [input.name]: new ort.Tensor('float32', batch.input, [batch.count, c, h, w]) };
}

/** Values in runs whose taps fit the budget (a value bigger than the budget runs alone). */
function chunks(ctx: ScoreContext, values: readonly string[]): string[][] {
  const types = inferShapes(ctx.graph, ctx.opset).types;
  const perImage = (v: string) => (types.get(v)?.shape ?? []).slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 64), 4);
  const batch = Math.max(1, ...ctx.batches.map((b) => b.count));
  return tapChunks(values, (v) => perImage(v) * batch, BUDGET);
}

export async function channelStats<R>(ctx: ScoreContext, values: readonly string[], make: (value: string) => Accumulator<R>): Promise<Map<string, R>> {
  if (!ctx.batches.length) throw new PruneError('this criterion measures feature maps on calibration images, and none were given');
  const results = new Map<string, R>();
  for (const chunk of chunks(ctx, [...new Set(values)])) {
    const acc = new Map(chunk.map((v) => [v, make(v)]));
    const session = await createSession(withTaps(ctx.model, chunk), { threads: ctx.threads });
    try {
      for (const b of ctx.batches) {
        const out = await session.run(feed(ctx, b), chunk);
        for (const [v, a] of acc) a.add(out[v]!.data as Float32Array, out[v]!.dims);
      }
    } finally {
      await session.release();
    }
    for (const [v, a] of acc) results.set(v, a.result());
  }
  return results;
}
