// ONNX models in and out: protobuf through @bufbuild/protobuf and the ONNX 1.20 schema (onnx-buf), which reads
// IR versions 3 to 11, keeps fields it does not know, and hands out tensor bytes as views of the file's buffer
// (no copy per tensor). External data files are read into their tensors. Every failure is an OnnxError that
// names the file; nothing here prints a stack.
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { GraphProtoSchema, ModelProtoSchema, TensorProtoSchema, TensorProto_DataLocation, type ModelProto, type TensorProto, type GraphProto } from 'onnx-buf';
import { loadHalf } from './storage.ts';
import { FileError } from '../errors.ts';
import { readRegular, writeAtomic } from '../util/files.ts';

export type { ModelProto, TensorProto, GraphProto };

/** A model that cannot be read: missing, not a file, corrupt or unsupported (exit 2: nothing could run). */
export class OnnxError extends FileError {
  override name = 'OnnxError';
}

/** IR versions lithe reads (ONNX 1.3 to 1.20), and the oldest default-domain opset it supports. */
export const IR_VERSIONS = { min: 3, max: 11 } as const;
export const MIN_OPSET = 11;

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
    throw new OnnxError(file, `opset ${opset} is older than ${MIN_OPSET}; upgrade it first (onnx.version_converter)`);
  }
}

/** The version of the default ("" or "ai.onnx") domain the model imports. */
export function defaultOpset(model: ModelProto): number | undefined {
  const imp = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return imp && Number(imp.version);
}

export function loadModel(path: string): ModelProto {
  let bytes: Buffer;
  try {
    bytes = readRegular(path, { what: 'an ONNX model' });
  } catch (e) {
    throw e instanceof FileError ? new OnnxError(path, e.problem) : e;
  }
  const model = decodeModel(bytes, path);
  loadExternalData(model, path);
  return loadHalf(model);
}

/** Every tensor in the graph, its subgraphs and Constant attributes, for external-data resolution. */
function* tensorsOf(graph: GraphProto | undefined): Generator<TensorProto> {
  if (!graph) return;
  yield* graph.initializer;
  for (const n of graph.node) {
    for (const a of n.attribute) {
      if (a.t) yield a.t;
      yield* a.tensors;
      if (a.g) yield* tensorsOf(a.g);
      for (const g of a.graphs) yield* tensorsOf(g);
    }
  }
}

/** Reads tensors stored beside the model (`location`, `offset`, `length`) into their raw data. */
function loadExternalData(model: ModelProto, path: string): void {
  const base = dirname(resolve(path));
  for (const t of tensorsOf(model.graph)) {
    if (t.dataLocation !== TensorProto_DataLocation.EXTERNAL) continue;
    const info = Object.fromEntries(t.externalData.map((e) => [e.key, e.value]));
    const where = `tensor '${t.name}'`;
    if (!info.location) throw new OnnxError(path, `${where} is stored externally but names no location`);
    const file = resolve(base, info.location);
    // As the ONNX checker does: external data lives beside the model, never elsewhere on the disk.
    const rel = relative(base, file);
    if (isAbsolute(info.location) || rel.startsWith('..') || isAbsolute(rel)) {
      throw new OnnxError(path, `${where}: external data '${info.location}' is outside the model's folder; refused`);
    }
    t.rawData = readSlice(path, file, info.location, Number(info.offset ?? 0), info.length === undefined ? undefined : Number(info.length), where);
    t.dataLocation = TensorProto_DataLocation.DEFAULT;
    t.externalData = [];
  }
}

function readSlice(model: string, file: string, shown: string, offset: number, length: number | undefined, where: string): Uint8Array<ArrayBuffer> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    throw new OnnxError(model, `${where}: external data file '${shown}' is missing`);
  }
  try {
    const size = fstatSync(fd).size;
    const n = length ?? size - offset;
    if (offset < 0 || n < 0 || offset + n > size) {
      throw new OnnxError(model, `${where}: external data '${shown}' is ${size} bytes, too short for offset ${offset} + length ${n}`);
    }
    const out = new Uint8Array(n);
    for (let done = 0; done < n;) done += readSync(fd, out, done, n - done, offset + done);
    return out;
  } finally {
    closeSync(fd);
  }
}

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
    const head = toBinary(TensorProtoSchema, { ...t, rawData: EMPTY_BYTES });
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
