// One error type for everything a user can cause: a missing or unreadable file, a corrupt model, a bad data
// set, a full disk, a step the model does not allow. It carries its exit code (LANGUAGE.md: 1 problems found,
// 2 could not run) and a message that names the file, node or tensor. The CLI, the REPL and the language
// server print its message and nothing else; any other error that escapes is a bug in lithe.

/** Exit codes shared by every command: 0 fine, 1 problems found, 2 could not run. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;
export type ErrorExit = typeof EXIT.problems | typeof EXIT.usage;

export class LitheError extends Error {
  override name = 'LitheError';
  /** `exit`: 2 when lithe could not run (a missing file, a full disk), 1 when it found problems in the input. */
  constructor(message: string, readonly exit: ErrorExit = EXIT.problems) {
    super(message);
  }
}

/** A problem with one file: `file` as the user named it, `problem` in words; the message is `FILE: PROBLEM`. */
export class FileError extends LitheError {
  override name = 'FileError';
  constructor(readonly file: string, readonly problem: string, exit: ErrorExit = EXIT.usage) {
    super(`${printable(file)}: ${problem}`, exit);
  }
}

/** What each errno means to a user, in the words of the message (`PATH: cannot write: no space left ...`). */
const ERRNO: Record<string, string> = {
  EACCES: 'permission denied',
  EBUSY: 'the file is busy',
  EDQUOT: 'the disk quota is exhausted',
  EEXIST: 'it already exists',
  EFBIG: 'the file is too large for the file system',
  EINVAL: 'the file system refuses the operation',
  EIO: 'an input/output error on the device',
  EISDIR: 'it is a folder',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ENFILE: 'too many open files',
  ENOENT: 'no such file or folder',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of the path is not a folder',
  ENOTEMPTY: 'the folder is not empty',
  ENXIO: 'no such device',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ETXTBSY: 'the file is busy',
  EXDEV: 'it is on another file system',
  ERR_INVALID_ARG_VALUE: 'the path is not valid (it holds a NUL byte?)',
  ERR_INVALID_ARG_TYPE: 'the path is not valid',
};

/** The errno code of a Node system error, if it is one. */
export const errnoOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Is `e` a Node file-system error lithe can put in a user's words? */
export const isFsError = (e: unknown): boolean => e instanceof Error && errnoOf(e) !== undefined && errnoOf(e)! in ERRNO;

/**
 * A failed file-system call as a LitheError: `PATH: cannot VERB: REASON`. Missing inputs, full disks and
 * forbidden folders all stop lithe from running (exit 2).
 */
export function fsError(e: unknown, path: string, verb: string): LitheError {
  if (e instanceof LitheError) return e;
  return new FileError(path, `cannot ${verb}: ${fsReason(e)}`);
}

/** A file-system error's reason in words (`no such file or folder`), for a message of one's own. */
export function fsReason(e: unknown): string {
  const code = errnoOf(e);
  return code && ERRNO[code] ? ERRNO[code] : (e as Error)?.message ?? String(e);
}

/** A path as it can be shown on one line: control characters (a NUL, a newline) escaped. */
export const printable = (s: string): string => s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
