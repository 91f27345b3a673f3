import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** The core the server (and every baseline) runs on, or undefined when nothing is pinned. */
  serverCore: number | undefined;
  /** The cores the load generators run on ("1" or "1-3"), or undefined when nothing is pinned. */
  generatorCores: string | undefined;
  generatorThreads: number;
}

/**
 * Pinning needs taskset and at least two usable cores: the server gets the first, the generators the rest.
 * With one core (or no taskset) everything shares the machine and the report says so.
 */
export function describeMachine(): Machine {
  const usable = usableCores();
  const pinned = usable.length >= 2 && hasTaskset();
  const generator = usable.slice(1);
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: usable.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    serverCore: pinned ? usable[0] : undefined,
    generatorCores: pinned ? generator.join(',') : undefined,
    generatorThreads: Math.max(1, pinned ? generator.length : usable.length),
  };
}

/** The command prefix that runs a program on `cores`, or nothing when pinning is off. */
export function pinnedTo(cores: number | string | undefined): string[] {
  return cores === undefined ? [] : ['taskset', '-c', String(cores)];
}

/** Moves this process (every thread) onto the generator cores, so the drivers written in Node stay off the server's. */
export function pinSelf(machine: Machine): void {
  if (machine.generatorCores === undefined) return;
  execFileSync('taskset', ['-a', '-p', '-c', machine.generatorCores, String(process.pid)], {
    stdio: 'ignore',
  });
}

function usableCores(): number[] {
  try {
    const list = fs.readFileSync('/proc/self/status', 'utf8').match(/^Cpus_allowed_list:\s*(.+)$/m)?.[1];
    if (list) return expandList(list.trim());
  } catch {
    // not Linux: fall through
  }
  return os.cpus().map((_, index) => index);
}

function expandList(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number) as [number, number | undefined];
    return Array.from({ length: (to ?? from) - from + 1 }, (_, offset) => from + offset);
  });
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
