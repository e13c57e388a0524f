// Opset imports: each domain imported once, at a positive version. (The IR version and the default opset's
// range are checked as the file is decoded: io.ts.)
import { isDefaultDomain } from './ops.ts';
import type { VerifyRule } from '../types.ts';

export const rule: VerifyRule = {
  id: 'opset-imports',
  summary: 'each opset domain is imported once, at a positive version',
  stage: 'header',
  needs: 'model',
  check({ model, report }) {
    const seen = new Set<string>();
    for (const o of model!.opsetImport) {
      const domain = isDefaultDomain(o.domain) ? 'ai.onnx' : o.domain;
      if (seen.has(domain)) report({ message: `the model imports domain '${domain}' twice` });
      seen.add(domain);
      if (o.version < 1n) report({ message: `the model imports domain '${domain}' at version ${o.version}` });
    }
  },
};
