// External data: tensors whose bytes are stored beside the model (`location`, `offset`, `length`), read
// into their raw data. Only from inside the model's folder, after following every symbolic link (as the ONNX
// checker requires; a link to /etc/passwd would otherwise be copied into the next model written), only from
// regular files opened without blocking (a FIFO or a device would hang), and only the exact byte count the
// tensor needs, at offsets and lengths that are whole numbers within the file.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { TensorProto_DataLocation, type ModelProto, type TensorProto } from 'onnx-buf';
import { rawBytes } from './dtypes.ts';
import { tensorsOf } from './walk.ts';
import { OnnxError } from './onnx-error.ts';
import { fsReason, printable } from '../errors.ts';
import { kindOf } from '../util/files.ts';

/** Reads every externally stored tensor of `model` (read from `path`) into its raw data, in place; returns
 *  the files read (real paths), which are inputs as much as the model is. */
export function loadExternalData(model: ModelProto, path: string): string[] {
  let folder: string | undefined;
  const files = new Set<string>();
  for (const { tensor: t, where } of tensorsOf(model.graph)) {
    if (t.dataLocation !== TensorProto_DataLocation.EXTERNAL) continue;
    folder ??= realFolder(path);
    const { bytes, file } = readExternal(path, folder, t, where);
    t.rawData = bytes;
    files.add(file);
    t.dataLocation = TensorProto_DataLocation.DEFAULT;
    t.externalData = [];
  }
  return [...files];
}

/** The model's folder with every symbolic link resolved: external data must lie inside it. */
function realFolder(path: string): string {
  try {
    return realpathSync(dirname(resolve(path)));
  } catch (e) {
    throw new OnnxError(path, `cannot read its folder: ${fsReason(e)}`);
  }
}

/** `offset` and `length` as ONNX writes them: decimal, non-negative whole numbers. */
function byteCount(value: string | undefined, key: string, where: string, model: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new OnnxError(model, `${where}: external data ${key} '${value}' is not a whole number of bytes`);
  return n;
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function readExternal(model: string, folder: string, t: TensorProto, where: string): { bytes: Uint8Array<ArrayBuffer>; file: string } {
  const info = Object.fromEntries(t.externalData.map((e) => [e.key, e.value]));
  const shown = info.location && printable(info.location);
  if (!shown) throw new OnnxError(model, `${where} is stored externally but names no location`);
  const offset = byteCount(info.offset, 'offset', where, model) ?? 0;
  const length = byteCount(info.length, 'length', where, model);
  const refuse = (why: string) => new OnnxError(model, `${where}: external data '${shown}' ${why}`);
  const outside = (p: string) => { const rel = relative(folder, p); return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel); };
  if (isAbsolute(info.location!) || outside(resolve(folder, info.location!))) throw refuse('is outside the model\'s folder; refused');
  let real: string;
  try {
    real = realpathSync(resolve(folder, info.location!));
  } catch (e) {
    throw refuse((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${fsReason(e)})`);
  }
  if (outside(real)) throw refuse(`leads outside the model's folder (to ${real}); refused`);
  let fd: number;
  try {
    fd = openSync(real, READ_FLAGS);
  } catch (e) {
    throw refuse(`cannot be read (${fsReason(e)})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw refuse(`is ${kindOf(st)}, not a file`);
    if (offset > st.size) throw refuse(`is ${st.size} bytes, shorter than its offset ${offset}`);
    const n = length ?? st.size - offset;
    if (offset + n > st.size) throw refuse(`is ${st.size} bytes, too short for offset ${offset} + length ${n}`);
    const want = t.dims.every((d) => d >= 0n && d < 2n ** 31n) ? rawBytes(t.dataType, t.dims.reduce((a, d) => a * Number(d), 1)) : undefined;
    if (want !== undefined && n !== want) throw refuse(`gives ${n} bytes for a tensor of ${want} bytes`);
    const out = new Uint8Array(n);
    for (let done = 0; done < n;) {
      const got = readSync(fd, out, done, n - done, offset + done);
      if (got === 0) throw refuse('shrank while it was read');
      done += got;
    }
    return { bytes: out, file: real };
  } catch (e) {
    throw e instanceof OnnxError ? e : refuse(`cannot be read (${fsReason(e)})`);
  } finally {
    closeSync(fd);
  }
}
