// Parser error messages in the words of LANGUAGE.md rather than token names.
import { type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';

const DISPLAY: Record<string, string> = {
  Terminator: "';' or a newline", Semicolon: "';'", Newline: 'a newline', Word: 'a name', Str: 'a string',
  StringLit: 'a string', Value: 'a number', NumberLit: 'a number', Percent: 'a percentage', Factor: 'a factor', Millis: 'a duration',
  Fraction: 'a fraction', Size: 'a size like 416x416', ZooRef: 'zoo:NAME', LParen: "'('", RParen: "')'",
  LBracket: "'['", RBracket: "']'",
  Comma: "','", Plus: "'+'", Equals: "'='", EOF: 'the end of the file',
};

/** What a rule expects when none of its alternatives matches, said the way a user thinks of it. */
const EXPECTED_BY_RULE: Record<string, string> = {
  source: 'a model path in quotes or zoo:NAME',
  inputStmt: 'an input size (416 or 416x416)',
  useStmt: 'a path in quotes or stdlib NAME',
  setStmt: 'a value',
  selectorAtom: 'a selector ("glob", op NAME, scope NAME or a scope name)',
  selectorList: 'a selector ("glob", op NAME, scope NAME or a scope name)',
  junk: 'a statement',
};

/** What a choice expects when no alternative matches, by rule: the only choice in prune's head is its amount. */
const NO_VIABLE_BY_RULE: Record<string, string> = {
  pruneStmt: 'an amount (0.7, 70%, 1/16, flops 50%, params 3x)',
};

/** What a repetition that must run at least once expects, by rule (only the `+` lists have one). */
const EARLY_EXIT_BY_RULE: Record<string, string> = {
  pruneStmt: 'a criterion (l1, l2, bn, entropy, ...)',
  distillStmt: 'a loss (cls, feat, attn, reg, corr)',
};

export function display(t: TokenType): string {
  const name = t.name.startsWith('K_') ? `'${t.name.slice(2)}'` : DISPLAY[t.name];
  return name ?? t.name;
}

function shown(tok: IToken): string {
  if (tok.tokenType.name === 'EOF') return 'the end of the file';
  if (tok.tokenType.name === 'Newline') return 'the end of the line';
  const image = tok.image.length > 24 ? `${tok.image.slice(0, 24)}…` : tok.image;
  return `'${image}'`;
}

const uniq = (xs: string[]): string[] => [...new Set(xs)];
const oneOf = (xs: string[]): string => (xs.length <= 1 ? xs[0] ?? 'more input' : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const want = EXPECTED_BY_RULE[ruleName] && expected.name !== 'Terminator' ? EXPECTED_BY_RULE[ruleName] : display(expected);
    return `expected ${want}, found ${shown(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${shown(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const want = NO_VIABLE_BY_RULE[ruleName] ?? EXPECTED_BY_RULE[ruleName]
      ?? oneOf(uniq(expectedPathsPerAlt.flat().map((path) => (path[0] ? display(path[0]) : '')).filter(Boolean)));
    return `expected ${want}, found ${shown(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const want = EARLY_EXIT_BY_RULE[ruleName] ?? EXPECTED_BY_RULE[ruleName] ?? oneOf(uniq(expectedIterationPaths.map((p) => (p[0] ? display(p[0]) : '')).filter(Boolean)));
    return `expected ${want}, found ${shown(actual[0]!)}`;
  },
};
