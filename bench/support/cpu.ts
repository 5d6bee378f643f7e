import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time spent so far, in ms, by the parts of a benchmark: the Temporal server (every process
 * the bench started below itself: the dev server or the production server), the bench process
 * (workers, their workflow threads and the client: all its threads), and PostgreSQL (every
 * `postgres` process alive now, plus what ended backends left in their parent's children time).
 * Read from /proc; on a machine without it every figure is 0. Only differences of two snapshots
 * mean anything, and only on a machine where nothing else runs PostgreSQL work at the same time.
 */
export interface CpuSnapshot {
  server: number;
  bench: number;
  postgres: number;
}

/** USER_HZ: Linux reports /proc times in 1/100 s on every architecture Node runs on here. */
const TICK_MS = 10;

interface Stat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, ms. */
  own: number;
  /** cutime + cstime (children already reaped), ms. */
  children: number;
}

function readStat(pid: string): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces: the fields after the last ')' are fixed.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const f = text.slice(close + 2).split(' ');
    // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
    const at = (field: number) => Number(f[field - 3]);
    return { pid: Number(pid), comm, ppid: at(4), own: (at(14) + at(15)) * TICK_MS, children: (at(16) + at(17)) * TICK_MS };
  } catch {
    return undefined; // ended while we read
  }
}

function allStats(): Stat[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return pids.map(readStat).filter((s): s is Stat => s !== undefined);
}

export function cpuSnapshot(): CpuSnapshot {
  const stats = allStats();
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const below = (s: Stat, ancestor: number) => {
    for (let p = s.ppid, hops = 0; p > 1 && hops < 64; p = byPid.get(p)?.ppid ?? 0, hops++) if (p === ancestor) return true;
    return false;
  };
  let server = 0;
  let postgres = 0;
  for (const s of stats) {
    if (s.pid !== process.pid && below(s, process.pid)) server += s.own + s.children;
    if (s.comm === 'postgres') {
      postgres += s.own;
      // The postmaster (its parent is not postgres) holds the time of every backend that ended.
      if (byPid.get(s.ppid)?.comm !== 'postgres') postgres += s.children;
    }
  }
  const usage = process.cpuUsage();
  return { server, bench: (usage.user + usage.system) / 1000, postgres };
}

export const cpuSince = (before: CpuSnapshot, after = cpuSnapshot()): CpuSnapshot => ({
  server: after.server - before.server,
  bench: after.bench - before.bench,
  postgres: after.postgres - before.postgres,
});

export const addCpu = (a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot => ({ server: a.server + b.server, bench: a.bench + b.bench, postgres: a.postgres + b.postgres });

export const NO_CPU: CpuSnapshot = { server: 0, bench: 0, postgres: 0 };
