import assert from 'node:assert/strict';
import { plantDefects } from '../../../demo/world/defects';
import { truthDefects } from '../../../demo/world/quality-truth';
import { after, before, describe, it } from 'node:test';
import { startDemoSources, type DemoSources } from '../../../demo/demo-sources';
import { EXACT_KNOBS } from '../../../demo/servers/knobs';

const keys = (value: unknown): string[] => Object.keys(value as object).sort();

describe('demo source systems', () => {
  let demo: DemoSources;
  before(async () => {
    demo = await startDemoSources({ seed: 42, size: 300, port: 0 });
  });
  after(async () => {
    await demo.close();
  });
  const get = async (url: string): Promise<{ status: number; body: unknown; headers: Headers }> => {
    const response = await fetch(url);
    return { status: response.status, body: await response.json(), headers: response.headers };
  };

  it('when each endpoint of the contract is asked for a known id, then it answers with exactly the contract fields', async () => {
    const r = demo.world.records;
    const first = <T>(map: Map<string, T>): string => [...map.keys()][0] as string;
    const cases: [string, string, string[]][] = [
      [
        demo.urls.registry!,
        `/api/v1/models/${first(r.models)}`,
        ['created_at', 'description', 'id', 'labels', 'name', 'owner_emails', 'updated_at'],
      ],
      [
        demo.urls.registry!,
        '/api/v1/instances/ranking-model-v5-20XX0101',
        [
          'created_at',
          'deployed_to',
          'feature_ids',
          'id',
          'labels',
          'model_id',
          'owner_emails',
          'pipeline_run_id',
          'status',
          'updated_at',
          'version',
        ],
      ],
      [
        demo.urls.registry!,
        `/api/v1/services/${first(r.services)}`,
        ['created_at', 'description', 'labels', 'name', 'owner_emails', 'updated_at'],
      ],
      [
        demo.urls.orchestrator!,
        `/api/v1/pipelines/${first(r.pipelines)}`,
        ['created_at', 'description', 'id', 'labels', 'name', 'owner_emails', 'schedule', 'updated_at'],
      ],
      [
        demo.urls.orchestrator!,
        '/api/v1/pipeline-runs/train-weekly-ranking-20XX0101',
        ['ab_test_cells', 'attempts', 'ended_at', 'input_datasets', 'output_datasets', 'pipeline', 'run_id', 'started_at', 'status'],
      ],
      [
        demo.urls.featurestore!,
        `/api/v1/features/${first(r.features)}`,
        ['created_at', 'description', 'id', 'labels', 'name', 'owner_emails', 'source_dataset_ids', 'updated_at', 'value_type', 'version'],
      ],
      [
        demo.urls.experiments!,
        '/api/v1/tests/12345',
        ['cells', 'description', 'end_date', 'labels', 'name', 'owner_emails', 'start_date', 'status', 'test_id'],
      ],
      [
        demo.urls.datasets!,
        `/api/v1/datasets/${first(r.datasets)}`,
        [
          'created_at',
          'description',
          'id',
          'labels',
          'latest_version',
          'location',
          'name',
          'owner_emails',
          'producer_pipeline_id',
          'schema',
          'updated_at',
        ],
      ],
      [demo.urls.identity!, '/api/v1/users/alice@netflix.com', ['active', 'display_name', 'email', 'team_ids', 'username']],
      [demo.urls.identity!, '/api/v1/teams/personalization', ['id', 'member_emails', 'name', 'parent_team_id']],
    ];
    for (const [base, path, fields] of cases) {
      const { status, body } = await get(`${base}${path}`);
      assert.equal(status, 200, path);
      assert.deepEqual(keys(body), fields, path);
    }
  });

  it('then the seed example answers as the design shows it', async () => {
    const { body } = await get(`${demo.urls.registry}/api/v1/instances/ranking-model-v5-20XX0101`);
    assert.deepEqual(body, {
      id: 'ranking-model-v5-20XX0101',
      model_id: 'ranking-model',
      version: 'v5',
      pipeline_run_id: 'train-weekly-ranking-20XX0101',
      feature_ids: ['days-since-last-play'],
      deployed_to: [],
      status: 'staged',
      owner_emails: ['alice@netflix.com'],
      labels: [{ key: 'team', value: 'personalization' }],
      created_at: '2026-01-01T06:00:00Z',
      updated_at: '2026-01-01T06:00:00Z',
    });
    const run = (await get(`${demo.urls.orchestrator}/api/v1/pipeline-runs/train-weekly-ranking-20XX0101`)).body as {
      pipeline: string;
      ab_test_cells: unknown;
    };
    assert.equal(run.pipeline, 'weekly-ranking-trainer');
    assert.deepEqual(run.ab_test_cells, [{ test_id: '12345', cell_number: 2, cell_name: 'treatment_ranking_v5' }]);
  });

  it('when an id is unknown, then the source answers 404', async () => {
    assert.equal((await get(`${demo.urls.registry}/api/v1/instances/no-such-instance`)).status, 404);
  });

  it('when a base URL carries a path prefix, then the source answers under it', async () => {
    const { status, body } = await get(`${demo.controlUrl}/sources/experiments/api/v1/tests/12345`);
    assert.equal(status, 200);
    assert.equal((body as { name: string }).name, 'Ranking Model v5 vs v4');
  });

  it('when requests exceed the rate limit, then the excess gets 429 with Retry-After and the source never serves more than the limit per second', async () => {
    demo.knobs = { ...EXACT_KNOBS, sources: { ...EXACT_KNOBS.sources, rateLimitPerSecond: 5 } };
    demo.counters.reset();
    try {
      const responses = await Promise.all(
        Array.from({ length: 12 }, () => fetch(`${demo.urls.datasets}/api/v1/datasets/member-viewing-history`)),
      );
      const statuses = responses.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 200).length, 5);
      assert.equal(statuses.filter((s) => s === 429).length, 7);
      const limited = responses.find((r) => r.status === 429);
      assert.ok(Number(limited?.headers.get('retry-after')) >= 1);
      await Promise.all(responses.map((r) => r.arrayBuffer()));
      const counts = demo.counters.snapshot().datasets;
      assert.equal(counts?.total, 12);
      assert.equal(counts?.maxServedPerSecond, 5);
    } finally {
      demo.knobs = EXACT_KNOBS;
    }
  });

  it('when the error rate is 1, then every request gets a 503; at 0 none does', async () => {
    demo.knobs = { ...EXACT_KNOBS, sources: { ...EXACT_KNOBS.sources, errorRate: 1 } };
    try {
      assert.equal((await get(`${demo.urls.datasets}/api/v1/datasets/member-viewing-history`)).status, 503);
    } finally {
      demo.knobs = EXACT_KNOBS;
    }
    assert.equal((await get(`${demo.urls.datasets}/api/v1/datasets/member-viewing-history`)).status, 200);
  });

  it('when latency is injected, then answers take at least that long', async () => {
    demo.knobs = { ...EXACT_KNOBS, sources: { ...EXACT_KNOBS.sources, latencyMs: 120 } };
    try {
      const started = performance.now();
      await get(`${demo.urls.datasets}/api/v1/datasets/member-viewing-history`);
      assert.ok(performance.now() - started >= 110);
    } finally {
      demo.knobs = EXACT_KNOBS;
    }
  });

  it('then requests are counted per source, endpoint, status and path', async () => {
    demo.counters.reset();
    await get(`${demo.urls.registry}/api/v1/instances/ranking-model-v5-20XX0101`);
    await get(`${demo.urls.registry}/api/v1/instances/ranking-model-v5-20XX0101`);
    await get(`${demo.urls.registry}/api/v1/instances/nope`);
    const counts = demo.counters.snapshot().registry;
    assert.deepEqual(counts?.endpoints['GET /api/v1/instances/:id'], { total: 3, byStatus: { '200': 2, '404': 1 } });
    assert.equal(demo.counters.pathCount('registry', '/api/v1/instances/ranking-model-v5-20XX0101'), 2);
    const overHttp = (await get(`${demo.controlUrl}/_admin/counters`)).body as Record<string, { total: number }>;
    assert.equal(overHttp.registry?.total, 3);
  });

  it('when the truth is asked over HTTP, then it holds the seed example with its inferred edge, and the defects the records hold', async () => {
    const planted = plantDefects(demo.world, { count: 2, seed: 42 });
    const truth = (await get(`${demo.controlUrl}/_admin/truth`)).body as {
      edges: { subject: string; predicate: string; object: string; rule: string | null }[];
      defects: { uri: string; code: string }[];
    };
    assert.ok(truth.defects.some((d) => d.uri.endsWith(`/${planted.ghostFeature}`) && d.code === 'never-hydrated'));
    assert.deepEqual(truth.defects, truthDefects(demo.world));
    assert.ok(
      truth.edges.some(
        (e) => e.subject === 'mlg://model-instance/registry/ranking-model-v5-20XX0101' && e.predicate === 'tested_in' && e.rule === 'R1',
      ),
    );
  });

  it('when knobs are set to a bad value over HTTP, then the answer is 400 naming it', async () => {
    const response = await fetch(`${demo.controlUrl}/_admin/knobs`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stream: { dropRate: 3 } }),
    });
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(await response.json()), /dropRate/);
  });
});
