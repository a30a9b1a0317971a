import fs from 'node:fs';

/** The processes a benchmark run spreads its work over, told apart by their command lines. */
export const CPU_GROUPS = ['node', 'temporal', 'postgres', 'elasticsearch', 'kafka'] as const;
export type CpuGroup = (typeof CPU_GROUPS)[number];

function groupOf(commandLine: string): CpuGroup | null {
  if (commandLine.includes('elasticsearch')) return 'elasticsearch';
  if (commandLine.includes('kafka')) return 'kafka';
  if (commandLine.startsWith('postgres') || commandLine.includes('/bin/postgres ')) return 'postgres';
  if (/(^|\/)node\s/.test(commandLine)) return 'node';
  // The dev server (`temporal server start-dev`) or the full server (`server … start`).
  if (/(^|\/)(temporal|server)\s/.test(commandLine)) return 'temporal';
  return null;
}

/**
 * CPU seconds used so far by every process of this machine, by group (user + system time from
 * /proc; processes that ended meanwhile are not counted). Empty where /proc is not there.
 */
export function cpuSeconds(): Record<CpuGroup, number> {
  const totals = Object.fromEntries(CPU_GROUPS.map((g) => [g, 0])) as Record<CpuGroup, number>;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return totals;
  }
  const ticks = 100; // USER_HZ on Linux
  for (const pid of pids) {
    try {
      const group = groupOf(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      if (!group) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      totals[group] += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // The process ended while it was read.
    }
  }
  return totals;
}

/** CPU milliseconds each group spent between two readings, per unit of work. */
export function cpuMsPer(before: Record<CpuGroup, number>, after: Record<CpuGroup, number>, units: number): Record<CpuGroup, number> {
  return Object.fromEntries(
    CPU_GROUPS.map((g) => [g, units > 0 ? Math.round(((after[g] - before[g]) * 1000 * 10) / units) / 10 : 0]),
  ) as Record<CpuGroup, number>;
}
