// A plan's steps, predicted: after each step the model's parameters, MACs, size and latency on each target,
// from the graph the steps would leave (effects.ts) and the targets' latency models; nothing is run.
import type { ModelProto } from 'onnx-buf';
import { LitheError } from '../errors.ts';
import { Graph } from '../onnx/graph.ts';
import { defaultOpset } from '../onnx/io.ts';
import { DEFAULT_OPSET } from '../onnx/make.ts';
import { modelStats } from '../onnx/stats.ts';
import type { Plan } from '../plan/types.ts';
import type { Precision, Target } from '../targets/target.ts';
import { EFFECTS, type State } from './effects.ts';
import { predictGraph, WIDTH } from './predict.ts';

export interface Figures {
  params: number; macs: number;
  /** Weight bytes at the precision. */
  bytes: number;
  precision: Precision;
  /** Milliseconds per target, or why there is no prediction there. */
  ms: Record<string, number | string>;
}
/** `changed`: false for a step that leaves the graph and precision as they are (distill, eval, export). */
export interface StepFigures extends Figures { index: number; notes: string[]; changed: boolean }
export interface PlanPrediction { input: Figures; steps: StepFigures[]; stopped?: { index: number; why: string } }

function figures(s: State, targets: readonly Target[]): Figures {
  const g = Graph.fromModel(s.model);
  const opset = defaultOpset(s.model) ?? DEFAULT_OPSET;
  const stats = modelStats(g, opset);
  const ms: Record<string, number | string> = {};
  for (const t of targets) {
    try {
      ms[t.name] = predictGraph(g, opset, t, { precision: s.precision }).ms;
    } catch (e) {
      if (!(e instanceof LitheError)) throw e;
      ms[t.name] = e.message;
    }
  }
  return { params: stats.params, macs: stats.macs, bytes: (stats.weightBytes * WIDTH[s.precision]) / WIDTH.fp32, precision: s.precision, ms };
}

/** The input model's figures, then each step's; a step whose effect cannot be predicted stops the list. */
export function predictPlan(plan: Plan, model: ModelProto, targets: readonly Target[]): PlanPrediction {
  let state: State = { model, precision: 'fp32', notes: [] };
  const out: PlanPrediction = { input: figures(state, targets), steps: [] };
  let last = out.input;
  for (const step of plan.steps) {
    const effect = Object.hasOwn(EFFECTS, step.pass) ? EFFECTS[step.pass] : undefined;
    try {
      state = effect ? effect(state, step, plan) : { ...state, notes: [] };
    } catch (e) {
      if (!(e instanceof LitheError)) throw e;
      out.stopped = { index: step.index, why: e.message };
      return out;
    }
    if (effect) last = figures(state, targets);
    out.steps.push({ ...last, index: step.index, notes: state.notes, changed: !!effect });
  }
  return out;
}
