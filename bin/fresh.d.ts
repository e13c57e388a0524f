// Types of fresh.js, for the benchmark and tests that ask which code bin/lithe.js runs.
/** Whether ROOT/dist/ was built after the last change under ROOT/src/. */
export function distIsFresh(root: string): boolean;
