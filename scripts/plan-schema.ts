// Writes plan.schema.json, assembled from each pass's parameter schema (a test keeps it up to date).
import { writeFileSync } from 'node:fs';
import { planSchema } from '../src/plan/schema.ts';

export const planSchemaText = (): string => `${JSON.stringify(planSchema(), null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../plan.schema.json', import.meta.url), planSchemaText());
}
