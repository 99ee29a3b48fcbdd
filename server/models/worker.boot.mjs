// Worker threads do not inherit tsx's loader (Node 20): register it here, then run the
// TypeScript worker. Kept as .mjs so Node can start it without any loader.
import { register } from 'tsx/esm/api';

register();
await import('./process.worker.ts');
