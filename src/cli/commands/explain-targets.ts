// `lithe explain FILE --target a --target b`: the same recipe planned for several targets, side by side: what
// each target sets (precision, rounding, calibration, export, opset), the step parameters whose values or
// sources differ between them, and after each step the predicted size and latency on each target.
import type { ModelProto } from 'onnx-buf';
import type { Plan } from '../../plan/types.ts';
import { valueText } from '../../plan/explain.ts';
import { predictPlan, type Figures, type PlanPrediction } from '../../latency/steps.ts';
import { G, M, MiB, msText } from '../../latency/describe.ts';
import { loadTarget } from '../../targets/load.ts';
import { LitheError } from '../../errors.ts';

const KEY = 16;

/** A table row (a key and one cell per target), or a line of its own (a step's heading). */
type Line = string | { key: string; cells: string[] };
const row = (key: string, cells: string[]): Line => ({ key, cells });

/** The rows with each target's column as wide as its widest cell. */
function table(lines: Line[]): string[] {
  const widths: number[] = [];
  for (const l of lines) if (typeof l !== 'string') l.cells.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length + 3); });
  return lines.map((l) => (typeof l === 'string' ? l : `  ${l.key.padEnd(KEY)}${l.cells.map((c, i) => c.padEnd(widths[i]!)).join('').trimEnd()}`));
}
const short = (f: Figures, target: string) => `${M(f.params)}, ${G(f.macs)}, ${MiB(f.bytes)} ${f.precision}, ${msText(f.ms[target])}`;

/** Each plan's prediction on its own target, or why none. */
function predictions(plans: Plan[], model: ModelProto | undefined): (PlanPrediction | string)[] {
  return plans.map((p) => {
    if (!model) return 'no model to predict on';
    try {
      return predictPlan(p, model, [loadTarget(p.target!.name)]);
    } catch (e) {
      if (!(e instanceof LitheError)) throw e;
      return e.message;
    }
  });
}

export function explainTargets(file: string, plans: Plan[], model: ModelProto | undefined): string {
  const names = plans.map((p) => p.target!.name);
  const out: Line[] = [`plan for ${file} on ${names.length} targets`, row('', names)];
  const t = plans.map((p) => p.target!);
  out.push(row('precision', t.map((x) => `${x.precision} (default)`)), row('round', t.map((x) => String(x.round))));
  out.push(row('calib', t.map((x) => String(x.calib))), row('export', t.map((x) => `${x.export}, opset ${x.opset}`)));
  const pred = predictions(plans, model);
  out.push(row('model', pred.map((p, i) => (typeof p === 'string' ? p : short(p.input, names[i]!)))));
  plans[0]!.steps.forEach((s, k) => {
    out.push(`  ${s.index}. ${s.pass}  (line ${s.range.start.line})`);
    const keys = [...new Set(plans.flatMap((p) => Object.keys(p.steps[k]?.params ?? {})))];
    for (const key of keys) {
      const cells = plans.map((p) => { const st = p.steps[k]; const v = st?.params[key]; return v === undefined ? '-' : `${valueText(v)}${st!.defaults[key] ? `  ← ${st!.defaults[key]}` : ''}`; });
      out.push(row(`   ${key}`, cells));
    }
    out.push(row('   predicts', pred.map((p, i) => {
      if (typeof p === 'string') return '-';
      if (p.stopped?.index === s.index) return `nothing: ${p.stopped.why}`;
      const f = p.steps.find((x) => x.index === s.index);
      return f ? short(f, names[i]!) : '-';
    })));
  });
  return `${table(out).join('\n')}\n`;
}
