// Finds, parses and validates device target profiles (targets/NAME.yaml).
// Every failure becomes a TargetError whose message names the file, so the CLI can print it as is.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { compiledAhead, newAjv } from '../util/ajv.ts';
import { yaml } from '../yaml/lib.ts';
import { compiledProfile } from './compiled.ts';
import type { Precision, Target } from './target.js';
import { LitheError } from '../errors.ts';

export type { Precision, Target } from './target.js';

/** A profile that is missing, unreadable or invalid; `problems` holds one line per violation. */
export class TargetError extends LitheError {
  override readonly name = 'TargetError';
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}

export const SCHEMA_FILE = 'target.schema.json';

/** `<repo>/targets`, found from this source file so that it works from any working directory. */
export function targetsDir(): string {
  return fileURLToPath(new URL('../../targets/', import.meta.url));
}

/** Sorted names of the profiles in `dir` (the file names of `*.yaml`, without the extension). */
export function listTargets(dir: string = targetsDir()): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    throw new TargetError(`cannot read the targets folder ${showPath(dir)}: ${reason(err)}`);
  }
  return entries
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

// Keyed by absolute file path: the same name in two folders is two profiles.
const cache = new Map<string, Target>();

/**
 * Loads and validates `dir/NAME.yaml` (by default from `<repo>/targets`). The result is cached and frozen:
 * it is shared by every caller, so copy it before changing anything.
 */
export function loadTarget(name: string, dir: string = targetsDir()): Target {
  // Checking against the listing also rejects names such as '../x' that would escape the folder.
  const known = listTargets(dir);
  if (!known.includes(name)) {
    throw new TargetError(`unknown target '${name}' (known: ${known.join(', ') || 'none'})`);
  }
  const file = resolve(dir, `${name}.yaml`);
  const cached = cache.get(file);
  if (cached) return cached;
  const ahead = resolve(dir) === resolve(targetsDir()) ? compiledProfile(dir, name, SCHEMA_FILE) : undefined;
  const target = deepFreeze(ahead ?? parseTarget(file, name));
  cache.set(file, target);
  return target;
}

/** True where the target runs precision `p` and it is a speed-up there. */
export function hasFastPrecision(t: Target, p: Precision): boolean {
  const info = t.precisions[p];
  return info !== undefined && info.supported && info.fast;
}

function parseTarget(file: string, name: string): Target {
  const shown = showPath(file);
  const data = readYaml(file, shown);
  const validate = validator();
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    fail(shown, errors.map(describeSchemaError));
  }
  const problems = semanticProblems(data, name);
  if (problems.length > 0) fail(shown, problems);
  return data;
}

function readYaml(file: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TargetError(`${shown}: cannot read: ${reason(err)}`);
  }
  const doc = yaml().parseDocument(text);
  if (doc.errors.length > 0) {
    // The yaml library's messages carry a code snippet after the first line; the first line is enough here.
    fail(shown, doc.errors.map((e) => firstLine(e.message)));
  }
  return doc.toJS();
}

let compiled: ValidateFunction<Target> | undefined;

/** The options the target schema is compiled with, here and ahead by scripts/build.js. */
export const TARGET_AJV = { allErrors: true, strict: true } as const;

// Compiled on first use, once per process: ajv compilation costs far more than a validation.
function validator(): ValidateFunction<Target> {
  if (compiled) return compiled;
  const path = join(targetsDir(), SCHEMA_FILE);
  let text: string;
  let schema: object;
  try {
    text = readFileSync(path, 'utf8');
    schema = JSON.parse(text) as object;
  } catch (err) {
    throw new TargetError(`${showPath(path)}: cannot load the target schema: ${reason(err)}`);
  }
  // compiled ahead by `npm run build` from this very text, or compiled now (the sources, or the schema edited since)
  const ahead = compiledAhead<ValidateFunction<Target> & { schemaText?: string }>(import.meta.url, './validator.cjs');
  compiled = ahead?.schemaText === text ? ahead : newAjv(TARGET_AJV).compile<Target>(schema);
  return compiled;
}

// Rules JSON Schema cannot state: they relate two fields, or a field and the file name.
function semanticProblems(t: Target, name: string): string[] {
  const problems: string[] = [];
  if (t.name !== name) problems.push(`/name must equal the file name '${name}' (found '${t.name}')`);
  if (!t.precisions[t.defaults.precision]?.supported) {
    problems.push(`/defaults/precision '${t.defaults.precision}' must be a supported precision`);
  }
  if (t.onnx.max_opset !== undefined && t.onnx.max_opset < t.onnx.opset) {
    problems.push(`/onnx/max_opset must be >= /onnx/opset (${t.onnx.opset})`);
  }
  return problems;
}

// ajv's own messages omit the offending key or the allowed values; add them so one line is enough to fix it.
function describeSchemaError(e: ErrorObject): string {
  const where = e.instancePath || '(top level)';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    return `${where} must NOT have additional property '${String(params.additionalProperty)}'`;
  }
  if (e.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return `${where} must be one of ${allowed}`;
  }
  return `${where} ${e.message ?? 'is invalid'}`;
}

function fail(shown: string, problems: string[]): never {
  const lines = problems.map((p) => `${shown}: ${p}`);
  throw new TargetError(lines.join('\n'), lines);
}

// Paths inside the repository print relative to it (targets/tx2.yaml); others, e.g. a temp folder, in full.
function showPath(path: string): string {
  const rel = relative(dirname(targetsDir()), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? s;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

