// `npm run test:fast`: the tests of the language, the plan, the CLI's start, the language server and the REPL:
// what a change to the front end needs, in well under a minute. `npm test` stays the whole suite.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

/** Test files by name: a prefix matches lang.test.ts and lang-*.test.ts alike. */
const FAST = ['cli-start', 'codes', 'fmt', 'golden', 'grammar', 'lang', 'lsp', 'plan', 'progress', 'recipes', 'repl', 'service'];
const files = readdirSync('test').filter((f) => f.endsWith('.test.ts') && FAST.some((p) => f === `${p}.test.ts` || f.startsWith(`${p}-`))).sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files.map((f) => `test/${f}`)], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
