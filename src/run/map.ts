// Whether a run measures mAP, and if not, why. mAP needs boxes to score against (a labelled data set whose
// val split has annotations: not `data images`) and a head that decodes the model's outputs (not `head
// none`; a head the model describes, or one the recipe declares). Without them a run still compresses and
// measures the rest: its report leaves mAP out, unless a step needs mAP or the detection loss, which stops
// the run before it starts (the checker has said so already when it could know: CMP4011).
import type { ModelProto } from 'onnx-buf';
import type { CocoSet } from '../data/coco.ts';
import { mapUnavailable } from '../metrics/decode/describe.ts';
import { passByName } from '../passes/registry.ts';
import type { Plan } from '../plan/types.ts';
import { RunError } from './types.ts';

/** Why the run cannot measure mAP (a sentence), or undefined when it can. `val` loads the val split. */
export function noMapReason(plan: Plan, model: ModelProto, val: () => CocoSet): string | undefined {
  if (!plan.data) return 'the recipe declares no data';
  if (plan.data.format === 'images') return 'data images has no labels';
  if (plan.head?.kind === 'none') return 'the recipe says head none';
  const noHead = mapUnavailable(model, plan.head);
  if (noHead) return noHead;
  const v = val();
  if (!v.gt.annotations.length) return `the val split (${v.name ?? 'of the data set'}) has no annotations`;
  return undefined;
}

/** Steps that need mAP or the detection loss, as `step N (pass, line L): why`. A need that comes from a
 *  default (`eval` alone: all the data allows) is not the recipe's: that step measures what it can. */
export function stepsNeedingLabels(plan: Plan): string[] {
  return plan.steps.flatMap((s) => {
    const needs = passByName.get(s.pass)?.needs?.(s.params) ?? [];
    const n = needs.find((x) => x.what !== 'data' && !(x.at && s.defaults[x.at.split('.')[0]!]));
    return n ? [`step ${s.index} (${s.pass}, line ${s.range.start.line}): ${n.why}`] : [];
  });
}

/** Before anything is measured: a run whose steps need mAP or labels it cannot have stops here, saying why. */
export function requireMap(plan: Plan, why: string | undefined): void {
  const steps = why ? stepsNeedingLabels(plan) : [];
  if (steps.length) throw new RunError(`mAP cannot be measured (${why}), and these steps need it or the labels:\n${steps.map((s) => `  ${s}`).join('\n')}`);
}
