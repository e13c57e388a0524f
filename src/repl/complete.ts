// Tab completion at the REPL: the language service's (src/service/), the same as an editor's, over the
// session's statements so far and the line being typed; dot commands from the REPL's own registry.
import { complete as serviceComplete } from '../service/index.ts';
import { dotCommands } from './dot/registry.ts';

/** What comes before the line being typed: the session's recipe, and the file it is checked as. */
export interface CompletionContext { text: string; file: string }

/** Readline's completer: the candidates for the word before the cursor, and that word. */
export function complete(line: string, context: CompletionContext): [string[], string] {
  if (/^\s*\.\w*$/.test(line)) {
    const typed = line.trim();
    return [dotCommands.map((c) => `.${c.name}`).filter((n) => n.startsWith(typed)), typed];
  }
  const text = `${context.text}${line}`;
  const items = serviceComplete(text, text.length, context.file);
  const start = items.find((i) => i.range)?.range?.start.offset ?? text.length;
  const word = text.slice(start);
  return [[...new Set(items.map((i) => i.insertText ?? i.label))].filter((c) => c.startsWith(word)), word];
}
