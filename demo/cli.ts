/**
 * The demo source systems on their own: `npm run sources -- [options]`.
 *   --seed N         world seed (42)              --size N       about how many entities (2000)
 *   --port N         control port (4100); the six sources take the next six ports
 *   --only a,b       give only these sources a server of their own
 *   --imperfect      turn every imperfection knob on (rate limits, faults, duplicates, drops, ...)
 *   --emit kafka|http|none   where events go (none)  --events-url URL  for http (http://127.0.0.1:3000/v1/events)
 *   --announce       send one event per entity at start
 *   --rate N         mutations per second (0: none)
 */
import { parseArgs } from 'node:util';
import { isReferenceSource, type ReferenceSource } from '../domain/vocabulary';
import { loadConfig } from '../platform/config';
import { startDemoSources } from './demo-sources';
import { httpSink, kafkaSink, type EventSink } from './emit/sinks';
import { EXACT_KNOBS, IMPERFECT_KNOBS } from './servers/knobs';

function integer(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '42' },
      size: { type: 'string', default: '2000' },
      port: { type: 'string', default: '4100' },
      only: { type: 'string' },
      imperfect: { type: 'boolean', default: false },
      emit: { type: 'string', default: 'none' },
      'events-url': { type: 'string', default: 'http://127.0.0.1:3000/v1/events' },
      announce: { type: 'boolean', default: false },
      rate: { type: 'string', default: '0' },
    },
  });
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !isReferenceSource(name)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: unknown source(s) ${unknown.join(', ')}`);
  const config = loadConfig();
  let sink: EventSink | undefined;
  if (values.emit === 'kafka') sink = kafkaSink(config.kafka, config.kafka.eventsTopic);
  else if (values.emit === 'http') sink = httpSink(values['events-url']);
  else if (values.emit !== 'none') throw new Error(`--emit must be kafka, http or none, not '${values.emit}'`);

  const started = performance.now();
  const demo = await startDemoSources({
    seed: integer('seed', values.seed),
    size: integer('size', values.size),
    port: integer('port', values.port),
    only: only as ReferenceSource[] | undefined,
    knobs: values.imperfect ? IMPERFECT_KNOBS : EXACT_KNOBS,
    sink,
  });
  console.log(`[sources] world of ${demo.world.size()} records generated and served in ${Math.round(performance.now() - started)} ms`);
  for (const [source, url] of Object.entries(demo.urls)) console.log(`[sources] ${source.padEnd(13)} ${url}`);
  console.log(
    `[sources] control       ${demo.controlUrl}/_admin/{truth,counters,knobs,mutate,announce}; sources also under ${demo.controlUrl}/sources/{name}`,
  );
  if (values.announce) console.log(`[sources] announced ${(await demo.announce()).length} events`);
  const rate = integer('rate', values.rate);
  if (rate > 0) demo.startStream(rate);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void demo.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(`[sources] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
