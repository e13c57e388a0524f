// A model's head description (`lithe.yolo`, `lithe.ssd`: JSON in its metadata_props), read and checked
// against a JSON Schema (ajv) plus the facts a schema cannot say (a mask index within the anchors). A
// corrupt description is a LitheError naming the key and what is wrong, never a crash in a decoder later.
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from '../../util/ajv.ts';
import type { ModelProto } from 'onnx-buf';
import { getMetadata } from '../../onnx/make.ts';
import { EXIT, LitheError } from '../../errors.ts';

let ajv: Ajv | undefined;
const validators = new Map<object, ValidateFunction>();

/** `/0/anchors/3` as `[0].anchors[3]`. */
const path = (p: string): string => p.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');

function words(e: ErrorObject): string {
  const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
  return `${path(e.instancePath) || 'the value'} ${e.message ?? 'is not valid'}${allowed ? ` (${allowed.map((v) => JSON.stringify(v)).join(', ')})` : ''}`;
}

export class MetadataError extends LitheError {
  override name = 'MetadataError';
  constructor(key: string, problem: string) {
    super(`${key} metadata: ${problem}`, EXIT.problems);
  }
}

/**
 * The value of metadata `key` parsed as JSON and validated: against `schema`, then by `check` (returns what
 * is wrong, or undefined). Undefined when the model has no such entry.
 */
export function readHeadMetadata<T>(model: ModelProto, key: string, schema: object, check: (v: T) => string | undefined): T | undefined {
  const text = getMetadata(model, key);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MetadataError(key, 'not valid JSON');
  }
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = (ajv ??= newAjv({ allErrors: false, strict: false })).compile(schema)));
  if (!v(value)) throw new MetadataError(key, words(v.errors![0]!));
  const problem = check(value as T);
  if (problem) throw new MetadataError(key, problem);
  return value as T;
}
