// Completion: what may be typed at an offset, with one-line docs. Statement words; a step's head (scopes,
// criteria, losses, blocks, precisions, formats) and its options, with the arguments they take (enum values,
// selectors: declared and profile scopes, `op` types); data formats, targets, set keys, head kinds; stdlib
// profiles and zoo models; file paths inside the strings after `model`, `teacher`, `use`, `data`, `export`.
import { readdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { IToken } from 'chevrotain';
import { rangeAt } from '../lang/range.ts';
import { opNames } from '../onnx/schema/table.ts';
import { passByName } from '../passes/registry.ts';
import type { Word } from '../passes/types.ts';
import type { Workspace } from './analysis.ts';
import { isString, statementAt, tokenAt, walk, type Expect, type Walk } from './node-at.ts';
import { currentSymbols } from './current.ts';
import type { SymbolTable } from './symbols.ts';
import type { CompletionItem, ItemKind } from './types.ts';
import { builtinScopes, enumWords, STATEMENTS, stdlibWords, zooWords, type Part } from './vocabulary.ts';

/** The item kind of each role's words. */
const ROLE_KIND: Record<string, ItemKind> = {
  criteria: 'criterion', losses: 'loss', block: 'block', precision: 'precision', format: 'format', 'data-format': 'data-format',
  'head-kind': 'head-kind', 'set-key': 'set-key', target: 'target', scope: 'scope', from: 'teacher',
};

/** Which files a string of each role names. */
const FILE_FILTER: Record<string, (name: string) => boolean> = {
  source: (n) => /\.onnx$/i.test(n), use: (n) => /\.(cmp|ya?ml)$/i.test(n), path: () => true, arg: () => true,
};

const MAX_FILES = 500;

export function complete(ws: Workspace, file: string, text: string, offset: number): CompletionItem[] {
  const toks = statementAt(text, offset);
  const at = tokenAt(toks, offset);
  const cur = at === -1 ? undefined : toks[at];
  if (cur && isString(cur) && offset > cur.startOffset) return inString(ws, file, text, offset, toks, at);
  // A word being typed: completion replaces it, and only the words it starts are offered.
  const typing = cur && (/^[A-Za-z_]/.test(cur.image) || cur.tokenType.name === 'ZooRef') && offset > cur.startOffset ? cur : undefined;
  if (cur && !typing && offset > cur.startOffset && offset <= cur.endOffset!) return []; // inside a number
  const before = toks.filter((t) => t.endOffset! < offset && t !== typing);
  const range = typing ? rangeAt(text, typing.startOffset, typing.endOffset! + 1 - typing.startOffset) : undefined;
  const prefix = typing ? text.slice(typing.startOffset, offset) : '';
  const items = before.length ? expected(walk(before), () => currentSymbols(ws, file, text)) : STATEMENTS.map((s) => ({
    label: s.name, kind: (s.pass ? 'pass' : 'statement') as ItemKind, detail: s.summary, documentation: `\`${s.syntax}\`${s.docs ? `\n\n${s.docs}` : ''}`,
  }));
  return items.filter((i) => i.label.startsWith(prefix)).map((i) => (range ? { ...i, range } : i));
}

const fromWords = (ws: readonly Word[], kind: ItemKind): CompletionItem[] => ws.map((w) => ({ label: w.name, kind, detail: w.summary }));
const keyword = (label: string, detail = ''): CompletionItem => ({ label, kind: 'keyword', detail });

function scopeItems(symbols: SymbolTable): CompletionItem[] {
  const own = [...symbols.scopes.values()].map((s) => ({ label: s.name, kind: 'scope' as ItemKind, detail: `${s.origin === 'recipe' ? 'scope' : `scope (${s.origin})`} = ${s.selector}` }));
  return [...own, ...fromWords(builtinScopes(), 'scope').filter((b) => !symbols.scopes.has(b.label))];
}

function teacherItems(symbols: SymbolTable): CompletionItem[] {
  const declared = [...symbols.teachers.values()].map((t) => ({ label: t.name, kind: 'teacher' as ItemKind, detail: `teacher ${t.source}` }));
  return symbols.teachers.has('teacher') ? declared : [...declared, { label: 'teacher', kind: 'teacher', detail: 'The input model as it was before the first step.' }];
}

function partItems(part: Part, symbols: () => SymbolTable): CompletionItem[] {
  if ('word' in part) return [keyword(part.word)];
  if (part.words) return fromWords(part.words(), ROLE_KIND[part.role] ?? 'value');
  switch (part.role) {
    case 'scope': return scopeItems(symbols());
    case 'from': return teacherItems(symbols());
    case 'amount': return [keyword('flops', 'A whole-model goal: flops 50% removes half the FLOPs.'), keyword('params', 'A whole-model goal: params 3x leaves a third of the parameters.'), keyword('latency', 'A whole-model goal on the target: latency 2x halves the predicted latency, latency 12ms reaches 12 ms.')];
    case 'source': return fromWords(zooWords(), 'zoo');
    case 'use': return [keyword('stdlib', 'use stdlib NAME: an architecture profile of stdlib/.')];
    case 'selectors': return selectorItems('atom', symbols);
    default: return [];
  }
}

function selectorItems(state: Expect['selector'], symbols: () => SymbolTable): CompletionItem[] {
  switch (state) {
    case 'atom': return [...scopeItems(symbols()), keyword('op', 'op NAME: every node of an ONNX op type.'), keyword('scope', 'scope NAME: the layers of a scope.')];
    case 'op': return opNames().map((o) => ({ label: o, kind: 'value', detail: `ONNX op ${o}` }));
    case 'scope': return scopeItems(symbols());
    case 'after': return [keyword('except', 'SELECTOR except SELECTOR: the first without the second.')];
    default: return [];
  }
}

function argItems(e: NonNullable<Expect['option']>): CompletionItem[] | undefined {
  const { option, args } = e;
  if (typeof option.arg === 'object') return args === 0 ? fromWords(enumWords(option.arg.enum), 'method') : undefined;
  if (option.arg === 'weight' && args === 0) {
    const losses = passByName.get('distill')!.head.find((p) => 'role' in p && p.role === 'losses');
    return losses && 'words' in losses && losses.words ? fromWords(losses.words(), 'loss') : [];
  }
  if (option.arg === 'finetune' && args === 0) return [keyword('epochs')];
  if (option.arg === 'flag' || option.arg === 'selector') return undefined;
  // A value is expected (a number, a list, a path): nothing to offer until it is there.
  return args === 0 || (option.arg === 'progressive' && args < 5) ? [] : undefined;
}

function expected(w: Walk, symbols: () => SymbolTable): CompletionItem[] {
  const e = w.expect;
  if (e.stdlib) return fromWords(stdlibWords(), 'stdlib');
  if (e.selector && !e.option) return selectorItems(e.selector, symbols);
  const out: CompletionItem[] = [];
  if (e.part) out.push(...partItems(e.part, symbols));
  if (e.listed) return out;
  if (e.option) {
    const args = e.selector ? selectorItems(e.selector, symbols) : argItems(e.option);
    if (args && (e.selector !== 'after')) return args;
    if (args) out.push(...args);
  }
  // The options still valid: not one given already, nor another value of a parameter already set (`ptq` after `qat`).
  const given = w.slots.flatMap((s) => (s.kind === 'option' ? [s.option] : []));
  const taken = new Set(given.filter((o) => !o.repeats).map((o) => o.name));
  const params = new Set(given.flatMap((o) => (o.param ? [o.param] : [])));
  const options = (w.def?.options ?? [])
    .filter((o) => !taken.has(o.name) && !(o.param && params.has(o.param)))
    .map((o) => ({ label: o.name, kind: 'option' as ItemKind, detail: o.summary }));
  return e.options ? [...out, ...options] : out;
}

/** Inside a string: file and folder names, from the folder typed so far (relative to the recipe's folder). */
function inString(ws: Workspace, file: string, text: string, offset: number, toks: IToken[], at: number): CompletionItem[] {
  const w = walk(toks.slice(0, at + 1));
  const slot = w.slots[at];
  const role = slot?.kind === 'role' ? slot.part.role : slot?.kind === 'arg' && slot.option.arg !== 'selector' ? 'arg' : undefined;
  const filter = role ? FILE_FILTER[role] : undefined;
  if (!filter) return [];
  const tok = toks[at]!;
  const typed = text.slice(tok.startOffset + 1, offset);
  const slash = typed.lastIndexOf('/');
  const dirTyped = typed.slice(0, slash + 1);
  const base = typed.slice(slash + 1);
  const dir = isAbsolute(dirTyped) ? dirTyped || '/' : resolve(dirname(resolve(file)), dirTyped || '.');
  const range = rangeAt(text, offset - base.length, base.length);
  let entries: { name: string; folder: boolean }[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).slice(0, 10 * MAX_FILES)
      .map((d) => ({ name: d.name, folder: d.isDirectory() || (d.isSymbolicLink() && ws.host.kind?.(resolve(dir, d.name)) === 'folder') }));
  } catch {
    return [];
  }
  return entries
    .filter((d) => d.name.startsWith(base) && (base.startsWith('.') || !d.name.startsWith('.')) && (d.folder || filter(d.name)))
    .sort((a, b) => a.name.localeCompare(b.name)).slice(0, MAX_FILES)
    .map((d) => ({ label: d.folder ? `${d.name}/` : d.name, kind: d.folder ? 'folder' : 'file', range, ...(d.folder ? { insertText: `${d.name}/` } : {}) }));
}
