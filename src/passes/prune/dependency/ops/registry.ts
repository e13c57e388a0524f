// How each op moves channels, by op type. An op that is not here is not followed: the groups of its inputs'
// channels become unprunable (never silently wrong).
import type { OpRule } from '../tracer.ts';
import { rules as binary } from './binary.ts';
import { rules as concat } from './concat.ts';
import { rules as conv } from './conv.ts';
import { rules as norm } from './norm.ts';
import { rules as spatial } from './spatial.ts';
import { rules as split } from './split.ts';
import { rules as unary } from './unary.ts';

export const opRules: ReadonlyMap<string, OpRule> = new Map(
  Object.entries({ ...binary, ...concat, ...conv, ...norm, ...spatial, ...split, ...unary }).sort(([a], [b]) => a.localeCompare(b)),
);
