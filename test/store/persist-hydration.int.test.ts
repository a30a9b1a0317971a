import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Resolved, ResolvedRef } from '../../domain/entity';
import { uriOf } from '../../domain/uri';
import type { EntityType } from '../../domain/vocabulary';
import { createDatabase, type Db } from '../../store/database';
import { markEnriched, touchedPage } from '../../store/enrichment';
import { persistHydration } from '../../store/persist-hydration';
import { resetDatabase } from '../support/harness';
import { testConfig } from '../support/services';

const ref = (type: EntityType, nativeId: string): ResolvedRef => ({ uri: uriOf(type, nativeId), type, nativeId, lookupKey: nativeId });

/** A model instance whose payload names its owner. */
function instanceOwnedBy(nativeId: string, owner: ResolvedRef, description: string | null = null): Resolved {
  const self = ref('model-instance', nativeId);
  return {
    primary: {
      uri: self.uri,
      entity: { type: 'model-instance', nativeId, lookupKey: nativeId, name: nativeId, description, attributes: {}, tags: [] },
    },
    dependents: [],
    edges: [{ subject: self, predicate: 'owned_by', object: owner }],
    unresolvedEmails: [],
  };
}

describe('persisting hydrations', () => {
  let db: Db;
  before(async () => {
    db = createDatabase(testConfig().postgres.url);
    await resetDatabase(db);
  });
  after(() => db.destroy());

  it('when many entities naming the same unknown entity are persisted at once, then it gets one placeholder and no transaction is empty', async () => {
    const owner = ref('user', 'ada');
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        persistHydration(db, {
          target: ref('model-instance', `m-${i}`),
          outcome: { kind: 'found', resolved: instanceOwnedBy(`m-${i}`, owner) },
          tx: { source: 'registry', cause: 'model_instance_created', workflowId: null, eventIds: [] },
        }),
      ),
    );
    assert.equal(results.filter((r) => r.placeholders.includes(owner.uri)).length, 1, 'one writer created the placeholder');
    const placeholderFacts = await db.selectFrom('facts').select('id').where('entity_uri', '=', owner.uri).execute();
    assert.equal(placeholderFacts.length, 1);
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from tx where not exists (select 1 from facts where tx_id = tx.id) and not exists (select 1 from edges where tx_id = tx.id)`.execute(
      db,
    );
    assert.equal(Number(rows[0]?.n), 0, 'no transaction without facts or edges');
  });

  it('when the same hydration is persisted twice at once, then the second writes nothing', async () => {
    const owner = ref('user', 'grace');
    const input = {
      target: ref('model-instance', 'twice'),
      outcome: { kind: 'found' as const, resolved: instanceOwnedBy('twice', owner) },
      tx: { source: 'registry', cause: 'model_instance_updated', workflowId: null, eventIds: [] },
    };
    const [first, second] = await Promise.all([persistHydration(db, input), persistHydration(db, input)]);
    assert.deepEqual([first?.changed, second?.changed].sort(), [false, true]);
  });

  it('when an entity is rewritten while the sweep marks it enriched, then its history never states the same thing twice in a row', async () => {
    const owner = ref('user', 'linus');
    const subject = ref('model-instance', 'raced');
    const write = (version: number) =>
      persistHydration(db, {
        target: subject,
        outcome: { kind: 'found', resolved: instanceOwnedBy('raced', owner, `version ${version}`) },
        tx: { source: 'registry', cause: 'model_instance_updated', workflowId: null, eventIds: [] },
      });
    await write(0);
    for (let version = 1; version <= 40; version++) {
      const page = await touchedPage(db, { after: '', limit: 100 });
      await Promise.all([markEnriched(db, page, null), write(version)]);
    }
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from (
        select op, value, lag(op) over w as prev_op, lag(value) over w as prev_value
        from facts where entity_uri = ${subject.uri} window w as (partition by attribute order by tx_id, id)) f
      where prev_op = op and value is not distinct from prev_value`.execute(db);
    assert.equal(Number(rows[0]?.n), 0);
    const row = await db.selectFrom('entities').select(['state', 'description']).where('uri', '=', subject.uri).executeTakeFirstOrThrow();
    const facts = await db
      .selectFrom('facts')
      .select(['attribute', 'value'])
      .where('entity_uri', '=', subject.uri)
      .where('attribute', '=', 'state')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(JSON.stringify(row.state), JSON.stringify(facts.value), 'the projection agrees with the last state fact');
  });
});
