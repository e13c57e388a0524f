// Chevrotain's LL(k) lookahead with each decision's function built the first time the parser reaches it,
// not all of them when the parser is made: a recipe reaches a fraction of the grammar's decisions, and
// building them all was the largest part of a compiled `lithe check`'s start-up (about 170 of 700 ms of
// CPU). The functions are chevrotain's own, built by its own code; the grammar is still validated whole.
import { LLkLookaheadStrategy, type ILookaheadStrategy } from 'chevrotain';

type Alternation = ILookaheadStrategy['buildLookaheadForAlternation'];
type Optional = ILookaheadStrategy['buildLookaheadForOptional'];

export class LazyLookahead implements ILookaheadStrategy {
  private readonly llk: ILookaheadStrategy;

  constructor(maxLookahead: number) {
    this.llk = new LLkLookaheadStrategy({ maxLookahead });
  }

  validate(options: Parameters<ILookaheadStrategy['validate']>[0]): ReturnType<ILookaheadStrategy['validate']> {
    return this.llk.validate(options);
  }

  buildLookaheadForAlternation(options: Parameters<Alternation>[0]): ReturnType<Alternation> {
    const llk = this.llk;
    let built: ReturnType<Alternation> | undefined;
    // chevrotain calls it with the parser as `this`
    return function lazy(this: unknown, alts) { return (built ??= llk.buildLookaheadForAlternation(options)).call(this, alts); };
  }

  buildLookaheadForOptional(options: Parameters<Optional>[0]): ReturnType<Optional> {
    const llk = this.llk;
    let built: ReturnType<Optional> | undefined;
    return function lazy(this: unknown) { return (built ??= llk.buildLookaheadForOptional(options)).call(this); };
  }
}
