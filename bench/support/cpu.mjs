// CPU seconds used by the platform's own process and by PostgreSQL's processes, from /proc (Linux):
// what a run cost each side, so a rate per core can be worked out (docs/capacity.md).
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

function ticksOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      ticks: Number(fields[11]) + Number(fields[12]),
    };
  } catch {
    return null;
  }
}

/** CPU seconds so far: `platform` (one pid) and each process named postgres, by pid. */
export function cpuSnapshot(platformPid) {
  const postgres = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = ticksOf(name);
    if (p && p.comm === 'postgres') postgres.set(name, p.ticks);
  }
  return { platform: (ticksOf(platformPid)?.ticks ?? 0) / TICK, postgres, at: Date.now() };
}

/**
 * What happened between two snapshots: CPU seconds each side and the wall time. PostgreSQL's
 * side sums each process's own growth (a backend that started in between counts from zero); a
 * backend that exited in between is left out rather than subtracting everything it ever used.
 */
export function cpuSpent(before, after) {
  let postgres = 0;
  for (const [pid, ticks] of after.postgres) postgres += ticks - (before.postgres.get(pid) ?? 0);
  return {
    platform: after.platform - before.platform,
    postgres: postgres / TICK,
    seconds: (after.at - before.at) / 1000,
  };
}
