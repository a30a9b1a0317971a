import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateWorld } from '../../../demo/world/generate';
import { SEED_EXAMPLE } from '../../../demo/world/seed-example';
import { groundTruth } from '../../../demo/world/truth';

const INSTANCE = 'mlg://model-instance/registry/ranking-model-v5-20XX0101';
const TEST = 'mlg://ab-test/experiments/12345';

describe('groundTruth', () => {
  it('when the seed example is exported, then its entity has normalized owners, tags and name', () => {
    const truth = groundTruth(generateWorld({ seed: 1, size: 50 }));
    const instance = truth.entities.find((e) => e.uri === INSTANCE);
    assert.deepEqual(instance, {
      uri: INSTANCE,
      type: 'model-instance',
      name: 'ranking-model v5',
      owners: ['mlg://user/identity/alice'],
      tags: [{ tag: 'team', value: 'personalization' }],
    });
  });

  it('then rule R1 infers that the instance is tested in test 12345, and R2 its owning team', () => {
    const truth = groundTruth(generateWorld({ seed: 1, size: 50 }));
    assert.deepEqual(
      truth.edges.filter((e) => e.subject === INSTANCE && e.inferred),
      [
        { subject: INSTANCE, predicate: 'owned_by_team', object: 'mlg://team/identity/personalization', inferred: true, rule: 'R2' },
        { subject: INSTANCE, predicate: 'tested_in', object: TEST, inferred: true, rule: 'R1' },
      ],
    );
  });

  it('when the run no longer runs for the cell, then the tested_in edge is gone', () => {
    const world = generateWorld({ seed: 1, size: 50 });
    const run = world.records.runs.get(SEED_EXAMPLE.runId);
    assert.ok(run);
    run.ab_test_cells = [];
    const truth = groundTruth(world);
    assert.equal(truth.edges.filter((e) => e.subject === INSTANCE && e.predicate === 'tested_in').length, 0);
  });

  it('when a user leaves a team, then the R2 edges through that membership are gone', () => {
    const world = generateWorld({ seed: 1, size: 50 });
    const team = world.records.teams.get(SEED_EXAMPLE.teamId);
    assert.ok(team);
    team.member_emails = [];
    const truth = groundTruth(world);
    assert.equal(
      truth.edges.filter((e) => e.predicate === 'owned_by_team' && e.object === 'mlg://team/identity/personalization').length,
      0,
    );
  });

  it('then owners are resolved through identity: the email differs from the username', () => {
    const world = generateWorld({ seed: 5, size: 500 });
    const truth = groundTruth(world);
    const user = [...world.records.users.values()].find((u) => u.email !== SEED_EXAMPLE.userEmail);
    assert.ok(user);
    assert.notEqual(user.email.split('@')[0], user.username);
    assert.ok(truth.entities.some((e) => e.uri === `mlg://user/identity/${user.username}`));
    for (const entity of truth.entities) for (const owner of entity.owners) assert.match(owner, /^mlg:\/\/user\/identity\/[^@]+$/);
  });

  it('then every edge joins entities that exist', () => {
    const world = generateWorld({ seed: 9, size: 3000 });
    const truth = groundTruth(world);
    const uris = new Set(truth.entities.map((e) => e.uri));
    for (const e of truth.edges) assert.ok(uris.has(e.subject) && uris.has(e.object), `${e.subject} ${e.predicate} ${e.object}`);
  });
});
