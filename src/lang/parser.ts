// The .cmp grammar as a Chevrotain CstParser. The grammar fixes the shape of each statement's head; the
// options after it are read generically (a name, then arguments up to the next option name of that verb)
// and typed later against the pass registry, so a new option needs no grammar change and a misspelt one
// gets "did you mean" instead of a bare syntax error.
import { CstParser, EOF, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import {
  allTokens, Comma, Equals, K, LParen, Plus, RParen, Str, Terminator, Value, Word, ZooRef,
} from './tokens.ts';
import { errorMessageProvider } from './messages.ts';

/** Which words start an option, per statement (`prune`, `quantize`, ..., and `data`). */
export interface Vocabulary {
  options: Readonly<Record<string, ReadonlySet<string>>>;
}

const NONE: ReadonlySet<string> = new Set();

/** The keywords that start a statement (declarations and steps). */
export const STATEMENT_WORDS = [
  'data', 'distill', 'eval', 'export', 'finetune', 'fuse', 'input', 'model', 'prune', 'quantize', 'replace',
  'scope', 'set', 'target', 'teacher', 'use',
] as const;


export class RecipeParser extends CstParser {
  /** Option names of the statement being parsed: a word in this set starts a new option. */
  private optionNames: ReadonlySet<string> = NONE;

  constructor(private readonly vocab: Vocabulary) {
    super(allTokens, { recoveryEnabled: true, nodeLocationTracking: 'full', errorMessageProvider, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  private enter(statement: string): void {
    this.ACTION(() => { this.optionNames = this.vocab.options[statement] ?? NONE; });
  }

  private isOptionArg(): boolean {
    const t = this.LA(1);
    if (tokenMatcher(t, Word)) return !this.optionNames.has(t.image);
    return tokenMatcher(t, Value) || tokenMatcher(t, Str) || tokenMatcher(t, Comma) || tokenMatcher(t, ZooRef);
  }

  public recipe = this.RULE('recipe', () => {
    this.MANY(() => this.OR([
      { ALT: () => this.CONSUME(Terminator) },
      { ALT: () => this.SUBRULE(this.line) },
    ]));
  });

  private line = this.RULE('line', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        { ALT: () => this.SUBRULE(this.statement) },
        // Anything else up to the end of the statement: reported once, so the next line still parses.
        { ALT: () => this.SUBRULE(this.junk) },
      ],
    });
    this.OR2([{ ALT: () => this.CONSUME2(Terminator) }, { ALT: () => this.CONSUME(EOF) }]);
  });

  private junk = this.RULE('junk', () => {
    this.AT_LEAST_ONE(() => this.OR([
      { ALT: () => this.CONSUME(Value) }, { ALT: () => this.CONSUME(Str) }, { ALT: () => this.CONSUME(ZooRef) },
      { ALT: () => this.CONSUME(LParen) }, { ALT: () => this.CONSUME(RParen) }, { ALT: () => this.CONSUME(Comma) },
      { ALT: () => this.CONSUME(Plus) }, { ALT: () => this.CONSUME(Equals) }, { ALT: () => this.CONSUME(Word) },
    ]));
  });

  private statement = this.RULE('statement', () => {
    this.OR({
      // Every keyword is also a Word, so the unknown-statement fallback overlaps the heads: decide on the first
      // word alone, heads first. An incomplete statement such as `prune 0.5` is then an error inside prune
      // ("expected a name"), not an unknown statement.
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        {
          ALT: () => this.OR2([
            { ALT: () => this.SUBRULE(this.modelStmt) },
            { ALT: () => this.SUBRULE(this.teacherStmt) },
            { ALT: () => this.SUBRULE(this.dataStmt) },
            { ALT: () => this.SUBRULE(this.targetStmt) },
            { ALT: () => this.SUBRULE(this.inputStmt) },
            { ALT: () => this.SUBRULE(this.useStmt) },
            { ALT: () => this.SUBRULE(this.scopeStmt) },
            { ALT: () => this.SUBRULE(this.setStmt) },
            { ALT: () => this.SUBRULE(this.pruneStmt) },
            { ALT: () => this.SUBRULE(this.distillStmt) },
            { ALT: () => this.SUBRULE(this.quantizeStmt) },
            { ALT: () => this.SUBRULE(this.replaceStmt) },
            { ALT: () => this.SUBRULE(this.finetuneStmt) },
            { ALT: () => this.SUBRULE(this.fuseStmt) },
            { ALT: () => this.SUBRULE(this.evalStmt) },
            { ALT: () => this.SUBRULE(this.exportStmt) },
          ]),
        },
        { ALT: () => this.SUBRULE(this.unknownStmt) },
      ],
    });
  });

  // ── declarations ──
  private modelStmt = this.RULE('modelStmt', () => {
    this.CONSUME(K.model);
    this.SUBRULE(this.source);
  });

  private teacherStmt = this.RULE('teacherStmt', () => {
    this.CONSUME(K.teacher);
    this.SUBRULE(this.source);
    this.OPTION(() => {
      this.CONSUME(K.as);
      this.CONSUME(Word, { LABEL: 'name' });
    });
  });

  private source = this.RULE('source', () => {
    this.OR([{ ALT: () => this.CONSUME(Str) }, { ALT: () => this.CONSUME(ZooRef) }]);
  });

  private dataStmt = this.RULE('dataStmt', () => {
    this.CONSUME(K.data);
    this.enter('data');
    this.CONSUME(Word, { LABEL: 'format' });
    this.OPTION(() => this.CONSUME(Str, { LABEL: 'path' }));
    this.MANY(() => this.SUBRULE(this.optionClause));
  });

  private targetStmt = this.RULE('targetStmt', () => {
    this.CONSUME(K.target);
    this.CONSUME(Word, { LABEL: 'name' });
  });

  private inputStmt = this.RULE('inputStmt', () => {
    this.CONSUME(K.input);
    this.CONSUME(Value); // `416` or `416x416` (a Size is a Value)
  });

  private useStmt = this.RULE('useStmt', () => {
    this.CONSUME(K.use);
    this.OR([
      { ALT: () => this.CONSUME(Str, { LABEL: 'path' }) },
      { ALT: () => { this.CONSUME(K.stdlib); this.CONSUME(Word, { LABEL: 'name' }); } },
    ]);
  });

  private scopeStmt = this.RULE('scopeStmt', () => {
    this.CONSUME(K.scope);
    this.CONSUME(Word, { LABEL: 'name' });
    this.CONSUME(Equals);
    this.SUBRULE(this.selectorList);
  });

  private setStmt = this.RULE('setStmt', () => {
    this.CONSUME(K.set);
    this.CONSUME(Word, { LABEL: 'key' });
    this.OR([
      { ALT: () => this.CONSUME(Value) }, { ALT: () => this.CONSUME(Str) }, { ALT: () => this.CONSUME2(Word, { LABEL: 'word' }) },
    ]);
  });

  // ── selectors: `"glob"`, `op NAME`, `scope NAME`, a bare scope name, `( list )`, `A except B` ──
  private selectorList = this.RULE('selectorList', () => {
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.selector) });
  });

  private selector = this.RULE('selector', () => {
    this.SUBRULE(this.selectorAtom);
    this.MANY(() => {
      this.CONSUME(K.except);
      this.SUBRULE2(this.selectorAtom, { LABEL: 'minus' });
    });
  });

  private selectorAtom = this.RULE('selectorAtom', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.CONSUME(Str, { LABEL: 'glob' }) },
        { ALT: () => { this.CONSUME(K.op); this.CONSUME(Word, { LABEL: 'op' }); } },
        { ALT: () => { this.CONSUME(K.scope); this.CONSUME2(Word, { LABEL: 'scope' }); } },
        { ALT: () => { this.CONSUME(LParen); this.SUBRULE(this.selectorList); this.CONSUME(RParen); } },
        { ALT: () => this.CONSUME3(Word, { LABEL: 'name' }) },
      ],
    });
  });

  // ── steps ──
  private pruneStmt = this.RULE('pruneStmt', () => {
    this.CONSUME(K.prune);
    this.enter('prune');
    this.CONSUME(Word, { LABEL: 'scope' });
    this.SUBRULE(this.nameSum, { LABEL: 'criteria' });
    this.SUBRULE(this.amount);
    this.MANY(() => this.SUBRULE(this.optionClause));
  });

  /** `l1+bn`, `cls+feat+attn`. */
  private nameSum = this.RULE('nameSum', () => {
    this.AT_LEAST_ONE_SEP({ SEP: Plus, DEF: () => this.CONSUME(Word) });
  });

  private amount = this.RULE('amount', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.CONSUME(Value) },
        { GATE: () => tokenMatcher(this.LA(2), Value), ALT: () => { this.CONSUME(Word, { LABEL: 'goal' }); this.CONSUME2(Value); } },
      ],
    });
  });

  private distillStmt = this.RULE('distillStmt', () => {
    this.CONSUME(K.distill);
    this.enter('distill');
    this.CONSUME(K.from);
    this.CONSUME(Word, { LABEL: 'teacher' });
    this.CONSUME(K.with);
    this.SUBRULE(this.nameSum, { LABEL: 'losses' });
    this.MANY(() => this.SUBRULE(this.optionClause));
  });

  private quantizeStmt = this.RULE('quantizeStmt', () => {
    this.CONSUME(K.quantize);
    this.enter('quantize');
    this.CONSUME(Word, { LABEL: 'precision' });
    this.MANY(() => this.SUBRULE(this.optionClause));
  });

  private replaceStmt = this.RULE('replaceStmt', () => {
    this.CONSUME(K.replace);
    this.enter('replace');
    this.CONSUME(Word, { LABEL: 'scope' });
    this.CONSUME(K.conv);
    this.CONSUME(K.with);
    this.CONSUME2(Word, { LABEL: 'block' });
    this.MANY(() => this.SUBRULE(this.optionClause));
  });

  private finetuneStmt = this.bareStep('finetuneStmt', K.finetune, 'finetune');
  private fuseStmt = this.bareStep('fuseStmt', K.fuse, 'fuse');
  private evalStmt = this.bareStep('evalStmt', K.eval, 'eval');

  private exportStmt = this.RULE('exportStmt', () => {
    this.CONSUME(K.export);
    this.enter('export');
    this.CONSUME(Word, { LABEL: 'format' });
    this.OPTION(() => this.CONSUME(Str, { LABEL: 'path' }));
    this.MANY(() => this.SUBRULE(this.optionClause));
  });

  /** A statement whose first word is no statement keyword; the lowering suggests the nearest one. */
  private unknownStmt = this.RULE('unknownStmt', () => {
    this.CONSUME(Word, { LABEL: 'head' });
    this.OPTION(() => this.SUBRULE(this.junk));
  });

  private optionClause = this.RULE('optionClause', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.LA(1).image === 'keep' && this.optionNames.has('keep'), ALT: () => { this.CONSUME(Word, { LABEL: 'name' }); this.SUBRULE(this.selectorList); } },
        { ALT: () => { this.CONSUME2(Word, { LABEL: 'name' }); this.MANY({ GATE: () => this.isOptionArg(), DEF: () => this.SUBRULE(this.optionArg) }); } },
      ],
    });
  });

  private optionArg = this.RULE('optionArg', () => {
    this.OR([
      { ALT: () => this.CONSUME(Value) }, { ALT: () => this.CONSUME(Str) }, { ALT: () => this.CONSUME(Word) },
      { ALT: () => this.CONSUME(Comma) }, { ALT: () => this.CONSUME(ZooRef) },
    ]);
  });

  private bareStep(name: string, keyword: TokenType, statement: string) {
    return this.RULE(name, () => {
      this.CONSUME(keyword);
      this.enter(statement);
      this.MANY(() => this.SUBRULE(this.optionClause));
    });
  }
}

export type { IToken };
