import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pinnedTo } from './machine.js';

export interface WrkRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A response whose body lacks this text counts as an error (e.g. `"active":true` for introspection). */
  expectBody?: string;
}

export interface WrkResult {
  requests: number;
  errors: number;
  errorKinds: Record<string, number>;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const run = promisify(execFile);

/** One wrk run with a generated Lua script that sets the request and reports its summary as JSON. */
export async function runWrk(
  request: WrkRequest,
  load: { connections: number; threads: number; seconds: number; cores: string | undefined },
): Promise<WrkResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usp-idp-wrk-'));
  const script = path.join(dir, 'request.lua');
  fs.writeFileSync(script, luaScript(request));
  try {
    const command = [
      ...pinnedTo(load.cores),
      'wrk',
      `-t${Math.min(load.threads, load.connections)}`,
      `-c${load.connections}`,
      `-d${Math.max(1, Math.round(load.seconds))}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      request.url,
    ];
    const { stdout } = await run(command[0]!, command.slice(1), { maxBuffer: 1 << 20 });
    const line = stdout.split('\n').find((candidate) => candidate.startsWith('BENCH-JSON '));
    if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
    const summary = JSON.parse(line.slice('BENCH-JSON '.length)) as Record<string, number>;
    const errorKinds = Object.fromEntries(
      ['connect', 'read', 'write', 'status', 'timeout', 'body']
        .map((kind) => [kind, summary[kind] ?? 0] as const)
        .filter(([, count]) => count > 0),
    );
    // A response with an error status is also read in full, so "body" may count it again.
    const errors = Math.min(
      summary.requests!,
      (summary.connect ?? 0) +
        (summary.read ?? 0) +
        (summary.write ?? 0) +
        (summary.timeout ?? 0) +
        Math.max(summary.status ?? 0, summary.body ?? 0),
    );
    return {
      requests: summary.requests!,
      errors,
      errorKinds,
      seconds: summary.duration_us! / 1e6,
      p50Ms: summary.p50! / 1000,
      p99Ms: summary.p99! / 1000,
      maxMs: summary.max! / 1000,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function luaScript(request: WrkRequest): string {
  const headers = Object.entries(request.headers ?? {})
    .map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`)
    .join('\n');
  const check = request.expectBody
    ? `function response(status, headers, body)
  if status >= 400 or not string.find(body, ${lua(request.expectBody)}, 1, true) then failures = failures + 1 end
end`
    : '';
  return `wrk.method = ${lua(request.method ?? 'GET')}
${request.body !== undefined ? `wrk.body = ${lua(request.body)}` : ''}
${headers}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) failures = 0 end
${check}
function done(summary, latency, requests)
  local body = 0
  for _, thread in ipairs(threads) do body = body + (thread:get("failures") or 0) end
  local e = summary.errors
  io.write(string.format('BENCH-JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"body":%d,"p50":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, body,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`;
}

function lua(text: string): string {
  return JSON.stringify(text);
}
