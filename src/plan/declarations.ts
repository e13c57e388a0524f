// Lowering of the declarations that carry values: data, input, head and set.
import type { Literal, OptionNode, Statement } from '../lang/ast.ts';
import { asInt, readArg } from './args.ts';
import { BOUNDS, rangeText, tooHigh, tooLow } from './bounds.ts';
import { pathProblem } from './paths.ts';
import type { Range } from '../lang/range.ts';
import { DATA_FORMATS, DATA_OPTIONS, SET_KEYS, type DataFormat } from './declarations-meta.ts';
import { diag, type Emit } from './steps.ts';
import { unknownMessage } from './suggest.ts';
import type { DataDecl } from './types.ts';
export { lowerHead } from './head.ts';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export function lowerData(s: Of<'data'>, emit: Emit): DataDecl | undefined {
  const names = DATA_FORMATS.map((f) => f.name);
  const format = DATA_FORMATS.find((f) => f.name === s.format.value);
  if (!format) {
    const { message, suggestion } = unknownMessage('data format', s.format.value, names);
    emit(diag('CMP1009', message, s.format.range, undefined, suggestion));
    return undefined;
  }
  const decl: DataDecl = { format: format.name };
  if (format.needsPath && !s.path) emit(diag('CMP2004', `data ${format.name} needs a path: data ${format.name} "PATH"`, s.range));
  if (!format.needsPath && s.path) emit(diag('CMP1008', `data ${format.name} takes no path`, s.path.range));
  if (s.path && pathChecked(s.path.value, s.path.range, emit)) decl.path = s.path.value;
  for (const o of s.options) lowerDataOption(o, decl, format, emit);
  unitsLookWrong(s.options, decl, emit);
  return decl;
}

function lowerDataOption(o: OptionNode, decl: DataDecl, format: DataFormat, emit: Emit): void {
  const spec = DATA_OPTIONS.find((d) => d.name === o.name.value);
  if (!spec) {
    const { message, suggestion } = unknownMessage('data option', o.name.value, DATA_OPTIONS.map((d) => d.name));
    return emit(diag('CMP1007', message, o.name.range, undefined, suggestion));
  }
  if (spec.formats && !spec.formats.includes(format.name)) {
    return emit(diag('CMP4007', `${spec.name} does not apply to data ${format.name} (only to data ${spec.formats.join(', ')})`, o.range));
  }
  const arg = o.args[0];
  const set = (v: unknown): void => { (decl as unknown as Record<string, unknown>)[spec.name] = v; };
  if (spec.arg === 'int-or-string') {
    const v = arg && (arg.kind === 'string' ? arg.value : asInt(arg));
    if (v === undefined || o.args.length !== 1) return emit(diag('CMP1008', `${spec.name} expects a number or a path in quotes`, arg?.range ?? o.range));
    if (typeof v === 'string') return pathChecked(v, arg!.range, emit) ? set(v) : undefined;
    const high = tooHigh('images', v, spec.name);
    if (v < 1 || high) return emit(diag('CMP2003', high ?? `${spec.name} must be at least 1`, arg!.range));
    return set(v);
  }
  const r = readArg(spec.arg, o);
  if (!r.ok) return emit(diag('CMP1008', r.problem.message, r.problem.range));
  if (typeof r.value === 'string' && !pathChecked(r.value, arg!.range, emit)) return;
  if (Array.isArray(r.value)) return channelValues(spec.name as 'mean' | 'std', r.value as number[], o, emit) ? set(r.value) : undefined;
  if (typeof r.value === 'number') {
    const bound = spec.name === 'seed' ? 'seed' : 'calib';
    if (tooLow(bound, r.value)) return emit(diag('CMP2003', `${spec.name} must be at least ${BOUNDS[bound].min}`, arg!.range));
    const high = tooHigh(bound, r.value, spec.name);
    if (high) return emit(diag('CMP2003', high, arg!.range));
  }
  set(r.value);
}

/** `mean [R, G, B]` / `std [R, G, B]`: one value per channel, each in its range. */
function channelValues(name: 'mean' | 'std', values: number[], o: OptionNode, emit: Emit): boolean {
  if (values.length !== 3) {
    emit(diag('CMP1008', `${name} expects 3 numbers, one per channel (as in ${name} [${name === 'mean' ? '123.675, 116.28, 103.53' : '58.395, 57.12, 57.375'}]); found ${values.length}`, o.range));
    return false;
  }
  const b = BOUNDS[name];
  const bad = values.find((v) => tooLow(name, v) || v > b.max);
  if (bad === undefined) return true;
  emit(diag('CMP2003', `${name} values must be ${rangeText(b)} (pixel units); found ${bad}`, o.range));
  return false;
}

/** mean and std are in pixel units (0-255); values that all lie in 0-1 are almost surely normalised ones
 * (torchvision's [0.485, 0.456, 0.406]), which would feed the model values 255 times too large. */
function unitsLookWrong(options: OptionNode[], decl: DataDecl, emit: Emit): void {
  const small = (v: readonly number[] | undefined, some: boolean): boolean => !!v && v.every((x) => x <= 1) && (!some || v.some((x) => x > 0));
  if (!small(decl.std, false) && !small(decl.mean, true)) return;
  const at = options.find((o) => o.name.value === (small(decl.std, false) ? 'std' : 'mean'))!;
  const scaled = (v: readonly number[]) => `[${v.map((x) => Number((x * 255).toFixed(3))).join(', ')}]`;
  const fix = [decl.mean && `mean ${scaled(decl.mean)}`, decl.std && `std ${scaled(decl.std)}`].filter(Boolean).join(' ');
  emit(diag('CMP2010', `mean and std are in pixel units (0 to 255), and these look like 0-1 values: the model would get inputs 255 times too large; did you mean ${fix}?`, at.range));
}

export function lowerInput(s: Of<'input'>, emit: Emit): [number, number] | undefined {
  const l = s.size;
  const hw: [number, number] | undefined = l.kind === 'size' ? l.value : l.kind === 'number' ? [l.value, l.value] : undefined;
  if (!hw || !hw.every((n) => Number.isInteger(n) && n > 0)) {
    emit(diag('CMP2005', `input expects a size in pixels, as in 416 or 416x416; found '${l.text}'`, l.range));
    return undefined;
  }
  if (hw.some((n) => n > BOUNDS.imgsz.max)) {
    emit(diag('CMP2005', `input must be at most ${BOUNDS.imgsz.max} pixels a side; found '${l.text}'`, l.range));
    return undefined;
  }
  return hw;
}

/** The value of a `set`, or undefined (and a diagnostic) when the key or value is wrong. */
export function lowerSet(s: Of<'set'>, emit: Emit): number | undefined {
  const key = SET_KEYS.find((k) => k.name === s.key.value);
  if (!key) {
    const { message, suggestion } = unknownMessage('set key', s.key.value, SET_KEYS.map((k) => k.name));
    emit(diag('CMP1010', message, s.key.range, undefined, suggestion));
    return undefined;
  }
  const bound = BOUNDS[key.bound];
  const v = numeric(s.value);
  if (v === undefined || !Number.isFinite(v) || (bound.integer && !Number.isInteger(v))) {
    emit(diag('CMP1008', `set ${key.name} expects ${bound.integer ? 'a whole number' : 'a number'}, found '${s.value.text}'`, s.value.range));
    return undefined;
  }
  if (tooLow(key.bound, v)) {
    emit(diag('CMP2003', `set ${key.name} must be ${bound.min === 0 && !bound.exclusiveMin ? 'at least 0' : 'positive'}, found ${s.value.text}`, s.value.range));
    return undefined;
  }
  const high = tooHigh(key.bound, v, `set ${key.name}`);
  if (high) {
    emit(diag('CMP2003', high, s.value.range));
    return undefined;
  }
  return v;
}

const numeric = (l: Literal): number | undefined => (l.kind === 'number' ? l.value : undefined);

/** A path a file can have (CMP2006 otherwise): true when it is one. */
export function pathChecked(path: string, range: Range, emit: Emit): boolean {
  const problem = pathProblem(path);
  if (problem) emit(diag('CMP2006', problem, range));
  return !problem;
}
