import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on first use instead of at start. For the image and model libraries
 * only an upload needs (sharp, xmldom): loaded at start, they and gltf-validator (now only in the
 * model worker, models/limits.ts) were 3.5 MB of a fresh server's live heap, which every full
 * garbage collection marks again during a launch that uploads nothing (docs/benchmarks.md, Fuzz). The first upload pays the load (tens of ms), once per process.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
