// The reliability suite's recipe cases (kind `recipe`): hostile .cmp and YAML recipes generated in code,
// mostly through `lithe check`, `explain` and `fmt`. Broken ones must be refused with a diagnostic (a code
// and a place) or an error naming the file; valid ones (names such as __proto__, values at their bounds)
// must pass. `recipeCasesHeavy` holds the full-size (50 MB) inputs, for bench:robust only.
import type { RobustCase } from './types.ts';
import { fmtCases } from './recipes/fmt.ts';
import { heavyCases } from './recipes/heavy.ts';
import { limitCases } from './recipes/limits.ts';
import { nameCases } from './recipes/names.ts';
import { pathCases } from './recipes/paths.ts';
import { valueCases } from './recipes/values.ts';

export const recipeCases: RobustCase[] = [...limitCases, ...nameCases, ...valueCases, ...pathCases, ...fmtCases];

export const recipeCasesHeavy: RobustCase[] = heavyCases;
