// Hover: the docs of the word under the cursor, from the registries: a statement or pass (syntax, summary,
// docs), an option, a criterion, loss, block, precision, format, method, data format, head kind, set key or
// target; for a scope its selectors and where it is declared; for a teacher its model.
import type { IToken } from 'chevrotain';
import { rangeAt } from '../lang/range.ts';
import type { Word } from '../passes/types.ts';
import type { Workspace } from './analysis.ts';
import { currentSymbols } from './current.ts';
import { statementAt, tokenAt, walk, type Slot } from './node-at.ts';
import type { SymbolTable } from './symbols.ts';
import type { Hover } from './types.ts';
import { builtinScopes, enumWords, statementByName, stdlibWords, targetDocs, zooWords } from './vocabulary.ts';
import { passByName } from '../passes/registry.ts';
import { relative } from 'node:path';

export function hover(ws: Workspace, file: string, text: string, offset: number): Hover | undefined {
  const toks = statementAt(text, offset);
  const at = tokenAt(toks, offset);
  if (at === -1) return undefined;
  const { slots } = walk(toks);
  const tok = toks[at]!;
  const slot = slots[at]!;
  const markdown = docsOf(slot, tok, toks, () => currentSymbols(ws, file, text));
  if (!markdown) return undefined;
  const scope = (slot.kind === 'role' && slot.part.role === 'scope') || (slot.kind === 'selector' && slot.what === 'scope') ? tok.image : undefined;
  const step = slot.kind === 'verb' && passByName.has(tok.image);
  return { markdown, range: rangeAt(text, tok.startOffset, tok.endOffset! + 1 - tok.startOffset), ...(scope ? { scope } : {}), ...(step ? { step } : {}) };
}

/** A role as one of its words is called (`criteria` → `criterion l1`). */
const ROLE_NAME: Record<string, string> = { criteria: 'criterion', losses: 'loss', 'data-format': 'data format', 'head-kind': 'head', 'set-key': 'set' };

const find = (words: readonly Word[] | undefined, name: string): Word | undefined => words?.find((w) => w.name === name);
const wordDoc = (what: string, w: Word | undefined): string | undefined => (w ? `**${what} ${w.name}**: ${w.summary}` : undefined);

function docsOf(slot: Slot, tok: IToken, toks: IToken[], symbols: () => SymbolTable): string | undefined {
  const word = tok.image;
  switch (slot.kind) {
    case 'verb': {
      const s = statementByName.get(word)!;
      return [`**${s.name}**: ${s.summary}`, `\`\`\`lithe\n${s.syntax}\n\`\`\``, s.docs].filter(Boolean).join('\n\n');
    }
    case 'option': return `**${slot.option.name}** (option of ${toks[0]!.image}): ${slot.option.summary}`;
    case 'arg': {
      const arg = slot.option.arg;
      if (typeof arg === 'object') return wordDoc(`${slot.option.name}`, find(enumWords(arg.enum), word));
      if (arg === 'weight' && slot.index === 0) return lossDoc(word);
      return undefined;
    }
    case 'role': {
      const part = slot.part;
      if (part.role === 'scope') return scopeDoc(word, symbols());
      if (part.role === 'from') return teacherDoc(word, symbols());
      if (part.role === 'target') return targetDocs(word);
      if (part.role === 'source' && tok.tokenType.name === 'ZooRef') return wordDoc('zoo model', find(zooWords(), word));
      if (part.role === 'use' && word !== 'stdlib' && !word.startsWith('"')) return wordDoc('stdlib', find(stdlibWords(), word));
      return 'words' in part && part.words ? wordDoc(ROLE_NAME[part.role] ?? part.role, find(part.words(), word)) : undefined;
    }
    case 'selector':
      if (slot.what === 'scope') return scopeDoc(word, symbols());
      if (slot.what === 'op') return `**op ${word}**: every node of the ONNX op type ${word}.`;
      return undefined;
    default: return undefined;
  }
}

function lossDoc(name: string): string | undefined {
  const part = passByName.get('distill')!.head.find((p) => 'role' in p && p.role === 'losses');
  return part && 'words' in part && part.words ? wordDoc('loss', find(part.words(), name)) : undefined;
}

function scopeDoc(name: string, symbols: SymbolTable): string | undefined {
  const s = symbols.scopes.get(name);
  if (s) {
    const where = s.origin === 'recipe' ? `line ${s.range.start.line}` : `${relative(process.cwd(), s.file)}:${s.range.start.line}`;
    return `**scope ${name}** = \`${s.selector}\`\n\ndeclared ${s.origin === 'profile' ? 'by the model\'s profile ' : ''}at ${where}`;
  }
  const builtin = find(builtinScopes(), name);
  return builtin ? `**scope ${name}**: ${builtin.summary} \`lithe explain\` lists its layers.` : undefined;
}

function teacherDoc(name: string, symbols: SymbolTable): string | undefined {
  const t = symbols.teachers.get(name);
  if (t) return `**teacher ${name}**: ${t.source} (line ${t.range.start.line})`;
  return name === 'teacher' ? '**teacher**: the input model as it was before the first step (no teacher is declared).' : undefined;
}
