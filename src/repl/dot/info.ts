// .info [SCOPE]: the current model's numbers and what each scope holds in it, or the layers of one scope.
import { scopeListing } from '../../run/scopes.ts';
import { RunError } from '../../run/types.ts';
import { unknownMessage } from '../../plan/suggest.ts';
import { summary } from '../summary.ts';
import type { DotCommand } from './types.ts';

export const command: DotCommand = {
  name: 'info',
  args: '[SCOPE]',
  summary: 'the current model, and the layers of each scope (or of SCOPE) in it',
  run(session, arg) {
    const cur = session.current();
    if (!cur || !session.plan) throw new RunError('no model yet: type model "FILE.onnx" or model zoo:NAME first');
    const scopes = scopeListing(session.plan, cur.model);
    const out = (t: string) => session.opts.io.out(`${t}\n`);
    if (!arg) {
      out(summary(`${cur.label} (${session.modelName()})`, cur.measures, session.input()!.measures));
      for (const s of scopes) out(`  ${s.name.padEnd(12)}${s.layers.length} layer${s.layers.length === 1 ? '' : 's'} of ${s.nodes} node${s.nodes === 1 ? '' : 's'} (${s.from})`);
      return;
    }
    const s = scopes.find((x) => x.name === arg);
    if (!s) throw new RunError(unknownMessage('scope', arg, scopes.map((x) => x.name)).message);
    out(`${s.name}: ${s.layers.length} layer${s.layers.length === 1 ? '' : 's'} of ${s.nodes} node${s.nodes === 1 ? '' : 's'} (${s.from})`);
    for (const l of s.layers) out(`  ${l}`);
  },
};
