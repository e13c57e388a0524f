// How lithe times a model (runtime/latency.ts), apart from the timing itself so that what reads it (the
// report's account of the method) loads no onnxruntime: warm-up runs, then timed runs until there are at
// least `runs` of them spanning at least `seconds`, at most 10 × `runs`.
export const LATENCY_DEFAULTS = { warmup: 5, warmupSeconds: 0.25, runs: 30, seconds: 2 } as const;
