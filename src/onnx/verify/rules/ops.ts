// Ops: every node's op exists in its domain at the model's opset. The default domain is checked against
// ONNX's own schemas (schema/op-schemas.json) up to the newest opset that table knows. Beyond it an op the
// table does not know may be newer than the table: it passes when lithe has a shape rule for it, and is
// unknown only when neither knows it. Other domains (com.microsoft, ...) are onnxruntime's to check; a file
// must import them.
import { opVersions, schemaAt, schemaOrigin } from '../../schema/table.ts';
import { shapeRuleByOp } from '../../shape/registry.ts';
import { upgradeRuleByOp } from '../../upgrade/registry.ts';
import type { VerifyRule } from '../types.ts';

export const isDefaultDomain = (d: string): boolean => d === '' || d === 'ai.onnx';

export const rule: VerifyRule = {
  id: 'ops',
  summary: 'every op exists at the model\'s opset (ONNX\'s schemas) and its domain is imported',
  stage: 'structure',
  check({ nodes, opset, model, upgrading, report }) {
    const imported = model && new Set(model.opsetImport.map((o) => (isDefaultDomain(o.domain) ? '' : o.domain)));
    const { maxOpset } = schemaOrigin();
    for (const n of nodes) {
      const at = `node '${n.name}'`;
      if (!isDefaultDomain(n.domain)) {
        if (imported && !imported.has(n.domain)) report({ node: n.name, message: `${at} (${n.opType}) is in domain '${n.domain}', which the model does not import` });
        continue;
      }
      if (opset === undefined) {
        if (model) report({ node: n.name, message: `${at} (${n.opType}) is an ONNX op, but the model imports no ONNX opset` });
        continue;
      }
      const versions = opVersions(n.opType);
      if (!versions) {
        if (opset <= maxOpset) report({ node: n.name, message: `${at}: unknown op '${n.opType}' (not an ONNX operator at opset ${opset})` });
        else if (!shapeRuleByOp.has(n.opType)) report({ node: n.name, message: `${at}: unknown op '${n.opType}' (not an ONNX operator up to opset ${maxOpset}, and lithe has no rule for it at opset ${opset})` });
        continue;
      }
      const s = schemaAt(n.opType, opset);
      if (!s) report({ node: n.name, message: `${at}: op ${n.opType} needs opset ${versions[0]!.since} or newer; the model imports opset ${opset}` });
      else if (s.deprecated && !(upgrading && upgradeRuleByOp.has(n.opType))) {
        const fix = upgradeRuleByOp.has(n.opType) ? '; lithe convert --opset 13 rewrites it' : '';
        report({ node: n.name, message: `${at}: op ${n.opType} is deprecated since opset ${s.since} (the model imports ${opset}), and onnxruntime refuses it${fix}` });
      }
    }
  },
};
