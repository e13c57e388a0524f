/** A lightweight block that can stand in for a standard convolution. */
export interface Block {
  id: string;
  summary: string;
}
