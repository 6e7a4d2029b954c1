/**
 * What Linux's `/proc` says about a process: resident memory and CPU time.
 * Reading the kernel's counters keeps the server under test unaware that it is
 * measured.
 *
 * @example
 * ```ts
 * const before = cpuSeconds(Deno.pid);
 * console.log(rssKiB(Deno.pid), cpuSeconds(Deno.pid) - before);
 * ```
 *
 * @module
 */

// Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream architecture.
const TICKS_PER_SECOND = 100;

/** The process's resident set size (`VmRSS`), in KiB. */
export function rssKiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match === null) throw new Error(`No VmRSS in /proc/${pid}/status; is the process still running?`);
  return Number(match[1]);
}

/** CPU time the process has used so far, user plus system, in seconds (all threads). */
export function cpuSeconds(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // The command name in parentheses may hold spaces; the fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / TICKS_PER_SECOND;
}

/** Measures the CPU share of a set of processes over a stretch of time. */
export class CpuMeter {
  #pids: Record<string, number>;
  #start: Record<string, number> = {};
  #startedAt = 0;

  constructor(pids: Record<string, number>) {
    this.#pids = pids;
    this.restart();
  }

  /** Starts a new stretch. */
  restart(): void {
    this.#startedAt = performance.now();
    for (const [name, pid] of Object.entries(this.#pids)) this.#start[name] = cpuSeconds(pid);
  }

  /** CPU used since the stretch started, in percent of one core, by process name. */
  read(): Record<string, number> {
    const elapsed = (performance.now() - this.#startedAt) / 1000;
    const shares: Record<string, number> = {};
    for (const [name, used] of Object.entries(this.seconds())) shares[name] = elapsed > 0 ? (used / elapsed) * 100 : 0;
    return shares;
  }

  /** CPU time used since the stretch started, in seconds, by process name. */
  seconds(): Record<string, number> {
    const used: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.#pids)) used[name] = cpuSeconds(pid) - this.#start[name];
    return used;
  }
}

/** The share of all cores busy (not idle, not waiting on I/O) over the next `ms`, from 0 to 1. */
export async function machineBusyShare(ms = 1000): Promise<number> {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTimes();
  const total = after.total - before.total;
  return total > 0 ? 1 - (after.idle - before.idle) / total : 0;
}

// The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal …
function cpuTimes(): { idle: number; total: number } {
  const line = Deno.readTextFileSync("/proc/stat").split("\n")[0];
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { idle: fields[3] + fields[4], total };
}
