import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from './nodeFlags.js';

const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('the flags node runs the server with', () => {
  it('are all in `npm start`, before the entry point', () => {
    const words = pkg.scripts.start!.split(/\s+/);
    const entry = words.indexOf('server/index.ts');
    expect(words[0]).toBe('node');
    expect(entry).toBeGreaterThan(0);
    for (const flag of NODE_FLAGS) {
      expect(words.indexOf(flag), flag).toBeGreaterThan(0);
      expect(words.indexOf(flag), flag).toBeLessThan(entry);
    }
  });

  it('are flags this node accepts (it refuses an unknown one with exit code 9)', () => {
    for (const flag of [...NODE_FLAGS, '--no-such-flag-at-all']) {
      const run = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
      expect(run.status, `${flag}: ${run.stderr}`).toBe(flag === '--no-such-flag-at-all' ? 9 : 0);
    }
  });
});
