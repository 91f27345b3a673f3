import { spawn, type ChildProcess } from 'node:child_process';
import { pinnedTo } from './machine.js';

/** A process under measurement: the server, the library floor, or a baseline, pinned to the server core. */
export interface MeasuredProcess {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * The Node entry point and its arguments, run by `node` itself so the pid is the server's own; a
   * TypeScript entry runs under `--import tsx`.
   */
  entry: string[];
  env: Record<string, string>;
  core: number | undefined;
  url: string;
  /** Polled until it answers 200. */
  readyPath: string;
}

export async function startMeasuredProcess(options: StartOptions): Promise<MeasuredProcess> {
  const loader = options.entry[0]!.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const command = [...pinnedTo(options.core), process.execPath, ...loader, ...options.entry];
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.stdout.resume();
  await waitUntilReady(child, `${options.url}${options.readyPath}`, () => stderr);
  return {
    pid: child.pid!,
    url: options.url,
    stop: () => stop(child),
  };
}

async function waitUntilReady(child: ChildProcess, url: string, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`process exited (${child.exitCode}) before it was ready:\n${stderr()}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`process not ready at ${url} within 60 s:\n${stderr()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
