// What a command needs from the outside world, injectable so tests run commands without a subprocess.
import { EXIT, LitheError } from '../errors.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
};

export { EXIT };

/** A bad flag or argument: exit 2, with a pointer to `lithe --help`. */
export class UsageError extends LitheError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}
