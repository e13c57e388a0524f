// The ScoreContext for one pruning step: weights read once and cached, shared results memoised.
import type { ModelProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';
import type { Batch } from '../../../data/batches.ts';
import type { PruneGroup } from '../dependency/types.ts';
import { PruneError } from '../dependency/types.ts';
import { readFloats } from '../tensor.ts';
import type { ScoreContext } from './types.ts';

export interface ContextOptions {
  batches?: readonly Batch[];
  threads?: number;
  seed?: number;
  iteration?: number;
  iterations?: number;
}

export function scoreContext(model: ModelProto, graph: Graph, groups: readonly PruneGroup[], opset: number, opts: ContextOptions = {}): ScoreContext {
  const cache = new Map<string, Float32Array>();
  const memos = new Map<string, Promise<unknown>>();
  return {
    model, graph, opset, groups,
    batches: opts.batches ?? [], threads: opts.threads ?? 1, seed: opts.seed ?? 0,
    iteration: opts.iteration ?? 0, iterations: opts.iterations ?? 1,
    weights(name) {
      let w = cache.get(name);
      if (!w) {
        const t = graph.initializers.get(name);
        if (!t) throw new PruneError(`'${name}' is not a weight of the model`);
        cache.set(name, (w = readFloats(t)));
      }
      return w;
    },
    memo<T>(key: string, make: () => Promise<T>): Promise<T> {
      let p = memos.get(key) as Promise<T> | undefined;
      if (!p) memos.set(key, (p = make()));
      return p;
    },
  };
}
