// plan.schema.json, assembled from each pass's own parameter schema, and the ajv validators built from it.
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { compiledAhead, newAjv } from '../util/ajv.ts';
import { passes } from '../passes/registry.ts';
import type { JsonSchema } from '../passes/types.ts';
import { selectorSchema } from './selector.ts';
import { bounded, PATH_SCHEMA } from './bounds.ts';
import { DATA_FORMATS, HEAD_KINDS, MAX_ANCHORS_PER_LEVEL, MAX_HEAD_LEVELS } from './declarations-meta.ts';

/** One value per colour channel. */
const channels = (item: JsonSchema): JsonSchema => ({ type: 'array', minItems: 3, maxItems: 3, items: item });

const range = {
  type: 'object',
  properties: {
    start: { $ref: '#/definitions/pos' },
    end: { $ref: '#/definitions/pos' },
  },
  required: ['start', 'end'],
};
const pos = {
  type: 'object',
  properties: { line: { type: 'integer', minimum: 1 }, col: { type: 'integer', minimum: 1 }, offset: { type: 'integer', minimum: 0 } },
  required: ['line', 'col', 'offset'],
};
const modelRef = {
  type: 'object', properties: { path: PATH_SCHEMA, zoo: { type: 'string' } }, additionalProperties: false,
  minProperties: 1, maxProperties: 1,
};

function stepSchema(name: string, params: JsonSchema): JsonSchema {
  return {
    type: 'object',
    properties: {
      index: { type: 'integer', minimum: 1 },
      pass: { const: name },
      params,
      defaults: { type: 'object', additionalProperties: { type: 'string' } },
      range: { $ref: '#/definitions/range' },
    },
    required: ['index', 'pass', 'params', 'defaults'],
    additionalProperties: false,
  };
}

/** The whole plan's schema: what `lithe explain --json` prints and `lithe run` accepts. */
export function planSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://lithe.dev/plan.schema.json',
    title: 'lithe plan',
    type: 'object',
    properties: {
      lithe: { const: 'plan/1' },
      source: { type: 'string' },
      model: modelRef,
      teachers: { type: 'object', additionalProperties: modelRef },
      data: {
        type: 'object',
        properties: {
          format: { enum: DATA_FORMATS.map((f) => f.name) }, path: PATH_SCHEMA, seed: bounded('seed'),
          images: { anyOf: [bounded('images'), PATH_SCHEMA] }, val: PATH_SCHEMA, calib: bounded('calib'),
          mean: channels(bounded('mean')), std: channels(bounded('std')), bgr: { type: 'boolean' }, nhwc: { type: 'boolean' },
        },
        required: ['format'],
        additionalProperties: false,
      },
      head: {
        type: 'object',
        properties: {
          kind: { enum: HEAD_KINDS.map((k) => k.name) },
          anchors: {
            type: 'array', minItems: 1, maxItems: MAX_HEAD_LEVELS,
            items: { type: 'array', minItems: 2, maxItems: 2 * MAX_ANCHORS_PER_LEVEL, items: bounded('anchor') },
          },
          strides: { type: 'array', minItems: 1, maxItems: MAX_HEAD_LEVELS, items: bounded('stride') },
          classes: bounded('classes'),
        },
        required: ['kind'],
        additionalProperties: false,
      },
      target: {
        type: 'object',
        properties: {
          name: { type: 'string' }, precision: { type: 'string' }, round: { type: 'integer' }, calib: { type: 'integer' },
          export: { type: 'string' }, opset: { type: 'integer' },
        },
        required: ['name', 'precision', 'round', 'calib', 'export', 'opset'],
        additionalProperties: false,
      },
      input: { type: 'array', items: bounded('imgsz'), minItems: 2, maxItems: 2 },
      profile: { type: 'string' },
      scopes: {
        type: 'object',
        additionalProperties: {
          oneOf: [
            { type: 'object', properties: { selector: { $ref: '#/definitions/selector' }, from: { type: 'string' } }, required: ['selector', 'from'], additionalProperties: false },
            { type: 'object', properties: { inferred: { const: true } }, required: ['inferred'], additionalProperties: false },
          ],
        },
      },
      steps: { type: 'array', items: { oneOf: passes.map((p) => ({ $ref: `#/definitions/step_${p.name}` })) } },
    },
    required: ['lithe', 'teachers', 'scopes', 'steps'],
    additionalProperties: false,
    definitions: {
      selector: selectorSchema,
      range,
      pos,
      ...Object.fromEntries(passes.map((p) => [`step_${p.name}`, stepSchema(p.name, p.params)])),
    },
  };
}

// Parameters: every error, so a step reports all its problems. The whole plan: the first error is enough
// (it is a safety net that should never fire), and stopping early keeps long recipes fast.
let every: Ajv | undefined;
let first: Ajv | undefined;
const ajv = { compile: (s: JsonSchema) => (every ??= newAjv({ allErrors: true, strict: false })).compile(s) };
const planAjv = { compile: (s: JsonSchema) => (first ??= newAjv({ allErrors: false, strict: false })).compile(s) };
let planValidator: ValidateFunction | undefined;

/**
 * The validators below, by key, with the ajv options they are compiled with: `npm run build` compiles them
 * ahead (scripts/build.js, ajv's standalone code in dist/plan/validators-*.cjs), which saves a compiled
 * `lithe check` some 200 ms of start-up; from the sources (tsx) ajv compiles each on first use.
 */
export function validatorSchemas(): { key: string; allErrors: boolean; schema: JsonSchema }[] {
  return [
    { key: 'plan', allErrors: false, schema: planSchema() },
    { key: 'shape', allErrors: false, schema: shapeSchema() },
    ...passes.flatMap((p) => [
      { key: `quick:${p.name}`, allErrors: false, schema: paramsSchema(p.name) },
      { key: `all:${p.name}`, allErrors: true, schema: paramsSchema(p.name) },
    ]),
  ];
}

const ahead: Record<string, ValidateFunction> = {
  ...compiledAhead<Record<string, ValidateFunction>>(import.meta.url, './validators-first.cjs'),
  ...compiledAhead<Record<string, ValidateFunction>>(import.meta.url, './validators-all.cjs'),
};
const paramValidators = new Map<string, ValidateFunction>();

let shapeValidator: ValidateFunction | undefined;

/**
 * Validates a plan against plan.schema.json. With `paramsChecked`, the steps' parameters are taken as
 * already validated (the checker validates each step against its pass's schema as it goes) and only the
 * plan's shape is checked, which keeps long recipes fast.
 */
export function validatePlan(plan: unknown, paramsChecked = false): ErrorObject[] {
  const v = paramsChecked ? (shapeValidator ??= ahead.shape ?? planAjv.compile(shapeSchema())) : (planValidator ??= ahead.plan ?? planAjv.compile(planSchema()));
  return v(plan) ? [] : [...(v.errors ?? [])];
}

/** plan.schema.json with every step's `params` and every scope's selector left open: the checker validates
 * each step's parameters itself, and selectors are built by code from checked source. */
function shapeSchema(): JsonSchema {
  const s = planSchema() as { $id?: string; definitions: Record<string, { properties?: Record<string, unknown>; type?: string }> };
  delete s.$id; // one ajv instance holds both schemas
  for (const [k, d] of Object.entries(s.definitions)) if (k.startsWith('step_')) d.properties!.params = { type: 'object' };
  s.definitions.selector = { type: 'object' };
  return s;
}

const quickValidators = new Map<string, ValidateFunction>();

function paramsSchema(pass: string): JsonSchema {
  return { ...passes.find((x) => x.name === pass)!.params, definitions: { selector: selectorSchema } };
}

/** One pass's parameters alone, so errors point at a parameter of one step. */
export function validateParams(pass: string, params: unknown): ErrorObject[] {
  // Most steps are valid: a validator that stops at the first error says so fastest; only an invalid step
  // is validated again to collect every error.
  let quick = quickValidators.get(pass);
  if (!quick) quickValidators.set(pass, (quick = ahead[`quick:${pass}`] ?? planAjv.compile(paramsSchema(pass))));
  if (quick(params)) return [];
  let v = paramValidators.get(pass);
  if (!v) paramValidators.set(pass, (v = ahead[`all:${pass}`] ?? ajv.compile(paramsSchema(pass))));
  return v(params) ? [] : [...(v.errors ?? [])];
}
