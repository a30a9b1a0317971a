import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createLogger } from '../../platform/logger';
import { ensurePythonPackage } from '../../stack/python';
import { run } from '../../stack/shell';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait';

const OPENLINEAGE_PYTHON = '1.54.0';
const WRITE = 'mlg-demo-write-token';
const EMIT = path.join(import.meta.dirname, 'openlineage-client', 'emit.py');

describe('the openlineage-python client, unchanged', () => {
  let h: Harness;
  let base: string;
  let python: string;
  // A no-op until the server is up, so that a failed `before` still closes the harness.
  let close: () => Promise<void> = () => Promise.resolve();

  before(async () => {
    python = path.join(await ensurePythonPackage('openlineage-python', OPENLINEAGE_PYTHON), 'bin', 'python');
    h = await startHarness({ seed: 5, size: 10 });
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    base = `http://127.0.0.1:${server.port}`;
    close = () => server.close();
  });
  after(async () => {
    await close();
    await h.close();
  });

  for (const compression of ['none', 'gzip'] as const) {
    it(`when it sends a run with its HTTP transport (compression ${compression}, an API key), then the run, its datasets and column lineage are in the graph`, async () => {
      const namespace = `client-${compression}`;
      const stdout = await run(python, [EMIT, base, WRITE, compression, namespace]);
      const runId = stdout.trim().split('\n').at(-1) ?? '';
      const runUri = `mlg://pipeline-run/openlineage/${runId}`;
      await waitFor(`run ${runId} to succeed`, async () => {
        const row = await h.services.db.selectFrom('entities').select('attributes').where('uri', '=', runUri).executeTakeFirst();
        return row?.attributes.state === 'SUCCEEDED';
      });
      const edges = await h.services.db.selectFrom('current_edges').select(['predicate', 'object']).where('subject', '=', runUri).execute();
      assert.deepEqual(edges.map((e) => `${e.predicate} ${e.object}`).sort(), [
        'reads mlg://dataset/openlineage/postgres%3A%2F%2Fshop-db%3A5432%2Fshop.public.orders',
        `run_of mlg://pipeline/openlineage/${namespace}%2Fdaily_orders`,
        `writes mlg://dataset/openlineage/s3%3A%2F%2Freports%2F${namespace}%2Fdaily_totals`,
      ]);
      const columns = await h.services.db
        .selectFrom('column_edges')
        .select(['output_field', 'input_uri', 'input_field', 'transformations'])
        .where('output_uri', '=', `mlg://dataset/openlineage/s3%3A%2F%2Freports%2F${namespace}%2Fdaily_totals`)
        .execute();
      assert.deepEqual(columns, [
        {
          output_field: 'total',
          input_uri: 'mlg://dataset/openlineage/postgres%3A%2F%2Fshop-db%3A5432%2Fshop.public.orders',
          input_field: 'amount',
          transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', description: 'sum', masking: null }],
        },
      ]);
    });
  }
});
