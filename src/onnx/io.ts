// ONNX models in and out: protobuf through @bufbuild/protobuf and the ONNX 1.20 schema (onnx-buf), which reads
// IR versions 3 to 11, keeps fields it does not know, and hands out tensor bytes as views of the file's buffer
// (no copy per tensor). External data files are read into their tensors (external.ts). A model is verified
// as it is loaded: every command works on a model the verifier accepts. Every failure is an OnnxError that
// names the file; nothing here prints a stack.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { GraphProtoSchema, ModelProtoSchema, TensorProtoSchema, type ModelProto, type TensorProto, type GraphProto } from 'onnx-buf';
import { loadHalf } from './storage.ts';
import { loadExternalData } from './external.ts';
import { OnnxError } from './onnx-error.ts';
import { verifyModel, type GraphProblem } from './verify.ts';
import { upgradeModel } from './upgrade/index.ts';
import { noteWritten } from './write-log.ts';
import { defaultOpset, IR_VERSIONS, MAX_OPSET, MIN_OPSET } from './versions.ts';
import { EXIT, FileError } from '../errors.ts';
import { readRegular, writeAtomic } from '../util/files.ts';

export type { ModelProto, TensorProto, GraphProto };
export { defaultOpset, IR_VERSIONS, MAX_OPSET, MIN_OPSET, noteWritten, OnnxError };


/** A model the verifier refuses (exit 1: problems found in the input), with every problem it found. */
export class InvalidModelError extends OnnxError {
  override name = 'InvalidModelError';
  constructor(file: string, readonly problems: GraphProblem[]) {
    super(file, problemsText(problems), EXIT.problems);
  }
}

/** Shown at most in an error message; `lithe convert` lists them all. */
const SHOWN = 10;

function problemsText(problems: GraphProblem[]): string {
  if (problems.length === 1) return `invalid model: ${problems[0]!.message}`;
  const more = problems.length > SHOWN ? [`... and ${problems.length - SHOWN} more`] : [];
  return [`invalid model, ${problems.length} problems:`, ...problems.slice(0, SHOWN).map((p) => p.message), ...more].join('\n  ');
}

export function decodeModel(bytes: Uint8Array, file: string): ModelProto {
  if (!bytes.length) throw new OnnxError(file, 'empty file: not an ONNX model');
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new OnnxError(file, `not an ONNX model, or a truncated or corrupt one (${(e as Error).message})`);
  }
  checkHeader(model, file);
  return model;
}

/** Protobuf decodes many byte strings without complaint; these checks tell an ONNX model from noise. */
function checkHeader(model: ModelProto, file: string): void {
  const ir = Number(model.irVersion);
  if (!model.graph || ir === 0) throw new OnnxError(file, 'not an ONNX model (no IR version or no graph)');
  if (ir < IR_VERSIONS.min || ir > IR_VERSIONS.max) {
    throw new OnnxError(file, `unsupported ONNX IR version ${ir} (lithe reads ${IR_VERSIONS.min} to ${IR_VERSIONS.max})`);
  }
  // A model may use other domains only (ai.onnx.ml, training ops): valid ONNX, with no default opset to check.
  const opset = defaultOpset(model);
  if (opset !== undefined && opset < MIN_OPSET) {
    throw new OnnxError(file, `opset ${opset} is older than ${MIN_OPSET}, the oldest lithe reads; upgrade it first (onnx.version_converter)`);
  }
  if (opset !== undefined && opset > MAX_OPSET) {
    throw new OnnxError(file, `opset ${opset} is newer than ${MAX_OPSET}, the newest onnxruntime (and so lithe) runs`);
  }
}


export interface LoadOptions {
  /** Upgrade a model of an older default-domain opset to this one as it is read (onnx/upgrade/): verified
   *  before (where a deprecated op the upgrade replaces, Upsample at opset 10, is not yet a problem) and
   *  after. What changed: upgradeNotesOf. */
  opset?: number;
}

/** Reads, decodes and verifies a model; its external data is read in, float16 weights come back as float32. */
export function loadModel(path: string, opts: LoadOptions = {}): ModelProto {
  let bytes: Buffer;
  try {
    bytes = readRegular(path, { what: 'an ONNX model' });
  } catch (e) {
    throw e instanceof FileError ? new OnnxError(path, e.problem) : e;
  }
  const model = decodeModel(bytes, path);
  const external = loadExternalData(model, path);
  const opset = defaultOpset(model);
  const upgrading = opts.opset !== undefined && opset !== undefined && opset < opts.opset;
  const problems = verifyModel(model, opset, { upgrading });
  if (problems.length) throw new InvalidModelError(path, problems);
  const upgraded = upgrading ? upgradeModel(model, opts.opset!, path) : { model, notes: [] };
  const loaded = loadHalf(upgraded.model);
  EXTERNAL_FILES.set(loaded, external);
  UPGRADE_NOTES.set(loaded, upgraded.notes);
  return loaded;
}

const EXTERNAL_FILES = new WeakMap<ModelProto, string[]>();
/** The external data files a loaded model was read from: inputs, which no output may overwrite. */
export const externalFilesOf = (model: ModelProto): readonly string[] => EXTERNAL_FILES.get(model) ?? [];
const UPGRADE_NOTES = new WeakMap<ModelProto, string[]>();
/** What the upgrade of LoadOptions.opset changed in a loaded model, a line each (none: not upgraded). */
export const upgradeNotesOf = (model: ModelProto): readonly string[] => UPGRADE_NOTES.get(model) ?? [];

export function encodeModel(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model);
}

/** Writes to a temporary name beside the target, then renames: a reader never sees half a model. */
export function saveModel(model: ModelProto, path: string): void {
  try {
    writeAtomic(path, modelChunks(model));
  } catch (e) {
    throw e instanceof FileError ? new OnnxError(path, e.problem) : e;
  }
  noteWritten(path);
}

// Protobuf field numbers of onnx.proto, for the pieces written by hand below.
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_RAW_DATA = 9;

/**
 * The model's bytes as a list of chunks, with every tensor's raw data as a view of its own bytes. The
 * protobuf encoder concatenates each nested message (tensor, graph, model) into a new buffer, copying the
 * weights three times; here the small parts are encoded normally and the raw data is appended as its field,
 * which protobuf allows in any order. Decoding the result gives the same model.
 */
export function modelChunks(model: ModelProto): Uint8Array[] {
  const graph = model.graph;
  if (!graph) return [encodeModel(model)];
  const tensors = graph.initializer.map((t) => {
    // a tensor without raw data is written as it is: an empty raw_data would be read as its (missing) data
    const head = t.rawData.length ? toBinary(TensorProtoSchema, { ...t, rawData: EMPTY_BYTES }) : toBinary(TensorProtoSchema, t);
    const data = t.rawData.length ? [key(TENSOR_RAW_DATA), varint(t.rawData.length), t.rawData] : [];
    return [head, ...data];
  });
  const graphHead = toBinary(GraphProtoSchema, { ...graph, initializer: [] });
  const graphChunks = [graphHead, ...tensors.flatMap((parts) => [key(GRAPH_INITIALIZER), varint(size(parts)), ...parts])];
  const modelHead = toBinary(ModelProtoSchema, { ...model, graph: undefined });
  return [modelHead, key(MODEL_GRAPH), varint(size(graphChunks)), ...graphChunks];
}

const EMPTY_BYTES = new Uint8Array(0);
const size = (parts: Uint8Array[]): number => parts.reduce((a, p) => a + p.length, 0);
/** A length-delimited field's tag. */
const key = (field: number): Uint8Array => varint((field << 3) | 2);

function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n > 0x7f) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
  out.push(n);
  return Uint8Array.from(out);
}
