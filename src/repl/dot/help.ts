// .help: the statements and the dot commands.
import type { DotCommand } from './types.ts';

export const command: DotCommand = {
  name: 'help',
  summary: 'this list',
  async run(session) {
    const { dotCommands } = await import('./registry.ts');
    const rows = dotCommands.map((c) => `  .${`${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(18)}${c.summary}`);
    session.opts.io.out([
      'Each line is a statement of the recipe language, applied at once: a step (prune, quantize, distill,',
      'finetune, fuse, eval, export) runs on the model in memory; a declaration (model, data, target, teacher,',
      'scope, set, input, head, use) holds for what follows. A line ending in , or + or inside ( ) goes on.',
      'Tab completes words. Commands:',
      ...rows, '',
    ].join('\n'));
  },
};
