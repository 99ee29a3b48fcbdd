import { Worker } from 'node:worker_threads';
import type { Bounds, ModelDetails, ModelStats } from '../../shared/model.js';
import type { ModelLimits } from './limits.js';
import type { ModelIssue } from './validate.js';

/** The validator gets this long; a file that takes longer is refused. */
export const VALIDATION_TIMEOUT_MS = 20_000;
/** Reading, optimising and writing get this long after validation. */
export const OPTIMISE_TIMEOUT_MS = 120_000;
/** Heap of the worker: a 100 MB model with its copies fits, a decompression bomb does not take the server down. */
const WORKER_HEAP_MB = 2048;

export interface WorkerInput {
  input: string;
  /** Where the optimised GLB goes. */
  output: string;
  limits: ModelLimits;
}

export interface ProcessedModel {
  format: 'glb' | 'gltf';
  bounds: Bounds;
  before: ModelStats;
  after: ModelStats;
  /** Of the served file. */
  details: ModelDetails;
  /** The uploaded GLB is served as it is (the optimised one was not smaller); nothing was written to `output`. */
  useOriginal: boolean;
  note: string | null;
}

export type WorkerMessage =
  | { type: 'validated' }
  | { type: 'invalid'; message: string; issues: ModelIssue[] }
  | { type: 'done'; result: ProcessedModel }
  | { type: 'failed'; message: string };

export type PipelineOutcome =
  | { kind: 'done'; result: ProcessedModel }
  | { kind: 'invalid'; message: string; issues: ModelIssue[] }
  | { kind: 'failed'; message: string };

export interface PipelineOptions {
  limits: ModelLimits;
  validationTimeoutMs?: number;
  optimiseTimeoutMs?: number;
}

/**
 * Runs uploads through the worker one at a time: on two cores, two models optimised at once
 * would only both be slow, and would starve the live rooms.
 */
export class ModelPipeline {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private options: PipelineOptions) {}

  run(input: string, output: string): Promise<PipelineOutcome> {
    const next = this.queue.then(() => this.runOne(input, output));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private runOne(input: string, output: string): Promise<PipelineOutcome> {
    const { limits, validationTimeoutMs = VALIDATION_TIMEOUT_MS, optimiseTimeoutMs = OPTIMISE_TIMEOUT_MS } = this.options;
    const worker = new Worker(new URL('./worker.boot.mjs', import.meta.url), {
      workerData: { input, output, limits } satisfies WorkerInput,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: true, // glTF-Transform logs each step; keep that out of the server's log
    });
    worker.stdout.resume();
    return new Promise<PipelineOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: PipelineOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        resolve(outcome);
      };
      const timeout = (what: string, ms: number) => () =>
        finish({ kind: 'invalid', message: `${what} took longer than ${ms / 1000} s: the model is too complex for this server.`, issues: [{ code: 'TIMEOUT', path: [], message: `${what} stopped after ${ms / 1000} s.` }] });
      let timer = setTimeout(timeout('Validating the model', validationTimeoutMs), validationTimeoutMs);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'validated') {
          clearTimeout(timer);
          timer = setTimeout(timeout('Optimising the model', optimiseTimeoutMs), optimiseTimeoutMs);
        } else if (m.type === 'done') finish({ kind: 'done', result: m.result });
        else if (m.type === 'invalid') finish({ kind: 'invalid', message: m.message, issues: m.issues });
        else finish({ kind: 'failed', message: m.message });
      });
      worker.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          finish({ kind: 'invalid', message: 'The model needs more memory to process than this server gives one upload.', issues: [{ code: 'TOO_COMPLEX', path: [], message: `over ${WORKER_HEAP_MB} MB of memory` }] });
        } else finish({ kind: 'failed', message: err.message });
      });
      worker.on('exit', (code) => finish({ kind: 'failed', message: `the model worker stopped (exit ${code})` }));
    });
  }
}
