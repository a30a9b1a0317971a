import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NormalizedEntity, Resolved, ResolvedRef } from '../../domain/entity';
import type { Edge } from '../../domain/edge';
import { contentHash, planItem, resultsOf, type PageItem, type Plan } from '../../store/hydration-plan';
import type { EntityRow } from '../../store/schema';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:01:00Z');

const ref = (type: ResolvedRef['type'], id: string): ResolvedRef => ({ uri: `mlg://${type}/${id}`, type, nativeId: id, lookupKey: id });
const FEATURE = ref('feature', 'ctr');
const DATASET = ref('dataset', 'clicks');

const entity = (over: Partial<NormalizedEntity> = {}): NormalizedEntity => ({
  type: 'feature',
  nativeId: 'ctr',
  lookupKey: 'ctr',
  name: 'ctr',
  description: 'click-through rate',
  attributes: {},
  tags: [],
  ...over,
});

const resolved = (
  over: Partial<NormalizedEntity> = {},
  edges: Resolved['edges'] = [{ subject: FEATURE, predicate: 'derived_from', object: DATASET }],
): Resolved => ({
  primary: { uri: FEATURE.uri, entity: entity(over) },
  dependents: [],
  edges,
  unresolvedEmails: [],
});

/** The stored row of a state written before, as persisting leaves it. */
const rowOf = (r: Resolved, state: string, fetchedAt: Date, hash: string | null = contentHash(r)): EntityRow => ({
  uri: r.primary.uri,
  type: 'feature',
  source: 'featurestore',
  native_id: 'ctr',
  lookup_key: 'ctr',
  name: r.primary.entity.name,
  description: r.primary.entity.description,
  state,
  attributes: {},
  tags: [],
  content_hash: hash,
  created_at: T0,
  updated_at: T0,
  last_hydrated_at: T0,
  last_enriched_at: null,
  touched_at: T0,
  fetched_at: fetchedAt,
  listed_at: null,
  change_period: null,
  change_announced: null,
});

const declaredEdges = (r: Resolved): Edge[] =>
  r.edges.map((e) => ({ subject: e.subject.uri, predicate: e.predicate, object: e.object.uri }));
const rows = (...list: EntityRow[]) => new Map(list.map((row) => [row.uri, row]));
const item = (r: Resolved, fetchedAt = T1): PageItem => ({ resolved: r, fetchedAt });
const kind = (plan: Plan) => plan.kind;

describe('the plan of a hydration write', () => {
  it('when the entity is new, then its facts, its declared edge and a placeholder for the unknown end are planned', () => {
    const plan = planItem(item(resolved()), new Map(), [], new Set());
    assert.equal(plan.kind, 'changed');
    if (plan.kind !== 'changed') return;
    assert.ok((plan.facts.get(FEATURE.uri) ?? []).some((f) => f.attribute === 'name' && f.op === 'assert'));
    assert.deepEqual(
      plan.edgeChanges.map((e) => [e.op, e.predicate, e.object]),
      [['assert', 'derived_from', DATASET.uri]],
    );
    assert.deepEqual(
      plan.missing.map((r) => r.uri),
      [DATASET.uri],
    );
    assert.ok(plan.changedUris.has(FEATURE.uri));
  });

  it('when the other end is known, then no placeholder is planned for it', () => {
    const plan = planItem(item(resolved()), new Map(), [], new Set([DATASET.uri]));
    assert.equal(plan.kind === 'changed' && plan.missing.length, 0);
  });

  it('when the same content was stored, then only the read is recorded', () => {
    const r = resolved();
    const plan = planItem(item(r), rows(rowOf(r, 'hydrated', T0)), declaredEdges(r), new Set([DATASET.uri]));
    assert.deepEqual(plan, { kind: 'unchanged', written: [FEATURE.uri], fetchedAt: T1, hash: null });
  });

  it('when the stored row lacks its hash but nothing changed, then the read and the hash are recorded', () => {
    const r = resolved();
    const plan = planItem(item(r), rows(rowOf(r, 'hydrated', T0, null)), declaredEdges(r), new Set([DATASET.uri]));
    assert.equal(kind(plan), 'unchanged');
    assert.deepEqual(plan.kind === 'unchanged' && plan.hash, { uri: FEATURE.uri, value: contentHash(r) });
  });

  it('when the stored state was fetched later, then the item is superseded and nothing is planned', () => {
    const r = resolved({ description: 'older' });
    assert.equal(kind(planItem(item(r, T0), rows(rowOf(resolved(), 'hydrated', T1)), [], new Set())), 'superseded');
  });

  it('when a fact and an edge changed, then only the changed fact is asserted and the vanished edge retracted', () => {
    const before = resolved();
    const after = resolved({ description: 'clicks over views' }, []);
    const plan = planItem(item(after), rows(rowOf(before, 'hydrated', T0)), declaredEdges(before), new Set([DATASET.uri]));
    assert.equal(plan.kind, 'changed');
    if (plan.kind !== 'changed') return;
    const facts = plan.facts.get(FEATURE.uri) ?? [];
    assert.ok(facts.length > 0 && facts.every((f) => f.attribute === 'description'), JSON.stringify(facts));
    assert.ok(facts.some((f) => f.op === 'assert' && f.value === 'clicks over views'));
    assert.deepEqual(
      plan.edgeChanges.map((e) => [e.op, e.object]),
      [['retract', DATASET.uri]],
    );
  });

  it('when an enriched entity changes, then it goes back to hydrated', () => {
    const before = resolved();
    const plan = planItem(
      item(resolved({ name: 'ctr-v2' })),
      rows(rowOf(before, 'enriched', T0)),
      declaredEdges(before),
      new Set([DATASET.uri]),
    );
    assert.equal(plan.kind, 'changed');
    if (plan.kind !== 'changed') return;
    assert.ok((plan.facts.get(FEATURE.uri) ?? []).some((f) => f.attribute === 'state' && f.value === 'hydrated' && f.op === 'assert'));
  });

  it('when a deleted entity is served again, then it is planned back to hydrated with its facts', () => {
    const r = resolved();
    const plan = planItem(item(r), rows(rowOf(r, 'deleted', T0, null)), [], new Set([DATASET.uri]));
    assert.equal(plan.kind, 'changed');
    if (plan.kind !== 'changed') return;
    assert.ok((plan.facts.get(FEATURE.uri) ?? []).some((f) => f.attribute === 'state' && f.value === 'hydrated' && f.op === 'assert'));
  });

  it('when a placeholder is served for the first time, then it is planned as a change (not a read)', () => {
    const r = resolved();
    assert.equal(kind(planItem(item(r), rows(rowOf(r, 'placeholder', T0, null)), [], new Set([DATASET.uri]))), 'changed');
  });

  it('when the plans are written, then each result says what it came to, with event-loss counts on revisions', () => {
    const changed = planItem(item(resolved()), new Map(), [], new Set());
    const superseded: Plan = { kind: 'superseded' };
    const results = resultsOf([changed, superseded], {
      txId: '7',
      placeholders: new Set([DATASET.uri]),
      counts: new Map([[FEATURE.uri, { announced: 0, unannounced: 1, verdict: { period: T0, announced: false } }]]),
    });
    assert.deepEqual(results[0], {
      changed: true,
      txId: '7',
      touched: [FEATURE.uri, DATASET.uri],
      placeholders: [DATASET.uri],
      revision: { announced: 0, unannounced: 1 },
    });
    assert.deepEqual(results[1], { changed: false, txId: null, touched: [], placeholders: [], superseded: true });
    assert.deepEqual(resultsOf([changed], null), [{ changed: false, txId: null, touched: [], placeholders: [] }]);
  });
});
