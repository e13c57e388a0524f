// `head KIND {OPTION}` → plan.head: the recipe's description of a detection head lithe cannot recognise
// (LANGUAGE.md). Each kind takes its own options (HEAD_KINDS); anchors and strides must agree, one anchor
// list of (width, height) pairs per stride, so a decoder never meets a level without its anchors.
import type { OptionNode, Statement } from '../lang/ast.ts';
import { readArg } from './args.ts';
import { BOUNDS, rangeText, tooHigh, tooLow, type BoundName } from './bounds.ts';
import { HEAD_KINDS, HEAD_OPTIONS, MAX_ANCHORS_PER_LEVEL, MAX_HEAD_LEVELS, type HeadKind } from './declarations-meta.ts';
import { diag, type Emit } from './steps.ts';
import { unknownMessage } from './suggest.ts';
import type { HeadSpec } from './types.ts';

type HeadStatement = Extract<Statement, { kind: 'head' }>;

/** The head, or undefined when anything about it is wrong (every problem reported). */
export function lowerHead(s: HeadStatement, emit: Emit): HeadSpec | undefined {
  const kind = HEAD_KINDS.find((k) => k.name === s.head.value);
  if (!kind) {
    const { message, suggestion } = unknownMessage('head kind', s.head.value, HEAD_KINDS.map((k) => k.name));
    emit(diag('CMP1015', message, s.head.range, undefined, suggestion));
    return undefined;
  }
  const spec: HeadSpec = { kind: kind.name as HeadSpec['kind'] };
  const ranges = new Map<string, OptionNode>();
  let ok = true;
  for (const o of s.options) ok = lowerOption(o, kind, spec, ranges, emit) && ok;
  for (const r of kind.required) {
    if (spec[r as keyof HeadSpec] !== undefined || ranges.has(r)) continue;
    emit(diag('CMP2004', `head ${kind.name} needs ${r}: head yolo anchors [10,13, 16,30, 33,23], [30,61, 62,45, 59,119] strides 16, 32`, s.range));
    ok = false;
  }
  ok = levelsAgree(spec, ranges, emit) && ok;
  return ok ? spec : undefined;
}

function lowerOption(o: OptionNode, kind: HeadKind, spec: HeadSpec, seen: Map<string, OptionNode>, emit: Emit): boolean {
  const opt = HEAD_OPTIONS.find((h) => h.name === o.name.value);
  if (!opt) {
    const { message, suggestion } = unknownMessage('head option', o.name.value, HEAD_OPTIONS.map((h) => h.name));
    emit(diag('CMP1007', message, o.name.range, undefined, suggestion));
    return false;
  }
  if (!kind.options.includes(opt.name)) {
    const takers = HEAD_KINDS.filter((k) => k.options.includes(opt.name)).map((k) => `head ${k.name}`).join(', ');
    emit(diag('CMP4007', `head ${kind.name} takes no ${opt.name} (${opt.name} go with ${takers})`, o.range));
    return false;
  }
  if (seen.has(opt.name)) emit(diag('CMP4009', `${opt.name} is given twice in this head: the last one wins`, o.range));
  seen.set(opt.name, o); // given, if wrongly: no "needs anchors" besides
  const r = readArg(opt.arg, o);
  if (!r.ok) { emit(diag('CMP1008', r.problem.message, r.problem.range)); return false; }
  const checks: Record<string, () => boolean> = {
    anchors: () => anchorsValid(r.value as number[][], o, emit),
    classes: () => inRange('classes', [r.value as number], o, emit),
    strides: () => inRange('stride', r.value as number[], o, emit),
  };
  if (!checks[opt.name]!()) return false;
  (spec as unknown as Record<string, unknown>)[opt.name] = r.value;
  return true;
}

function inRange(bound: BoundName, values: number[], o: OptionNode, emit: Emit): boolean {
  if (values.length > MAX_HEAD_LEVELS && bound === 'stride') {
    emit(diag('CMP2003', `at most ${MAX_HEAD_LEVELS} strides (output levels); found ${values.length}`, o.range));
    return false;
  }
  const bad = values.find((v) => tooLow(bound, v) || tooHigh(bound, v));
  if (bad === undefined) return true;
  emit(diag('CMP2003', `${o.name.value} must be ${rangeText(BOUNDS[bound])}; found ${bad}`, o.range));
  return false;
}

/** Each level: (width, height) pairs of positive sizes, at most MAX_ANCHORS_PER_LEVEL of them. */
function anchorsValid(levels: number[][], o: OptionNode, emit: Emit): boolean {
  const fail = (message: string, at = o.range): boolean => { emit(diag('CMP2009', message, at)); return false; };
  if (levels.length > MAX_HEAD_LEVELS) return fail(`at most ${MAX_HEAD_LEVELS} anchor lists (output levels); found ${levels.length}`);
  for (const [i, level] of levels.entries()) {
    const at = o.args[i]?.range ?? o.range;
    if (!level.length || level.length % 2) return fail(`anchor list ${i + 1} holds ${level.length} numbers: anchors are (width, height) pairs`, at);
    if (level.length > 2 * MAX_ANCHORS_PER_LEVEL) return fail(`anchor list ${i + 1} holds ${level.length / 2} anchors; at most ${MAX_ANCHORS_PER_LEVEL} per level`, at);
    if (!inRange('anchor', level, { ...o, range: at }, emit)) return false;
  }
  return true;
}

/** One anchor list per stride. */
function levelsAgree(spec: HeadSpec, options: Map<string, OptionNode>, emit: Emit): boolean {
  const { anchors, strides } = spec;
  if (!anchors || !strides || anchors.length === strides.length) return true;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  emit(diag('CMP2009', `${plural(anchors.length, 'anchor list')} but ${plural(strides.length, 'stride')}: give one anchor list per stride (output level)`, options.get('strides')!.range));
  return false;
}
