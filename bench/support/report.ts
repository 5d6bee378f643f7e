import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Sizes: `small` runs every benchmark in seconds (CI), `medium` is the documented run, `full` the issue's figures. */
export type BenchSize = 'small' | 'medium' | 'full';

export function benchSize(): BenchSize {
  const size = process.env.BENCH_SIZE ?? 'medium';
  if (size !== 'small' && size !== 'medium' && size !== 'full') throw new Error(`BENCH_SIZE must be small, medium or full, not "${size}"`);
  return size;
}

/** Picks the number for the current size. */
export const bySize = <T>(size: BenchSize, values: Record<BenchSize, T>): T => values[size];

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export type Cell = string | number | undefined;

export interface BenchTable {
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Lines printed under the table (what the figures mean, targets). */
  notes?: string[];
}

/** What a benchmark hands back: its tables (printed) and its figures (written as JSON). */
export interface BenchResult {
  tables: BenchTable[];
  figures: Record<string, unknown>;
}

const show = (cell: Cell) => (cell === undefined ? '–' : typeof cell === 'number' ? (Number.isInteger(cell) ? String(cell) : cell.toFixed(cell >= 100 ? 0 : cell >= 10 ? 1 : 2)) : cell);

/** A Markdown table, so the same text goes into docs/benchmarks.md. */
export function renderTable(table: BenchTable): string {
  const rows = table.rows.map((r) => r.map(show));
  const widths = table.columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = table.columns.map((_, i) => i > 0 && table.rows.every((r) => typeof r[i] !== 'string' || r[i] === ''));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  return [
    `### ${table.title}`,
    '',
    line(table.columns),
    `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`,
    ...rows.map(line),
    ...(table.notes?.length ? ['', ...table.notes] : []),
    '',
  ].join('\n');
}

export const RESULTS_DIR = path.join(__dirname, '..', 'results');

/** Writes `bench/results/<name>.json` (figures, tables, size, machine) and `<name>.md` (the printed tables). */
export function writeResult(name: string, size: BenchSize, result: BenchResult, meta: Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ name, size, ...meta, figures: result.figures, tables: result.tables }, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, `${name}.md`), result.tables.map(renderTable).join('\n'));
  return file;
}

/**
 * A progress line for long runs: rewritten in place on a terminal, a line every 10 % otherwise
 * (CI logs), on stderr so the tables on stdout stay clean.
 */
export function progress(label: string, total: number): { tick(n?: number): void; done(): void } {
  let count = 0;
  let lastShown = -1;
  const began = performance.now();
  const tty = process.stderr.isTTY;
  const draw = () => {
    const share = total > 0 ? count / total : 1;
    const decile = Math.floor(share * 10);
    if (!tty && decile === lastShown) return;
    lastShown = decile;
    const width = 24;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const secs = ((performance.now() - began) / 1000).toFixed(1);
    const text = `  ${label} [${bar}] ${count}/${total} ${secs}s`;
    if (tty) process.stderr.write(`\r${text}`);
    else process.stderr.write(`${text}\n`);
  };
  return {
    tick(n = 1) {
      count += n;
      draw();
    },
    done() {
      count = total;
      lastShown = -1;
      draw();
      if (tty) process.stderr.write('\n');
    },
  };
}

/** Runs `one` for 0..n-1, `concurrency` at a time. */
export async function pool<T>(n: number, concurrency: number, one: (i: number) => Promise<T>, onEach?: () => void): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await one(i);
        onEach?.();
      }
    }),
  );
  return results;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `probe` returns something, polling. */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
