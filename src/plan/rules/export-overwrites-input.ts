// CMP3012: an export written over one of the run's inputs (the model, a teacher, the data, the recipe or a
// file it uses) would destroy it. Compared by the input guard on canonical paths and file identities, so
// `./m.onnx`, a symlink or a hard link to the model is caught too. (`lithe run` asks the same guard again
// before and as it writes, through links made since.)
import { pathProblem } from '../paths.ts';
import { exportPaths } from '../../passes/export/formats/index.ts';
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'export-overwrites-input',
  summary: 'An export must not write over the input model, a teacher, the data, the recipe or a file the recipe uses.',
  passes: ['export'],
  check(step, { inputs }, report) {
    const { path } = step.params;
    if (typeof path !== 'string' || pathProblem(path) || !inputs) return;
    // a folder format (tensorrt, mslite) writes the folder and the files it names inside
    for (const p of exportPaths(step.params.format, path)) {
      const clash = inputs.find(p);
      if (clash) return report({ code: 'CMP3012', message: `export "${p === path ? path : p}" ${clash.how}; export to another path`, at: 'path' });
    }
  },
};
