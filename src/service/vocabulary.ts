// The words of the language, each with its one-line docs, read from the registries: passes and their options,
// criteria, losses, blocks, precisions, methods, formats (each pass's own `head` parts), targets (targets/),
// data formats, head kinds and set keys (plan/declarations-meta.ts), stdlib profiles and zoo models. Nothing
// here repeats a list: a new pass, criterion or target shows up in completion and hover by itself.
import { passByName, passes } from '../passes/registry.ts';
import type { HeadPart, OptionSpec, PassDef, Word } from '../passes/types.ts';
import { BUILTIN_SCOPES, DATA_FORMATS, DATA_OPTIONS, HEAD_KINDS, HEAD_OPTIONS, SET_KEYS } from '../plan/declarations-meta.ts';
import { methodById } from '../passes/quantize/calibrate/registry.ts';
import { listTargets, loadTarget } from '../targets/load.ts';
import { stdlibNames } from '../plan/sources.ts';
import { zoo } from '../zoo/registry.ts';
import type { ArgKind } from '../plan/args.ts';

/** A statement's option: its name, summary and how its arguments read. */
/** `param`: the parameter it sets (flags that set one value of it exclude each other: `ptq`, `qat`); `repeats`:
 *  it may be given again (`weight feat 2 weight cls 1`). */
export interface OptionWord extends Word { arg: ArgKind | 'int-or-string'; param?: string; repeats?: boolean }

/** The head parts of a declaration, as a pass's `head` is: the roles completion and hover know. */
export type DeclRole = 'source' | 'name' | 'data-format' | 'target' | 'size' | 'head-kind' | 'use' | 'set-key' | 'value' | 'selectors';
export type Part = HeadPart | { role: DeclRole; optional?: boolean; words?: () => readonly Word[] } | { word: string; optional: true };

export interface StatementDef { name: string; summary: string; syntax: string; docs?: string; parts: readonly Part[]; options: readonly OptionWord[]; pass?: PassDef }

const words = (xs: readonly { name: string; summary: string }[]) => (): readonly Word[] => xs;

/** The declarations: their syntax is the language's own (LANGUAGE.md, "Declarations"). */
const DECLARATIONS: readonly StatementDef[] = [
  { name: 'data', summary: 'The data set: a format, a path, options.', syntax: 'data FORMAT [PATH] {OPTION}', parts: [{ role: 'data-format', words: words(DATA_FORMATS) }, { role: 'path', optional: true }], options: DATA_OPTIONS },
  { name: 'head', summary: 'How a model lithe cannot recognise decodes its outputs.', syntax: 'head KIND {OPTION}', parts: [{ role: 'head-kind', words: words(HEAD_KINDS) }], options: HEAD_OPTIONS },
  { name: 'input', summary: 'The network input size: input N or input HxW.', syntax: 'input N | input HxW', parts: [{ role: 'size' }], options: [] },
  { name: 'model', summary: 'The model to compress: a path in quotes, or zoo:NAME.', syntax: 'model PATH | model zoo:NAME', parts: [{ role: 'source' }], options: [] },
  { name: 'scope', summary: 'Names a set of layers.', syntax: 'scope NAME = SELECTOR {, SELECTOR}', docs: 'SELECTOR: a string glob on node names ("model.1*"), `op NAME`, `scope NAME` or a scope\'s name, and `SELECTOR except SELECTOR`.', parts: [{ role: 'name' }, { word: '=' }, { role: 'selectors' }], options: [] },
  { name: 'set', summary: 'A default for later steps.', syntax: 'set KEY VALUE', parts: [{ role: 'set-key', words: words(SET_KEYS) }, { role: 'value' }], options: [] },
  { name: 'target', summary: 'The device profile (targets/NAME.yaml).', syntax: 'target NAME', parts: [{ role: 'target', words: targetWords }], options: [] },
  { name: 'teacher', summary: 'Declares a teacher model, named `teacher` unless `as NAME`.', syntax: 'teacher PATH [as NAME]', parts: [{ role: 'source' }, { word: 'as', optional: true }, { role: 'name' }], options: [] },
  { name: 'use', summary: 'Brings in the scopes and sets of another recipe or a stdlib profile.', syntax: 'use PATH | use stdlib NAME', parts: [{ role: 'use' }], options: [] },
];

const optionWord = (o: OptionSpec): OptionWord => ({
  name: o.name, summary: o.summary, arg: o.arg, ...(o.value !== undefined ? { param: o.param ?? o.name } : {}), ...(o.combine === 'merge' ? { repeats: true } : {}),
});

const fromPass = (p: PassDef): StatementDef => ({ name: p.name, summary: p.summary, syntax: p.syntax, docs: p.docs, parts: p.head, options: p.options.map(optionWord), pass: p });

/** Every statement, sorted by its word. */
export const STATEMENTS: readonly StatementDef[] = [...DECLARATIONS, ...passes.map(fromPass)].sort((a, b) => a.name.localeCompare(b.name));
export const statementByName = new Map(STATEMENTS.map((s) => [s.name, s]));
export const isPass = (name: string): boolean => passByName.has(name);

let targets: Word[] | undefined;
/** The target profiles and their summaries (read once: a profile that fails to load says so). */
export function targetWords(): readonly Word[] {
  return (targets ??= listTargets().map((name) => {
    try { return { name, summary: loadTarget(name).summary }; } catch (e) { return { name, summary: `(cannot be read: ${(e as Error).message})` }; }
  }));
}

export function targetDocs(name: string): string | undefined {
  try {
    const t = loadTarget(name);
    return `**target ${name}**: ${t.summary}\n\n${(t as { docs?: string }).docs ?? ''}`.trim();
  } catch {
    return undefined;
  }
}

export const builtinScopes = (): readonly Word[] => BUILTIN_SCOPES.map((name) => ({
  name, summary: name === 'all' ? 'Every layer (built in).' : `Built in: from the model's stdlib profile, or inferred from the graph.`,
}));

export const stdlibWords = (): readonly Word[] => stdlibNames().map((name) => ({ name, summary: `stdlib/${name}.cmp: the scopes of ${name}` }));
export const zooWords = (): readonly Word[] => zoo.map((m) => ({ name: `zoo:${m.name}`, summary: m.summary }));

/** The words an enum-valued option takes (`method minmax`), with their summaries where a registry has them. */
export function enumWords(values: readonly string[]): readonly Word[] {
  return values.map((v) => ({ name: v, summary: methodById.get(v)?.summary ?? '' }));
}
