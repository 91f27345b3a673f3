import { basicAuth, tokenRequest } from '../login-flow.js';
import { measure, type ScenarioResult } from '../measure.js';
import { runWrk, type WrkRequest } from '../wrk.js';
import { WRK_CONNECTIONS, type BenchContext, type Target } from './context.js';

export type EndpointScenario = 'client_credentials' | 'introspection' | 'userinfo' | 'discovery' | 'jwks';

/** The wrk request of each endpoint scenario. The tokens it needs are fetched (and checked) first. */
export async function requestFor(scenario: EndpointScenario, target: Target): Promise<WrkRequest> {
  const { url } = target.process;
  const form = {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: basicAuth(target.machineClient),
  };
  switch (scenario) {
    case 'client_credentials':
      return {
        url: `${url}/token`,
        method: 'POST',
        headers: form,
        body: 'grant_type=client_credentials',
        expectBody: '"access_token"',
      };
    case 'introspection': {
      const { access_token: token } = await tokenRequest(url, target.machineClient, {
        grant_type: 'client_credentials',
      });
      return {
        url: `${url}/token/introspection`,
        method: 'POST',
        headers: form,
        body: `token=${token}`,
        expectBody: '"active":true',
      };
    }
    case 'userinfo':
      return {
        url: `${url}/me`,
        headers: { authorization: `Bearer ${await target.userinfoToken()}` },
        expectBody: '"sub"',
      };
    case 'discovery':
      return { url: `${url}/.well-known/openid-configuration`, expectBody: '"issuer"' };
    case 'jwks':
      return { url: `${url}/jwks`, expectBody: '"keys"' };
  }
}

/** One endpoint scenario with wrk on the generator cores: a warm-up run, then the measured run. */
export async function runEndpointScenario(
  context: BenchContext,
  target: Target,
  scenario: EndpointScenario,
): Promise<ScenarioResult> {
  const request = await requestFor(scenario, target);
  const { machine, options } = context;
  const load = {
    connections: WRK_CONNECTIONS,
    threads: machine.generatorThreads,
    cores: machine.generatorCores,
  };
  if (options.warmupSeconds >= 1) await runWrk(request, { ...load, seconds: options.warmupSeconds });
  const result = await measure(
    target.process.pid,
    { scenario, subject: target.subject, concurrency: WRK_CONNECTIONS },
    async () => {
      const run = await runWrk(request, { ...load, seconds: options.seconds });
      return { ...run, ops: run.requests - run.errors };
    },
  );
  context.log(
    `  ${target.subject} ${scenario}: ${result.throughput.toFixed(0)}/s, p99 ${result.p99Ms.toFixed(1)} ms, ${result.errors} errors`,
  );
  return result;
}
