// Tab completion at the REPL, from the vocabularies the language already reads (its keywords, the pass
// registry's options, criteria, losses, blocks, precisions, methods, targets) and the session's scopes.
// An adaptor kept in one file: the language service (src/service/, issue 16) will answer this in its place.
import { KEYWORDS } from '../lang/tokens.ts';
import { vocabulary } from '../lang/parse.ts';
import { criterionIds } from '../passes/prune/criteria/registry.ts';
import { lossIds } from '../passes/distill/losses/registry.ts';
import { blockIds } from '../passes/replace/blocks/registry.ts';
import { METHODS, PRECISIONS } from '../passes/quantize/index.ts';
import { FORMATS } from '../passes/export/index.ts';
import { METRICS } from '../passes/eval/index.ts';
import { listTargets } from '../targets/load.ts';
import { dotCommands } from './dot/registry.ts';

let words: string[] | undefined;

/** Every word the language knows, once. */
function vocabularyWords(): string[] {
  return (words ??= [...new Set([
    ...KEYWORDS, ...Object.values(vocabulary.options).flatMap((s) => [...s]), ...criterionIds, ...lossIds, ...blockIds,
    ...PRECISIONS, ...METHODS, ...FORMATS, ...METRICS, ...listTargets(), 'backbone', 'neck', 'head', 'all',
  ])].sort());
}

/** Readline's completer: the candidates for the word before the cursor, and that word. */
export function complete(line: string, scopes: readonly string[] = []): [string[], string] {
  if (/^\s*\.\w*$/.test(line)) {
    const typed = line.trim();
    return [dotCommands.map((c) => `.${c.name}`).filter((n) => n.startsWith(typed)), typed];
  }
  const word = /[A-Za-z_][A-Za-z0-9_-]*$/.exec(line)?.[0] ?? '';
  const all = [...new Set([...vocabularyWords(), ...scopes])];
  return [all.filter((w) => w.startsWith(word)), word];
}
