// The REPL's dot commands, sorted by name.
import type { DotCommand } from './types.ts';
import { command as bench } from './bench.ts';
import { command as evaluate } from './eval.ts';
import { command as exit } from './exit.ts';
import { command as explain } from './explain.ts';
import { command as help } from './help.ts';
import { command as info } from './info.ts';
import { command as recipe } from './recipe.ts';
import { command as reset } from './reset.ts';
import { command as save } from './save.ts';
import { command as undo } from './undo.ts';

export const dotCommands: readonly DotCommand[] = [bench, evaluate, exit, explain, help, info, recipe, reset, save, undo];
export const dotByName = new Map(dotCommands.map((c) => [c.name, c]));
