/** A detection in input-image pixels: corners, score and class index. */
export interface Detection { x1: number; y1: number; x2: number; y2: number; score: number; cls: number }

/** A prediction map as onnxruntime returns it: flat float data and its dims. */
export interface Map4 { data: Float32Array; dims: readonly number[] }
