// Every diagnostic code lithe reports, sorted. Codes are stable: a code is never reused for another meaning.
// Each has an example recipe that triggers it; a test checks that it does, and `grammar/diagnostics.md` is
// generated from this table. CMP0xxx: syntax. CMP1xxx: unknown words. CMP2xxx: values. CMP3xxx: names and
// files. CMP4xxx: the plan as a whole (order, data, target).
import type { Severity } from './diagnostic.ts';
import { LIMITS } from '../lang/limits.ts';

export interface CodeDoc {
  code: string;
  severity: Severity;
  title: string;
  /** A recipe that triggers this code (and, with `model`/`data` lines, nothing else). */
  example: string;
  /** For a limit: a recipe too large to print, described in words and made by `make`; it triggers the code. */
  large?: { describe: string; make: () => string };
  /** Where to see a code that has neither (several files are involved). */
  note?: string;
  /** Codes the example cannot help triggering too (an mslite export is also a step lithe cannot run yet). */
  also?: readonly string[];
}

export const CODES: readonly CodeDoc[] = [
  { code: 'CMP0001', severity: 'error', title: 'unexpected character', example: 'prune backbone l1 0.5 @\n' },
  { code: 'CMP0002', severity: 'error', title: 'unterminated string', example: 'export onnx "out/x.onnx\n' },
  { code: 'CMP0003', severity: 'error', title: 'syntax error', example: 'prune backbone l1 global\n' },
  { code: 'CMP0004', severity: 'error', title: 'unknown escape in a string', example: 'export onnx "out\\x.onnx"\n' },
  { code: 'CMP0005', severity: 'error', title: 'too many problems: the rest are not shown', example: '' },
  { code: 'CMP0006', severity: 'error', title: 'nested too deeply', example: `scope a = ${'('.repeat(33)}"x"${')'.repeat(33)}\n` },
  {
    code: 'CMP0007', severity: 'error', title: 'file too large', example: '',
    large: { describe: `a recipe of ${LIMITS.fileBytes + 1} bytes (one comment)`, make: () => `#${'x'.repeat(LIMITS.fileBytes)}` },
  },
  {
    code: 'CMP0008', severity: 'error', title: 'too many statements in one file', example: '',
    large: { describe: `${LIMITS.statements + 1} lines of \`fuse\``, make: () => 'fuse\n'.repeat(LIMITS.statements + 1) },
  },
  {
    code: 'CMP0009', severity: 'error', title: 'string, word or number too long', example: '',
    large: { describe: `\`export onnx "PATH"\` with a path of ${LIMITS.tokenChars + 1} characters`, make: () => `export onnx "${'a'.repeat(LIMITS.tokenChars + 1)}"\n` },
  },
  { code: 'CMP1001', severity: 'error', title: 'unknown statement', example: 'prun backbone l1 0.5\n' },
  { code: 'CMP1002', severity: 'error', title: 'unknown pruning criterion', example: 'prune backbone entropi 0.5\n' },
  { code: 'CMP1003', severity: 'error', title: 'unknown distillation loss', example: 'data synth\ndistill from teacher with cls+fet\n' },
  { code: 'CMP1004', severity: 'error', title: 'unknown precision', example: 'quantize int4\n' },
  { code: 'CMP1005', severity: 'error', title: 'unknown block', example: 'replace backbone conv with dsconvv\n' },
  { code: 'CMP1006', severity: 'error', title: 'unknown target', example: 'target tx3\n' },
  { code: 'CMP1007', severity: 'error', title: 'unknown option', example: 'prune backbone l1 0.5 rond 8\n' },
  { code: 'CMP1008', severity: 'error', title: 'bad option value', example: 'prune backbone l1 0.5 round 0.5\n' },
  { code: 'CMP1009', severity: 'error', title: 'unknown data format', example: 'data cocoo "a.json"\n' },
  { code: 'CMP1010', severity: 'error', title: 'unknown set key', example: 'set lrr 0.01\n' },
  { code: 'CMP1011', severity: 'error', title: 'unknown value of an option', example: 'data synth\nquantize int8 method minmaxx\n' },
  { code: 'CMP1012', severity: 'error', title: 'unknown export format', example: 'export onnnx\n' },
  { code: 'CMP1013', severity: 'error', title: 'unknown zoo model or stdlib profile', example: 'model zoo:yolov9\n' },
  { code: 'CMP1014', severity: 'error', title: 'unknown pruning goal', example: 'prune backbone l1 macs 50%\n' },
  { code: 'CMP1015', severity: 'error', title: 'unknown head kind', example: 'head yolov5\n' },
  { code: 'CMP2001', severity: 'error', title: 'amount outside (0, 1)', example: 'prune backbone l1 1.5\n' },
  { code: 'CMP2002', severity: 'error', title: 'reduction factor below 1x', example: 'prune backbone l1 params 0.5x\n' },
  { code: 'CMP2003', severity: 'error', title: 'value out of range', example: 'data synth\nfinetune epochs 0\n' },
  { code: 'CMP2004', severity: 'error', title: 'missing required value', example: 'data synth\nfinetune\n' },
  { code: 'CMP2005', severity: 'error', title: 'bad input size', example: 'input 0\n' },
  { code: 'CMP2006', severity: 'error', title: 'a path no file can have (a control character)', example: 'export onnx "out\\n.onnx"\n' },
  { code: 'CMP2007', severity: 'error', title: 'criterion, loss or metric named twice', example: 'prune backbone l1+bn+l1 0.5\n' },
  { code: 'CMP2008', severity: 'error', title: 'an input size the zoo model cannot be built at', example: 'model zoo:micro-yolo\ninput 100\n' },
  { code: 'CMP2009', severity: 'error', title: 'head anchors and strides disagree', example: 'head yolo anchors [10,14, 23,27], [81,82, 135,169] strides 32\n' },
  {
    code: 'CMP2010', severity: 'warning', title: 'mean or std given as 0-1 values (lithe reads pixel units, 0 to 255)',
    example: 'data synth mean [0.485, 0.456, 0.406] std [0.229, 0.224, 0.225]\n',
  },
  { code: 'CMP3001', severity: 'error', title: 'undeclared teacher', example: 'data synth\ndistill from big with cls\n' },
  { code: 'CMP3002', severity: 'error', title: 'undeclared scope', example: 'prune bakbone l1 0.5\n' },
  { code: 'CMP3003', severity: 'error', title: 'duplicate declaration', example: 'target x86\ntarget tx2\n' },
  { code: 'CMP3004', severity: 'error', title: 'use path outside the recipe folder tree (refused)', example: 'use "../secrets.cmp"\n' },
  { code: 'CMP3005', severity: 'error', title: 'file not found or unreadable', example: 'use "no-such-file.cmp"\n' },
  { code: 'CMP3006', severity: 'error', title: 'use cycle', example: '' },
  { code: 'CMP3007', severity: 'error', title: 'scope defined in terms of itself', example: 'scope a = b\nscope b = a\n' },
  { code: 'CMP3008', severity: 'warning', title: 'built-in scope redefined', example: 'scope all = "x*"\n' },
  { code: 'CMP3009', severity: 'error', title: 'a used file may only declare scopes and sets', example: '' },
  { code: 'CMP3010', severity: 'error', title: 'scope too large or too deep once expanded', example: ['scope a0 = "x"', ...Array.from({ length: 13 }, (_, i) => `scope a${i + 1} = a${i}, a${i}`)].join('\n') + '\n' },
  {
    code: 'CMP3011', severity: 'error', title: 'too many files brought in by use, or used too deeply', example: '',
    note: `A chain of more than ${LIMITS.useDepth} files each using the next, more than ${LIMITS.useFiles} files in all, or more than ${LIMITS.totalChars} characters in all; see \`test/plan.test.ts\` and \`test/support/robust/recipes/limits.ts\`.`,
  },
  { code: 'CMP3012', severity: 'error', title: 'export would overwrite an input', example: 'export onnx "./example.cmp"\n' },
  {
    code: 'CMP3013', severity: 'warning', title: 'model, teacher or data not found (lithe run stops on it: an error there)',
    example: 'model "no-such-model.onnx"\n',
  },
  { code: 'CMP3014', severity: 'error', title: 'data in a form its format does not take', example: 'data coco "."\n' },
  { code: 'CMP4001', severity: 'error', title: 'step needs data', example: 'finetune epochs 3\n' },
  { code: 'CMP4002', severity: 'error', title: 'prune or replace after quantize', example: 'data synth\nquantize int8\nprune backbone l1 0.5\n' },
  { code: 'CMP4003', severity: 'error', title: 'model quantized twice', example: 'data synth\nquantize int8\nquantize fp16\n' },
  { code: 'CMP4004', severity: 'warning', title: 'target has no fast path for this precision', example: 'target tx2\ndata synth\nquantize int8\n' },
  { code: 'CMP4005', severity: 'warning', title: 'round is not a multiple of the target\'s channel alignment', example: 'target tx2\nprune backbone l1 0.5 round 6\n' },
  { code: 'CMP4006', severity: 'warning', title: 'export format differs from the target\'s', example: 'target tx2\nexport mslite\n' },
  { code: 'CMP4007', severity: 'error', title: 'option does not apply in this mode', example: 'quantize fp16 ptq\n' },
  { code: 'CMP4008', severity: 'error', title: 'plan does not match its schema', example: '' },
  { code: 'CMP4009', severity: 'warning', title: 'option given twice: the last one wins', example: 'prune backbone l1 0.5 round 8 round 16\n' },
  { code: 'CMP4010', severity: 'info', title: 'pruning the head keeps its output convolutions', example: 'prune head l1 0.5\n' },
  { code: 'CMP4011', severity: 'error', title: 'step needs labelled data or a decodable head', example: 'data synth\nhead none\neval map\n' },
  {
    code: 'CMP4012', severity: 'warning', title: 'step this version cannot execute (lithe run refuses the recipe)',
    example: 'data synth\nreplace backbone conv with mbconv expand 1.5\n',
  },
  { code: 'CMP4013', severity: 'warning', title: 'a precision the target\'s accelerator path does not take (those layers run on the CPU)', example: 'target kirin990\ndata synth\nquantize int8\n' },
  {
    code: 'CMP4014', severity: 'error', title: 'the export\'s toolchain cannot take an op or attribute of the model', example: '',
    note: '`lithe run` checks the model against the target\'s op table (targets/ops/) once it is loaded, before the first step, and stops naming each node (an unsupported op, a Resize mode TensorRT 8.2 lacks, weights that are not constants), with the alternative where there is one; `lithe explain` shows the same under the export step, and `export tensorrt` checks the model it writes again.',
  },
];

export const codeDoc = new Map(CODES.map((c) => [c.code, c]));
