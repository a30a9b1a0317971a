import express from 'express';
import { listen } from '../api/server';
import type { ThinEvent } from '../domain/events';
import { REFERENCE_SOURCES, type ReferenceSource } from '../domain/vocabulary';
import { imperfectEvents, type DropTally } from './emit/imperfect-stream';
import type { EventSink } from './emit/sinks';
import { RequestCounters } from './servers/counters';
import { knobsSchema, type Knobs } from './servers/knobs';
import { sourceRouter, type SourceState } from './servers/source-router';
import { plantDefects } from './world/defects';
import { generateWorld } from './world/generate';
import { announceAll, mutate, type Mutation, type MutationKind } from './world/mutate';
import { Random } from './world/random';
import { groundTruth } from './world/truth';
import type { World } from './world/world';

export interface DemoSourcesOptions {
  readonly seed: number;
  readonly size: number;
  /** The control server's port; the six sources listen on the next six ports. 0 picks free ports. */
  readonly port: number;
  readonly host?: string;
  /** Which sources get a server of their own (all are mounted on the control server regardless). */
  readonly only?: readonly ReferenceSource[];
  readonly knobs?: Partial<Knobs>;
  readonly sink?: EventSink;
  readonly uriScheme?: string;
  /** Plants this many metadata defects of each kind into the world (demo/world/defects.ts). */
  readonly defects?: number;
}

export interface DemoSources {
  readonly world: World;
  readonly counters: RequestCounters;
  /** Base URL of each source that has a server of its own. */
  readonly urls: Partial<Record<ReferenceSource, string>>;
  /** The control server: `/_admin/...`, and every source under `/sources/{name}` (a base URL with a path prefix). */
  readonly controlUrl: string;
  knobs: Knobs;
  /** Per source, the events of changes to existing entities that were offered to the stream and those it dropped. */
  readonly drops: DropTally;
  /** Applies n random mutations (of one kind, if given) and sends their (imperfect) events; returns the mutations. */
  mutate(n: number, kind?: MutationKind): Promise<Mutation[]>;
  /** Sends one event for every entity of the world: duplicated, reordered and early as the knobs say, never dropped. */
  announce(): Promise<ThinEvent[]>;
  /** Sends events as they are, bypassing the imperfection knobs. */
  send(events: readonly ThinEvent[]): Promise<void>;
  /** Mutates continuously at `perSecond` until stopped. */
  startStream(perSecond: number): void;
  stopStream(): Promise<void>;
  close(): Promise<void>;
}

/** Runs the six demo source systems over a generated world, in this process. */
export async function startDemoSources(options: DemoSourcesOptions): Promise<DemoSources> {
  const host = options.host ?? '127.0.0.1';
  const world = generateWorld({ seed: options.seed, size: options.size });
  if (options.defects) plantDefects(world, { count: options.defects, seed: options.seed });
  const counters = new RequestCounters();
  const random = new Random(options.seed ^ 0x5eed);
  let eventSequence = 0;
  const nextEventId = (): string => `demo-${options.seed}-${(eventSequence++).toString(36)}`;
  let knobs: Knobs = knobsSchema.parse(options.knobs ?? {});
  const drops: DropTally = new Map();
  const state: SourceState = { world, counters, random, knobs: () => knobs.sources };

  const sendImperfect = async (mutations: readonly Mutation[], bootstrap = false): Promise<ThinEvent[]> => {
    const events = imperfectEvents(mutations, { world, random, knobs: knobs.stream, nextEventId, bootstrap, drops });
    await options.sink?.send(events);
    return events;
  };

  const servers: { close(): Promise<void> }[] = [];
  const urls: Partial<Record<ReferenceSource, string>> = {};
  const only = new Set(options.only ?? REFERENCE_SOURCES);
  for (const [index, source] of REFERENCE_SOURCES.entries()) {
    if (!only.has(source)) continue;
    const app = express();
    app.disable('x-powered-by');
    app.use(sourceRouter(source, state));
    const server = await listen(app, host, options.port === 0 ? 0 : options.port + 1 + index);
    servers.push(server);
    urls[source] = `http://${host}:${server.port}`;
  }

  let streaming: { timer: NodeJS.Timeout; pending: Promise<unknown> } | null = null;
  let controlUrl = '';
  const handle: DemoSources = {
    world,
    counters,
    drops,
    urls,
    get controlUrl() {
      return controlUrl;
    },
    get knobs() {
      return knobs;
    },
    set knobs(value: Knobs) {
      knobs = value;
    },
    async mutate(n, kind) {
      const mutations = Array.from({ length: n }, () => mutate(world, random, kind));
      await sendImperfect(mutations);
      return mutations;
    },
    async announce() {
      return sendImperfect([{ kind: 'change_owner', events: announceAll(world), created: [] }], true);
    },
    async send(events) {
      await options.sink?.send(events);
    },
    startStream(perSecond) {
      if (streaming) return;
      const intervalMs = 100;
      let carry = 0;
      const state = {
        pending: Promise.resolve() as Promise<unknown>,
        timer: setInterval(() => {
          carry += (perSecond * intervalMs) / 1000;
          const n = Math.floor(carry);
          carry -= n;
          if (n > 0) state.pending = state.pending.then(() => handle.mutate(n)).catch(() => undefined);
        }, intervalMs),
      };
      streaming = state;
    },
    async stopStream() {
      if (!streaming) return;
      clearInterval(streaming.timer);
      await streaming.pending;
      streaming = null;
    },
    async close() {
      await handle.stopStream();
      await Promise.all(servers.map((server) => server.close()));
      await options.sink?.close();
    },
  };

  const control = await listen(controlApp(handle, state, options.uriScheme ?? 'mlg'), host, options.port);
  servers.push(control);
  controlUrl = `http://${host}:${control.port}`;
  return handle;
}

function controlApp(demo: DemoSources, state: SourceState, scheme: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());
  for (const source of REFERENCE_SOURCES) app.use(`/sources/${source}`, sourceRouter(source, state));
  app.get('/_admin/truth', (_req, res) => {
    res.json(groundTruth(demo.world, scheme));
  });
  app.get('/_admin/counters', (_req, res) => {
    res.json(demo.counters.snapshot());
  });
  app.post('/_admin/counters/reset', (_req, res) => {
    demo.counters.reset();
    res.status(204).end();
  });
  app.get('/_admin/knobs', (_req, res) => {
    res.json(demo.knobs);
  });
  app.put('/_admin/knobs', (req, res) => {
    const parsed = knobsSchema.safeParse({
      sources: { ...demo.knobs.sources, ...(req.body as Partial<Knobs>).sources },
      stream: { ...demo.knobs.stream, ...(req.body as Partial<Knobs>).stream },
    });
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
      return;
    }
    demo.knobs = parsed.data;
    res.json(demo.knobs);
  });
  app.post('/_admin/mutate', async (req, res) => {
    const count = Number((req.body as { count?: unknown }).count ?? 1);
    if (!Number.isInteger(count) || count < 1 || count > 100_000) {
      res.status(400).json({ error: 'count must be an integer from 1 to 100000' });
      return;
    }
    const mutations = await demo.mutate(count);
    res.json({ mutations: mutations.map((m) => ({ kind: m.kind, events: m.events })) });
  });
  app.post('/_admin/announce', async (_req, res) => {
    const events = await demo.announce();
    res.json({ sent: events.length });
  });
  return app;
}
