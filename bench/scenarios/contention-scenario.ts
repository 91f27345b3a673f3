import { runClosedLoop } from '../closed-loop.js';
import { fullLogin, type UserPicker } from '../login-flow.js';
import { measure, type ScenarioResult } from '../measure.js';
import type { BenchClient } from '../seed.js';
import { runWrk } from '../wrk.js';
import type { BenchContext, Target } from './context.js';
import { requestFor } from './endpoint-scenarios.js';

export const TOKEN_LATENCY_ALONE = 'client_credentials (one client) alone';
export const TOKEN_LATENCY_WHILE_LOGINS = 'client_credentials (one client) while 8 logins hash';
const HASHING_LOGINS = 8;

/**
 * Does the hash starve tokens? One client asks for tokens back to back (a light load whose latency is the
 * server's, not a queue's), first alone, then while 8 logins run their bcrypt compares on the same core.
 * The second run's CPU per token would count the logins' CPU too, so it is not reported.
 */
export async function runTokenLatencyScenarios(
  context: BenchContext,
  target: Target,
  relyingParty: BenchClient,
  users: UserPicker,
): Promise<ScenarioResult[]> {
  const { options, machine } = context;
  const request = await requestFor('client_credentials', target);
  const tokens = { connections: 1, threads: 1, cores: machine.generatorCores, seconds: options.seconds };
  const tokenRun = async () => {
    const run = await runWrk(request, tokens);
    return { ...run, ops: run.requests - run.errors };
  };
  const alone = await measure(
    target.process.pid,
    { scenario: TOKEN_LATENCY_ALONE, subject: target.subject, concurrency: 1 },
    tokenRun,
  );

  const login = async () => {
    const { user, code } = users.pick();
    await fullLogin(target.process.url, relyingParty, user, code);
  };
  const rampSeconds = 1;
  const logins = runClosedLoop(HASHING_LOGINS, options.seconds + rampSeconds * 2, login);
  await new Promise((resolve) => setTimeout(resolve, rampSeconds * 1000));
  const during = await measure(
    target.process.pid,
    { scenario: TOKEN_LATENCY_WHILE_LOGINS, subject: target.subject, concurrency: 1 },
    async () => {
      const run = await tokenRun();
      return { ...run, cpuMsPerOp: Number.NaN };
    },
  );
  const loginOutcome = await logins;
  context.log(
    `  ${target.subject} token p99 alone ${alone.p99Ms.toFixed(1)} ms, while ${HASHING_LOGINS} logins hash ` +
      `${during.p99Ms.toFixed(1)} ms (${loginOutcome.ops} logins, ${loginOutcome.errors} errors)`,
  );
  // A failed login during the run is a failure of the scenario.
  return [
    alone,
    {
      ...during,
      errors: during.errors + loginOutcome.errors,
      errorKinds: { ...during.errorKinds, ...loginOutcome.errorKinds },
    },
  ];
}
