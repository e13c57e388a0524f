// Sum of any number of inputs: the gradient passes to each, summed over the axes it was broadcast along.
import { Add } from './Add.ts';
import type { GradRule } from '../types.ts';

export const Sum: GradRule = { ...Add, op: 'Sum' };
