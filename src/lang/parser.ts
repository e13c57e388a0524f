// The .cmp grammar as a Chevrotain CstParser. The grammar fixes the shape of each statement's head; the
// options after it are read generically (a name, then arguments up to the next option name of that verb)
// and typed later against the pass registry, so a new option needs no grammar change and a misspelt one
// gets "did you mean" instead of a bare syntax error.
import { CstParser, tokenMatcher, type AtLeastOneSepMethodOpts, type IOrAlt, type IToken } from 'chevrotain';
import {
  allTokens, Comma, DECLARATION_WORDS, Equals, K, LBracket, LParen, Plus, RBracket, RParen, Str, Terminator, Value, Word, ZooRef,
} from './tokens.ts';
import { passes } from '../passes/registry.ts';
import type { HeadPart, PassDef } from '../passes/types.ts';
import { errorMessageProvider } from './messages.ts';
import { LazyLookahead } from './lazy-lookahead.ts';
import { SKIP_VALIDATIONS } from './validation.ts';

/** Which words start an option, per statement (`prune`, `quantize`, ..., `data` and `head`). */
export interface Vocabulary {
  options: Readonly<Record<string, ReadonlySet<string>>>;
  /** Options whose argument is a selector list (`keep`, `at`), by statement. */
  selectorOptions?: Readonly<Record<string, ReadonlySet<string>>>;
}

const NONE: ReadonlySet<string> = new Set();

// Alternatives are built once per parser and reused (Chevrotain's advice), and through these helpers, so
// that no object-literal arrow is created per parse: tsx keeps function names, which costs a
// defineProperty on every such arrow and dominated parse time.
type Alt = IOrAlt<unknown>;
const alt = (f: () => unknown): Alt => ({ ALT: f });
const gated = (g: () => boolean, f: () => unknown): Alt => ({ GATE: g, ALT: f });

/** The keywords that start a statement (declarations and steps), sorted. */
export const STATEMENT_WORDS: readonly string[] = [...DECLARATION_WORDS, ...passes.map((p) => p.name)].sort();

/** Parts a step's head may have: DSL indices 1-4 (see `headPart`). */
const MAX_HEAD_PARTS = 4;


export class RecipeParser extends CstParser {
  /** Option names of the statement being parsed: a word in this set starts a new option. */
  private optionNames: ReadonlySet<string> = NONE;
  private selectorNames: ReadonlySet<string> = NONE;

  constructor(private readonly vocab: Vocabulary) {
    super(allTokens, { recoveryEnabled: true, nodeLocationTracking: 'full', errorMessageProvider, maxLookahead: 2, lookaheadStrategy: new LazyLookahead(2), skipValidations: SKIP_VALIDATIONS });
    this.performSelfAnalysis();
  }

  private enter(statement: string): void {
    this.ACTION(() => {
      this.optionNames = this.vocab.options[statement] ?? NONE;
      this.selectorNames = this.vocab.selectorOptions?.[statement] ?? NONE;
    });
  }

  // Options sit directly under their statement as labelled tokens: `opt` (each option's name), `arg` (the
  // arguments, up to the next option name of the statement) and `keep` (the selector list of an option
  // whose argument is one: `keep`, `at`).
  // No node per option: on long recipes, fewer nodes is most of the parser's and visitor's speed. The
  // high DSL indices (5-9) keep these fragments apart from the statement rules' own CONSUMEs.
  private readonly argAlts: Alt[] = [
    alt(() => this.CONSUME9(Value, { LABEL: 'arg' })), alt(() => this.CONSUME9(Str, { LABEL: 'arg' })),
    alt(() => this.CONSUME9(Word, { LABEL: 'arg' })), alt(() => this.CONSUME9(Comma, { LABEL: 'arg' })),
    alt(() => this.CONSUME9(ZooRef, { LABEL: 'arg' })),
    // `[1, 2, 3]`: its brackets and numbers are `arg` tokens too; the visitor groups them into one list.
    alt(() => {
      this.CONSUME9(LBracket, { LABEL: 'arg' });
      this.MANY_SEP7(this.listItems);
      this.CONSUME9(RBracket, { LABEL: 'arg' });
    }),
  ];
  private readonly listItems = { SEP: Comma, DEF: (): unknown => this.CONSUME8(Value, { LABEL: 'arg' }) };
  private readonly optionArgs = { GATE: (): boolean => this.isOptionArg(), DEF: (): unknown => this.OR9(this.argAlts) };
  private readonly optionAlts = {
    IGNORE_AMBIGUITIES: true,
    DEF: [
      gated(() => this.selectorNames.has(this.LA(1).image), () => { this.CONSUME7(Word, { LABEL: 'opt' }); this.SUBRULE7(this.selectorList, { LABEL: 'keep' }); }),
      alt(() => { this.CONSUME8(Word, { LABEL: 'opt' }); this.MANY9(this.optionArgs); }),
    ],
  };
  private readonly options = { DEF: (): unknown => this.OR8(this.optionAlts) };
  /** `0.7`, `70%`, `1/16`, `flops 50%`, `params 3x`: the amount of a prune, as `amount` and `goal` tokens. */
  private readonly amount = {
    IGNORE_AMBIGUITIES: true,
    DEF: [
      alt(() => this.CONSUME5(Value, { LABEL: 'amount' })),
      gated(() => tokenMatcher(this.LA(2), Value), () => { this.CONSUME5(Word, { LABEL: 'goal' }); this.CONSUME6(Value, { LABEL: 'amount' }); }),
    ],
  };

  private isOptionArg(): boolean {
    const t = this.LA(1);
    if (tokenMatcher(t, Word)) return !this.optionNames.has(t.image);
    return tokenMatcher(t, Value) || tokenMatcher(t, Str) || tokenMatcher(t, Comma) || tokenMatcher(t, ZooRef) || tokenMatcher(t, LBracket);
  }

  public recipe = this.RULE('recipe', () => {
    this.MANY(() => this.OR(this.topLevel));
  });

  // Built before the alternatives below, which list them.
  private readonly steps = passes.map((p) => this.stepRule(p));

  private readonly statements: Alt[] = [
    alt(() => this.SUBRULE(this.modelStmt)),
    alt(() => this.SUBRULE(this.teacherStmt)),
    alt(() => this.SUBRULE(this.dataStmt)),
    alt(() => this.SUBRULE(this.targetStmt)),
    alt(() => this.SUBRULE(this.inputStmt)),
    alt(() => this.SUBRULE(this.headStmt)),
    alt(() => this.SUBRULE(this.useStmt)),
    alt(() => this.SUBRULE(this.scopeStmt)),
    alt(() => this.SUBRULE(this.setStmt)),
    ...this.steps.map((rule, i) => alt(() => this.subrule(i, rule))),
    alt(() => this.SUBRULE(this.unknownStmt)),
    // Anything else up to the end of the statement: reported once, so the next line still parses.
    alt(() => this.SUBRULE(this.junk)),
  ];
  // Every keyword is also a Word, so the unknown-statement and junk fallbacks overlap the statement heads:
  // decide on the first token alone, heads first. An incomplete statement such as `prune 0.5` is then an
  // error inside prune ("expected a name"), not an unknown statement. Statements sit directly under the
  // recipe, with the terminators between them (the visitor checks that one separates every two): no node
  // per line, on the hot path of long recipes.
  private readonly topLevel = { IGNORE_AMBIGUITIES: true, MAX_LOOKAHEAD: 1, DEF: [alt(() => this.CONSUME(Terminator)), ...this.statements] };

  private junk = this.RULE('junk', () => {
    this.AT_LEAST_ONE(() => this.OR([
      alt(() => this.CONSUME(Value)), alt(() => this.CONSUME(Str)), alt(() => this.CONSUME(ZooRef)),
      alt(() => this.CONSUME(LParen)), alt(() => this.CONSUME(RParen)), alt(() => this.CONSUME(Comma)),
      alt(() => this.CONSUME(LBracket)), alt(() => this.CONSUME(RBracket)),
      alt(() => this.CONSUME(Plus)), alt(() => this.CONSUME(Equals)), alt(() => this.CONSUME(Word)),
    ]));
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
    this.OR([alt(() => this.CONSUME(Str)), alt(() => this.CONSUME(ZooRef))]);
  });

  private dataStmt = this.RULE('dataStmt', () => {
    this.CONSUME(K.data);
    this.enter('data');
    this.CONSUME(Word, { LABEL: 'format' });
    this.OPTION(() => this.CONSUME(Str, { LABEL: 'path' }));
    this.MANY8(this.options);
  });

  private targetStmt = this.RULE('targetStmt', () => {
    this.CONSUME(K.target);
    this.CONSUME(Word, { LABEL: 'name' });
  });

  private inputStmt = this.RULE('inputStmt', () => {
    this.CONSUME(K.input);
    this.CONSUME(Value); // `416` or `416x416` (a Size is a Value)
  });

  /** `head yolo anchors [...], [...] strides 8, 16 classes 80`, `head none`: a kind, then options. */
  private headStmt = this.RULE('headStmt', () => {
    this.CONSUME(K.head);
    this.enter('head');
    this.CONSUME(Word, { LABEL: 'kind' });
    this.MANY8(this.options);
  });

  private useStmt = this.RULE('useStmt', () => {
    this.CONSUME(K.use);
    this.OR([
      alt(() => this.CONSUME(Str, { LABEL: 'path' })),
      alt(() => { this.CONSUME(K.stdlib); this.CONSUME(Word, { LABEL: 'name' }); }),
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
      alt(() => this.CONSUME(Value)), alt(() => this.CONSUME(Str)), alt(() => this.CONSUME2(Word, { LABEL: 'word' })),
    ]);
  });

  // ── selectors: `"glob"`, `op NAME`, `scope NAME`, a bare scope name, `( list )`, `A except B` ──
  // Flat: atoms joined by `,` or `except`; the visitor applies the precedence (except binds tighter).
  private selectorList = this.RULE('selectorList', () => {
    this.SUBRULE(this.selectorAtom);
    this.MANY(this.moreAtoms);
  });

  private readonly joins: Alt[] = [alt(() => this.CONSUME(Comma, { LABEL: 'join' })), alt(() => this.CONSUME(K.except, { LABEL: 'join' }))];
  private readonly moreAtoms = { DEF: (): void => { this.OR(this.joins); this.SUBRULE2(this.selectorAtom); } };

  private selectorAtom = this.RULE('selectorAtom', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        alt(() => this.CONSUME(Str, { LABEL: 'glob' })),
        alt(() => { this.CONSUME(K.op); this.CONSUME(Word, { LABEL: 'op' }); }),
        alt(() => { this.CONSUME(K.scope); this.CONSUME2(Word, { LABEL: 'scope' }); }),
        alt(() => { this.CONSUME(LParen); this.SUBRULE(this.selectorList); this.CONSUME(RParen); }),
        alt(() => this.CONSUME3(Word, { LABEL: 'name' })),
      ],
    });
  });

  // ── steps: one rule per pass, `VERBStmt`, built from the pass's `head` (src/passes/): a new pass needs no
  // grammar change. Each head part gets its own DSL index (1-4; the option fragments use 5-9). ──
  private stepRule(pass: PassDef) {
    if (pass.head.length > MAX_HEAD_PARTS) throw new Error(`pass ${pass.name}: a head has at most ${MAX_HEAD_PARTS} parts`);
    const verb = K[pass.name]!;
    const parts = pass.head.map((part, i) => this.headPart(part, i + 1));
    return this.RULE(`${pass.name}Stmt`, () => {
      this.CONSUME(verb);
      this.enter(pass.name);
      for (const part of parts) part();
      this.MANY8(this.options);
    });
  }

  // Chevrotain has no indexed form of AT_LEAST_ONE_SEP: the numbered methods, by head part index.
  private readonly listOf: ((o: AtLeastOneSepMethodOpts<unknown>) => void)[] = [
    (o) => this.AT_LEAST_ONE_SEP(o), (o) => this.AT_LEAST_ONE_SEP1(o), (o) => this.AT_LEAST_ONE_SEP2(o),
    (o) => this.AT_LEAST_ONE_SEP3(o), (o) => this.AT_LEAST_ONE_SEP4(o),
  ];

  /**
   * One part of a step's head, as a function built once (no objects made per parse): a fixed word, a name
   * labelled by its role, names joined by `+` (`l1+bn`, as tokens directly under the statement), an amount,
   * an optional path.
   */
  private headPart(part: HeadPart, idx: number): () => void {
    if ('word' in part) { const word = K[part.word]!; return () => this.consume(idx, word); }
    const label = { LABEL: part.role };
    if (part.role === 'amount') return () => this.OR7(this.amount);
    if (part.role === 'path') { const path = () => this.consume(idx, Str, label); return () => this.option(idx, path); }
    if (part.list) { const list = { SEP: Plus, DEF: () => this.consume(idx, Word, label) }; return () => this.listOf[idx]!(list); }
    return () => this.consume(idx, Word, label);
  }

  /** A statement whose first word is no statement keyword; the lowering suggests the nearest one. */
  private unknownStmt = this.RULE('unknownStmt', () => {
    this.CONSUME(Word, { LABEL: 'head' });
    this.OPTION(() => this.SUBRULE(this.junk));
  });
}

export type { IToken };
