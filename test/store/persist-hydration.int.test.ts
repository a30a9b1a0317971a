import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Resolved, ResolvedRef } from '../../domain/entity';
import { uriOf } from '../../domain/uri';
import type { EntityType } from '../../domain/vocabulary';
import { createDatabase, type Db } from '../../store/database';
import { markEnriched, touchedPage } from '../../store/enrichment';
import { persistHydration, persistPage } from '../../store/persist-hydration';
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
    db = createDatabase(testConfig().postgres);
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
          fetchedAt: new Date(),
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
      fetchedAt: new Date(),
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
        fetchedAt: new Date(),
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

  it('when a state fetched earlier arrives after one fetched later, then it is not written', async () => {
    const owner = ref('user', 'barbara');
    const subject = ref('model-instance', 'late');
    const tx = { source: 'registry', cause: 'model_instance_updated', workflowId: null, eventIds: [] };
    const write = (description: string, fetchedAt: Date) =>
      persistHydration(db, {
        target: subject,
        outcome: { kind: 'found', resolved: instanceOwnedBy('late', owner, description) },
        tx,
        fetchedAt,
      });
    assert.equal((await write('newer', new Date(2_000))).changed, true);
    const older = await write('older', new Date(1_000));
    assert.deepEqual([older.changed, older.superseded], [false, true]);
    const gone = await persistHydration(db, { target: subject, outcome: { kind: 'gone' }, tx, fetchedAt: new Date(1_500) });
    assert.deepEqual([gone.changed, gone.superseded], [false, true]);
    const row = await db.selectFrom('entities').select(['description', 'state']).where('uri', '=', subject.uri).executeTakeFirstOrThrow();
    assert.deepEqual(row, { description: 'newer', state: 'hydrated' });
  });

  it('when a page of a listing is persisted twice, then the first writes one transaction and marks each listed, the second writes nothing', async () => {
    const owner = ref('user', 'edsger');
    const items = ['p-1', 'p-2', 'p-3'].map((id) => ({ resolved: instanceOwnedBy(id, owner), fetchedAt: new Date() }));
    const tx = { source: 'registry', cause: 'sync', workflowId: null, eventIds: [] };
    const txBefore = await db.selectFrom('tx').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const first = await persistPage(db, items, tx);
    assert.equal(first.changed, 3);
    assert.deepEqual([...first.listed].sort(), items.map((i) => i.resolved.primary.uri).sort());
    const txAfter = await db.selectFrom('tx').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(txAfter.n) - Number(txBefore.n), 1, 'one transaction row for the page');
    const listed = await db.selectFrom('entities').select('listed_at').where('uri', 'in', first.listed).execute();
    assert.ok(listed.every((row) => row.listed_at instanceof Date));
    const second = await persistPage(db, items, tx);
    assert.deepEqual([second.changed, second.touched.length], [0, 0]);
    const txLast = await db.selectFrom('tx').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(txLast.n, txAfter.n);
  });
});
