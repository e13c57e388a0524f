// Every pass, sorted by name. The parser's option words, the checker, `explain`, completion and hover all
// read this one list: a new pass is one folder plus one line here.
import type { PassDef } from './types.ts';
import { distill } from './distill/index.ts';
import { evalPass } from './eval/index.ts';
import { exportPass } from './export/index.ts';
import { finetune } from './finetune/index.ts';
import { fuse } from './fuse/index.ts';
import { prune } from './prune/index.ts';
import { quantize } from './quantize/index.ts';
import { replace } from './replace/index.ts';

export const passes: readonly PassDef[] = [distill, evalPass, exportPass, finetune, fuse, prune, quantize, replace];
export const passByName = new Map<string, PassDef>(passes.map((p) => [p.name, p]));
