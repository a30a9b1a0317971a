import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZodError } from 'zod';
import { entityDeclaration, hydrationTarget } from '../../connectors';
import { generateWorld } from '../../demo/world/generate';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import type { Normalized } from '../../domain/entity';
import type { EntityType } from '../../domain/vocabulary';

const world = generateWorld({ seed: 1, size: 50 });
function normalize(type: EntityType, payload: unknown): Normalized {
  const declaration = entityDeclaration(type);
  assert.ok('normalize' in declaration);
  return declaration.normalize(payload);
}

describe('connectors: normalization', () => {
  it('when the seed instance is normalized, then its ids become edges, labels tags, and the rest camelCased attributes', () => {
    const n = normalize('model-instance', world.records.instances.get(SEED_EXAMPLE.instanceId));
    assert.deepEqual(n.primary, {
      type: 'model-instance',
      nativeId: SEED_EXAMPLE.instanceId,
      lookupKey: SEED_EXAMPLE.instanceId,
      name: 'ranking-model v5',
      description: null,
      attributes: { version: 'v5', status: 'staged', createdAt: '2026-01-01T06:00:00.000Z', updatedAt: '2026-01-01T06:00:00.000Z' },
      tags: [{ tag: 'team', value: 'personalization' }],
    });
    assert.deepEqual(
      n.edges.map((e) => [e.predicate, 'email' in e.object ? e.object.email : e.object.nativeId]),
      [
        ['version_of', 'ranking-model'],
        ['produced_by', SEED_EXAMPLE.runId],
        ['uses_feature', SEED_EXAMPLE.featureId],
        ['owned_by', 'alice@netflix.com'],
      ],
    );
  });

  it('when a test is normalized, then its cells are entities of their own, each cell_of the test', () => {
    const n = normalize('ab-test', world.records.tests.get(SEED_EXAMPLE.testId));
    assert.deepEqual(
      n.dependents.map((d) => [d.nativeId, d.name]),
      [
        ['12345.1', 'control_ranking_v4'],
        ['12345.2', 'treatment_ranking_v5'],
      ],
    );
    assert.ok(n.edges.some((e) => e.predicate === 'cell_of' && 'nativeId' in e.subject && e.subject.nativeId === '12345.2'));
    assert.deepEqual(hydrationTarget('ab-test-cell', 'experiments', '12345.2'), {
      type: 'ab-test',
      source: 'experiments',
      lookupKey: '12345',
    });
  });

  it('when a user is normalized, then the username is the id and the email the lookup key', () => {
    const n = normalize('user', world.records.users.get('alice@netflix.com'));
    assert.equal(n.primary.nativeId, 'alice');
    assert.equal(n.primary.lookupKey, 'alice@netflix.com');
    assert.equal(n.primary.name, 'Alice');
  });

  it('when a team is normalized, then its members are member_of edges from their emails', () => {
    const team = world.records.teams.get(SEED_EXAMPLE.teamId);
    const n = normalize('team', team);
    assert.deepEqual(n.edges[0], {
      subject: { type: 'user', email: 'alice@netflix.com' },
      predicate: 'member_of',
      object: { type: 'team', nativeId: 'personalization' },
    });
    assert.equal(n.edges.length, team?.member_emails.length);
    assert.ok(n.edges.every((e) => e.predicate === 'member_of' && 'email' in e.subject));
  });

  it('when a payload breaks the contract, then normalization throws a validation error', () => {
    assert.throws(() => normalize('dataset', { id: 'x' }), ZodError);
    assert.throws(() => normalize('model-instance', { id: 'x', model_id: 3, version: 'v1', status: 'staged' }), ZodError);
  });

  it('when an id holds a slash, then the source path percent-encodes it', () => {
    const declaration = entityDeclaration('dataset');
    assert.ok('path' in declaration);
    assert.equal(declaration.path('warehouse/raw events'), '/api/v1/datasets/warehouse%2Fraw%20events');
  });
});
