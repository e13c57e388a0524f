// An export folder: every file checked as the run's own output before it is written (never over an input),
// written atomically, and recorded with what it is, for the run's report and the folder's README.txt.
import { dirname, join } from 'node:path';
import type { ModelProto } from 'onnx-buf';
import { saveModel } from '../../onnx/io.ts';
import { makeDir, writeAtomic } from '../../util/files.ts';
import type { RunContext } from '../../run/types.ts';
import type { Written } from './formats/types.ts';

export class ExportFolder {
  readonly files: Written[] = [];
  constructor(readonly dir: string, private readonly ctx: Pick<RunContext, 'checkOutput' | 'log'>) {
    // the folder itself is the run's (a resumed run may write it again; another run needs --force)
    ctx.checkOutput(dir);
    makeDir(dir);
  }

  /** Checks and records `name` (a file in a subfolder too); files written with no `what` are listed by `note`. */
  private claim(name: string, what: string): string {
    const path = join(this.dir, name);
    this.ctx.checkOutput(path);
    makeDir(dirname(path));
    if (what) this.files.push({ path, what });
    return path;
  }

  /** Lists a group of files written without a `what` (a folder of calibration images) as one entry. */
  note(name: string, what: string): void {
    this.files.push({ path: join(this.dir, name), what });
  }

  text(name: string, text: string, what: string, executable = false): void {
    writeAtomic(this.claim(name, what), text, executable ? { mode: 0o755 } : {});
  }

  bytes(name: string, data: Uint8Array, what: string): void {
    writeAtomic(this.claim(name, what), data);
  }

  model(name: string, model: ModelProto, what: string): void {
    saveModel(model, this.claim(name, what));
  }

  /** README.txt: the title, the notes, then each file and what it is (itself included). */
  readme(title: string, notes: readonly string[]): void {
    const listed = [...this.files, { path: join(this.dir, 'README.txt'), what: 'this file' }];
    const width = Math.max(...listed.map((f) => rel(this.dir, f.path).length));
    const lines = [title, '='.repeat(title.length), '', ...notes, '', 'Files:', ...listed.map((f) => `  ${rel(this.dir, f.path).padEnd(width)}  ${f.what}`), ''];
    this.text('README.txt', lines.join('\n'), 'this file');
    for (const f of this.files) this.ctx.log(`wrote ${f.path}`);
  }
}

const rel = (dir: string, path: string): string => path.slice(dir.length + 1);
