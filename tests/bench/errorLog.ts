import fs from 'node:fs';

/**
 * Counts the error lines a bench server prints: pino level 50 (error) and 60 (fatal), and
 * whatever Node prints when a process dies of an exception. Pass `onOutput` to `startServer`.
 * With BENCH_SERVER_LOG=file, everything the server prints is also appended to that file (e.g.
 * V8's `--trace-gc-nvp` lines, through `--vitrine-node-args`).
 */
export function errorLogScanner(): { onOutput: (text: string) => void; count: () => number; first: () => string | null } {
  let count = 0;
  let first: string | null = null;
  const saveTo = process.env.BENCH_SERVER_LOG;
  const onOutput = (text: string): void => {
    if (saveTo) fs.appendFileSync(saveTo, text);
    for (const line of text.split('\n')) {
      if (!/"level":(50|60)|Unhandled|uncaught|^\s+at /i.test(line)) continue;
      count++;
      first ??= line.slice(0, 300);
    }
  };
  return { onOutput, count: () => count, first: () => first };
}
