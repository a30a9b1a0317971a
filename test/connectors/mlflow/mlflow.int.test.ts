import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../../api/app';
import { listen } from '../../../api/server';
import { signDelivery } from '../../../connectors/mlflow/webhook';
import { mlflowClient, type Trained } from '../../../demo/mlflow/mlflow-client';
import { createLogger } from '../../../platform/logger';
import { startMlflow, type LocalMlflow } from '../../../stack/mlflow';
import { startSync } from '../../../temporal/sync-schedule';
import { runSweep, waitForConvergence } from '../../support/convergence';
import { startHarness, type Harness } from '../../support/harness';
import { waitFor } from '../../support/wait';

const READ = 'mlg-demo-read-token';
const SECRET = 'a-webhook-secret-for-the-tests';
const SEED_LOCATION = 's3://warehouse/member_viewing_history';
const SEED_DATASET = 'mlg://dataset/datasets/member-viewing-history';

const instancePath = (t: Trained) => `/v1/entities/model-instance/mlflow/${encodeURIComponent(`${t.model}/${t.version}`)}`;
const instanceUri = (t: Trained) => `mlg://model-instance/mlflow/${encodeURIComponent(`${t.model}/${t.version}`)}`;

describe('MLflow as a source, on a real MLflow server driven by its own Python client', () => {
  let mlflow: LocalMlflow;
  let h: Harness;
  let base: string;
  // A no-op until the server is up, so that a failed `before` still closes the harness.
  let close: () => Promise<void> = () => Promise.resolve();
  let client: ReturnType<typeof mlflowClient>;
  let trained: Trained;
  /** Trained before the webhook existed: nothing has told the graph about it. */
  let quiet: Trained;
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${READ}` } });
    return { status: response.status, body: (await response.json()) as any };
  };
  /** Posts a delivery signed as MLflow signs them (or with the given secret and age). */
  const deliver = async (delivery: unknown, opts: { secret?: string; ageSeconds?: number } = {}) => {
    const body = JSON.stringify(delivery);
    const id = randomUUID();
    const timestamp = String(Math.floor(Date.now() / 1000) - (opts.ageSeconds ?? 0));
    const response = await fetch(`${base}/v1/webhooks/mlflow`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-mlflow-delivery-id': id,
        'x-mlflow-timestamp': timestamp,
        'x-mlflow-signature': signDelivery(opts.secret ?? SECRET, id, timestamp, body),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  before(async () => {
    mlflow = await startMlflow('test', { fresh: true });
    h = await startHarness({ seed: 11, size: 120, env: { MLG_SOURCE_MLFLOW_URL: mlflow.url, MLG_MLFLOW_WEBHOOK_SECRET: SECRET } });
    await h.demo.announce();
    await waitForConvergence(h);
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    base = `http://127.0.0.1:${server.port}`;
    close = () => server.close();
    client = mlflowClient(mlflow.venv, mlflow.url);
    quiet = await client.train('churn-experiments', 'churn-classifier', 's3://warehouse/ranking_model_scores', 'alice');
    await client.createWebhook(`${base}/v1/webhooks/mlflow`, SECRET);
    trained = await client.train('ranking-experiments', 'ranking-lgbm', SEED_LOCATION, 'alice', 'champion');
  });
  after(async () => {
    await close?.();
    await h?.close();
    await mlflow?.stop();
  });

  it('when a run reads a dataset and a version is registered from it with an alias, then the graph holds the model, the instance, the run with its metrics, the dataset and the owner', async () => {
    await waitFor('the version, from its webhook', async () => (await get(instancePath(trained))).status === 200);
    await waitFor(
      'the alias on the model',
      async () => (await get('/v1/entities/model/mlflow/ranking-lgbm')).body.attributes?.aliases?.champion === trained.version,
    );
    await runSweep(h); // runs and experiments have no webhooks: the sweep hydrates the run the version names
    await waitFor(
      'the run, hydrated',
      async () => (await get(`/v1/entities/pipeline-run/mlflow/${trained.run_id}`)).body.state !== 'placeholder',
    );
    const instance = (await get(instancePath(trained))).body;
    const runUri = `mlg://pipeline-run/mlflow/${trained.run_id}`;
    assert.deepEqual(
      instance.relationships.filter((r: any) => ['version_of', 'produced_by'].includes(r.predicate)).map((r: any) => [r.predicate, r.uri]),
      [
        ['produced_by', runUri],
        ['version_of', 'mlg://model/mlflow/ranking-lgbm'],
      ],
    );
    assert.equal(instance.attributes.status, 'READY');
    const run = (await get(`/v1/entities/pipeline-run/mlflow/${trained.run_id}`)).body;
    assert.equal(run.state === 'hydrated' || run.state === 'enriched', true, run.state);
    assert.deepEqual(run.attributes.metrics, { auc: 0.87, logloss: 0.31 });
    assert.deepEqual(run.attributes.params, { learning_rate: '0.05', max_depth: '6' });
    assert.deepEqual(run.owners, [{ uri: 'mlg://user/identity/alice', name: 'Alice' }]);
    const datasetUri = `mlg://dataset/mlflow/${encodeURIComponent(`${trained.dataset.name}@${trained.dataset.digest}`)}`;
    const relations = run.relationships.map((r: any) => [r.predicate, r.uri]);
    assert.ok(
      relations.some(([p, u]: string[]) => p === 'reads' && u === datasetUri),
      JSON.stringify(relations),
    );
    assert.ok(relations.some(([p, u]: string[]) => p === 'run_of' && u === `mlg://pipeline/mlflow/${trained.experiment_id}`));
    const dataset = (await get(`/v1/entities/dataset/mlflow/${encodeURIComponent(`${trained.dataset.name}@${trained.dataset.digest}`)}`))
      .body;
    assert.equal(dataset.attributes.location, SEED_LOCATION);
    const search = (await get('/v1/search?q=ranking-lgbm&type=model')).body;
    assert.equal(search.hits[0]?.uri, 'mlg://model/mlflow/ranking-lgbm');
  });

  it('when MLflow and the catalog share a dataset, then lineage, impact and usage cross between them', async () => {
    await runSweep(h); // R4: the catalog's dataset at the same location is the same dataset
    const lineage = (await get(`${instancePath(trained)}/lineage?direction=upstream&depth=4`)).body;
    assert.ok(
      lineage.nodes.some((n: any) => n.uri === SEED_DATASET),
      lineage.nodes.map((n: any) => n.uri),
    );
    const impact = (await get('/v1/entities/dataset/datasets/member-viewing-history/impact?depth=5')).body;
    const affected = impact.groups.flatMap((g: any) => g.entities.map((e: any) => e.uri));
    assert.ok(affected.includes(instanceUri(trained)), 'the MLflow version is downstream of the catalog dataset');
    const usage = (
      await get(`/v1/entities/dataset/mlflow/${encodeURIComponent(`${trained.dataset.name}@${trained.dataset.digest}`)}/usage`)
    ).body;
    assert.ok(
      usage.abTests.some((t: any) => t.uri === 'mlg://ab-test/experiments/12345'),
      'the seed A/B test runs a model whose feature derives from the same dataset',
    );
  });

  it('when a delivery is signed with the wrong secret or is stale, then it is refused with a 401 naming the header and changes nothing', async () => {
    const forged = { entity: 'registered_model', action: 'created', timestamp: new Date().toISOString(), data: { name: 'forged-model' } };
    const wrong = await deliver(forged, { secret: 'not-the-secret-at-all' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.parameter, 'X-MLflow-Signature');
    const stale = await deliver(forged, { ageSeconds: 3600 });
    assert.equal(stale.status, 401);
    assert.equal(stale.body.parameter, 'X-MLflow-Timestamp');
    const unsigned = await fetch(`${base}/v1/webhooks/mlflow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    assert.equal(unsigned.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal((await get('/v1/entities/model/mlflow/forged-model')).status, 404);
    const row = await h.services.db
      .selectFrom('entities')
      .select('uri')
      .where('uri', '=', 'mlg://model/mlflow/forged-model')
      .executeTakeFirst();
    assert.equal(row, undefined);
  });

  it('when MLflow is down for 30 s, then a delivery accepted meanwhile is not lost: its version is in the graph once MLflow is back', async () => {
    assert.equal((await get(instancePath(quiet))).status, 404, 'no webhook told the graph yet');
    await mlflow.stop();
    const accepted = await deliver({
      entity: 'model_version',
      action: 'created',
      timestamp: new Date().toISOString(),
      data: { name: quiet.model, version: quiet.version },
    });
    assert.deepEqual([accepted.status, accepted.body.accepted], [200, 1]);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    assert.equal((await get(instancePath(quiet))).status, 404, 'MLflow is still down');
    await mlflow.start();
    await waitFor('the version once MLflow is back', async () => (await get(instancePath(quiet))).status === 200, { timeoutMs: 120_000 });
  });

  it('when a version is deleted in MLflow, then a full sync of MLflow marks it deleted', async () => {
    const second = await client.train('ranking-experiments', 'ranking-lgbm', SEED_LOCATION, 'alice');
    await waitFor('the second version', async () => (await get(instancePath(second))).status === 200);
    await client.deleteVersion(second.model, second.version);
    // One of a handful is more than the 10% a sync deletes unasked: the operator forces it (mlg sync mlflow --full --force).
    const { handle } = await startSync(h.services.temporal.client, h.services.config, {
      source: 'mlflow',
      mode: 'full',
      since: null,
      force: true,
    });
    const progress = await handle.result();
    assert.equal(progress.phase, 'completed');
    assert.ok(progress.deleted >= 1);
    const gone = (await get(instancePath(second))).body;
    assert.equal(gone.state, 'deleted');
    assert.notEqual((await get(instancePath(trained))).body.state, 'deleted', 'the version still in MLflow stays');
  });
});
