import { spawn, type ChildProcess } from 'node:child_process';
import { pinnedTo } from './machine.js';

/** A process under measurement: the server, the library floor, or a baseline, pinned to the server core. */
export interface MeasuredProcess {
  pid: number;
  url: string;
  /** The rest of the stdout line that started with `announcement` (the floor prints its token there). */
  announcement: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The Node entry point and its arguments, run as `node --import tsx <entry>` so the pid is the server's own. */
  entry: string[];
  env: Record<string, string>;
  core: number | undefined;
  url: string;
  /** Polled until it answers 200. */
  readyPath: string;
  /** Wait for a stdout line starting with this before polling. */
  announcement?: string;
}

export async function startMeasuredProcess(options: StartOptions): Promise<MeasuredProcess> {
  const command = [...pinnedTo(options.core), process.execPath, '--import', 'tsx', ...options.entry];
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const announcement = options.announcement ? await lineStartingWith(child, options.announcement) : '';
  child.stdout.resume();
  await waitUntilReady(child, `${options.url}${options.readyPath}`, () => stderr);
  return {
    pid: child.pid!,
    url: options.url,
    announcement,
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

function lineStartingWith(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => candidate.startsWith(prefix));
      if (line !== undefined && buffered.slice(buffered.indexOf(line)).includes('\n')) {
        child.stdout!.off('data', onData);
        resolve(line.slice(prefix.length));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before announcing itself`)));
  });
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
