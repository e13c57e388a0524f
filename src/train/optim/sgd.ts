// SGD with momentum, optionally Nesterov's, and L2 weight decay added to the gradient (PyTorch's SGD).
import type { Optimizer, Weights } from './types.ts';

export interface SgdOptions { momentum?: number; nesterov?: boolean; weightDecay?: number; decays?: (name: string) => boolean }

export function sgd(opts: SgdOptions = {}): Optimizer {
  const mu = opts.momentum ?? 0.9;
  const wd = opts.weightDecay ?? 0;
  const buffers = new Map<string, Float32Array>();
  return {
    id: opts.nesterov ? 'sgd-nesterov' : 'sgd',
    step({ values, grads }: Weights, lr: number) {
      for (const [name, g] of grads) {
        const w = values.get(name)!;
        const decay = wd && (opts.decays?.(name) ?? true) ? wd : 0;
        let v = buffers.get(name);
        if (!v) buffers.set(name, (v = new Float32Array(w.length)));
        for (let i = 0; i < w.length; i++) {
          const d = g[i]! + decay * w[i]!;
          v[i] = mu * v[i]! + d;
          w[i] = w[i]! - lr * (opts.nesterov ? d + mu * v[i]! : v[i]!);
        }
      }
    },
    state: () => Object.fromEntries([...buffers].map(([k, v]) => [`momentum:${k}`, v])),
    load(state) { for (const [k, v] of Object.entries(state)) if (k.startsWith('momentum:')) buffers.set(k.slice(9), v.slice()); },
  };
}
