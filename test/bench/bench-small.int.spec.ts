import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');

/** The benchmarks' titles, one per table: each must be printed once. */
const TABLES = [
  '### Assignment life vs bare Temporal',
  "### Where a life's CPU goes",
  '### History events per simple life',
  '### Events of one drafting → two-step approval cycle',
  '### Submit Update latency on running workflows',
  '### Fan-out: launch → every assignment visible in the read model',
  "### Where a launched assignment's CPU goes",
  '### Timer precision:',
  '### API at volume:',
  '### Query plans (EXPLAIN ANALYZE)',
  '### Replay of one history',
  '### Memory:',
];

// CI runs every benchmark at BENCH_SIZE=small: it asserts that each runs and prints its
// table, never a speed (speed goals live in bench/ and docs/benchmarks.md).
describe('npm run bench at BENCH_SIZE=small', () => {
  it('runs every benchmark and prints each table', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['-r', './scripts/register.js', 'bench/run.ts'], {
        cwd: ROOT,
        env: { ...process.env, BENCH_SIZE: 'small' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      child.on('exit', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    expect(code, stderr.slice(-3000)).toBe(0);
    for (const title of TABLES) expect(stdout.split(title).length - 1, `${title}\n${stderr.slice(-2000)}`).toBe(1);
    // Every table has a header row and at least one row of figures.
    expect(stdout.match(/^\|[-:|]+\|$/gm)?.length).toBe(TABLES.length);
    expect(stderr).not.toMatch(/FAILED/);
  }, 600_000);
});
