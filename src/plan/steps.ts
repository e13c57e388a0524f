// A step statement → a StepDraft → a checked PlanStep: the head through the pass's `fromHead`, the options
// through their declared argument kinds, then defaults (`set`, data, target, the pass's own), the lint
// rules, and last the pass's JSON Schema.
import type { ErrorObject } from 'ajv';
import type { OptionNode, StepNode } from '../lang/ast.ts';
import { spanRanges, type Range } from '../lang/range.ts';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.ts';
import { codeDoc } from '../diagnostics/codes.ts';
import { passByName } from '../passes/registry.ts';
import { emptyDraft } from '../passes/draft.ts';
import type { OptionSpec, PassDef, StepDraft } from '../passes/types.ts';
import type { Target } from '../targets/target.ts';
import { readArg } from './args.ts';
import { rulesFor } from './rules/registry.ts';
import type { Rule, RuleContext } from './rules/types.ts';
import { validateParams } from './schema.ts';
import { selectorJson } from './selector.ts';
import { nearest, unknownMessage } from './suggest.ts';
import { KEYWORDS } from '../lang/tokens.ts';
import type { DataDecl } from './types.ts';

export type Emit = (d: Diagnostic) => void;

export function diag(code: string, message: string, range: Range, severity?: Severity, fix?: string): Diagnostic {
  const d: Diagnostic = { code, severity: severity ?? codeDoc.get(code)?.severity ?? 'error', message, range };
  if (fix !== undefined) d.fix = { range, text: fix };
  return d;
}

export { emptyDraft };

/** The .cmp statement → a draft, reporting unknown options and badly typed arguments. */
export function draftFromAst(step: StepNode, emit: Emit): StepDraft {
  const pass = passByName.get(step.verb.value)!;
  const draft = emptyDraft(pass.name, step.range);
  pass.fromHead(step, draft);
  for (const o of step.options) applyOption(pass, o, draft, emit);
  return draft;
}

function applyOption(pass: PassDef, o: OptionNode, draft: StepDraft, emit: Emit): void {
  const spec = pass.options.find((s) => s.name === o.name.value);
  if (!spec) return emit(unknownOption(pass, o));
  const r = readArg(spec.arg, o);
  if (!r.ok) {
    const known = typeof spec.arg === 'object' ? spec.arg.enum : [];
    const word = o.args[0]?.kind === 'word' ? o.args[0].value : '';
    const fix = r.problem.code === 'enum' ? nearest(word, known) : undefined;
    const msg = r.problem.code === 'enum' ? unknownMessage(spec.name, word, known).message : r.problem.message;
    return emit(diag(r.problem.code === 'enum' ? 'CMP1011' : 'CMP1008', msg, r.problem.range, undefined, fix));
  }
  const param = spec.param ?? spec.name.replaceAll('-', '_');
  let value = spec.value !== undefined ? spec.value : r.value;
  if (typeof spec.arg === 'object') {
    const { name, value: n } = value as { name: string; value?: number };
    value = name;
    if (n !== undefined && spec.arg.numberParam) setParam(draft, spec.arg.numberParam, n, o.range);
  }
  if (spec.arg === 'selector' && o.selector) {
    draft.selectors[param] = o.selector;
    value = selectorJson(o.selector);
  }
  combine(draft, spec, param, value, o, emit);
  // The argument alone, for a quick fix that replaces it (`round 6` → `round 8`).
  if (o.args.length) draft.ranges[`${param}@value`] = spanRanges(o.args[0]!.range, o.args[o.args.length - 1]!.range);
}

function combine(draft: StepDraft, spec: OptionSpec, param: string, value: unknown, o: OptionNode, emit: Emit): void {
  const prev = draft.params[param];
  if (prev !== undefined && spec.combine === 'append') {
    if ((prev as unknown[]).includes(value)) return emit(diag('CMP4009', `${o.name.value} is given twice in this step`, o.range));
    // the range grows to cover every option that added to the list (`eval map latency`)
    return setParam(draft, param, [...(prev as unknown[]), value], spanRanges(draft.ranges[param] ?? o.range, o.range));
  }
  if (spec.combine === 'append') return setParam(draft, param, [value], o.range);
  if (prev !== undefined && spec.combine === 'merge') return setParam(draft, param, merge(prev as object, value as object), o.range);
  if (prev !== undefined) emit(diag('CMP4009', `${param} is given twice in this step: the last one (${o.name.value}) wins`, o.range));
  setParam(draft, param, value, o.range);
}

/**
 * `weight a 1 weight b 2`: the second object's entries added to the first (which this draft owns), in place:
 * a copy per option would make a step of many options quadratic. Defined, not assigned, so a key named
 * `__proto__` is an entry like any other.
 */
function merge(into: object, more: object): object {
  for (const [k, v] of Object.entries(more)) Object.defineProperty(into, k, { value: v, enumerable: true, writable: true, configurable: true });
  return into;
}

function setParam(draft: StepDraft, param: string, value: unknown, range: Range): void {
  draft.params[param] = value;
  draft.ranges[param] = range;
}

function unknownOption(pass: PassDef, o: OptionNode): Diagnostic {
  const word = o.name.value;
  if ((KEYWORDS as readonly string[]).includes(word) && passByName.has(word)) {
    return diag('CMP1007', `'${word}' starts a new statement: put ';' or a newline before it`, o.name.range);
  }
  const known = pass.options.map((s) => s.name);
  if (!known.length) return diag('CMP1007', `${pass.name} takes no options; unexpected '${word}'`, o.name.range);
  const { message, suggestion } = unknownMessage(`${pass.name} option`, word, known);
  return diag('CMP1007', message, o.name.range, undefined, suggestion);
}

/** What defaults may draw on at a step: the `set` values before it, the data and the target. */
export interface DefaultFacts {
  sets: ReadonlyMap<string, { value: unknown; line: number }>;
  data?: DataDecl;
  target?: Target;
  /** The data has labels and a head decodes the model: mAP can be measured. */
  hasLabels?: boolean;
}

export function applyDefaults(draft: StepDraft, facts: DefaultFacts): void {
  const pass = passByName.get(draft.pass)!;
  for (const d of pass.defaults) {
    if (draft.params[d.param] !== undefined || (d.when && !d.when(draft.params))) continue;
    const [value, from] = defaultValue(d, facts);
    if (value === undefined) continue;
    draft.params[d.param] = value;
    draft.defaults[d.param] = from;
  }
}

function defaultValue(d: PassDef['defaults'][number], facts: DefaultFacts): [unknown, string] {
  if ('set' in d) { const s = facts.sets.get(d.set); return [s?.value, `set ${d.set}`]; }
  if ('data' in d) return [facts.data?.[d.data], `data ${d.data}`];
  if ('target' in d) return [facts.target?.defaults[d.target], `target ${facts.target?.name}`];
  if ('computed' in d) return [d.computed({ hasData: !!facts.data, hasLabels: !!facts.hasLabels }), d.why];
  return [d.value, 'default'];
}

/** Lint rules, then the pass's schema for whatever the rules did not already explain. */
/** What one step's check has reported: the error count, and the parameters (or `*`) already explained. */
interface StepFindings { errors: number; flagged: Set<string>; emit: Emit }

function record(st: StepFindings, d: Diagnostic, at?: string): void {
  if (d.severity === 'error') {
    st.errors++;
    if (at) st.flagged.add(at.split(/[.@]/)[0]!);
  }
  st.emit(d);
}

export function checkDraft(draft: StepDraft, ctx: RuleContext, emit: Emit): boolean {
  const st: StepFindings = { errors: 0, flagged: new Set(), emit };
  // `1e999` (or YAML's .inf) would reach the plan as Infinity, which JSON writes as null.
  for (const param in draft.params) {
    if (hasInfinity(draft.params[param])) record(st, diag('CMP2003', `${param} is too large a number${limitOf(draft.pass, param)}`, draft.ranges[param] ?? draft.range), param);
  }
  const rules = rulesFor(draft.pass);
  const run = (rule: Rule) => rule.check(draft, ctx, (f) => {
    const range = f.range ?? (f.at ? draft.ranges[f.at] : undefined) ?? draft.range;
    const d = diag(f.code, f.message, range, f.severity, f.fix);
    const fixRange = f.fixAt ? draft.ranges[f.fixAt] : undefined;
    if (d.fix && fixRange) d.fix.range = fixRange;
    if (f.related) d.related = f.related;
    record(st, d, f.at ?? '*');
  });
  for (const rule of rules) if (!rule.wellFormed) run(rule);
  if (st.flagged.has('*')) return false;
  for (const e of validateParams(draft.pass, draft.params)) {
    const param = paramOf(e);
    if (param && st.flagged.has(param)) continue;
    st.flagged.add(param ?? '*');
    record(st, schemaDiagnostic(draft, e, param), param);
  }
  if (st.errors === 0) for (const rule of rules) if (rule.wellFormed) run(rule);
  return st.errors === 0;
}

/** `; at most N` when the parameter's schema has a maximum. */
function limitOf(pass: string, param: string): string {
  const props = passByName.get(pass)?.params.properties as Record<string, { maximum?: number }> | undefined;
  const max = props && Object.hasOwn(props, param) ? props[param]!.maximum : undefined;
  return max === undefined ? '' : ` (at most ${max})`;
}

function hasInfinity(v: unknown): boolean {
  if (typeof v === 'number') return v === Infinity || v === -Infinity;
  return !!v && typeof v === 'object' && Object.values(v).some(hasInfinity);
}

/** The top-level parameter an error is about (errors inside a parameter's value belong to that parameter). */
function paramOf(e: ErrorObject): string | undefined {
  const top = e.instancePath.split('/')[1];
  if (top) return top;
  if (e.keyword === 'required') return (e.params as { missingProperty: string }).missingProperty;
  if (e.keyword === 'additionalProperties') return (e.params as { additionalProperty: string }).additionalProperty;
  return undefined;
}

const RANGE_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minLength', 'maxLength']);
const UPPER_KEYWORDS = new Set(['maximum', 'maxItems', 'maxLength']);

function upperDetail(e: ErrorObject, value: unknown): string {
  if (e.keyword === 'maximum' && typeof value === 'number') return `; found ${value}`;
  if (Array.isArray(value) || typeof value === 'string') return `; found ${value.length}`;
  return '';
}

function schemaDiagnostic(draft: StepDraft, e: ErrorObject, param: string | undefined): Diagnostic {
  const pass = passByName.get(draft.pass)!;
  const range = (param && draft.ranges[param]) || draft.range;
  const atRoot = e.instancePath === '';
  const where = e.instancePath.slice(1).replaceAll('/', '.') || pass.name;
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return diag('CMP2004', atRoot ? `${pass.name} needs ${param}: ${pass.syntax}` : `${where} needs ${missing}`, range);
  }
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    if (!atRoot) return diag('CMP1007', `${where} has no '${extra}'`, range);
    const known = Object.keys((pass.params.properties as object) ?? {});
    if (!known.length) return diag('CMP1007', `${pass.name} takes no options; unexpected '${param}'`, draft.ranges[`key:${param}`] ?? range);
    const { message, suggestion } = unknownMessage(`${pass.name} option`, param!, known);
    return diag('CMP1007', message, draft.ranges[`key:${param}`] ?? range, undefined, suggestion);
  }
  const value = e.instancePath.split('/').slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], draft.params);
  // An upper limit says the value it found: `epochs must be <= 10000; found 1e+26`.
  if (UPPER_KEYWORDS.has(e.keyword)) return diag('CMP2003', `${where} ${e.message}${upperDetail(e, value)}`, range);
  if (RANGE_KEYWORDS.has(e.keyword)) return diag('CMP2003', `${where} ${e.message}`, range);
  if (e.keyword === 'enum' && typeof value === 'string') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
    const { message, suggestion } = unknownMessage(where, value, allowed);
    return diag('CMP1011', message, range, undefined, suggestion);
  }
  if (['type', 'enum', 'oneOf', 'const', 'uniqueItems', 'propertyNames', 'pattern'].includes(e.keyword)) {
    const allowed = e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
    return diag('CMP1008', `${where} ${e.message}${allowed}`, range);
  }
  return diag('CMP4008', `${where} ${e.message}`, range);
}
