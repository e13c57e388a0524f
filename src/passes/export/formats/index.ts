// Export formats, sorted by id: one file each, metadata first, logic loaded when a run writes one.
import type { ExportFormat } from './types.ts';
import { format as mslite } from './mslite.ts';
import { format as onnx } from './onnx.ts';
import { format as tensorrt } from './tensorrt.ts';

export type { ExportFormat, ExportJob, ExportResult, Written } from './types.ts';

export const formats: readonly ExportFormat[] = [mslite, onnx, tensorrt];

export const formatById = new Map(formats.map((f) => [f.id, f]));
