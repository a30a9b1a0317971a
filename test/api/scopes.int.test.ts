import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { routeSpecs } from '../../api/app';
import { thinEvent } from '../../connectors/events';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import { waitForConvergence } from '../support/convergence';
import { serveApi } from '../support/api';
import { startHarness, type Harness } from '../support/harness';

/** One token per scope, named: the audit trail records the names. */
const TOKENS = { read: 'scope-test-reader-0001', ingest: 'scope-test-producer-01', admin: 'scope-test-operator-01' } as const;
const CREDENTIALS = ['none', 'read', 'ingest', 'admin'] as const;
type Credential = (typeof CREDENTIALS)[number];

const e = SEED_EXAMPLE;
const ENTITY = `/v1/entities/model-instance/registry/${e.instanceId}`;
const DATASET = `/v1/entities/dataset/datasets/${e.datasetId}`;
const OPENLINEAGE_EVENT = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../shared/openlineage/edge-cases/event_job_event.json'), 'utf8'),
) as unknown;

/** A request each route answers 2xx to when its credential is accepted: every route of the API must have one. */
const EXAMPLES: Record<string, { path: string; body?: unknown }> = {
  'GET /v1/health': { path: '/v1/health' },
  'GET /v1/status': { path: '/v1/status' },
  'GET /v1/search': { path: '/v1/search?q=ranking' },
  'GET /v1/owners/search': { path: '/v1/owners/search?q=alice' },
  'GET /v1/entities/{type}/{source}/{nativeId}': { path: ENTITY },
  'GET /v1/entities/{type}/{source}/{nativeId}/history': { path: `${ENTITY}/history` },
  'GET /v1/entities/{type}/{source}/{nativeId}/lineage': { path: `${ENTITY}/lineage` },
  'GET /v1/entities/{type}/{source}/{nativeId}/impact': { path: `${DATASET}/impact` },
  'GET /v1/entities/{type}/{source}/{nativeId}/usage': { path: `${ENTITY}/usage` },
  'GET /v1/entities/{type}/{source}/{nativeId}/similar': { path: `/v1/entities/model/registry/${e.modelId}/similar` },
  'GET /v1/entities/{type}/{source}/{nativeId}/suggestions': { path: `/v1/entities/model/registry/${e.modelId}/suggestions` },
  'GET /v1/entities/{type}/{source}/{nativeId}/duplicates': { path: `/v1/entities/feature/featurestore/${e.featureId}/duplicates` },
  'GET /v1/entities/dataset/{source}/{nativeId}/column-lineage': { path: `${DATASET}/column-lineage` },
  'GET /v1/entities/dataset/{source}/{nativeId}/column-impact': { path: `${DATASET}/column-impact?field=id` },
  'GET /v1/paths': {
    path: `/v1/paths?from=${encodeURIComponent(`mlg://dataset/datasets/${e.datasetId}`)}&to=${encodeURIComponent(`mlg://model-instance/registry/${e.instanceId}`)}`,
  },
  'GET /v1/unused': { path: '/v1/unused' },
  'GET /v1/quality': { path: '/v1/quality' },
  'GET /v1/quality/summary': { path: '/v1/quality/summary' },
  'GET /v1/quality/duplicates': { path: '/v1/quality/duplicates?type=feature' },
  'GET /v1/quality/sources': { path: '/v1/quality/sources' },
  'POST /v1/events': { path: '/v1/events', body: thinEvent('dataset_updated', e.datasetId) },
  'POST /api/v1/lineage': { path: '/api/v1/lineage', body: OPENLINEAGE_EVENT },
  'POST /api/v1/lineage/batch': { path: '/api/v1/lineage/batch', body: [OPENLINEAGE_EVENT] },
  'POST /v1/enrichment/run': { path: '/v1/enrichment/run' },
  'GET /v1/audit': { path: '/v1/audit?limit=5' },
  // Public: authenticated by its HMAC signature, which is not configured here (a 404 whatever the token).
  'POST /v1/webhooks/mlflow': { path: '/v1/webhooks/mlflow', body: {} },
};

/** The README's scope table: `route` cells (several per row) and their scope. */
function readmeScopes(): Map<string, string> {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('<!-- scopes:'), readme.indexOf('- **Static tokens'));
  const scopes = new Map<string, string>();
  for (const line of table.split('\n')) {
    const [, routes = '', scope = ''] = /^\|(.*)\|\s*(public|read|ingest|admin)\b[^|]*\|\s*$/.exec(line) ?? [];
    let method = '';
    let base = '';
    for (const [, text = ''] of routes.matchAll(/`([^`]+)`/g)) {
      const full = /^(GET|POST) (\/\S*)$/.exec(text);
      if (full) [, method = '', base = ''] = full;
      // `/history` after an entity route, or `/v1/quality/summary` after a GET: the method (and base) carry on.
      const route = full
        ? `${method} ${base}`
        : text.startsWith('/v1/') || text.startsWith('/api/')
          ? `${method} ${text}`
          : `${method} ${base}${text}`;
      scopes.set(route, scope);
    }
  }
  return scopes;
}

/** What a credential gets from a route that needs this scope: 2xx, or 401 / 403. */
function expected(scope: string, credential: Credential): 'ok' | 401 | 403 {
  if (scope === 'public') return 'ok';
  if (credential === 'none') return 401;
  if (credential === 'admin' || credential === scope) return 'ok';
  return 403;
}

describe('who may do what (the README scope table)', () => {
  let h: Harness;
  let base: string;
  let close: () => Promise<void> = () => Promise.resolve();

  before(async () => {
    h = await startHarness({
      seed: 5,
      size: 40,
      env: {
        MLG_API_TOKENS: Object.entries(TOKENS)
          .map(([scope, token]) => `${scope}-token:${token}:${scope}`)
          .join(','),
      },
    });
    await h.demo.announce();
    await waitForConvergence(h);
    const api = await serveApi(h);
    base = api.base;
    close = () => api.close();
  });
  after(async () => {
    await close();
    await h.close();
  });

  it('when the routes are listed, then each is in the README table with the scope it is declared with, and has an example', () => {
    const table = readmeScopes();
    for (const spec of routeSpecs(h.services)) {
      const route = `${spec.method.toUpperCase()} ${spec.path}`;
      assert.equal(table.get(route), spec.scope, `${route}: the README says ${table.get(route) ?? 'nothing'}, the route ${spec.scope}`);
      assert.ok(EXAMPLES[route], `${route} has no example request in this test`);
    }
  });

  it('when every route is asked with no token, a read, an ingest and an admin token, then each answers as the table says', async () => {
    const table = readmeScopes();
    const wrong: string[] = [];
    for (const spec of routeSpecs(h.services)) {
      const route = `${spec.method.toUpperCase()} ${spec.path}`;
      const example = EXAMPLES[route];
      if (!example) continue;
      for (const credential of CREDENTIALS) {
        const response = await fetch(`${base}${example.path}`, {
          method: spec.method.toUpperCase(),
          headers: {
            ...(credential === 'none' ? {} : { authorization: `Bearer ${TOKENS[credential]}` }),
            ...(example.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: example.body === undefined ? undefined : JSON.stringify(example.body),
        });
        await response.arrayBuffer();
        const want = expected(table.get(route) ?? '?', credential);
        const got = response.status;
        const fine =
          want === 'ok' ? (spec.scope === 'public' ? got !== 401 && got !== 403 && got < 500 : got >= 200 && got < 300) : got === want;
        if (!fine) wrong.push(`${route} with ${credential}: ${got}, the table says ${want}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('when a write, an operator action and a refused credential happen, then the audit trail says who, what and how it ended', async () => {
    const post = (p: string, token: string, body?: unknown) =>
      fetch(`${base}${p}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const events = [thinEvent('dataset_updated', e.datasetId), thinEvent('feature_updated', e.featureId)];
    assert.equal((await post('/v1/events', TOKENS.ingest, events)).status, 202);
    assert.equal((await post('/v1/events', 'not-a-known-token-at-all', events)).status, 401);
    assert.equal((await post('/v1/enrichment/run', TOKENS.read)).status, 403);
    const response = await fetch(`${base}/v1/audit?limit=50`, { headers: { authorization: `Bearer ${TOKENS.admin}` } });
    assert.equal(response.status, 200);
    const { entries } = (await response.json()) as { entries: any[] };
    const posted = entries.find((x) => x.action === 'events.post' && x.actor === 'ingest-token' && x.details.events === 2);
    assert.ok(posted, 'the two events posted are one entry, counted');
    assert.equal(posted.outcome, 'ok');
    assert.equal(posted.status, 202);
    assert.equal(posted.actorKind, 'token');
    assert.match(posted.remote, /127\.0\.0\.1/);
    const refused = entries.filter((x) => x.action === 'credentials.refused');
    assert.ok(refused.some((x) => x.status === 401 && x.actor === 'anonymous' && x.target === 'POST /v1/events'));
    assert.ok(refused.some((x) => x.status === 403 && x.actor === 'read-token' && x.target === 'POST /v1/enrichment/run'));
    assert.ok(!JSON.stringify(entries).includes('not-a-known-token-at-all'), 'a refused token is never recorded');
    const page = (await (
      await fetch(`${base}/v1/audit?limit=2&action=credentials.refused`, { headers: { authorization: `Bearer ${TOKENS.admin}` } })
    ).json()) as any;
    assert.equal(page.entries.length, 2);
    assert.ok(page.next);
    assert.ok(page.entries.every((x: any) => x.action === 'credentials.refused'));
  });

  it('when the service tries to change or delete an audit entry, then PostgreSQL refuses', async () => {
    await assert.rejects(h.services.db.deleteFrom('audit_trail').execute(), /append-only/);
    await assert.rejects(h.services.db.updateTable('audit_trail').set({ actor: 'someone else' }).execute(), /append-only/);
  });
});
