import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HydrateResult } from '../../activities/hydrate';
import type { PersistInput } from '../../activities/persist';
import { createRefresh } from '../../activities/refresh';
import type { Normalized } from '../../domain/entity';
import type { PersistResult } from '../../store/hydration-plan';

const target = { type: 'model-instance', source: 'registry', lookupKey: 'm1' } as const;
const tx = { source: 'registry', cause: 'model_instance_updated', workflowId: null, eventIds: [] };
const normalized: Normalized = {
  primary: { type: 'model-instance', nativeId: 'm1', lookupKey: 'm1', name: 'm1', description: null, attributes: {}, tags: [] },
  dependents: [],
  edges: [],
};

/** The refresh's steps, recorded: each returns what the test says and notes how it was called. */
function steps(hydrated: HydrateResult, opts: { indexFails?: boolean } = {}) {
  const calls = { persist: [] as PersistInput[], resolved: [] as string[], indexed: [] as string[][] };
  const persisted: PersistResult = { changed: true, txId: '1', touched: ['mlg://model-instance/registry/m1'], placeholders: [] };
  const refresh = createRefresh({
    hydrate: async () => hydrated,
    resolveEmail: async ({ email }) => (calls.resolved.push(email), email.split('@')[0] ?? null),
    persist: async (input) => (calls.persist.push(input), persisted),
    indexEntities: async ({ uris }) => {
      if (opts.indexFails) throw new Error('Elasticsearch is away');
      calls.indexed.push([...uris]);
    },
  });
  return { refresh, calls };
}

describe('a refresh', () => {
  it('when the source serves the entity, then unknown owner emails are resolved, and it is persisted and indexed', async () => {
    const { refresh, calls } = steps({
      kind: 'found',
      normalized,
      usernames: { 'ann@x.com': 'ann' },
      unknownEmails: ['bob@x.com'],
      fetchedAt: 1,
    });
    const result = await refresh({ target, tx, acceptGone: false });
    assert.deepEqual(result, { outcome: 'changed', unindexed: [], nativeId: 'm1' });
    assert.deepEqual(calls.resolved, ['bob@x.com']);
    const outcome = calls.persist[0]?.outcome;
    assert.ok(outcome?.kind === 'found');
    assert.deepEqual(outcome.usernames, { 'ann@x.com': 'ann', 'bob@x.com': 'bob' });
    assert.equal(calls.persist[0]?.fetchedAt, 1);
    assert.deepEqual(calls.indexed, [['mlg://model-instance/registry/m1']]);
  });

  it('when the source answers 404 and that is not yet believed, then nothing is written', async () => {
    const { refresh, calls } = steps({ kind: 'gone', fetchedAt: 1 });
    assert.equal((await refresh({ target, tx, acceptGone: false })).outcome, 'unconfirmed-gone');
    assert.equal(calls.persist.length, 0);
    assert.equal((await refresh({ target, tx, acceptGone: true })).outcome, 'gone');
    assert.equal(calls.persist[0]?.outcome.kind, 'gone');
  });

  it('when indexing fails, then the refresh still succeeds and names the documents left to write', async () => {
    const { refresh } = steps({ kind: 'found', normalized, usernames: {}, unknownEmails: [], fetchedAt: 1 }, { indexFails: true });
    assert.deepEqual((await refresh({ target, tx, acceptGone: false })).unindexed, ['mlg://model-instance/registry/m1']);
  });
});
