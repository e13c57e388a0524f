// Replacement blocks, sorted by id.
import type { Block } from './types.ts';
import { block as dsconv } from './dsconv.ts';
import { block as mbconv } from './mbconv.ts';

export const blocks: readonly Block[] = [dsconv, mbconv];
export const blockIds = blocks.map((b) => b.id);
