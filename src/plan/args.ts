// Reading an option's arguments. Each kind names what it accepts, so a wrong argument gets a message that
// says what was expected ("round expects a whole number, found 0.5").
import type { Literal, OptionNode } from '../lang/ast.ts';
import type { Range } from '../lang/range.ts';

export type ArgKind =
  | 'flag' | 'int' | 'number' | 'amount' | 'string' | 'selector' | 'int-list'
  | 'kernels' // `kernel 3`, `kernel 3, 5, 3` or `kernel auto`
  | 'numbers' // `[123.7, 116.3, 103.5]` (or the numbers without brackets)
  | 'lists' // `[10,13, 16,30], [30,61, 62,45]`: one or more lists in brackets
  // `method percentile 99.9`: a word, then a number for the words in `number`, stored as `numberParam`
  | { enum: readonly string[]; number?: readonly string[]; numberParam?: string }
  | 'progressive' // `step 1/16 until map drop 0.5%`
  | 'weight' // `weight feat 2`
  | 'finetune'; // `finetune epochs 5`

export interface ArgProblem { message: string; range: Range; code?: string }
export type ArgResult = { ok: true; value: unknown } | { ok: false; problem: ArgProblem };

const ok = (value: unknown): ArgResult => ({ ok: true, value });
const bad = (message: string, range: Range, code?: string): ArgResult => ({ ok: false, problem: { message, range, code } });

const NUMERIC = new Set(['number', 'percent', 'fraction', 'factor']);
const describe = (l: Literal | undefined): string => (l ? `'${l.text.length > 40 ? `${l.text.slice(0, 40)}…` : l.text}'` : 'nothing');

type Reader = (o: OptionNode, args: Literal[]) => ArgResult;

function expectCount(o: OptionNode, args: Literal[], n: number, what: string): ArgProblem | undefined {
  if (args.length === n) return undefined;
  const extra = args[n];
  return extra
    ? { message: `${o.name.value} takes ${what}; unexpected ${describe(extra)}`, range: extra.range }
    : { message: `${o.name.value} expects ${what}`, range: o.range };
}

function single(what: string, test: (l: Literal) => unknown): Reader {
  return (o, args) => {
    const p = expectCount(o, args, 1, what);
    if (p) return { ok: false, problem: p };
    const l = args[0]!;
    const v = test(l);
    return v === undefined ? bad(`${o.name.value} expects ${what}, found ${describe(l)}`, l.range) : ok(v);
  };
}

// A whole number too large for a double (`1e999`, a thousand nines) reads as Infinity: whole, but reported as
// too large by the checker, with the parameter's limit, rather than as "not a whole number".
export const asInt = (l: Literal): number | undefined =>
  l.kind === 'number' && (Number.isInteger(l.value) || Math.abs(l.value) === Infinity) ? l.value : undefined;
export const asNumber = (l: Literal): number | undefined => (NUMERIC.has(l.kind) ? (l.value as number) : undefined);

const READERS: Record<Exclude<ArgKind, object>, Reader> = {
  flag: (o, args) => (args.length ? bad(`${o.name.value} takes no value; unexpected ${describe(args[0])}`, args[0]!.range) : ok(true)),
  int: single('a whole number', asInt),
  number: single('a number', asNumber),
  amount: single('an amount (0.7, 70% or 1/16)', asNumber),
  string: single('a path in quotes', (l) => (l.kind === 'string' ? l.value : undefined)),
  selector: (o) => (o.selector ? ok(o.selector) : bad(`${o.name.value} expects a selector ("glob", op NAME or a scope)`, o.range)),
  'int-list': (o, given) => {
    const args = unbracket(given);
    const ints = args.map(asInt);
    const i = ints.findIndex((v) => v === undefined);
    if (!args.length) return bad(`${o.name.value} expects whole numbers (3 or 3, 5)`, o.range);
    return i >= 0 ? bad(`${o.name.value} expects whole numbers, found ${describe(args[i])}`, args[i]!.range) : ok(ints);
  },
  kernels: (o, given) => {
    const only = given.length === 1 ? given[0]! : undefined;
    if (only?.kind === 'word' && only.value === 'auto') return ok('auto');
    const r = READERS['int-list'](o, given);
    return r.ok ? r : bad(`${o.name.value} expects whole numbers (3 or 3, 5) or auto${only || given.length > 1 ? `, found ${r.problem.message.split('found ')[1] ?? 'something else'}` : ''}`, r.problem.range);
  },
  numbers: (o, given) => {
    const args = unbracket(given);
    if (!args.length) return bad(`${o.name.value} expects numbers, as in: ${o.name.value} [1, 2, 3]`, o.range);
    const i = args.findIndex((l) => asNumber(l) === undefined || l.kind !== 'number');
    return i >= 0 ? bad(`${o.name.value} expects numbers, found ${describe(args[i])}`, args[i]!.range) : ok(args.map((l) => l.value as number));
  },
  lists: (o, args) => {
    if (!args.length) return bad(`${o.name.value} expects lists of numbers in brackets, as in: ${o.name.value} [10, 13, 16, 30], [30, 61, 62, 45]`, o.range);
    const i = args.findIndex((l) => l.kind !== 'list' || l.items.some((x) => x.kind !== 'number'));
    if (i < 0) return ok(args.map((l) => l.value));
    const l = args[i]!;
    const inner = l.kind === 'list' ? l.items.find((x) => x.kind !== 'number') : undefined;
    return inner ? bad(`${o.name.value} expects numbers, found ${describe(inner)}`, inner.range)
      : bad(`${o.name.value} expects lists of numbers in brackets, found ${describe(l)}`, l.range);
  },
  // step AMOUNT until map drop N%
  progressive: (o, args) => {
    const [step, until, map, drop, limit, extra] = args;
    const words = [until, map, drop].map((w) => (w?.kind === 'word' ? w.value : ''));
    if (!step || asNumber(step) === undefined) return bad('step expects an amount, as in: step 1/16 until map drop 0.5%', step?.range ?? o.range);
    if (words.join(' ') !== 'until map drop') {
      const at = [until, map, drop].find((w, i) => (w?.kind === 'word' ? w.value : '') !== ['until', 'map', 'drop'][i]);
      return bad(`step expects 'until map drop N%' after the amount, found ${describe(at)}`, at?.range ?? o.range);
    }
    if (!limit || asNumber(limit) === undefined) return bad('until map drop expects a percentage, as in 0.5%', limit?.range ?? o.range);
    if (extra) return bad(`unexpected ${describe(extra)} after the map drop`, extra.range);
    return ok({ step: asNumber(step), until_map_drop: asNumber(limit) });
  },
  weight: (o, args) => {
    const [loss, w] = args;
    const p = expectCount(o, args, 2, 'a loss and a number, as in: weight feat 2');
    if (p) return { ok: false, problem: p };
    if (loss!.kind !== 'word') return bad(`weight expects a loss name, found ${describe(loss)}`, loss!.range);
    const v = asNumber(w!);
    return v === undefined ? bad(`weight expects a number, found ${describe(w)}`, w!.range) : ok({ [loss!.value]: v });
  },
  finetune: (o, args) => {
    const [word, n, lrWord, lr] = args;
    if (word?.kind !== 'word' || word.value !== 'epochs') return bad('finetune expects: finetune epochs N [lr X]', word?.range ?? o.range);
    if (args.length > 2 && (lrWord?.kind !== 'word' || lrWord.value !== 'lr')) return bad(`finetune takes epochs N [lr X]; unexpected ${describe(lrWord)}`, lrWord!.range);
    const p = expectCount(o, args, args.length > 2 ? 4 : 2, args.length > 2 ? 'epochs N lr X' : 'epochs N');
    if (p) return { ok: false, problem: p };
    const v = asInt(n!);
    if (v === undefined) return bad(`finetune epochs expects a whole number, found ${describe(n)}`, n!.range);
    if (!lr) return ok({ epochs: v });
    const rate = asNumber(lr);
    return rate === undefined ? bad(`finetune lr expects a number, found ${describe(lr)}`, lr.range) : ok({ epochs: v, lr: rate });
  },
};

/** A single `[...]` argument stands for its items: `strides [8, 16]` is `strides 8, 16`. */
function unbracket(args: Literal[]): Literal[] {
  const only = args.length === 1 ? args[0]! : undefined;
  return only?.kind === 'list' ? only.items : args;
}

/** An enum option: a word from `values`, optionally followed by a number for the words in `number`. */
function readEnum(kind: { enum: readonly string[]; number?: readonly string[] }, o: OptionNode, args: Literal[]): ArgResult {
  const [word, num, extra] = args;
  if (word?.kind !== 'word') return bad(`${o.name.value} expects one of ${kind.enum.join(', ')}`, word?.range ?? o.range);
  if (!kind.enum.includes(word.value)) return bad(`unknown ${o.name.value} '${word.value}'`, word.range, 'enum');
  const takesNumber = kind.number?.includes(word.value);
  if (num && !takesNumber) return bad(`${o.name.value} ${word.value} takes no value; unexpected ${describe(num)}`, num.range);
  if (extra) return bad(`unexpected ${describe(extra)}`, extra.range);
  if (!num) return ok({ name: word.value });
  const v = asNumber(num);
  return v === undefined ? bad(`${o.name.value} ${word.value} expects a number, found ${describe(num)}`, num.range) : ok({ name: word.value, value: v });
}

export function readArg(kind: ArgKind, o: OptionNode): ArgResult {
  return typeof kind === 'object' ? readEnum(kind, o, o.args) : READERS[kind](o, o.args);
}
