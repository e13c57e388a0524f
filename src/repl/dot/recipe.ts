// .recipe FILE.cmp: the session's statements as a recipe; `lithe run FILE.cmp` repeats what the session did.
import { dirname, resolve } from 'node:path';
import { writeAtomic } from '../../util/files.ts';
import { RunError } from '../../run/types.ts';
import { writable } from './writable.ts';
import type { DotCommand } from './types.ts';

export const command: DotCommand = {
  name: 'recipe',
  args: 'FILE.cmp',
  summary: 'write the statements so far as a recipe that lithe run reproduces',
  run(session, arg) {
    if (!arg.endsWith('.cmp')) throw new RunError('.recipe takes a FILE.cmp');
    const path = writable(session, arg);
    // paths in statements are relative to the working folder, and in a recipe to the recipe's folder
    if (dirname(path) !== dirname(session.file) && /"(?!\/)[^"]*"/.test(session.text)) {
      session.opts.io.err(`note: ${arg} is not in the working folder: relative paths in it point elsewhere from there\n`);
    }
    writeAtomic(path, `# written by lithe repl\n${session.text}`);
    session.opts.io.out(`${resolve(path)}: ${session.entries.length} statement${session.entries.length === 1 ? '' : 's'}\n`);
  },
};
