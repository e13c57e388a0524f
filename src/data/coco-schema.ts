// The shape of a COCO annotation file, as far as lithe reads it, checked by ajv before anything trusts it:
// `bbox: ["10", "10", 5, 5]` or `[10, 10]` would otherwise be read as some other box and move the mAP.
// ajv rejects NaN and Infinity for numbers (JSON's 1e999 parses to Infinity). Problems are put in words
// naming the entry: `annotations[3] (id 17): bbox has 2 numbers; a box is [x, y, w, h]`.
import type { Ajv, ErrorObject } from 'ajv';
import { newAjv } from '../util/ajv.ts';

const id = { type: 'integer' };
const positive = { type: 'integer', minimum: 1 };

const SCHEMA = {
  type: 'object',
  required: ['images', 'annotations', 'categories'],
  properties: {
    images: {
      type: 'array',
      items: { type: 'object', required: ['id', 'file_name', 'width', 'height'], properties: { id, file_name: { type: 'string', minLength: 1 }, width: positive, height: positive } },
    },
    annotations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'image_id', 'category_id', 'bbox'],
        properties: {
          id, image_id: id, category_id: id,
          bbox: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } },
          area: { type: 'number', minimum: 0 },
          iscrowd: { enum: [0, 1, false, true] },
        },
      },
    },
    categories: { type: 'array', items: { type: 'object', required: ['id'], properties: { id, name: { type: 'string' } } } },
  },
} as const;

let compiled: ReturnType<Ajv['compile']> | undefined;

const TYPES: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', array: 'a list', object: 'an object' };

/** A value as a message shows it: short, on one line. */
function shown(v: unknown): string {
  // JSON.stringify writes Infinity (JSON's 1e999) as null
  const s = v === undefined ? 'missing' : typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** What each failed keyword means, said of its subject (`annotations[3] (id 17): bbox[0]`). */
const SAYS: Record<string, (subject: string, e: ErrorObject) => string> = {
  required: (subject, e) => `${subject} has no "${String(e.params.missingProperty)}"`,
  type: (subject, e) => `${subject} is ${shown(e.data)}, not ${TYPES[String(e.params.type)] ?? String(e.params.type)}`,
  minItems: (subject, e) => `${subject} has ${(e.data as unknown[]).length} numbers; a box is [x, y, w, h]`,
  maxItems: (subject, e) => `${subject} has ${(e.data as unknown[]).length} numbers; a box is [x, y, w, h]`,
  minimum: (subject, e) => `${subject} is ${shown(e.data)}; it must be at least ${String(e.params.limit)}`,
  minLength: (subject) => `${subject} is empty`,
  enum: (subject, e) => `${subject} is ${shown(e.data)}; it must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
};

/** `annotations[3] (id 17): bbox[0]` for a field of an entry, `annotations[3] (id 17)` for the entry, `"images"` for a list. */
function subject(path: string[], json: Record<string, unknown>): string {
  const [list, index, ...rest] = path;
  if (index === undefined) return `"${list}"`;
  const item = (json[list!] as Record<string, unknown>[])[Number(index)];
  const entry = `${list}[${index}]${item && typeof item === 'object' && typeof item.id === 'number' ? ` (id ${item.id})` : ''}`;
  return rest.length ? `${entry}: ${rest.map((p, i) => (i > 0 && /^\d+$/.test(p) ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('')}` : entry;
}

/** The first problem with `json` as a COCO annotation file, in words, or undefined when it has the shape. */
export function cocoShapeProblem(json: unknown): string | undefined {
  compiled ??= newAjv({ verbose: true }).compile(SCHEMA);
  if (compiled(json)) return undefined;
  const e = compiled.errors![0]!;
  if (!e.instancePath) {
    const found = e.keyword === 'required' ? `no "${String(e.params.missingProperty)}"` : `it holds ${shown(json)}`;
    return `not a COCO annotation file (${found}): one is an object with "images", "annotations" and "categories" lists`;
  }
  const said = subject(e.instancePath.split('/').slice(1), json as Record<string, unknown>);
  return (SAYS[e.keyword] ?? ((s: string) => `${s} ${e.message ?? 'is not valid'}`))(said, e);
}
