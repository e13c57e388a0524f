// The error of a model file that cannot be used, naming the file (io.ts and external.ts raise it).
import { FileError } from '../errors.ts';

/** A model that cannot be read: missing, not a file, corrupt or unsupported (exit 2: nothing could run). */
export class OnnxError extends FileError {
  override name = 'OnnxError';
}
