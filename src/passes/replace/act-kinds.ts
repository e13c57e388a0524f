// The activations a block can use (`act` option); the checker reads this list without loading the graph code.
export const ACTS = ['hardswish', 'leaky', 'linear', 'relu', 'relu6', 'silu'] as const;
export type ActKind = (typeof ACTS)[number];
