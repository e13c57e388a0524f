/** A distillation loss; its ONNX loss graph is added with the training engine (issue 5). */
export interface Loss {
  id: string;
  summary: string;
}
