// Whether chevrotain validates the lexer's and the parser's definitions when they are made. It does from the
// sources, at every test and every development run; the compiled copy (dist/, built from those sources)
// skips it at start-up (some 100 ms), and `npm run build` validates it once (scripts/build.js sets
// LITHE_VALIDATE_GRAMMAR before it loads the compiled language).
export const SKIP_VALIDATIONS = !import.meta.url.endsWith('.ts') && process.env.LITHE_VALIDATE_GRAMMAR !== '1';
