// The entry of a batch worker thread: worker threads do not inherit tsx's loader, so this plain JavaScript
// file registers it before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('../src/data/batch-worker.ts');
