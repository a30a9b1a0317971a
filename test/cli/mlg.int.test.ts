import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createProducer, topicMessageCount } from '../../bus/kafka';
import { thinEvent } from '../../connectors/events';
import { indexNames } from '../../search/indices';
import { DEAD_LETTER_HEADERS } from '../../intake/event-handler';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait';

const run = promisify(execFile);

describe('mlg, the operator command line', () => {
  let h: Harness;
  /** Runs `mlg …` as a user would, against the harness's servers; resolves with its exit code and output. */
  const mlg = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run('npx', ['tsx', 'bin/mlg.ts', ...args], { env: h.env, timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  before(async () => {
    h = await startHarness({ seed: 41, size: 40 });
  });
  after(async () => {
    await h.close();
  });

  it('when a command line is wrong, then it exits 2 and names what is wrong', async () => {
    const bad = await mlg('sync', 'no-such-source');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown source no-such-source/);
    const purge = await mlg('dlq', 'purge');
    assert.equal(purge.code, 2);
    assert.match(purge.stderr, /--yes/);
  });

  it('when sync --full --wait runs, then it brings the sources in and says what it did', async () => {
    const result = await mlg('sync', 'identity', 'registry', '--full', '--wait', '--json');
    assert.equal(result.code, 0, result.stderr);
    const progress = JSON.parse(result.stdout) as { source: string; phase: string; entities: number }[];
    assert.deepEqual(
      progress.map((p) => [p.source, p.phase]),
      [
        ['identity', 'completed'],
        ['registry', 'completed'],
      ],
    );
    assert.ok(progress.every((p) => p.entities > 0));
    const status = JSON.parse((await mlg('status', '--json')).stdout) as { lastSyncs: { source: string; status: string }[] };
    assert.deepEqual(status.lastSyncs.map((s) => [s.source, s.status]).sort(), [
      ['identity', 'completed'],
      ['registry', 'completed'],
    ]);
  });

  it('when reindex runs, then searches answer throughout and find the same documents in the new indices', async () => {
    const { entities } = indexNames(h.services.config.elasticsearch.indexPrefix);
    const before = Object.keys(await h.services.search.indices.getAlias({ name: entities }));
    await h.services.search.indices.refresh({ index: entities });
    const count = async () => (await h.services.search.count({ index: entities })).count;
    const expected = await count();
    assert.ok(expected > 0);
    const reindex = mlg('reindex', '--json');
    let ended = false;
    void reindex.then(() => (ended = true));
    const answers: number[] = [];
    while (!ended) {
      const hits = await h.services.search.search({ index: entities, query: { term: { 'name.keyword': 'ranking-model v5' } } });
      answers.push(hits.hits.hits.length);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const result = await reindex;
    assert.equal(result.code, 0, result.stderr);
    assert.ok(answers.length > 5, `${answers.length} searches during the reindex`);
    assert.ok(
      answers.every((n) => n === 1),
      `every search found the instance: ${answers.join(',')}`,
    );
    const after = Object.keys(await h.services.search.indices.getAlias({ name: entities }));
    assert.equal(after.length, 1);
    assert.notDeepEqual(after, before, 'the alias points at the new generation');
    assert.equal(await count(), expected);
  });

  it('when dlq replay runs, then a dead-lettered event that is valid now is processed and a bad one stays with its reason', async () => {
    const { kafka } = h.services.config;
    const instance = 'ranking-model-v5-20XX0101';
    const producer = createProducer(kafka, 'mlg-cli-test');
    try {
      // As an earlier version refused them: one that is valid now, one that is still malformed.
      await producer.send({
        messages: [
          {
            topic: kafka.deadLetterTopic,
            key: instance,
            value: JSON.stringify(thinEvent('model_instance_updated', instance)),
            headers: { [DEAD_LETTER_HEADERS.reason]: 'unknown event type (before an upgrade)' },
          },
          { topic: kafka.deadLetterTopic, key: 'x', value: 'this is not json', headers: { [DEAD_LETTER_HEADERS.reason]: 'not JSON' } },
        ],
      });
    } finally {
      await producer.close();
    }
    await waitFor('both to be in the dead-letter topic', async () => (await topicMessageCount(kafka, kafka.deadLetterTopic)) === 2n);
    const listed = JSON.parse((await mlg('dlq', 'list', '--json')).stdout) as { reason: string }[];
    assert.equal(listed.length, 2);

    const replayedAt = new Date();
    const replay = await mlg('dlq', 'replay', '--json');
    assert.equal(replay.code, 0, replay.stderr);
    const result = JSON.parse(replay.stdout) as { replayed: number; kept: { value: string; reason: string }[] };
    assert.equal(result.replayed, 1);
    assert.deepEqual(
      result.kept.map((k) => k.value),
      ['this is not json'],
    );
    assert.match(result.kept[0]?.reason ?? '', /JSON/);
    await waitFor('the replayed event to be processed', async () => {
      const row = await h.services.db
        .selectFrom('entities')
        .select('last_hydrated_at')
        .where('uri', '=', `mlg://model-instance/registry/${instance}`)
        .executeTakeFirst();
      return (row?.last_hydrated_at?.getTime() ?? 0) > replayedAt.getTime();
    });
    const after = JSON.parse((await mlg('dlq', 'list', '--json')).stdout) as { value: string; reason: string }[];
    assert.deepEqual(
      after.map((m) => m.value),
      ['this is not json'],
    );
  });

  it('when operators sync, reindex and replay dead letters, then mlg audit shows each with who ran it and how it ended', async () => {
    const operator = `${os.userInfo().username}@${os.hostname()}`;
    const listed = await mlg('audit', '--json', '--limit', '100');
    assert.equal(listed.code, 0, listed.stderr);
    const { entries } = JSON.parse(listed.stdout) as {
      entries: { action: string; actor: string; actorKind: string; outcome: string; target: string | null }[];
    };
    for (const action of ['sync.full', 'reindex', 'dlq.replay']) {
      const entry = entries.find((x) => x.action === action);
      assert.ok(entry, `${action} is in the audit trail`);
      assert.equal(entry.actor, operator);
      assert.equal(entry.actorKind, 'operator');
      assert.equal(entry.outcome, 'ok');
    }
    assert.equal(entries.find((x) => x.action === 'sync.full')?.target, 'identity,registry');
    const people = await mlg('audit', '--action', 'reindex');
    assert.ok(
      people.stdout.split('\n').some((line) => /\bok\s+reindex\s/.test(line) && line.includes(`${operator} (operator)`)),
      people.stdout,
    );
    assert.doesNotMatch(people.stdout, /sync\.full/);
  });
});
