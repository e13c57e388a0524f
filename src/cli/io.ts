// What a command needs from the outside world, injectable so tests run commands without a subprocess.
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
};

/** Exit codes shared by every command (LANGUAGE.md): 0 fine, 1 problems found, 2 could not run. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}
