// The schema a node is checked against: its op's version in force at the model's opset, for default-domain
// nodes and opsets the table knows. Past the table's newest opset an op's inputs and attributes may have
// changed (ReduceMean's axes became an input at 18), so nothing is checked against an older schema.
import type { NodeProto } from 'onnx-buf';
import { schemaAt, schemaOrigin, type OpSchema } from '../schema/table.ts';
import { isDefaultDomain } from './rules/ops.ts';

export function schemaOf(n: NodeProto, opset: number | undefined): OpSchema | undefined {
  if (opset === undefined || !isDefaultDomain(n.domain) || opset > schemaOrigin().maxOpset) return undefined;
  const s = schemaAt(n.opType, opset);
  return s && !s.deprecated ? s : undefined;
}
