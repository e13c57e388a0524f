// Export formats, sorted by id: one file each, metadata first, logic loaded when a run writes one.
import { join } from 'node:path';
import type { ExportFormat } from './types.ts';
import { format as mslite } from './mslite.ts';
import { format as onnx } from './onnx.ts';
import { format as tensorrt } from './tensorrt.ts';

export type { ExportFormat, ExportJob, ExportResult, Written } from './types.ts';

export const formats: readonly ExportFormat[] = [mslite, onnx, tensorrt];

export const formatById = new Map(formats.map((f) => [f.id, f]));

/** Every path an export of `format` to `path` may write: the file, or the folder and the names inside it. */
export function exportPaths(format: unknown, path: string): string[] {
  const f = formatById.get(format as ExportFormat['id']);
  return [path, ...(f?.folder ? (f.writes ?? []).map((n) => join(path, n)) : [])];
}
