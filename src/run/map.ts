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

const NO_LABELS = 'data images has no labels';
const NO_VAL_LABELS = 'the val split';

/** Why the run cannot measure mAP (a sentence), or undefined when it can. `val` loads the val split. */
export function noMapReason(plan: Plan, model: ModelProto, val: () => CocoSet): string | undefined {
  if (!plan.data) return 'the recipe declares no data';
  if (plan.data.format === 'images') return NO_LABELS;
  if (plan.head?.kind === 'none') return 'the recipe says head none';
  const noHead = mapUnavailable(model, plan.head);
  if (noHead) return noHead;
  const v = val();
  if (!v.gt.annotations.length) return `${NO_VAL_LABELS} (${v.name ?? 'of the data set'}) has no annotations`;
  return undefined;
}

/** Steps that need mAP or the detection loss, as `step N (pass, line L): why`; with `labelsOnly`, the steps
 *  that need labels (not those that need only a decodable head: distill on images decodes the teacher's
 *  detections). A need that comes
 *  from a default (`eval` alone: all the data allows) is not the recipe's: that step measures what it can. */
export function stepsNeedingLabels(plan: Plan, labelsOnly = false): string[] {
  return plan.steps.flatMap((s) => {
    const needs = passByName.get(s.pass)?.needs?.(s.params) ?? [];
    const n = needs.find((x) => (labelsOnly ? x.what === 'labels' : x.what !== 'data') && !(x.at && s.defaults[x.at.split('.')[0]!]));
    return n ? [`step ${s.index} (${s.pass}, line ${s.range.start.line}): ${n.why}`] : [];
  });
}

/** Before anything is measured: a run whose steps need mAP or labels it cannot have stops here, saying why. */
export function requireMap(plan: Plan, why: string | undefined): void {
  // without labels (but with a head), a step that needs only the head (to decode a teacher) still runs
  const steps = why ? stepsNeedingLabels(plan, why === NO_LABELS || why.startsWith(NO_VAL_LABELS)) : [];
  if (steps.length) throw new RunError(`mAP cannot be measured (${why}), and these steps need it or the labels:\n${steps.map((s) => `  ${s}`).join('\n')}`);
}
