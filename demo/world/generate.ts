import { Random } from './random';
import type { Collections, Label, RunCell } from './records';
import { emptyCollections } from './records';
import { addSeedExample } from './seed-example';
import { World, WORLD_EPOCH } from './world';

export interface WorldSpec {
  readonly seed: number;
  /** About how many entities the graph of this world holds (cells, users and teams included). */
  readonly size: number;
}

const WORDS = [
  'member',
  'viewing',
  'title',
  'search',
  'ranking',
  'playback',
  'device',
  'region',
  'session',
  'artwork',
  'billing',
  'churn',
  'engagement',
  'thumbnail',
  'trailer',
  'genre',
  'profile',
  'catalog',
  'audio',
  'subtitle',
  'download',
  'signup',
  'payment',
  'quality',
  'bandwidth',
  'launch',
  'continue',
  'rating',
  'language',
  'kids',
];
const NOUNS = [
  'history',
  'events',
  'scores',
  'daily',
  'hourly',
  'snapshot',
  'features',
  'labels',
  'aggregates',
  'sessions',
  'impressions',
  'clicks',
];
const FIRST = [
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'wendy',
];
const LAST = ['smith', 'jones', 'garcia', 'chen', 'patel', 'kim', 'nguyen', 'silva', 'muller', 'rossi', 'tanaka', 'okafor'];
const VALUE_TYPES = ['int', 'float', 'string', 'bool', 'embedding'];

/** The share of the world each kind of entity takes; cells come on top of tests (2–4 each). */
const SHARES = {
  teams: 0.004,
  users: 0.03,
  datasets: 0.14,
  features: 0.14,
  pipelines: 0.04,
  runs: 0.25,
  models: 0.03,
  instances: 0.2,
  services: 0.02,
  tests: 0.03,
} as const;

const pad = (n: number): string => String(n).padStart(6, '0');
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Generates a world deterministically from a seed and a size, from a few dozen entities to a million:
 * teams and users, datasets and the features derived from them, pipelines and their runs (reading and
 * writing datasets, some executed for A/B test cells), models and their instances (using features,
 * produced by runs, deployed to services), A/B tests with cells, and ownership everywhere. Choices
 * are skewed so that a few hubs carry many edges and most entities few. The seed's example is always
 * part of it.
 */
export function generateWorld(spec: WorldSpec): World {
  const rng = new Random(spec.seed);
  const records = emptyCollections();
  addSeedExample(records);
  const count = (share: number, min: number): number => Math.max(min, Math.round(spec.size * share));
  const yearAgo = WORLD_EPOCH - 365 * 24 * 3600_000;
  const when = (): number => yearAgo + rng.int(0, 360 * 24 * 3600) * 1000;
  const words = (n: number): string => Array.from({ length: n }, () => rng.pick(WORDS)).join('-');

  const teams = generateTeams(records, rng, count(SHARES.teams, 2), words);
  const emails = generateUsers(records, rng, count(SHARES.users, 4), teams);
  const ownership = (): { owner_emails: string[]; labels: Label[] } => {
    const owners = rng.sampleSkewed(emails, rng.chance(0.15) ? 2 : 1, 2);
    const labels: Label[] = [{ key: 'team', value: rng.pick(teams) }];
    if (rng.chance(0.3)) labels.push({ key: 'tier', value: rng.pick(['gold', 'silver', 'bronze']) });
    if (rng.chance(0.2)) labels.push({ key: 'pii', value: rng.pick(['yes', 'no']) });
    return { owner_emails: owners, labels };
  };

  const datasetIds: string[] = [];
  for (let i = 0; i < count(SHARES.datasets, 3); i++) {
    const id = `${words(2)}-${rng.pick(NOUNS)}-${pad(i)}`;
    const created = when();
    datasetIds.push(id);
    records.datasets.set(id, {
      id,
      name: id,
      description: `The ${id.replaceAll('-', ' ')} table.`,
      location: `s3://warehouse/${id.replaceAll('-', '_')}`,
      schema: [
        { name: 'member_id', type: 'long' },
        { name: rng.pick(WORDS), type: rng.pick(['string', 'long', 'double']) },
      ],
      latest_version: rng.int(1, 50),
      producer_pipeline_id: null,
      ...ownership(),
      created_at: iso(created),
      updated_at: iso(created + rng.int(0, 30) * 86_400_000),
    });
  }

  const featureIds: string[] = [];
  for (let i = 0; i < count(SHARES.features, 3); i++) {
    const id = `${words(2)}-feature-${pad(i)}`;
    const created = when();
    featureIds.push(id);
    records.features.set(id, {
      id,
      name: id,
      description: `Feature ${id.replaceAll('-', ' ')}.`,
      value_type: rng.pick(VALUE_TYPES),
      source_dataset_ids: rng.sampleSkewed(datasetIds, rng.int(1, 3)),
      version: rng.int(1, 9),
      ...ownership(),
      created_at: iso(created),
      updated_at: iso(created),
    });
  }

  const pipelineIds: string[] = [];
  for (let i = 0; i < count(SHARES.pipelines, 2); i++) {
    const id = `${words(2)}-pipeline-${pad(i)}`;
    const created = when();
    pipelineIds.push(id);
    records.pipelines.set(id, {
      id,
      name: id,
      description: `Pipeline ${id.replaceAll('-', ' ')}.`,
      schedule: rng.pick(['@daily', '@hourly', '0 6 * * 1', '@weekly']),
      ...ownership(),
      created_at: iso(created),
      updated_at: iso(created),
    });
  }

  const cells: RunCell[] = [];
  for (let i = 0; i < count(SHARES.tests, 2); i++) {
    const testId = String(20_000 + i);
    const cellCount = rng.int(2, 4);
    const start = when();
    const status = rng.pick(['DRAFT', 'ACTIVE', 'ACTIVE', 'COMPLETED'] as const);
    const testCells = Array.from({ length: cellCount }, (_, c) => ({ cell_number: c + 1, name: c === 0 ? 'control' : `treatment_${c}` }));
    records.tests.set(testId, {
      test_id: testId,
      name: `${words(2)} test ${testId}`,
      description: `Does the ${rng.pick(WORDS)} change help?`,
      status,
      cells: testCells,
      ...ownership(),
      start_date: iso(start),
      end_date: status === 'COMPLETED' ? iso(start + 30 * 86_400_000) : null,
    });
    if (status !== 'DRAFT')
      for (const cell of testCells) cells.push({ test_id: testId, cell_number: cell.cell_number, cell_name: cell.name });
  }

  const runIds: string[] = [];
  for (let i = 0; i < count(SHARES.runs, 3); i++) {
    const pipeline = pipelineIds[rng.skewedIndex(pipelineIds.length, 2)] as string;
    const id = `${pipeline.replace(/-pipeline-\d+$/, '')}-run-${pad(i)}`;
    const started = when();
    const status = rng.pick(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED', 'RUNNING'] as const);
    const outputs = rng.chance(0.5) ? rng.sampleSkewed(datasetIds, rng.int(1, 2), 1) : [];
    for (const output of outputs) {
      const dataset = records.datasets.get(output);
      if (dataset && dataset.producer_pipeline_id === null) dataset.producer_pipeline_id = pipeline;
    }
    runIds.push(id);
    records.runs.set(id, {
      run_id: id,
      pipeline,
      status,
      started_at: iso(started),
      ended_at: status === 'RUNNING' ? null : iso(started + rng.int(60, 7200) * 1000),
      input_datasets: rng.sampleSkewed(datasetIds, rng.int(1, 4)),
      output_datasets: outputs,
      ab_test_cells: cells.length > 0 && rng.chance(0.3) ? [rng.pick(cells)] : [],
      attempts: rng.int(1, 3),
    });
  }

  const serviceNames: string[] = [];
  for (let i = 0; i < count(SHARES.services, 1); i++) {
    const name = `${words(1)}-service-${pad(i)}`;
    const created = when();
    serviceNames.push(name);
    records.services.set(name, {
      name,
      description: `Serves ${name.replaceAll('-', ' ')}.`,
      ...ownership(),
      created_at: iso(created),
      updated_at: iso(created),
    });
  }

  const modelIds: string[] = [];
  for (let i = 0; i < count(SHARES.models, 1); i++) {
    const id = `${words(2)}-model-${pad(i)}`;
    const created = when();
    modelIds.push(id);
    records.models.set(id, {
      id,
      name: id,
      description: `Predicts ${rng.pick(WORDS)} ${rng.pick(NOUNS)}.`,
      ...ownership(),
      created_at: iso(created),
      updated_at: iso(created),
    });
  }

  const versions = new Map<string, number>();
  for (let i = 0; i < count(SHARES.instances, 2); i++) {
    const model = modelIds[rng.skewedIndex(modelIds.length, 2)] as string;
    const version = (versions.get(model) ?? 0) + 1;
    versions.set(model, version);
    const id = `${model}-v${version}-${pad(i)}`;
    const created = when();
    const deployed = rng.chance(0.3) ? rng.sampleSkewed(serviceNames, rng.int(1, 2), 2) : [];
    records.instances.set(id, {
      id,
      model_id: model,
      version: `v${version}`,
      pipeline_run_id: rng.chance(0.9) ? rng.pick(runIds) : null,
      feature_ids: rng.sampleSkewed(featureIds, rng.int(1, 6)),
      deployed_to: deployed,
      status: deployed.length > 0 ? 'released' : rng.pick(['staged', 'retired'] as const),
      ...ownership(),
      created_at: iso(created),
      updated_at: iso(created),
    });
  }
  return new World(records);
}

function generateTeams(records: Collections, rng: Random, n: number, words: (n: number) => string): string[] {
  const ids = [...records.teams.keys()];
  for (let i = 0; i < n; i++) {
    const id = `${words(1)}-team-${pad(i)}`;
    records.teams.set(id, {
      id,
      name: id.replace(/-team-\d+$/, '').replace(/^./, (c) => c.toUpperCase()) + ` team ${i}`,
      member_emails: [],
      parent_team_id: ids.length > 0 && rng.chance(0.4) ? rng.pick(ids) : null,
    });
    ids.push(id);
  }
  return ids;
}

function generateUsers(records: Collections, rng: Random, n: number, teams: readonly string[]): string[] {
  const emails = [...records.users.keys()];
  for (let i = 0; i < n; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    // The email's local part differs from the username, so owners must be resolved through identity.
    const email = `${first}.${last}${i}@netflix.com`;
    const username = `${first[0]}${last}${i}`;
    const teamIds = rng.sampleSkewed(teams, rng.chance(0.2) ? 2 : 1, 1);
    records.users.set(email, {
      email,
      username,
      display_name: `${first[0]?.toUpperCase()}${first.slice(1)} ${last[0]?.toUpperCase()}${last.slice(1)}`,
      team_ids: teamIds,
      active: rng.chance(0.95),
    });
    for (const teamId of teamIds) records.teams.get(teamId)?.member_emails.push(email);
    emails.push(email);
  }
  return emails;
}
