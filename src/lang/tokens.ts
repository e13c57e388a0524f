// Tokens of the .cmp language (LANGUAGE.md, "Lexical rules").
// Keywords are contextual: each keyword token is also in the `Word` category, so a rule that expects a
// name accepts `head`, `data` or `prune` as well. Numbers come in five shapes whose order below matters:
// Chevrotain takes the first pattern that matches, so `320x320` must be tried before `3x` and `3`.
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { passes } from '../passes/registry.ts';

export const Word = createToken({ name: 'Word', pattern: /[A-Za-z_][A-Za-z0-9_-]*/ });

/** The language's own keywords: the declarations and the words of selectors and `use`. */
export const DECLARATION_WORDS = ['data', 'head', 'input', 'model', 'scope', 'set', 'target', 'teacher', 'use'] as const;
const STRUCTURE_WORDS = ['as', 'except', 'op', 'stdlib'] as const;

/** Statement heads and the structural words of the grammar, sorted: the language's own, and each pass's
 *  verb and the fixed words of its head (`from`, `with`, `conv`), from the pass registry. */
export const KEYWORDS: readonly string[] = [...new Set([
  ...DECLARATION_WORDS, ...STRUCTURE_WORDS,
  ...passes.flatMap((p) => [p.name, ...p.head.flatMap((h) => ('word' in h ? [h.word] : []))]),
])].sort();
export type Keyword = string;

const keyword = (word: Keyword): TokenType =>
  createToken({ name: `K_${word}`, pattern: new RegExp(`${word}(?![A-Za-z0-9_-])`), longer_alt: Word, categories: [Word] });
/** The keyword token of each keyword: `K.model`, `K[pass.name]`. */
export const K: Readonly<Record<string, TokenType>> = Object.fromEntries(KEYWORDS.map((w) => [w, keyword(w)]));

// A statement ends at `;` or a newline; both are Terminators to the parser.
export const Terminator = createToken({ name: 'Terminator', pattern: Lexer.NA });
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';', categories: [Terminator] });
export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true, categories: [Terminator] });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: 'comments' });

export const Str = createToken({ name: 'Str', pattern: Lexer.NA });
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n]|\\.)*"/, categories: [Str] });
// An unterminated string still parses as a string (so the rest of the line is not a cascade of errors);
// the lowering reports it.
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n]|\\.)*\\?/, categories: [Str] });
export const ZooRef = createToken({ name: 'ZooRef', pattern: /zoo:[A-Za-z0-9_.-]*/ });

const NUM = String.raw`-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
export const Value = createToken({ name: 'Value', pattern: Lexer.NA });
export const Size = createToken({ name: 'Size', pattern: /\d+x\d+(?![A-Za-z0-9_-])/, categories: [Value] });
export const Fraction = createToken({ name: 'Fraction', pattern: /\d+\/\d+/, categories: [Value] });
export const Percent = createToken({ name: 'Percent', pattern: new RegExp(`${NUM}%`), categories: [Value] });
export const Factor = createToken({ name: 'Factor', pattern: new RegExp(`${NUM}x(?![A-Za-z0-9_-])`), categories: [Value] });
// `12ms`: a duration, the latency goal of a prune (`prune all l1 latency 12ms`).
export const Millis = createToken({ name: 'Millis', pattern: new RegExp(`${NUM}ms(?![A-Za-z0-9_-])`), categories: [Value] });
export const NumberLit = createToken({ name: 'NumberLit', pattern: new RegExp(NUM), categories: [Value] });

export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });
// `[123.7, 116.3, 103.5]`: a list of numbers, an option's argument (`mean`, `std`, `anchors`).
export const LBracket = createToken({ name: 'LBracket', pattern: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']' });
export const Comma = createToken({ name: 'Comma', pattern: ',' });
export const Plus = createToken({ name: 'Plus', pattern: '+' });
export const Equals = createToken({ name: 'Equals', pattern: '=' });

/** Lexer order: first match wins, so longer shapes come first and keywords before Word. */
export const allTokens: TokenType[] = [
  WhiteSpace, Comment, Newline, Semicolon, StringLit, UnterminatedString, ZooRef,
  Size, Fraction, Percent, Factor, Millis, NumberLit,
  ...KEYWORDS.map((w) => K[w]), Word,
  LParen, RParen, LBracket, RBracket, Comma, Plus, Equals,
  Terminator, Str, Value,
];
