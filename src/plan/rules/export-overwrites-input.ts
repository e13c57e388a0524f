// CMP3012: an export written over one of the run's inputs (the model, a teacher, the recipe or a file it
// uses) would destroy it. Compared on canonical paths and file identities, so `./m.onnx`, a symlink or a
// hard link to the model is caught too. (`lithe run` checks again when it writes, through links made since.)
import { overwritten, pathProblem } from '../paths.ts';
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'export-overwrites-input',
  summary: 'An export must not write over the input model, a teacher, the recipe or a file the recipe uses.',
  passes: ['export'],
  check(step, { inputs, real }, report) {
    const { path } = step.params;
    if (typeof path !== 'string' || pathProblem(path) || !inputs?.length || !real) return;
    const input = overwritten(path, inputs, real);
    if (input) report({ code: 'CMP3012', message: `export "${path}" would overwrite ${input.what}; export to another path`, at: 'path' });
  },
};
