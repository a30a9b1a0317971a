import { thinEvent } from '../../connectors/events';
import type { ThinEvent } from '../../domain/events';
import type { Random } from './random';
import type { CollectionName } from './records';
import { SEED_EXAMPLE } from './seed-example';
import type { World } from './world';

/** A change applied to the world, with the thin events a real source would emit for it. */
export interface Mutation {
  readonly kind: MutationKind;
  readonly events: ThinEvent[];
  /** Records created by the mutation: the ones that may be announced before they are served. */
  readonly created: { collection: CollectionName; id: string }[];
}

export const MUTATION_KINDS = [
  'new_run',
  'complete_run',
  'new_instance',
  'deploy_instance',
  'delete_instance',
  'change_owner',
  'complete_test',
  'move_member',
  'new_dataset_version',
  'update_feature',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

const WEIGHTS: Record<MutationKind, number> = {
  new_run: 4,
  complete_run: 3,
  new_instance: 3,
  deploy_instance: 2,
  delete_instance: 1,
  change_owner: 3,
  complete_test: 1,
  move_member: 1,
  new_dataset_version: 2,
  update_feature: 2,
};

const OWNED: readonly {
  collection: 'models' | 'instances' | 'datasets' | 'features' | 'pipelines' | 'services' | 'tests';
  event: string;
}[] = [
  { collection: 'models', event: 'model_updated' },
  { collection: 'instances', event: 'model_instance_updated' },
  { collection: 'datasets', event: 'dataset_updated' },
  { collection: 'features', event: 'feature_updated' },
  { collection: 'pipelines', event: 'pipeline_updated' },
  { collection: 'services', event: 'service_updated' },
  { collection: 'tests', event: 'ab_test_updated' },
];

function pickKind(rng: Random): MutationKind {
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  let roll = rng.next() * total;
  for (const kind of MUTATION_KINDS) {
    roll -= WEIGHTS[kind];
    if (roll < 0) return kind;
  }
  return 'change_owner';
}

/** Picks a random key of a map in O(size): fine for a demo's mutation rate. */
function randomKey<K>(rng: Random, map: ReadonlyMap<K, unknown>, filter?: (key: K) => boolean): K | undefined {
  const keys = filter ? [...map.keys()].filter(filter) : [...map.keys()];
  return keys.length > 0 ? rng.pick(keys) : undefined;
}

/** New ids derive from the world's clock, which moves on with every mutation: unique and deterministic. */
const newId = (prefix: string, world: World): string => `${prefix}-${world.clock.toString(36)}`;

/**
 * Applies one random change to the world, as the platform's source systems would make it, and
 * returns the events they would emit. A kind that finds nothing to change falls back to an owner change.
 */
export function mutate(world: World, rng: Random, kind: MutationKind = pickKind(rng)): Mutation {
  const r = world.records;
  const now = world.tick();
  const one = (eventType: string, id: string): ThinEvent[] => [thinEvent(eventType, id)];
  switch (kind) {
    case 'new_run': {
      const pipeline = randomKey(rng, r.pipelines);
      const inputs = [...r.datasets.keys()];
      if (!pipeline || inputs.length === 0) break;
      const id = newId(`${pipeline}-run`, world);
      r.runs.set(id, {
        run_id: id,
        pipeline,
        status: 'RUNNING',
        started_at: now,
        ended_at: null,
        input_datasets: rng.sampleSkewed(inputs, rng.int(1, 3)),
        output_datasets: [],
        ab_test_cells: [],
        attempts: 1,
      });
      world.touch('runs', id);
      return { kind, events: one('pipeline_run_started', id), created: [{ collection: 'runs', id }] };
    }
    case 'complete_run': {
      const id = randomKey(rng, r.runs, (key) => r.runs.get(key)?.status === 'RUNNING');
      const run = id === undefined ? undefined : r.runs.get(id);
      if (!id || !run) break;
      const failed = rng.chance(0.2);
      run.status = failed ? 'FAILED' : 'SUCCEEDED';
      run.ended_at = now;
      world.touch('runs', id);
      return { kind, events: one(failed ? 'pipeline_run_failed' : 'pipeline_run_completed', id), created: [] };
    }
    case 'new_instance': {
      const model = randomKey(rng, r.models);
      const run = randomKey(rng, r.runs);
      const features = [...r.features.keys()];
      if (!model || features.length === 0) break;
      const id = newId(`${model}-v`, world);
      const owner = r.models.get(model);
      r.instances.set(id, {
        id,
        model_id: model,
        version: `v${world.clock.toString(36)}`,
        pipeline_run_id: run ?? null,
        feature_ids: rng.sampleSkewed(features, rng.int(1, 4)),
        deployed_to: [],
        status: 'staged',
        owner_emails: [...(owner?.owner_emails ?? [])],
        labels: [...(owner?.labels ?? [])],
        created_at: now,
        updated_at: now,
      });
      world.touch('instances', id);
      return { kind, events: one('model_instance_created', id), created: [{ collection: 'instances', id }] };
    }
    case 'deploy_instance': {
      const id = randomKey(rng, r.instances, (key) => r.instances.get(key)?.status === 'staged');
      const service = randomKey(rng, r.services);
      const instance = id === undefined ? undefined : r.instances.get(id);
      if (!id || !instance || !service) break;
      instance.deployed_to = [...new Set([...instance.deployed_to, service])];
      instance.status = 'released';
      instance.updated_at = now;
      world.touch('instances', id);
      return { kind, events: one('model_instance_deployed', id), created: [] };
    }
    case 'delete_instance': {
      const id = randomKey(rng, r.instances, (key) => r.instances.get(key)?.status === 'retired');
      if (!id) break;
      r.instances.delete(id);
      return { kind, events: one('model_instance_deleted', id), created: [] };
    }
    case 'complete_test': {
      const id = randomKey(rng, r.tests, (key) => r.tests.get(key)?.status === 'ACTIVE');
      const test = id === undefined ? undefined : r.tests.get(id);
      if (!id || !test) break;
      test.status = 'COMPLETED';
      test.end_date = now;
      world.touch('tests', id);
      return { kind, events: one('ab_test_updated', id), created: [] };
    }
    case 'move_member': {
      const email = randomKey(rng, r.users);
      const user = email === undefined ? undefined : r.users.get(email);
      const to = randomKey(rng, r.teams, (team) => !user?.team_ids.includes(team));
      if (!email || !user || !to || user.team_ids.length === 0) break;
      const from = rng.pick(user.team_ids);
      user.team_ids = [...user.team_ids.filter((team) => team !== from), to];
      const fromTeam = r.teams.get(from);
      if (fromTeam) fromTeam.member_emails = fromTeam.member_emails.filter((member) => member !== email);
      r.teams.get(to)?.member_emails.push(email);
      world.touch('users', email);
      world.touch('teams', from);
      world.touch('teams', to);
      return {
        kind,
        events: [thinEvent('team_membership_changed', from), thinEvent('team_membership_changed', to), thinEvent('user_updated', email)],
        created: [],
      };
    }
    case 'new_dataset_version': {
      const id = randomKey(rng, r.datasets);
      const dataset = id === undefined ? undefined : r.datasets.get(id);
      if (!id || !dataset) break;
      dataset.latest_version += 1;
      dataset.updated_at = now;
      world.touch('datasets', id);
      return { kind, events: one('dataset_version_created', id), created: [] };
    }
    case 'update_feature': {
      const id = randomKey(rng, r.features);
      const feature = id === undefined ? undefined : r.features.get(id);
      const datasets = [...r.datasets.keys()];
      if (!id || !feature || datasets.length === 0) break;
      feature.source_dataset_ids = rng.sampleSkewed(datasets, rng.int(1, 3));
      feature.version += 1;
      feature.updated_at = now;
      world.touch('features', id);
      return { kind, events: one('feature_updated', id), created: [] };
    }
    case 'change_owner':
      break;
  }
  return changeOwner(world, rng, now);
}

function changeOwner(world: World, rng: Random, now: string): Mutation {
  const target = rng.pick(OWNED);
  const map = world.records[target.collection] as Map<string, { owner_emails: string[]; updated_at?: string; end_date?: string | null }>;
  const id = randomKey(rng, map);
  const emails = [...world.records.users.keys()];
  const record = id === undefined ? undefined : map.get(id);
  if (!id || !record || emails.length === 0) return { kind: 'change_owner', events: [], created: [] };
  record.owner_emails = [rng.pick(emails)];
  if ('updated_at' in record) record.updated_at = now;
  world.touch(target.collection, id);
  return { kind: 'change_owner', events: [thinEvent(target.event, id)], created: [] };
}

/**
 * One announcement event for every record of the world: how the demo tells the service what exists.
 * The seed's worked example comes first, so that the README's walkthrough answers while the rest of
 * the world is still being ingested.
 */
export function announceAll(world: World): ThinEvent[] {
  const r = world.records;
  const e = SEED_EXAMPLE;
  const collections: [Iterable<string>, string, readonly string[]][] = [
    [r.teams.keys(), 'team_updated', [e.teamId]],
    [r.users.keys(), 'user_updated', [e.userEmail]],
    [r.datasets.keys(), 'dataset_created', [e.datasetId, e.outputDatasetId]],
    [r.features.keys(), 'feature_created', [e.featureId]],
    [r.pipelines.keys(), 'pipeline_created', [e.pipelineId]],
    [r.runs.keys(), 'pipeline_run_completed', [e.runId]],
    [r.models.keys(), 'model_created', [e.modelId]],
    [r.services.keys(), 'service_updated', [e.serviceName]],
    [r.instances.keys(), 'model_instance_created', [e.instanceId, e.previousInstanceId]],
    [r.tests.keys(), 'ab_test_created', [e.testId]],
  ];
  const first: ThinEvent[] = [];
  const rest: ThinEvent[] = [];
  for (const [ids, type, example] of collections) for (const id of ids) (example.includes(id) ? first : rest).push(thinEvent(type, id));
  return [...first, ...rest];
}
