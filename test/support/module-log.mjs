// `node --import ./test/support/module-log.mjs ...`: appends the URL of every module the process loads to the
// file named by $LITHE_MODULE_LOG, so a test can say what a command did not load (test/cli-start.test.ts).
import { register } from 'node:module';

register('./module-log-hooks.mjs', import.meta.url);
