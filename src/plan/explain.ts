// `lithe explain`: the resolved plan, step by step, in words. Every default says where it came from. With a
// model it can read, also its head and the layers each scope holds there (inferred or from the profile).
import type { Plan, ScopeDef } from './types.ts';
import { selectorText, type SelectorJson } from './selector.ts';

const isSelector = (v: unknown): v is SelectorJson =>
  !!v && typeof v === 'object' && ['glob', 'op', 'scope', 'union', 'except'].some((k) => k in (v as object));

export function valueText(v: unknown): string {
  if (isSelector(v)) return selectorText(v);
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k.replaceAll('_', ' ')} ${valueText(x)}`).join(', ');
  return String(v);
}

function scopeText(s: ScopeDef): string {
  return 'inferred' in s ? 'inferred from the model graph at run time' : `${selectorText(s.selector)}  (${s.from})`;
}

/** What explain says about the model itself, when it can read it: its head and what each scope holds. */
export interface ModelFacts {
  name: string;
  /** The head in words, or why none (describe.ts). */
  head: string;
  scopes: { name: string; from: string; nodes: number; layers: string[] }[];
  /** Lines about a step that only the model can tell (what a distill step pairs, what it predicts), by step index. */
  steps?: Map<number, string[]>;
  /** The input model's predicted figures (latency/describe.ts). */
  predicted?: string[];
}

const WRAP = 110;

/** Names joined with ', ' and wrapped under an indent. */
function wrapped(items: string[], indent: string): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const it of items) {
    if (cur && cur.length + it.length + 2 > WRAP) { lines.push(`${indent}${cur},`); cur = ''; }
    cur = cur ? `${cur}, ${it}` : it;
  }
  if (cur) lines.push(`${indent}${cur}`);
  return lines;
}

function modelText(m: ModelFacts): string[] {
  // as wide as the longest scope name, as the plan's scope list is
  const width = m.scopes.reduce((w, s) => Math.max(w, s.name.length), 'head'.length) + 2;
  const out = [`  in the model ${m.name}`, `    ${'head'.padEnd(width)}${m.head}`, ...(m.predicted ?? []).map((l) => `    ${l}`)];
  for (const s of m.scopes) {
    out.push(`    ${s.name.padEnd(width)}${s.layers.length} layer${s.layers.length === 1 ? '' : 's'} of ${s.nodes} node${s.nodes === 1 ? '' : 's'} (${s.from})`);
    out.push(...wrapped(s.layers.map((l) => `'${l}'`), '      '));
  }
  return out;
}

export function explain(plan: Plan, model?: ModelFacts): string {
  const out: string[] = [`plan for ${plan.source ?? 'recipe'}`];
  const row = (k: string, v: string): void => { out.push(`  ${k.padEnd(9)}${v}`); };
  row('model', plan.model ? (plan.model.zoo ? `zoo:${plan.model.zoo}` : plan.model.path!) : '(none: pass --model)');
  const teachers = Object.entries(plan.teachers);
  if (!teachers.some(([n]) => n === 'teacher')) row('teacher', 'the input model as it is before step 1');
  for (const [name, ref] of teachers) row('teacher', `${name}: ${ref.zoo ? `zoo:${ref.zoo}` : ref.path}`);
  row('data', plan.data ? valueText(plan.data) : '(none)');
  const t = plan.target;
  row('target', t ? `${t.name}: default precision ${t.precision}, round ${t.round}, calib ${t.calib}, export ${t.export}, opset ${t.opset}` : '(none: no device-specific checks)');
  row('input', plan.input ? `${plan.input[0]}x${plan.input[1]}` : 'from the model');
  if (plan.profile) row('profile', `stdlib/${plan.profile}.cmp`);
  out.push('  scopes');
  // A fold, not Math.max(...): a recipe and its used files may declare more scopes than a call takes arguments.
  const width = Object.keys(plan.scopes).reduce((w, k) => Math.max(w, k.length), 0) + 2;
  for (const [name, def] of Object.entries(plan.scopes)) out.push(`    ${name.padEnd(width)}${scopeText(def)}`);
  if (model) out.push(...modelText(model));
  out.push('  steps');
  if (!plan.steps.length) out.push('    (none)');
  for (const s of plan.steps) {
    out.push(`    ${s.index}. ${s.pass}  (line ${s.range.start.line})`);
    const keys = Object.keys(s.params);
    const kw = Math.max(0, ...keys.map((k) => k.length)) + 2;
    for (const k of keys) {
      const from = s.defaults[k] ? `  ← ${s.defaults[k]}` : '';
      out.push(`       ${k.padEnd(kw)}${valueText(s.params[k])}${from}`);
    }
    for (const l of model?.steps?.get(s.index) ?? []) out.push(`       ${l}`);
  }
  return `${out.join('\n')}\n`;
}
