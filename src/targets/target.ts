// A device target profile, as read from targets/NAME.yaml and checked against targets/target.schema.json.
// Field names stay snake_case, exactly as in the YAML, so a Plan can embed a profile verbatim.

export type Precision = 'fp32' | 'fp16' | 'int8';

export const PRECISIONS: readonly Precision[] = ['fp32', 'fp16', 'int8'];

export interface PrecisionInfo {
  supported: boolean;
  /** True where the precision is a speed-up on the device, not merely accepted. */
  fast: boolean;
  /** Peak dense throughput; TOPS for int8. */
  tflops?: number;
  notes?: string;
}

/** Per kernel kind, the share of the precision's peak throughput it reaches (latency/kinds.ts). */
export type Efficiency = Partial<Record<'conv' | 'pointwise' | 'depthwise' | 'gemm' | 'shallow', number>>;

/** A published or measured latency a profile's factors were fitted to. */
export interface FittedFigure { model: string; size: number; precision: Precision; ms: number; source: string }

/** The roofline latency model's factors (latency/predict.ts), and the figures they were fitted to. */
export interface LatencyFactors {
  /** Peak dense throughput per precision in TFLOPS (TOPS for int8), where `precisions` gives none. */
  peak_tflops?: Partial<Record<Precision, number>>;
  /** A precision that is not fast here runs as another: int8 on a GPU without int8 units runs as fp16. */
  runs_as?: Partial<Record<Precision, Precision>>;
  efficiency: Partial<Record<Precision, Efficiency>>;
  /** Per precision, the reduction length (Cin/group x kernel) at which conv and 1x1 kernels run at half their
   *  kind's efficiency: one of length d reaches d / (d + half_depth) of it (fixed work per output element). */
  half_depth?: Partial<Record<Precision, number>>;
  /** The same for shallow convs (few input channels: a cost per output element as much as per multiply-add). */
  shallow_half_depth?: Partial<Record<Precision, number>>;
  /** The runtime's channel block: dense convs compute output channels rounded up to a multiple of it, and
   *  one on fewer input channels runs a shallow kernel (onnxruntime's NCHWc: 16 with AVX-512, 8 with AVX2). */
  channel_block?: number;
  /** Nanoseconds per element of a change between the runtime's blocked layout and the plain one (onnxruntime's
   *  ReorderInput and ReorderOutput, around ops it runs in the plain layout only: mish's Softplus). */
  reorder_ns?: number;
  /** The share of the peak memory bandwidth that kernels reach. */
  memory_efficiency: number;
  /** Fixed cost of launching one kernel, in microseconds. */
  kernel_us: number;
  /** Per precision, what a conv or gemm kernel takes beyond its multiply-adds, in microseconds (onnxruntime's
   *  QLinearConv: 11-13 us a call within ssd-lite, however few its MACs). */
  weighted_kernel_us?: Partial<Record<Precision, number>>;
  /** Ops the runtime runs inside the kernel of the conv before them (BatchNormalization, activations); a
   *  default set (latency/kinds.ts) when absent. */
  fused_ops?: string[];
  /** The ops fused into an int8 conv where the runtime fuses fewer there (onnxruntime runs LeakyRelu and
   *  Sigmoid after it as QLinear kernels of their own); `fused_ops` when absent. */
  int8_fused_ops?: string[];
  /** An int8 conv whose output is not quantized again (a head's output conv) runs as a float conv: true for
   *  onnxruntime, whose QDQ fusion needs Q on both sides; TensorRT has int8-in, float-out kernels. */
  int8_needs_quantized_output?: boolean;
  /** Nanoseconds per output element of the element-wise ops that compute more than they move (Sigmoid,
   *  Tanh, Softplus...), where they run as kernels of their own; a chain run as one kernel under its ops
   *  joined in sorted order (`Mul+Sigmoid`: SiLU, onnxruntime's QuickGelu). */
  elementwise_ns?: Record<string, number>;
  /** The same for int8 ops, all of them: onnxruntime's QLinear kernels (QLinearLeakyRelu, QLinearAdd...) and
   *  the float ops it runs between DequantizeLinear and QuantizeLinear (Clip with a zero point of 0), those
   *  included. */
  int8_elementwise_ns?: Record<string, number>;
  /** Element-wise ops that run inside the element-wise kernel before them when they read only what it
   *  reads or writes (onnxruntime fuses SiLU's Sigmoid and Mul into one kernel). */
  chained_ops?: string[];
  fitted_to: FittedFigure[];
  notes?: string;
}

export interface Target {
  /** Equals the file's basename. */
  name: string;
  summary: string;
  device: string;
  docs: string;
  runtime: { name: string; version: string };
  /** `opset` is what lithe writes; `max_opset` the newest the device's toolchain reads. */
  onnx: { opset: number; max_opset?: number };
  precisions: Partial<Record<Precision, PrecisionInfo>>;
  memory: { size_gb: number; bandwidth_gbps: number };
  /** Channel counts that run fastest are multiples of this. */
  channel_alignment: number;
  /** ONNX op types the device cannot run natively (they fall back or fail). */
  unsupported_ops: string[];
  quantization: {
    symmetric: boolean;
    weights: 'per-channel' | 'per-tensor';
    activations: 'per-tensor';
    /** Fixed zero point, or null when calibration chooses it. */
    zero_point: number | null;
    rounding: 'half-even' | 'half-away';
    calibration_cache?: 'tensorrt' | null;
    /** How int8 Q/DQ is stored for the runtime (quantize/int8.ts); onnxruntime when absent. */
    encoding?: 'onnxruntime' | 'tensorrt';
  };
  /** The toolchain's operator table (a file in targets/ops/) and what becomes of an op it does not list. */
  ops?: { table: string; unlisted: 'error' | 'cpu' };
  export: {
    format: 'onnx' | 'tensorrt' | 'mslite';
    notes?: string;
    /** The first line of a TensorRT calibration cache (TRT-<version>-EntropyCalibration2). */
    cache_header?: string;
    /** trtexec --workspace, MiB. */
    workspace_mib?: number;
    /** The unit the converted model runs on and the precisions it takes (others run on the CPU). */
    accelerator?: { name: string; precisions: Precision[]; source?: string };
  };
  defaults: {
    precision: Precision;
    /** Keep a multiple of this many channels when pruning. */
    round: number;
    /** Calibration images. */
    calib: number;
    threads?: number;
    batch?: number;
  };
  latency?: LatencyFactors;
}
