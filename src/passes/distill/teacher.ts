// The teacher at training time: a frozen inference session over the teacher model with taps on the values
// the losses compare (its head outputs, the paired feature maps), run on each batch the student trains on.
// Nothing flows back into it: its outputs reach the training graph as fed tensors.
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { createSession, RuntimeError, withTaps } from '../../runtime/session.ts';

export class TeacherRun {
  private constructor(private readonly session: ort.InferenceSession, private readonly values: readonly string[]) {}

  /** `values`: the teacher's values to return for each batch. */
  static async create(teacher: ModelProto, values: readonly string[], threads: number): Promise<TeacherRun> {
    return new TeacherRun(await createSession(withTaps(teacher, values), { threads }), values);
  }

  /** The tapped values for a batch of images (NCHW float32, `dims`), by the teacher's value names. */
  async run(input: Float32Array, dims: readonly number[]): Promise<Map<string, Float32Array>> {
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run({ [this.session.inputNames[0]!]: new ort.Tensor('float32', input, dims) }, [...this.values]);
    } catch (e) {
      throw new RuntimeError(`the teacher failed on a batch in onnxruntime: ${(e as Error).message}`);
    }
    return new Map(this.values.map((v) => [v, out[v]!.data as Float32Array]));
  }

  async release(): Promise<void> { await this.session.release(); }
}
