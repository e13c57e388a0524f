// The reliability suite's cases: hostile inputs generated in the tests (never checked-in binaries), each run
// through the lithe CLI and classified. `npm test` runs them (test/robust.test.ts); `npm run bench:robust`
// runs them all and prints, per kind of input, how many were tried and how each ended.

/** How a run of lithe ended. */
export interface Outcome { code: number; out: string; err: string }

export interface RobustCase {
  /** The kind of input, one row of bench:robust's table: `model`, `recipe`, `data`, `file`, `run`, ... */
  kind: string;
  /** Unique within its kind; says what is wrong with the input (`raw data shorter than the shape`). */
  name: string;
  /**
   * Writes the case's inputs into `dir` (an empty folder of its own) and returns lithe's arguments. Paths in
   * the arguments are absolute (inside `dir`), so the case does not depend on the working directory.
   */
  setup(dir: string): string[] | Promise<string[]>;
  /** `fail`: lithe must refuse with a named error (exit 1 or 2); exit 0 is a wrong success. `ok`: it must succeed. */
  expect: 'fail' | 'ok';
  /** After the run: what went wrong in words (`the input model changed`), or undefined when all is well. */
  verify?(dir: string, outcome: Outcome): string | undefined;
  /** Must run as a separate `lithe` process with a time limit: a FIFO, /dev/zero, signals, a mount. */
  subprocess?: boolean;
}

/** How bench:robust and the tests judge an outcome. */
export type Verdict = 'named' | 'ok' | 'internal' | 'hang' | 'wrong';
