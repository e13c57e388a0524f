// Distillation losses, sorted by id; a recipe joins several with `+`.
import type { Loss } from './types.ts';
import { loss as attn } from './attn.ts';
import { loss as cls } from './cls.ts';
import { loss as corr } from './corr.ts';
import { loss as feat } from './feat.ts';
import { loss as reg } from './reg.ts';

export const losses: readonly Loss[] = [attn, cls, corr, feat, reg];
export const lossIds = losses.map((l) => l.id);
