// .save FILE.onnx: the current model as ONNX.
import { saveModel } from '../../onnx/io.ts';
import { RunError } from '../../run/types.ts';
import { writable } from './writable.ts';
import type { DotCommand } from './types.ts';

export const command: DotCommand = {
  name: 'save',
  args: 'FILE.onnx',
  summary: 'write the current model as ONNX',
  run(session, arg) {
    if (!arg.endsWith('.onnx')) throw new RunError('.save takes a FILE.onnx');
    const cur = session.current();
    if (!cur) throw new RunError('no model yet: type model "FILE.onnx" or model zoo:NAME first');
    const path = writable(session, arg);
    saveModel(cur.model, path);
    session.opts.io.out(`${path}: ${cur.label}\n`);
  },
};
