// The run folder: the plan, a log, the model after each step, the report, and state.json, which records the
// steps done so that `--resume` continues after the last one. Every file is written to a temporary name and
// renamed, so an interrupted run never leaves a half-written file behind.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelProto } from 'onnx-buf';
import { encodeModel, loadModel } from '../onnx/io.ts';
import type { Measures } from './types.ts';
import { RunError } from './types.ts';

export interface StepRecord {
  index: number;
  pass: string;
  /** The model file after this step, relative to the run folder. */
  model: string;
  seconds: number;
  measures: Measures;
  details?: Record<string, unknown>;
}

export interface RunState { plan: string; before: Measures; steps: StepRecord[] }

export class RunFolder {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  path(name: string): string { return join(this.dir, name); }

  write(name: string, data: string | Uint8Array): void {
    const file = this.path(name);
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  }

  writeModel(name: string, model: ModelProto): void { this.write(name, encodeModel(model)); }
  readModel(name: string): ModelProto { return loadModel(this.path(name)); }

  log(line: string): void {
    appendFileSync(this.path('run.log'), `${new Date().toISOString()} ${line}\n`);
  }

  /** The state of an earlier run of the same plan, or undefined (no state yet); a different plan is an error. */
  state(plan: string): RunState | undefined {
    const file = this.path('state.json');
    if (!existsSync(file)) return undefined;
    const s = JSON.parse(readFileSync(file, 'utf8')) as RunState;
    if (s.plan !== plan) throw new RunError(`${this.dir} holds a run of a different plan: give another --out, or delete it`);
    return s;
  }

  saveState(s: RunState): void { this.write('state.json', `${JSON.stringify(s, null, 2)}\n`); }

  /** A step's own folder for checkpoints. */
  stepDir(index: number, pass: string): string {
    const d = this.path(`step-${String(index).padStart(2, '0')}-${pass}`);
    mkdirSync(d, { recursive: true });
    return d;
  }
}
