import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { thinEvent } from '../../connectors/events';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import { groundTruth } from '../../demo/world/truth';
import { createLogger } from '../../platform/logger';
import { runSweep, waitForConvergence, waitForPipelineQuiet } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';
import { truthLineage } from '../support/truth-lineage';
import { waitFor } from '../support/wait';

const READ = 'mlg-demo-read-token';
const WRITE = 'mlg-demo-write-token';
const INSTANCE = 'mlg://model-instance/registry/ranking-model-v5-20XX0101';
const INSTANCE_PATH = '/v1/entities/model-instance/registry/ranking-model-v5-20XX0101';

describe('the REST API on a known world', () => {
  let h: Harness;
  let base: string;
  // A no-op until the server is up, so that a failed `before` still closes the harness.
  let close: () => Promise<void> = () => Promise.resolve();
  const get = async (path: string, token: string | null = READ): Promise<{ status: number; body: any; headers: Headers }> => {
    const response = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    return {
      status: response.status,
      body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text,
      headers: response.headers,
    };
  };

  before(async () => {
    h = await startHarness({ seed: 71, size: 150, env: { MLG_NODE_CAP: '100000' } });
    await h.demo.announce();
    await waitForConvergence(h);
    await waitForPipelineQuiet(h);
    await runSweep(h);
    await waitForConvergence(h, { inferred: true });
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    base = `http://127.0.0.1:${server.port}`;
    close = () => server.close();
  });
  after(async () => {
    await close();
    await h.close();
  });

  it('when an entity is asked for, then it has its owners, tags, state and relationships, inferred ones marked', async () => {
    const { status, body } = await get(INSTANCE_PATH);
    assert.equal(status, 200);
    assert.equal(body.uri, INSTANCE);
    assert.equal(body.name, 'ranking-model v5');
    assert.equal(body.state, 'enriched');
    assert.deepEqual(body.owners, [{ uri: 'mlg://user/identity/alice', name: 'Alice' }]);
    assert.deepEqual(body.tags, [{ tag: 'team', value: 'personalization' }]);
    assert.equal(body.attributes.version, 'v5');
    assert.ok(
      body.relationships.some(
        (r: any) =>
          r.predicate === 'produced_by' && r.uri === 'mlg://pipeline-run/orchestrator/train-weekly-ranking-20XX0101' && !r.inferred,
      ),
    );
    assert.ok(
      body.relationships.some(
        (r: any) => r.predicate === 'tested_in' && r.uri === 'mlg://ab-test/experiments/12345' && r.inferred && r.rule === 'R1',
      ),
    );
    for (const field of ['createdAt', 'updatedAt', 'lastHydratedAt', 'lastEnrichedAt'])
      assert.ok(!Number.isNaN(Date.parse(body[field])), field);
  });

  it('when lineage is asked for on the demo world, then it agrees with the ground truth, computed independently', async () => {
    const truth = groundTruth(h.demo.world);
    const roots = [
      INSTANCE,
      'mlg://model/registry/ranking-model',
      'mlg://dataset/datasets/member-viewing-history',
      'mlg://ab-test/experiments/12345',
      ...truth.entities.filter((_, i) => i % 37 === 0).map((e) => e.uri),
    ];
    for (const root of roots) {
      const [, type, source, id] = /^mlg:\/\/([^/]+)\/([^/]+)\/(.+)$/.exec(root) ?? [];
      for (const direction of ['upstream', 'downstream'] as const) {
        const { status, body } = await get(`/v1/entities/${type}/${source}/${id}/lineage?direction=${direction}&depth=4`);
        assert.equal(status, 200, `${root} ${direction}`);
        const expected = truthLineage(truth, root, direction, 4);
        const actual = new Map<string, number>(body.nodes.map((n: any) => [n.uri, n.distance]));
        assert.deepEqual(
          Object.fromEntries([...actual].sort()),
          Object.fromEntries([...expected].sort()),
          `${direction} lineage of ${root}`,
        );
        assert.equal(body.truncated, false);
      }
    }
  });

  it('when the lineage of the instance is asked upstream, then it reaches the suspicious feature, its dataset and the pipeline of its run', async () => {
    const { body } = await get(`${INSTANCE_PATH}/lineage?direction=upstream&depth=3`);
    const uris = body.nodes.map((n: any) => n.uri);
    for (const uri of [
      'mlg://feature/featurestore/days-since-last-play',
      'mlg://dataset/datasets/member-viewing-history',
      'mlg://pipeline/orchestrator/weekly-ranking-trainer',
      'mlg://model/registry/ranking-model',
    ])
      assert.ok(uris.includes(uri), uri);
    assert.ok(body.edges.some((e: any) => e.subject === INSTANCE && e.predicate === 'uses_feature'));
    const filtered = await get(`${INSTANCE_PATH}/lineage?direction=upstream&depth=3&types=dataset`);
    assert.ok(filtered.body.nodes.every((n: any) => n.type === 'dataset'));
    const predicates = await get(`${INSTANCE_PATH}/lineage?direction=upstream&depth=3&predicates=uses_feature,derived_from`);
    assert.deepEqual(predicates.body.nodes.map((n: any) => n.uri).sort(), [
      'mlg://dataset/datasets/member-viewing-history',
      'mlg://feature/featurestore/days-since-last-play',
    ]);
  });

  it('when the node cap is reached, then the answer says truncated', async () => {
    const capped = await startCappedApp(h, 3);
    try {
      const response = await fetch(`${capped.base}${INSTANCE_PATH}/lineage?direction=both&depth=5`, {
        headers: { authorization: `Bearer ${READ}` },
      });
      const body: any = await response.json();
      assert.equal(body.truncated, true);
      assert.ok(body.nodes.length <= 6);
    } finally {
      await capped.close();
    }
  });

  it('when impact is asked for a feature, then downstream entities come grouped by type with the owners to notify, as the ground truth says', async () => {
    const { status, body } = await get('/v1/entities/feature/featurestore/days-since-last-play/impact?depth=3');
    assert.equal(status, 200);
    const expected = truthLineage(groundTruth(h.demo.world), 'mlg://feature/featurestore/days-since-last-play', 'downstream', 3);
    const grouped = body.groups.flatMap((g: any) => g.entities.map((e: any) => e.uri));
    assert.deepEqual(new Set(grouped), new Set([...expected.keys()].filter((uri) => !uri.includes('//model/'))));
    assert.ok(
      body.groups.some(
        (g: any) =>
          g.type === 'model-instance' && g.entities.some((e: any) => e.uri === INSTANCE && e.owners.includes('mlg://user/identity/alice')),
      ),
    );
    assert.ok(body.notify.users.some((u: any) => u.uri === 'mlg://user/identity/alice'));
    assert.ok(body.notify.teams.some((t: any) => t.uri === 'mlg://team/identity/personalization'));
  });

  it('when usage is asked for the model, then its A/B tests and services come back', async () => {
    const { body } = await get('/v1/entities/model/registry/ranking-model/usage');
    assert.ok(body.abTests.some((t: any) => t.uri === 'mlg://ab-test/experiments/12345'));
    assert.ok(body.services.some((s: any) => s.uri === 'mlg://service/registry/homepage-ranker'));
  });

  it('when paths are asked between a dataset and the instance, then each path is a list of edges from one to the other', async () => {
    const { status, body } = await get(
      `/v1/paths?from=${encodeURIComponent('mlg://dataset/datasets/member-viewing-history')}&to=${encodeURIComponent(INSTANCE)}&maxDepth=4`,
    );
    assert.equal(status, 200);
    assert.equal(body.direction, 'downstream');
    assert.ok(body.paths.length >= 2);
    assert.equal(body.paths[0].length, 2);
    assert.ok(body.paths.some((p: any) => p.edges.map((e: any) => e.predicate).join(',') === 'derived_from,uses_feature'));
    assert.ok(body.paths.some((p: any) => p.edges.map((e: any) => e.predicate).join(',') === 'reads,produced_by'));
  });

  it('when deprecation candidates are asked for, then nothing downstream uses any of them, oldest first', async () => {
    const { body } = await get('/v1/unused?type=dataset&limit=500');
    const truth = groundTruth(h.demo.world);
    assert.ok(body.entities.length > 0);
    for (const e of body.entities)
      assert.equal(
        truthLineage(truth, e.uri, 'downstream', 1).size,
        [...truthLineage(truth, e.uri, 'downstream', 1).keys()].filter((u) =>
          truth.edges.some((x) => x.subject === e.uri && x.object === u && x.predicate === 'produced_by'),
        ).length,
        e.uri,
      );
    const dates = body.entities.map((e: any) => Date.parse(e.createdAt));
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => a - b),
    );
    assert.ok(!body.entities.some((e: any) => e.uri === 'mlg://dataset/datasets/member-viewing-history'));
  });

  it('when an entity changes, then asOf before the change answers the old graph and after it the new one, and the history shows both', async () => {
    const before = new Date();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const instance = h.demo.world.records.instances.get(SEED_EXAMPLE.instanceId);
    assert.ok(instance);
    const bob = [...h.demo.world.records.users.keys()].find((email) => email !== SEED_EXAMPLE.userEmail) as string;
    instance.owner_emails = [bob];
    instance.deployed_to = ['homepage-ranker'];
    await h.demo.send([thinEvent('model_instance_deployed', SEED_EXAMPLE.instanceId)]);
    await waitFor('the change to land', async () => (await get(INSTANCE_PATH)).body.owners?.[0]?.uri !== 'mlg://user/identity/alice');
    const now = await get(INSTANCE_PATH);
    const old = await get(`${INSTANCE_PATH}?asOf=${before.toISOString()}`);
    assert.deepEqual(old.body.owners, [{ uri: 'mlg://user/identity/alice', name: 'Alice' }]);
    assert.notDeepEqual(now.body.owners, old.body.owners);
    const oldLineage = await get(`${INSTANCE_PATH}/lineage?direction=downstream&depth=1&asOf=${before.toISOString()}`);
    const newLineage = await get(`${INSTANCE_PATH}/lineage?direction=downstream&depth=1`);
    assert.ok(!oldLineage.body.nodes.some((n: any) => n.uri === 'mlg://service/registry/homepage-ranker'));
    assert.ok(newLineage.body.nodes.some((n: any) => n.uri === 'mlg://service/registry/homepage-ranker'));
    const history = await get(`${INSTANCE_PATH}/history`);
    const ownership = history.body.entries.filter((e: any) => e.kind === 'edge' && e.edge.predicate === 'owned_by');
    assert.deepEqual(
      ownership.map((e: any) => [e.op, e.edge.object === 'mlg://user/identity/alice']),
      [
        ['assert', true],
        ['retract', true],
        ['assert', false],
      ],
    );
    const early = await get(`${INSTANCE_PATH}?asOf=2000-01-01T00:00:00Z`);
    assert.equal(early.status, 404);
  });

  it('when searching, then an exact name ranks first, typos are tolerated, and filters by type, owner and tag combine', async () => {
    const exact = await get(`/v1/search?q=${encodeURIComponent('ranking-model v5')}`);
    assert.equal(exact.body.hits[0].uri, INSTANCE);
    assert.deepEqual(exact.body.hits[0].owners.length, 1);
    const typo = await get('/v1/search?q=rankng-modl');
    assert.ok(typo.body.hits.some((hit: any) => hit.uri === 'mlg://model/registry/ranking-model'));
    const model = await get('/v1/search?q=ranking-model&type=model');
    assert.equal(model.body.hits[0].uri, 'mlg://model/registry/ranking-model');
    assert.ok(model.body.hits.every((hit: any) => hit.type === 'model'));
    const filtered = await get('/v1/search?q=&owner=alice&tag=team::personalization&type=dataset,feature');
    assert.ok(filtered.body.total >= 2);
    for (const hit of filtered.body.hits) {
      assert.ok(['dataset', 'feature'].includes(hit.type));
      assert.ok(hit.tags.includes('team::personalization'));
      assert.ok(hit.owners.includes('mlg://user/identity/alice') || hit.teams.length > 0);
    }
    const owners = await get('/v1/owners/search?q=Alice');
    assert.equal(owners.body.hits[0].uri, 'mlg://user/identity/alice');
    assert.equal(owners.body.hits[0].email, 'alice@netflix.com');
  });

  it('when a request is bad, then a problem+json 4xx names the parameter', async () => {
    const cases: [string, number, string][] = [
      ['/v1/entities/model-thing/registry/x', 400, 'type'],
      ['/v1/entities/model/datasets/ranking-model', 400, 'source'],
      [`${INSTANCE_PATH}/lineage?depth=21`, 400, 'depth'],
      [`${INSTANCE_PATH}/lineage?direction=sideways`, 400, 'direction'],
      [`${INSTANCE_PATH}?asOf=yesterday`, 400, 'asOf'],
      ['/v1/paths?from=not-a-uri&to=mlg://model/registry/ranking-model', 400, 'from'],
      ['/v1/entities/model/registry/no-such-model', 404, 'nativeId'],
      ['/v1/entities/model/registry/no-such-model/history', 404, 'nativeId'],
      ['/v1/entities/model/registry/no-such-model/lineage?direction=both', 404, 'nativeId'],
      ['/v1/entities/model/registry/no-such-model/impact', 404, 'nativeId'],
      ['/v1/entities/model/registry/no-such-model/usage', 404, 'nativeId'],
      [`${INSTANCE_PATH}/lineage?asOf=2000-01-01T00:00:00Z`, 404, 'nativeId'],
      ['/v1/paths?from=mlg://model/registry/no-such-model&to=mlg://model/registry/ranking-model', 404, 'from'],
      ['/v1/paths?from=mlg://model/registry/ranking-model&to=mlg://model/registry/no-such-model', 404, 'to'],
      ['/v1/search?tag=nocolons', 400, 'tag'],
      ['/v1/quality?owner=al%00ice', 400, 'owner'],
      ['/v1/entities/model/registry/ranking%00model', 400, 'nativeId'],
    ];
    for (const [path, status, parameter] of cases) {
      const response = await get(path);
      assert.equal(response.status, status, path);
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(response.body.parameter, parameter, path);
      assert.equal(response.body.status, status);
    }
    const badType = await get('/v1/entities/model-thing/registry/x');
    assert.ok(badType.body.allowed.includes('model-instance'));
  });

  it('when the token is missing or wrong, then 401; when a read token writes, then 403', async () => {
    assert.equal((await get(INSTANCE_PATH, null)).status, 401);
    assert.equal((await get(INSTANCE_PATH, 'not-a-real-token')).status, 401);
    const write = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${READ}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event_type: 'model_updated', model_id: 'ranking-model' }),
    });
    assert.equal(write.status, 403);
    assert.equal((await get('/v1/health', null)).status, 200);
  });

  it('when events are posted, then valid ones are accepted and each rejected one says why', async () => {
    const response = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WRITE}`, 'content-type': 'application/json' },
      body: JSON.stringify([thinEvent('model_updated', 'ranking-model'), { event_type: 'nope' }, { event_type: 'dataset_updated' }]),
    });
    assert.equal(response.status, 202);
    const body: any = await response.json();
    assert.equal(body.accepted, 1);
    assert.deepEqual(
      body.rejected.map((r: any) => r.index),
      [1, 2],
    );
    assert.match(body.rejected[1].reason, /dataset_id/);
  });

  it('when a sweep is asked for over HTTP, then it starts and answers with its workflow id', async () => {
    const response = await fetch(`${base}/v1/enrichment/run`, { method: 'POST', headers: { authorization: `Bearer ${WRITE}` } });
    assert.equal(response.status, 202);
    const body: any = await response.json();
    assert.match(body.workflowId, /enrichment-sweep/);
    const counts = await h.services.temporal.client.workflow.getHandle(body.workflowId, body.runId, { followRuns: true }).result();
    assert.equal(typeof (counts as { candidates: number }).candidates, 'number');
  });

  it('when the OpenAPI document, the docs, the metrics and a request id are asked for, then they are served', async () => {
    const doc = await get('/openapi.json', null);
    assert.equal(doc.body.openapi, '3.1.0');
    for (const path of [
      '/v1/health',
      '/v1/events',
      '/v1/search',
      '/v1/owners/search',
      '/v1/entities/{type}/{source}/{nativeId}',
      '/v1/entities/{type}/{source}/{nativeId}/history',
      '/v1/entities/{type}/{source}/{nativeId}/lineage',
      '/v1/entities/{type}/{source}/{nativeId}/impact',
      '/v1/entities/{type}/{source}/{nativeId}/usage',
      '/v1/paths',
      '/v1/unused',
      '/v1/enrichment/run',
    ])
      assert.ok(doc.body.paths[path], path);
    const docs = await get('/docs/', null);
    assert.match(String(docs.body), /swagger-ui/i);
    const metricsText = await get('/metrics', null);
    assert.match(String(metricsText.body), /mlg_http_request_duration_seconds_bucket/);
    const response = await fetch(`${base}/v1/health`, { headers: { 'x-request-id': 'trace-me-123' } });
    assert.equal(response.headers.get('x-request-id'), 'trace-me-123');
    await response.body?.cancel();
  });
});

async function startCappedApp(h: Harness, nodeCap: number): Promise<{ base: string; close: () => Promise<void> }> {
  const services = { ...h.services, config: { ...h.services.config, api: { ...h.services.config.api, nodeCap } } };
  const server = await listen(createApp({ services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
  return { base: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}
