import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runMatrix, type FaultResult } from '../../bench/faults/matrix';
import { flakySources, serverDown, workerKills } from '../../bench/faults/scenarios';

/** The fault matrix, small: one outage of each server, a few kills and flaky sources, on a small world. */
describe('the fault matrix, small', () => {
  it('when each server goes away and comes back under load, then the service lives on, answers 503 for what needs it, and loses or duplicates nothing', async () => {
    const run = await runMatrix({
      seed: 11,
      size: 80,
      faults: [
        serverDown('postgres', 6_000),
        serverDown('elasticsearch', 6_000),
        serverDown('kafka', 6_000),
        serverDown('temporal', 4_000),
        workerKills(3, 10_000),
        flakySources(8_000),
      ],
      mutationsPerSecond: 2,
      settleTimeoutMs: 120_000,
      logFile: path.join(os.tmpdir(), `mlg-faults-test-${process.pid}.log`),
    });
    const result = (prefix: string): FaultResult => {
      const found = run.results.find((r) => r.fault.startsWith(prefix));
      assert.ok(found, prefix);
      return found;
    };
    for (const r of run.results) {
      assert.equal(r.unexpectedExits, 0, `${r.fault}: the service died (log ${run.logFile})`);
      assert.ok(r.passed, `${r.fault}: ${JSON.stringify(r.verdict)}\n${run.timeline.map((t) => `${t.at} ${t.what}`).join('\n')}`);
      assert.ok(r.verdict.truthEntities > 50, 'the world is not empty');
    }
    const postgres = result('postgres').probes;
    assert.equal(postgres['graph read']?.status, 503);
    assert.equal(postgres['graph read']?.server, 'postgres');
    assert.match(postgres['graph read']?.retryAfter ?? '', /^\d+$/);
    assert.equal(postgres.search?.status, 200, 'search does not need PostgreSQL');
    assert.equal(postgres.health?.status, 503);
    assert.deepEqual(postgres.health?.down, ['postgres']);

    const elasticsearch = result('elasticsearch').probes;
    assert.equal(elasticsearch.search?.status, 503);
    assert.equal(elasticsearch.search?.server, 'elasticsearch');
    assert.equal(elasticsearch['graph read']?.status, 200, 'graph reads do not need Elasticsearch');
    assert.deepEqual(elasticsearch.health?.down, ['elasticsearch']);

    const kafka = result('kafka').probes;
    assert.equal(kafka['graph read']?.status, 200);
    assert.equal(kafka.event?.status, 202, 'events over HTTP do not need Kafka');
    assert.deepEqual(kafka.health?.down, ['kafka']);

    const temporal = result('temporal').probes;
    assert.equal(temporal.event?.status, 503);
    assert.equal(temporal.event?.server, 'temporal');
    assert.equal(temporal['graph read']?.status, 200);
    assert.deepEqual(temporal.health?.down, ['temporal']);
  });
});
