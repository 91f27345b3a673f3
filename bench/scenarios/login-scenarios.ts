import { bcryptBaseline } from '../bcrypt-baseline.js';
import { runClosedLoop } from '../closed-loop.js';
import type { UserPicker } from '../login-flow.js';
import { fullLogin } from '../login-flow.js';
import { measure, type ScenarioResult } from '../measure.js';
import type { BenchClient } from '../seed.js';
import type { BenchContext, Target } from './context.js';

/** The full login over HTTP (password, TOTP where enrolled, code exchange) at `concurrency`. */
export async function runLoginScenario(
  context: BenchContext,
  target: Target,
  relyingParty: BenchClient,
  users: UserPicker,
  concurrency: number,
): Promise<ScenarioResult> {
  const { options } = context;
  const login = async () => {
    const { user, code } = users.pick();
    await fullLogin(target.process.url, relyingParty, user, code);
  };
  await runClosedLoop(concurrency, options.warmupSeconds, login);
  const result = await measure(
    target.process.pid,
    { scenario: 'login', subject: target.subject, concurrency },
    () => runClosedLoop(concurrency, options.seconds, login),
  );
  context.log(
    `  ${target.subject} login c=${concurrency}: ${result.throughput.toFixed(1)}/s, p99 ${result.p99Ms.toFixed(0)} ms, ` +
      `${result.cpuMsPerOp.toFixed(1)} CPU-ms, ${result.errors} errors ${JSON.stringify(result.errorKinds)}`,
  );
  return result;
}

/** Raw bcrypt compare at cost 10 and the login's concurrency, on the server's core. */
export async function runBcryptBaseline(context: BenchContext, concurrency: number): Promise<ScenarioResult> {
  const { options, machine } = context;
  const result = await measure(
    undefined,
    { scenario: 'bcrypt compare (cost 10)', subject: 'bcrypt', concurrency },
    () =>
      bcryptBaseline({
        cost: 10,
        concurrency,
        seconds: options.seconds,
        warmupSeconds: options.warmupSeconds,
        core: machine.serverCore,
      }),
  );
  context.log(
    `  bcrypt c=${concurrency}: ${result.throughput.toFixed(1)}/s, ${result.cpuMsPerOp.toFixed(1)} CPU-ms`,
  );
  return result;
}
