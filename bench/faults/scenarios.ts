import { setTimeout as sleep } from 'node:timers/promises';
import { knobsSchema } from '../../demo/servers/knobs';
import { PROFILES } from '../../stack/profiles';
import type { ServerName } from '../../stack/server';
import { down, up } from '../../stack/stack';
import type { SystemUnderFault } from './system';

/** What the API answered while a fault was on: status and Retry-After per probe. */
export type Probes = Record<string, { status: number; retryAfter: string | null; server?: string; down?: string[] }>;

export interface FaultContext {
  readonly system: SystemUnderFault;
  /** Records a moment of the outage timeline. */
  readonly mark: (what: string) => void;
  readonly random: () => number;
}

export interface Fault {
  readonly name: string;
  readonly description: string;
  readonly run: (ctx: FaultContext) => Promise<Probes>;
}

const SEED_ENTITY = '/v1/entities/model-instance/registry/ranking-model-v5-20XX0101';

/** Asks the API what a user would while a fault is on: a graph read, a search, an event, the health. */
export async function probe(system: SystemUnderFault): Promise<Probes> {
  const answer = async (
    name: string,
    call: () => Promise<{ status: number; headers: Headers; body: unknown }>,
  ): Promise<[string, Probes[string]]> => {
    try {
      const { status, headers, body } = await call();
      const problem = body as { server?: string; components?: Record<string, { status: string }> };
      const downs = problem.components
        ? Object.entries(problem.components)
            .filter(([, c]) => c.status === 'down')
            .map(([n]) => n)
        : undefined;
      return [
        name,
        {
          status,
          retryAfter: headers.get('retry-after'),
          ...(problem.server ? { server: problem.server } : {}),
          ...(downs ? { down: downs } : {}),
        },
      ];
    } catch {
      return [name, { status: 0, retryAfter: null }];
    }
  };
  return Object.fromEntries(
    await Promise.all([
      answer('graph read', () => system.get(SEED_ENTITY)),
      answer('lineage', () => system.get(`${SEED_ENTITY}/lineage?direction=upstream&depth=2`)),
      answer('search', () => system.get('/v1/search?q=ranking')),
      answer('event', () => system.post('/v1/events', { event_type: 'model_instance_updated', instance_id: 'ranking-model-v5-20XX0101' })),
      answer('health', () => system.get('/v1/health')),
    ]),
  );
}

/** Stops a server of the test profile for `ms`, probing the API halfway, then starts it again. */
export function serverDown(server: ServerName, ms: number): Fault {
  return {
    name: `${server} down ${Math.round(ms / 1000)} s`,
    description: `\`npm run stack -- down ${server}\`, ${Math.round(ms / 1000)} s, \`up ${server}\``,
    async run({ system, mark }) {
      await down(PROFILES.test, [server]);
      mark(`${server} stopped`);
      await sleep(ms / 2);
      const probes = await probe(system);
      mark(
        `probed the API (${Object.entries(probes)
          .map(([n, p]) => `${n} ${p.status}`)
          .join(', ')})`,
      );
      await sleep(ms / 2);
      await up(PROFILES.test, [server], () => undefined);
      mark(`${server} up again`);
      return probes;
    },
  };
}

/** SIGKILLs the service (API, workers and consumer) `times` times at random moments, restarting it each time. */
export function workerKills(times: number, withinMs: number): Fault {
  return {
    name: `service SIGKILLed ${times} times`,
    description: `the process that runs the workers, the consumer and the API killed with SIGKILL ${times} times at random moments within ${Math.round(withinMs / 1000)} s, restarted at once`,
    async run({ system, mark, random }) {
      for (let i = 0; i < times; i++) {
        await sleep(Math.round(random() * ((2 * withinMs) / times)));
        await system.killAndRestart();
        mark(`kill ${i + 1} of ${times}`);
      }
      await system.waitForApi();
      return {};
    },
  };
}

/** Makes every source answer 30% of requests with 5xx and rate-limit hard (429 with Retry-After). */
export function flakySources(ms: number): Fault {
  return {
    name: `sources at 30% 5xx and 429 for ${Math.round(ms / 1000)} s`,
    description: 'every demo source answers 30% of requests 503 and above 10 requests per second 429 with Retry-After',
    async run({ system, mark }) {
      const before = system.h.demo.knobs;
      system.h.demo.knobs = knobsSchema.parse({ ...before, sources: { errorRate: 0.3, rateLimitPerSecond: 10 } });
      mark('sources flaky');
      await sleep(ms);
      system.h.demo.knobs = before;
      mark('sources healthy again');
      return {};
    },
  };
}

/** Several faults at the same time. */
export function together(faults: readonly Fault[]): Fault {
  return {
    name: 'all together',
    description: faults.map((f) => f.name).join(' + '),
    async run(ctx) {
      const probes = await Promise.all(
        faults.map(async (fault) => fault.run({ ...ctx, mark: (what) => ctx.mark(`[${fault.name}] ${what}`) })),
      );
      return Object.assign({}, ...probes) as Probes;
    },
  };
}
