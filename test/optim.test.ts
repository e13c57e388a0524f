// Optimizers, schedules, EMA and clipping against values worked out by hand (PyTorch's update rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sgd } from '../src/train/optim/sgd.ts';
import { adamw } from '../src/train/optim/adamw.ts';
import { schedule } from '../src/train/optim/schedule.ts';
import { Ema } from '../src/train/optim/ema.ts';
import { clipGradNorm, gradNorm } from '../src/train/optim/clip.ts';

const weights = (w: number[], g: number[]) => ({ values: new Map([['w', Float32Array.from(w)]]), grads: new Map([['w', Float32Array.from(g)]]) });
const near = (a: ArrayLike<number>, b: number[], tol = 1e-6) => b.forEach((x, i) => assert.ok(Math.abs(a[i]! - x) < tol, `${Array.from(a)} vs ${b}`));

test('SGD with momentum and decay: v = μv + g + λw; w -= lr·v (Nesterov: w -= lr·(g + λw + μv))', () => {
  const w = weights([1], [0.5]);
  const plain = sgd({ momentum: 0.9, weightDecay: 0.1 });
  plain.step(w, 0.1); // d = 0.5 + 0.1 = 0.6, v = 0.6, w = 1 - 0.06
  near(w.values.get('w')!, [0.94]);
  plain.step(w, 0.1); // d = 0.5 + 0.094 = 0.594, v = 0.54 + 0.594 = 1.134
  near(w.values.get('w')!, [0.94 - 0.1134]);
  const n = weights([1], [0.5]);
  sgd({ momentum: 0.9, nesterov: true }).step(n, 0.1); // v = 0.5, step = 0.5 + 0.45
  near(n.values.get('w')!, [1 - 0.095]);
});

test('AdamW: the first step moves each weight by lr against its gradient sign, decay decoupled', () => {
  const w = weights([1, -2], [0.3, -4]);
  adamw({ weightDecay: 0.1 }).step(w, 0.01);
  near(w.values.get('w')!, [1 * (1 - 0.001) - 0.01, -2 * (1 - 0.001) + 0.01], 1e-6);
});

test('optimizer state round-trips, so a resumed run continues exactly', () => {
  const [a, b] = [weights([1], [0.5]), weights([1], [0.5])];
  const first = adamw();
  first.step(a, 0.1);
  const second = adamw();
  second.load(first.state());
  b.values.get('w')!.set(a.values.get('w')!);
  first.step(a, 0.1);
  second.step(b, 0.1);
  assert.deepEqual(a.values.get('w'), b.values.get('w'));
});

test('schedules: linear warm-up, then cosine down to final·lr at the last step', () => {
  const s = schedule({ lr: 0.01, steps: 110, warmup: 10, warmupStart: 0.1, final: 0.01 });
  near([s(0), s(5), s(10), s(109)], [0.001, 0.0055, 0.01, 0.0001], 1e-9);
  assert.ok(s(60) < 0.01 && s(60) > 0.0001);
  assert.equal(schedule({ lr: 0.1, steps: 5, kind: 'constant' })(4), 0.1);
});

test('EMA ramps its decay: the first updates mostly take the new weights', () => {
  const src = new Map([['w', Float32Array.of(0)]]);
  const ema = new Ema(src, 0.9999, 2000);
  src.get('w')![0] = 1;
  ema.update(src);
  const d = 0.9999 * (1 - Math.exp(-1 / 2000));
  near(ema.values.get('w')!, [1 - d]);
});

test('clipping scales gradients to the maximum global norm and reports the norm before', () => {
  const g = new Map([['a', Float32Array.of(3)], ['b', Float32Array.of(4)]]);
  assert.equal(clipGradNorm(g, 1), 5);
  near([gradNorm(g)], [1]);
  const bad = new Map([['a', Float32Array.of(NaN)]]);
  assert.ok(Number.isNaN(clipGradNorm(bad, 1)));
});
