import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeReport, type BenchReport } from '../../bench/report';
import { ingestScenario } from '../../bench/scenarios/ingest';
import { ratelimitScenario } from '../../bench/scenarios/ratelimit';
import { searchScenario } from '../../bench/scenarios/search';
import { traverseScenario } from '../../bench/scenarios/traverse';

/** Small variants of the benchmarks: they prove the benchmark code works; they assert no timings. */
describe('benchmarks, small', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlg-bench-'));
  const written = (report: BenchReport) => {
    const files = writeReport(report, dir);
    for (const file of files) assert.ok(fs.statSync(file).size > 0, file);
    assert.match(fs.readFileSync(files[2] as string, 'utf8'), /^<svg/);
    for (const value of Object.values(report.ratios)) assert.ok(Number.isFinite(value), JSON.stringify(report.ratios));
  };

  it('when the ratelimit scenario runs, then the source never served more than the limit in any second', async () => {
    const report = await ratelimitScenario({ size: 25, rate: 10, workers: 2, command: 'test' });
    written(report);
    assert.ok((report.ratios.maxSecondOverLimit ?? 2) <= 1);
    assert.equal(report.figures.servedCalls, 25);
  });

  it('when the ingest scenario runs, then it converges and reports throughput beside its references', async () => {
    const report = await ingestScenario({ size: 60, command: 'test' });
    written(report);
    assert.equal(report.figures.graphEqualsGroundTruth, true);
    // Entities were hydrated from their sources (cells come with their test, so fewer calls than entities
    // is possible), and most of the 30% duplicate events did not cost a call of their own.
    const calls = report.figures.hydrationCallsPerEntity as number;
    assert.ok(calls > 0.5 && calls < 1.5, `${calls} hydration calls per entity`);
    assert.ok((report.figures.freshnessSamples as number) > 0);
  });

  it('when the traverse scenario runs, then every depth has API, raw SQL and memory figures', async () => {
    const report = await traverseScenario({ size: 400, command: 'test', requests: 3 });
    written(report);
    for (const depth of [1, 3, 6, 10, 20])
      for (const kind of ['large', 'small']) assert.ok(`${kind}.depth${depth}.apiP50ms` in report.figures);
  });

  it('when the search scenario runs, then exact names come first', async () => {
    const report = await searchScenario({ size: 400, command: 'test', queries: 40 });
    written(report);
    assert.ok((report.figures.exactNameRankedFirst as number) > 0.8);
  });
});
