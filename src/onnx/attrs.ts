// Reading a node's attributes by name, with defaults.
import type { NodeProto, TensorProto } from 'onnx-buf';
import { AttributeType as T } from './enums.ts';

export class Attrs {
  constructor(private readonly node: NodeProto) {}

  private get(name: string) { return this.node.attribute.find((a) => a.name === name); }
  has(name: string): boolean { return !!this.get(name); }
  int(name: string, def: number): number { const a = this.get(name); return a?.type === T.INT ? Number(a.i) : def; }
  ints(name: string): number[] | undefined { const a = this.get(name); return a?.type === T.INTS ? a.ints.map(Number) : undefined; }
  float(name: string, def: number): number { const a = this.get(name); return a?.type === T.FLOAT ? a.f : def; }
  floats(name: string): number[] | undefined { const a = this.get(name); return a?.type === T.FLOATS ? [...a.floats] : undefined; }
  string(name: string, def: string): string { const a = this.get(name); return a?.type === T.STRING ? new TextDecoder().decode(a.s) : def; }
  tensor(name: string): TensorProto | undefined { const a = this.get(name); return a?.type === T.TENSOR ? a.t : undefined; }
}
