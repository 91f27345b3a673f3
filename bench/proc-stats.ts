import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const CLOCK_TICKS = clockTicks();

/** User plus system CPU time of a process (all its threads), in milliseconds. */
export function cpuMillis(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces; the fields after it are plain numbers.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS;
}

/**
 * Peak resident memory of a process in MiB. `resetPeak` starts a new peak (Linux: clear_refs 5); where
 * that is not allowed, the sampler's maximum of VmRSS stands in.
 */
export class MemoryWatch {
  #sampled = 0;
  #timer: NodeJS.Timeout | undefined;
  #canReset: boolean;

  constructor(private readonly pid: number) {
    this.#canReset = this.#tryReset();
  }

  start(): void {
    this.#canReset = this.#tryReset();
    this.#sampled = statusKiB(this.pid, 'VmRSS');
    this.#timer = setInterval(() => {
      this.#sampled = Math.max(this.#sampled, statusKiB(this.pid, 'VmRSS'));
    }, 100);
    this.#timer.unref();
  }

  /** The peak since start(), in MiB. */
  stop(): number {
    clearInterval(this.#timer);
    const sampled = Math.max(this.#sampled, statusKiB(this.pid, 'VmRSS'));
    const peak = this.#canReset ? Math.max(sampled, statusKiB(this.pid, 'VmHWM')) : sampled;
    return Math.round(peak / 1024);
  }

  #tryReset(): boolean {
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }
}

/** Resident memory now, in MiB. */
export function residentMiB(pid: number): number {
  return Math.round(statusKiB(pid, 'VmRSS') / 1024);
}

function statusKiB(pid: number, field: string): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(status.match(new RegExp(`^${field}:\\s*(\\d+)`, 'm'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
