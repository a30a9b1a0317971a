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

/** Each running process's group and CPU seconds so far (user + system time, from /proc). */
export type CpuReading = ReadonlyMap<number, { readonly group: CpuGroup; readonly seconds: number }>;

/** What every process of this machine has used so far, by process. Empty where /proc is not there. */
export function cpuSeconds(): CpuReading {
  const reading = new Map<number, { group: CpuGroup; seconds: number }>();
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return reading;
  }
  const ticks = 100; // USER_HZ on Linux
  for (const pid of pids) {
    try {
      const group = groupOf(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      if (!group) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      reading.set(Number(pid), { group, seconds: (Number(fields[11]) + Number(fields[12])) / ticks });
    } catch {
      // The process ended while it was read.
    }
  }
  return reading;
}

/**
 * CPU milliseconds each group spent between two readings, per unit of work: per process, what it
 * used since the first reading (all of it if it started since); a process that ended between the
 * readings is not counted, so short-lived processes make the figure a floor.
 */
export function cpuMsPer(before: CpuReading, after: CpuReading, units: number): Record<CpuGroup, number> {
  const ms = Object.fromEntries(CPU_GROUPS.map((g) => [g, 0])) as Record<CpuGroup, number>;
  for (const [pid, now] of after) ms[now.group] += (now.seconds - (before.get(pid)?.seconds ?? 0)) * 1000;
  return Object.fromEntries(CPU_GROUPS.map((g) => [g, units > 0 ? Math.round((ms[g] * 10) / units) / 10 : 0])) as Record<CpuGroup, number>;
}
