// One training step checked against float64: the loss against the reference evaluator's, and sampled
// weight gradients (onnxruntime's, and the backward graph's own in float64) against central differences.
// The autodiff tests check whole zoo training graphs with it; the distillation tests check each loss.
import assert from 'node:assert/strict';
import type { TrainingSession } from '../../src/train/session.ts';
import { mulberry32 } from '../../src/util/random.ts';
import { from32, Reference64, runAll64, sample } from './gradcheck.ts';
import { relativeError } from './ref64/fd.ts';
import type { T64 } from './ref64/run.ts';

/** Feeds for run64 of a session's training graph: the step's feeds, the weights and the running statistics. */
export function feeds64(session: TrainingSession, feeds: Record<string, Float32Array>): Record<string, T64> {
  const out: Record<string, T64> = {};
  for (const f of session.graph.feeds) out[f.name] = from32(f.shape, feeds[f.name]!);
  for (const s of [...session.graph.params, ...session.graph.state]) out[s.name] = from32(s.shape, session.values.get(s.name)!);
  return out;
}

/** Three elements with a nonzero gradient (a 3x3 kernel over a 1x1 map reaches its input through its centre
 * only, so most of its elements have none), and one drawn from all, so a gradient wrongly zero can show. */
function sampleWeights(g: Float32Array, rng: () => number): number[] {
  const nonzero = [...g.keys()].filter((i) => g[i] !== 0);
  const picked = new Set(sample(nonzero.length, 3, rng).map((k) => nonzero[k]!));
  picked.add(Math.floor(rng() * g.length));
  return [...picked].sort((a, b) => a - b);
}

export interface StepCheck {
  /** Weights checked at a few elements each, and one checked at all its elements. */
  sampled: string[];
  whole: string;
  /** The scale the loss's error is relative to (the loss itself when left out). */
  scale?: (values: Map<string, T64>) => number;
}

/** One step: the loss against run64's, and the sampled gradients against central differences. */
export async function checkStep(t: { diagnostic(m: string): void }, session: TrainingSession, feeds: Record<string, Float32Array>, check: StepCheck): Promise<void> {
  const fed = feeds64(session, feeds);
  const reference = new Reference64(session.graph.model, fed, session.graph.loss);
  const all64 = runAll64(session.graph.model, fed);
  const loss = await session.step(feeds);
  const scale = check.scale?.(reference.values) ?? Math.abs(reference.value);
  const lossError = Math.abs(loss - reference.value) / scale;
  t.diagnostic(`loss ${loss} (float64 ${reference.value}): relative error ${lossError.toExponential(2)}${check.scale ? ` of the scale ${scale.toPrecision(4)}` : ''}`);
  const pick = mulberry32(7);
  const bad: string[] = [];
  for (const name of [...check.sampled, check.whole]) {
    const g = session.grads.get(name);
    assert.ok(g, `no gradient for ${name}`);
    const idx = name === check.whole ? sample(g.length, g.length, pick) : sampleWeights(g, pick);
    const fd = reference.gradient(name, idx);
    assert.ok(fd.some((v) => v !== 0), `${name}: the sampled elements do not affect the loss`);
    const ort32 = relativeError(idx.map((i) => g[i]!), fd);
    const grad64 = all64.get(session.graph.params.find((p) => p.name === name)!.grad)!.data;
    const back64 = relativeError(idx.map((i) => grad64[i]!), fd);
    t.diagnostic(`${name} [${idx.length}]: onnxruntime ${ort32.toExponential(2)}, backward in float64 ${back64.toExponential(2)}`);
    if (!(ort32 < 1e-3)) bad.push(`${name}: onnxruntime's gradient has relative error ${ort32}`);
    if (!(back64 < 1e-4)) bad.push(`${name}: the float64 backward graph's gradient has relative error ${back64}`);
  }
  assert.ok(lossError < 1e-5, `loss ${loss} vs float64 ${reference.value}: relative error ${lossError}`);
  assert.deepEqual(bad, []);
}
