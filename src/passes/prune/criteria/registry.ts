// Importance criteria, sorted by id. `+` combines several (their normalised scores are summed).
import type { Criterion } from './types.ts';
import { criterion as bn } from './bn.ts';
import { criterion as dynamic } from './dynamic.ts';
import { criterion as entropy } from './entropy.ts';
import { criterion as fpgm } from './fpgm.ts';
import { criterion as l1 } from './l1.ts';
import { criterion as l2 } from './l2.ts';
import { criterion as random } from './random.ts';
import { criterion as similarity } from './similarity.ts';
import { criterion as taylor } from './taylor.ts';

export const criteria: readonly Criterion[] = [bn, dynamic, entropy, fpgm, l1, l2, random, similarity, taylor];
export const criterionIds = criteria.map((c) => c.id);
export const criterionById = new Map(criteria.map((c) => [c.id, c]));
