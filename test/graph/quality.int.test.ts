import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Edge } from '../../domain/edge';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import type { World } from '../../demo/world/world';
import { truthDefects } from '../../demo/world/quality-truth';
import { qualityOf } from '../../graph/quality';
import { enrichmentSweepWorkflow } from '../../workflows/enrichment';
import { thinEvent } from '../../connectors/events';
import { runSweep, waitForConvergence } from '../support/convergence';
import { waitFor } from '../support/wait';
import { serveApi, type ApiUnderTest } from '../support/api';
import { startHarness, type Harness } from '../support/harness';

const T = '2026-01-01T00:00:00Z';

/** Planted defects: a model nobody owns, a dataset with no description. */
function plantDefects(world: World): void {
  const r = world.records;
  r.models.set('orphan-model', {
    id: 'orphan-model',
    name: 'orphan-model',
    description: 'Nobody owns it.',
    owner_emails: [],
    labels: [],
    created_at: T,
    updated_at: T,
  });
  const seed = r.datasets.get(SEED_EXAMPLE.datasetId);
  assert.ok(seed);
  r.datasets.set('undescribed-dataset', {
    ...seed,
    id: 'undescribed-dataset',
    name: 'undescribed-dataset',
    description: '',
    location: 's3://warehouse/undescribed',
  });
}

/** An instance naming a feature its source does not have: the feature stays a placeholder. */
function plantGhost(world: World): void {
  const r = world.records;
  r.instances.set('ghost-user-v1', {
    id: 'ghost-user-v1',
    model_id: SEED_EXAMPLE.modelId,
    version: 'v9',
    pipeline_run_id: null,
    feature_ids: ['ghost-feature'],
    deployed_to: [],
    status: 'staged',
    owner_emails: [SEED_EXAMPLE.userEmail],
    labels: [],
    created_at: T,
    updated_at: T,
  });
}

/** The referee: the defects the world's records hold, computed from the records (not through the service). */
const expectedDefects = (world: World): string[] => truthDefects(world).map((d) => `${d.uri} ${d.code}`);

describe('metadata quality', () => {
  let h: Harness;
  let api: ApiUnderTest;
  const get = (path: string) => api.get(path);
  const pairs = (entities: any[]) => entities.flatMap((e: any) => e.signals.map((s: any) => `${e.uri} ${s.code}`)).sort();

  before(async () => {
    h = await startHarness({ seed: 11, size: 120 });
    plantDefects(h.demo.world);
    await h.demo.announce();
    await waitForConvergence(h);
    await runSweep(h);
    api = await serveApi(h);
  });
  after(async () => {
    await api?.close();
    await h?.close();
  });

  it("when the graph's quality is asked for, then every defect the records hold is reported with its code, and nothing else", async () => {
    const { status, body } = await get('/v1/quality?limit=1000');
    assert.equal(status, 200);
    const expected = expectedDefects(h.demo.world);
    assert.ok(expected.includes('mlg://model/registry/orphan-model no-owner'));
    assert.ok(expected.includes('mlg://dataset/datasets/undescribed-dataset no-description'));
    assert.ok(
      expected.some((p) => p.endsWith('owner-inactive')),
      'the generated world has users who left',
    );
    assert.deepEqual(pairs(body.entities), expected);
    assert.equal(body.total, new Set(expected.map((p) => p.split(' ')[0])).size);
    const scores = body.entities.map((e: any) => e.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a: number, b: number) => a - b),
      'worst first',
    );
  });

  it('when quality is filtered by signal, severity, type or team, then only matching entities come back', async () => {
    const owners = (await get('/v1/quality?signal=no-owner')).body;
    assert.deepEqual(
      owners.entities.map((e: any) => e.uri),
      ['mlg://model/registry/orphan-model'],
    );
    assert.equal(owners.entities[0].signals[0].severity, 'warning');
    assert.match(owners.entities[0].signals[0].explanation, /Nobody owns it/);
    const info = (await get('/v1/quality?severity=info')).body;
    assert.ok(info.entities.every((e: any) => e.signals.some((s: any) => s.severity === 'info')));
    const datasets = (await get('/v1/quality?type=dataset')).body;
    assert.ok(datasets.entities.every((e: any) => e.type === 'dataset'));
    const team = (await get(`/v1/quality?team=${SEED_EXAMPLE.teamId}`)).body;
    assert.ok(team.entities.every((e: any) => e.teams.includes(`mlg://team/identity/${SEED_EXAMPLE.teamId}`)));
    const bad = await get('/v1/quality?signal=no-such-signal');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.parameter, 'signal');
  });

  it('when the summary is asked for, then each type, source, team and owner has its standing, worst first', async () => {
    const { body } = await get('/v1/quality/summary');
    const expected = expectedDefects(h.demo.world);
    assert.equal(body.overall.withSignals, new Set(expected.map((p) => p.split(' ')[0])).size);
    assert.equal(body.overall.signals['no-owner'], 1);
    const model = body.byType.find((g: any) => g.key === 'model');
    assert.ok(model && model.withSignals >= 1 && model.meanScore < 100);
    const means = body.byTeam.map((g: any) => g.meanScore);
    assert.deepEqual(
      means,
      [...means].sort((a: number, b: number) => a - b),
    );
  });

  it('when an entity is read, then it carries its signals', async () => {
    const orphan = (await get('/v1/entities/model/registry/orphan-model')).body;
    assert.deepEqual(
      orphan.quality.signals.map((s: any) => s.code),
      ['no-owner'],
    );
    assert.equal(orphan.quality.score, 80);
    const seed = (await get(`/v1/entities/model-instance/registry/${SEED_EXAMPLE.instanceId}`)).body;
    assert.deepEqual(seed.quality, { score: 100, signals: [], past: [] });
  });

  it('when an inferred edge rests on an edge that is gone although its inference ran since, then a sweep reports it as a bug', async () => {
    const inferred = await h.services.db
      .selectFrom('current_edges')
      .select(['subject', 'support'])
      .where('rule', '=', 'R2')
      .orderBy('subject')
      .limit(1)
      .executeTakeFirstOrThrow();
    const [lost] = inferred.support as Edge[];
    assert.ok(lost);
    const gone = await h.services.db
      .deleteFrom('current_edges')
      .where('subject', '=', lost.subject)
      .where('predicate', '=', lost.predicate)
      .where('object', '=', lost.object)
      .returningAll()
      .execute();
    try {
      await runSweep(h);
      const { body } = await get(`/v1/quality?signal=unsupported-inference`);
      assert.deepEqual(
        body.entities.map((e: any) => e.uri),
        [inferred.subject],
      );
      assert.equal(body.entities[0].signals.find((s: any) => s.code === 'unsupported-inference').severity, 'error');
    } finally {
      await h.services.db
        .insertInto('current_edges')
        .values(gone.map((e) => ({ ...e, support: e.support === null ? null : JSON.stringify(e.support) })))
        .execute();
    }
    await runSweep(h);
    assert.equal((await get('/v1/quality?signal=unsupported-inference')).body.total, 0);
  });

  it('when a signal no longer holds, then the next sweep closes it and the entity keeps it in its past', async () => {
    const before = (await get('/v1/entities/model/registry/orphan-model')).body.quality;
    const model = h.demo.world.records.models.get('orphan-model');
    assert.ok(model);
    h.demo.world.records.models.set('orphan-model', { ...model, owner_emails: [SEED_EXAMPLE.userEmail] });
    await h.demo.send([thinEvent('model_updated', 'orphan-model')]);
    await waitFor('the new owner', async () => (await get('/v1/entities/model/registry/orphan-model')).body.owners.length === 1);
    const counts = await runSweep(h);
    assert.ok(counts.signalsClosed >= 1);
    const after = (await get('/v1/entities/model/registry/orphan-model')).body.quality;
    assert.deepEqual(after.signals, []);
    assert.deepEqual(
      after.past.map((p: any) => [p.code, p.since]),
      [['no-owner', before.signals[0].since]],
    );
    assert.ok(Date.parse(after.past[0].until) >= Date.parse(after.past[0].since));
  });

  it('when a source keeps failing past twice the refresh window, then a sweep reports its entities stale, and a reference it never served never-hydrated', async () => {
    plantGhost(h.demo.world);
    await h.demo.send([thinEvent('model_instance_created', 'ghost-user-v1')]);
    await waitFor(
      'the placeholder of the missing feature',
      async () => (await get('/v1/entities/feature/featurestore/ghost-feature')).status === 200,
    );
    h.demo.knobs = { ...h.demo.knobs, sources: { ...h.demo.knobs.sources, errorRate: 1 } };
    try {
      const staleAfterMs = 1_000;
      await new Promise((resolve) => setTimeout(resolve, 2 * staleAfterMs + 200));
      // A sweep with a one-second refresh window: its refreshes fail, so nothing is read again.
      await h.services.temporal.client.workflow.execute(enrichmentSweepWorkflow, {
        taskQueue: h.services.config.temporal.taskQueue,
        workflowId: `quality-test-sweep-${Date.now()}`,
        args: [{ settings: { staleAfterMs, batchSize: 500 } }],
      });
    } finally {
      h.demo.knobs = { ...h.demo.knobs, sources: { ...h.demo.knobs.sources, errorRate: 0 } };
    }
    const { entities } = await qualityOf(h.services.db, {
      types: [],
      sources: [],
      owners: [],
      teams: [],
      signals: [],
      severities: [],
      limit: 10_000,
      offset: 0,
    });
    const ghost = entities.find((e) => e.uri === 'mlg://feature/featurestore/ghost-feature');
    assert.deepEqual(
      ghost?.signals.map((s) => s.code),
      ['never-hydrated'],
    );
    assert.ok(entities.filter((e) => e.signals.some((s) => s.code === 'stale')).length > 100);
  });
});
