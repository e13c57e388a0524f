// AdamW: Adam's moment estimates with bias correction, and weight decay applied to the weights directly,
// decoupled from the gradient (Loshchilov & Hutter; PyTorch's AdamW).
import type { Optimizer, Weights } from './types.ts';

export interface AdamWOptions { beta1?: number; beta2?: number; eps?: number; weightDecay?: number; decays?: (name: string) => boolean }

export function adamw(opts: AdamWOptions = {}): Optimizer {
  const b1 = opts.beta1 ?? 0.9;
  const b2 = opts.beta2 ?? 0.999;
  const eps = opts.eps ?? 1e-8;
  const wd = opts.weightDecay ?? 0.01;
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  const t = new Float32Array(1);
  const moment = (store: Map<string, Float32Array>, name: string, n: number) => store.get(name) ?? store.set(name, new Float32Array(n)).get(name)!;
  return {
    id: 'adamw',
    step({ values, grads }: Weights, lr: number) {
      t[0]!++;
      const c1 = 1 - b1 ** t[0]!;
      const c2 = 1 - b2 ** t[0]!;
      for (const [name, g] of grads) {
        const w = values.get(name)!;
        const mm = moment(m, name, w.length);
        const vv = moment(v, name, w.length);
        const shrink = 1 - lr * (wd && (opts.decays?.(name) ?? true) ? wd : 0);
        for (let i = 0; i < w.length; i++) {
          mm[i] = b1 * mm[i]! + (1 - b1) * g[i]!;
          vv[i] = b2 * vv[i]! + (1 - b2) * g[i]! * g[i]!;
          w[i] = w[i]! * shrink - (lr * (mm[i]! / c1)) / (Math.sqrt(vv[i]! / c2) + eps);
        }
      }
    },
    state: () => ({ t, ...Object.fromEntries([...m].map(([k, x]) => [`m:${k}`, x])), ...Object.fromEntries([...v].map(([k, x]) => [`v:${k}`, x])) }),
    load(state) {
      for (const [k, x] of Object.entries(state)) {
        if (k === 't') t.set(x);
        else if (k.startsWith('m:')) m.set(k.slice(2), x.slice());
        else if (k.startsWith('v:')) v.set(k.slice(2), x.slice());
      }
    },
  };
}
