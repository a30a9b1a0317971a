import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { thinEvent } from '../../connectors/events';
import { startHarness } from '../support/harness';
import { startPipelineProcess } from '../support/processes';
import { waitFor } from '../support/wait';

const INSTANCE = 'mlg://model-instance/registry/ranking-model-v5-20XX0101';

describe('a worker killed in the middle of a persist', () => {
  it('when it is killed mid-transaction and a worker comes back, then no fact is lost and none is duplicated', async () => {
    const h = await startHarness({ seed: 41, size: 40, inProcessPipeline: false });
    const blocker = new pg.Client({ connectionString: h.services.config.postgres.url });
    await blocker.connect();
    let worker = startPipelineProcess('both', h.env);
    try {
      // Hold writes to the projection: the persist transaction gets as far as its tx row and then waits.
      await blocker.query('begin');
      await blocker.query('lock table entities in exclusive mode');
      await h.demo.send([thinEvent('model_instance_created', 'ranking-model-v5-20XX0101')]);
      await waitFor(
        'a persist to block on the lock',
        // Asked on another connection: inside a transaction, pg_stat_activity is a frozen snapshot.
        async () =>
          (await sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%entities%'`.execute(h.services.db))
            .rows.length > 0,
        { timeoutMs: 60_000 },
      );
      worker.kill('SIGKILL');
      await once(worker, 'exit');
      await blocker.query('rollback');
      const { rows } = await blocker.query<{ n: string }>('select count(*) as n from tx');
      assert.equal(rows[0]?.n, '0', 'the killed transaction left nothing behind');

      worker = startPipelineProcess('both', h.env);
      await waitFor(
        'the retried persist to complete',
        async () =>
          (await h.services.db.selectFrom('entities').select('state').where('uri', '=', INSTANCE).executeTakeFirst())?.state === 'hydrated',
        { timeoutMs: 90_000 },
      );
      const facts = await h.services.db.selectFrom('facts').select(['attribute', 'op']).where('entity_uri', '=', INSTANCE).execute();
      const perAttribute = new Map<string, number>();
      for (const f of facts) perAttribute.set(f.attribute, (perAttribute.get(f.attribute) ?? 0) + 1);
      assert.ok(perAttribute.size >= 6, `the instance's facts were written (${[...perAttribute.keys()].join(', ')})`);
      for (const [attribute, n] of perAttribute) assert.equal(n, 1, `${attribute} asserted ${n} times`);
      const edges = await h.services.db
        .selectFrom('current_edges')
        .select(['predicate', 'object'])
        .where('subject', '=', INSTANCE)
        .execute();
      assert.deepEqual(edges.map((e) => e.predicate).sort(), ['owned_by', 'produced_by', 'uses_feature', 'version_of']);
      const txs = await h.services.db.selectFrom('tx').select('id').where('workflow_id', 'like', '%ranking-model-v5-20XX0101').execute();
      assert.equal(txs.length, 1);
    } finally {
      worker.kill('SIGTERM');
      await blocker.end();
      await h.close();
    }
  });
});
