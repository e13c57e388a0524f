// The `lithe` command line: a thin shell over the same functions the REPL and the language server call.
// Every command follows one exit-code convention: 0 fine, 1 problems found, 2 could not run.
// This file and the command table load nothing heavy: each command imports its own module when chosen.
import { parseArgs } from 'node:util';
import { EXIT, processIo, UsageError, type Io } from './io.ts';
import { COMMANDS, type Command } from './commands.ts';
import { errnoOf, fsError, isFsError, LitheError } from '../errors.ts';
import { VERSION } from '../diagnostics/render.ts';

const FOOTER = `Exit codes: 0 no errors, 1 errors found (or files not formatted), 2 could not run.
Language reference: grammar/lithe.ebnf; diagnostic codes: grammar/diagnostics.md.
`;

const HELP = `lithe ${VERSION}: compress ONNX object detectors for edge devices

Usage: lithe <command> [options]

Commands:
${Object.keys(COMMANDS).sort().map((name) => `  ${COMMANDS[name]!.help}`).join('\n')}

  --help, -h             this help; lithe COMMAND --help: that command's
  --version, -v          the version

${FOOTER}`;

/** `lithe COMMAND --help`: that command's usage, and the conventions every command shares. */
export function commandHelp(name: string): string {
  const help = COMMANDS[name]!.help;
  // its synopsis (up to the description column), then the block as lithe --help shows it
  const usage = help.split('\n').filter((l) => /^\S/.test(l) || /^ {2}\S/.test(l)).map((l) => `lithe ${l.trim().split(/ {2,}/)[0]}`);
  return `Usage: ${usage.join('\n       ')}\n\n  ${help}\n  --help, -h             this help\n\n${FOOTER}`;
}

/** `--target` and `--model zoo:NAME` name things lithe knows; a wrong one is a bad flag (exit 2), not a recipe error. */
async function checkOverrides(v: Record<string, string | boolean | undefined>): Promise<void> {
  const targets = typeof v.target === 'string' ? [v.target] : Array.isArray(v.target) ? (v.target as string[]) : [];
  if (!targets.length && !(typeof v.model === 'string' && v.model.startsWith('zoo:'))) return;
  const [{ listTargets }, { stdlibNames }, { unknownMessage }] = await Promise.all([
    import('../targets/load.ts'), import('../plan/sources.ts'), import('../plan/suggest.ts'),
  ]);
  for (const target of targets) {
    if (!listTargets().includes(target)) throw new UsageError(`--target: ${unknownMessage('target', target, listTargets()).message}`);
  }
  const model = v.model;
  if (typeof model === 'string' && model.startsWith('zoo:') && !stdlibNames().includes(model.slice(4))) {
    throw new UsageError(`--model: ${unknownMessage('zoo model', model.slice(4), stdlibNames()).message}`);
  }
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h' || name === 'help') { io.out(HELP); return EXIT.ok; }
    if (name === '--version' || name === '-v') { io.out(`${VERSION}\n`); return EXIT.ok; }
    const cmd: Command | undefined = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!cmd) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).sort().join(', ')})`);
    // --help wins over every other flag and argument, even malformed ones
    if (rest.includes('--help') || rest.includes('-h')) { io.out(commandHelp(name)); return EXIT.ok; }
    const { values, positionals } = parseArgs({ args: rest, options: cmd.options, allowPositionals: true, strict: true });
    await checkOverrides(values as Record<string, string | boolean | undefined>);
    return await cmd.run(positionals, values as Record<string, string | boolean | undefined>, io);
  } catch (e) {
    return failure(e, io, argv[0]);
  }
}

/** Node's names for the calls behind a file-system error, as the verb of a message. */
const SYSCALL_VERBS: Record<string, string> = { open: 'open', read: 'read', write: 'write', mkdir: 'create folder', rename: 'write', unlink: 'remove', rmdir: 'remove', scandir: 'list folder', stat: 'read', lstat: 'read' };

/**
 * What the user sees when a command fails: for everything a user can cause (a LitheError, a bad flag, a
 * file-system error such as a full disk) one line and its exit code; anything else is a bug in lithe, said
 * plainly rather than with a stack trace.
 */
export function failure(e: unknown, io: Io, command?: string): number {
  if (e instanceof UsageError || errnoOf(e)?.startsWith('ERR_PARSE_ARGS')) {
    const known = command !== undefined && Object.hasOwn(COMMANDS, command);
    io.err(`lithe: ${(e as Error).message}\nRun 'lithe ${known ? `${command} ` : ''}--help' for usage.\n`);
    return EXIT.usage;
  }
  const sys = e as { path?: unknown; syscall?: unknown };
  // a file-system error that escaped the code that knows the file (a bug in itself) still says what happened
  const user = e instanceof LitheError ? e
    : isFsError(e) ? fsError(e, typeof sys.path === 'string' ? sys.path : 'a file', SYSCALL_VERBS[String(sys.syscall)] ?? 'use') : undefined;
  if (user) {
    io.err(`lithe: ${user.message}\n`);
    return user.exit;
  }
  io.err(`lithe: internal error: ${(e as Error)?.message ?? String(e)}\nPlease report it with the recipe that caused it.\n`);
  return EXIT.usage;
}
