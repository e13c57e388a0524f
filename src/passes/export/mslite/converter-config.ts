// converter.cfg for MindSpore Lite's full quantization (quantization.md, shared/notes/deploy.md), filled
// from the recipe's quantize step: the calibration method, image count and weight granularity.
export interface QuantizeChoice { method: string; calib: number; weights: 'per-channel' | 'per-tensor' }

/** lithe's calibration methods → converter_lite's activation_quant_method. MSE has no counterpart: KL is the
 *  converter's closest (both pick a clipping range that minimises an error), said so in the file. */
const METHOD: Record<string, { value: string; note?: string }> = {
  entropy: { value: 'KL' },
  minmax: { value: 'MAX_MIN' },
  mse: { value: 'KL', note: 'the recipe asked for mse, which converter_lite lacks; KL is its closest' },
  percentile: { value: 'REMOVAL_OUTLIER' },
};

export interface ConfigInput { input: string; folder: string; size: [number, number]; preprocess: Record<string, unknown> }

export function converterConfig(q: QuantizeChoice, c: ConfigInput, images: number): string {
  const m = METHOD[q.method] ?? { value: 'MAX_MIN', note: `unknown method ${q.method}` };
  return [
    '# MindSpore Lite converter_lite configuration, written by lithe from the recipe\'s quantize step.',
    '[common_quant_param]',
    'quant_type=FULL_QUANT',
    'bit_num=8',
    '',
    '[data_preprocess_param]',
    `calibrate_path=${c.input}:${c.folder}`,
    `calibrate_size=${images}`,
    'input_type=BIN',
    `# Each BIN file is the model's input exactly: letterboxed to ${c.size[1]}x${c.size[0]} (grey 114 padding), then`,
    `# ${String(c.preprocess.formula ?? 'input = (pixel - mean) / std')} with mean ${JSON.stringify(c.preprocess.mean)} and std ${JSON.stringify(c.preprocess.std)} (pixel units, ${String(c.preprocess.channels ?? 'rgb')}),`,
    '# NHWC float32. So the converter\'s own normalisation and resize are the identity:',
    'normalize_mean=[0,0,0]',
    'normalize_std=[1,1,1]',
    `resize_width=${c.size[1]}`,
    `resize_height=${c.size[0]}`,
    'resize_method=LINEAR',
    '',
    '[full_quant_param]',
    ...(m.note ? [`# ${m.note}`] : []),
    `activation_quant_method=${m.value}`,
    'bias_correction=true',
    `per_channel=${q.weights === 'per-channel'}`,
    '',
  ].join('\n');
}
