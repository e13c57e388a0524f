// Path relations, on canonical (real) paths.
import { sep } from 'node:path';

/** Is `p` inside folder `root` (or `root` itself)? Both canonical. */
export const isInside = (p: string, root: string): boolean => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
