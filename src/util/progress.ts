// Progress of a long step (fine-tuning, a distillation epoch) for a person waiting on it. In a terminal one
// status line is redrawn in place; without one (a pipe, a CI log, `nohup`) a plain line is written every few
// seconds, so that a log never goes quiet for the length of an epoch. Never into run.log: those lines carry
// times, and a run's files are the same bytes whether or not it was interrupted.

/** Seconds between progress lines without a terminal; LITHE_PROGRESS_SECONDS changes it (0: every update). */
export const PROGRESS_SECONDS = 10;

export interface ProgressLine {
  /** The latest state of the step: written now, or dropped if the last line is too recent. */
  update(line: string): void;
  /** Before a line of its own (a `say`): the status line is cleared so the two do not mix. */
  clear(): void;
}

export function progressLine(write: (text: string) => void, tty: boolean, seconds = envSeconds()): ProgressLine {
  let last = -Infinity;
  let shown = false;
  return {
    update(line) {
      const now = performance.now();
      if (tty) { write(`\r\x1b[K${line}`); shown = true; return; }
      if (now - last < seconds * 1000) return;
      last = now;
      write(`${line}\n`);
    },
    clear() {
      if (shown) write('\r\x1b[K');
      shown = false;
    },
  };
}

function envSeconds(): number {
  const s = Number(process.env.LITHE_PROGRESS_SECONDS);
  return process.env.LITHE_PROGRESS_SECONDS !== undefined && Number.isFinite(s) && s >= 0 ? s : PROGRESS_SECONDS;
}
