import { runClosedLoop } from '../closed-loop.js';
import { fullLogin, tokenRequest, type UserPicker } from '../login-flow.js';
import { measure, type ScenarioResult } from '../measure.js';
import type { BenchClient } from '../seed.js';
import type { BenchContext, Target } from './context.js';

const CONCURRENCY = 8;

/**
 * refresh_token grants on `chains` refresh tokens, each from its own login. Every refresh returns a new
 * refresh token (rotation), which the chain uses next; worker w works chains w, w+8, … in turn.
 */
export async function runRefreshScenario(
  context: BenchContext,
  target: Target,
  relyingParty: BenchClient,
  users: UserPicker,
  chains: number,
): Promise<ScenarioResult> {
  const { url } = target.process;
  const tokens: string[] = [];
  for (let chain = 0; chain < chains; chain++) {
    const { user, code } = users.pick();
    tokens.push((await fullLogin(url, relyingParty, user, code)).refresh_token);
  }
  const turns = Array.from({ length: CONCURRENCY }, () => 0);
  const refresh = async (worker: number) => {
    const mine = Math.ceil((chains - worker) / CONCURRENCY);
    const chain = worker + CONCURRENCY * (turns[worker]!++ % mine);
    const answer = await tokenRequest(url, relyingParty, {
      grant_type: 'refresh_token',
      refresh_token: tokens[chain]!,
    });
    if (!answer.access_token || !answer.refresh_token) throw new Error('refresh without a new token pair');
    tokens[chain] = answer.refresh_token;
  };
  await runClosedLoop(CONCURRENCY, context.options.warmupSeconds, refresh);
  const result = await measure(
    target.process.pid,
    { scenario: 'refresh_token', subject: target.subject, concurrency: CONCURRENCY },
    () => runClosedLoop(CONCURRENCY, context.options.seconds, refresh),
  );
  context.log(
    `  ${target.subject} refresh: ${result.throughput.toFixed(0)}/s, p99 ${result.p99Ms.toFixed(1)} ms, ${result.errors} errors ${JSON.stringify(result.errorKinds)}`,
  );
  return result;
}
