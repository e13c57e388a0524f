// lithe explain FILE [--json] [--target T] [--model M]: the resolved plan, or the problems that prevent one;
// with a model it can read (the recipe's or --model), also the model's head and what each scope holds in it.
import { existsSync } from 'node:fs';
import type { ModelProto } from 'onnx-buf';
import { checkText } from '../../plan/build.ts';
import { explain, type ModelFacts } from '../../plan/explain.ts';
import type { Plan } from '../../plan/types.ts';
import { line } from '../../diagnostics/render.ts';
import { LitheError } from '../../errors.ts';
import { headFor, type HeadSpec } from '../../metrics/decode/head.ts';
import { headText, noHeadMessage } from '../../metrics/decode/describe.ts';
import { loadModel } from '../../onnx/io.ts';
import { setMetadata } from '../../onnx/make.ts';
import { prepareModel } from '../../onnx/prepare/index.ts';
import { scopeListing } from '../../run/scopes.ts';
import { zooByName } from '../../zoo/registry.ts';
import { EXIT, type Io } from '../io.ts';
import { readRecipe } from '../read.ts';

/** The model as a run would take it in: a file prepared, a zoo model built at the recipe's size. */
function inputModel(plan: Plan & { head?: HeadSpec }): ModelProto | undefined {
  const ref = plan.model;
  if (ref?.path) return existsSync(ref.path) ? prepareModel(loadModel(ref.path), { input: plan.input, file: ref.path, head: plan.head }).model : undefined;
  const zoo = ref?.zoo ? zooByName.get(ref.zoo) : undefined;
  if (!zoo) return undefined;
  const m = zoo.build({ size: plan.input?.[0] ?? zoo.defaultSize, seed: 0 });
  setMetadata(m, 'lithe.profile', zoo.profile);
  return m;
}

function modelFacts(plan: Plan): ModelFacts | undefined {
  const name = plan.model?.zoo ? `zoo:${plan.model.zoo}` : plan.model?.path ?? '';
  try {
    const model = inputModel(plan);
    if (!model) return undefined;
    const head = headFor(model);
    return { name, head: head ? headText(head, model) : noHeadMessage(model, name), scopes: scopeListing(plan, model) };
  } catch (e) {
    if (!(e instanceof LitheError)) throw e;
    return { name, head: `(cannot read the model: ${e.message})`, scopes: [] };
  }
}

export function runExplain(file: string, flags: { json: boolean; target?: string; model?: string }, io: Io): number {
  const text = readRecipe(file);
  const { plan, diagnostics } = checkText(file, text, { target: flags.target, model: flags.model });
  for (const d of diagnostics) io.err(`${line(d, file)}\n`);
  if (!plan) {
    io.err(`${file}: no plan: fix the errors above\n`);
    return EXIT.problems;
  }
  io.out(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : explain(plan, modelFacts(plan)));
  return EXIT.ok;
}
