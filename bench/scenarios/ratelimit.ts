import { thinEvent } from '../../connectors/events';
import { startHarness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';
import type { BenchReport } from '../report';

/**
 * A source limited to R hydration calls a second, a backlog of events for it, several workers: the
 * achieved rate at the source over R must be close to 1 and never above it.
 */
export async function ratelimitScenario(opts: { size: number; rate: number; workers: number; command: string }): Promise<BenchReport> {
  const started = Date.now();
  const backlog = opts.size;
  const h = await startHarness({ seed: 91, size: Math.ceil(backlog / 0.14) + 50, ratePerSecond: opts.rate });
  try {
    for (let i = 1; i < opts.workers; i++) await h.addPipeline();
    const datasets = [...h.demo.world.records.datasets.keys()].slice(0, backlog);
    h.demo.counters.reset();
    await h.demo.send(datasets.map((id) => thinEvent('dataset_updated', id)));
    await waitFor('the backlog to be hydrated', async () => (h.demo.counters.snapshot().datasets?.served ?? 0) >= datasets.length, {
      timeoutMs: (datasets.length / opts.rate) * 3000 + 60_000,
    });
    const c = h.demo.counters.snapshot().datasets;
    const seconds = ((c?.lastServedAt ?? 0) - (c?.firstServedAt ?? 0)) / 1000;
    const achieved = seconds > 0 ? ((c?.served ?? 1) - 1) / seconds : 0;
    return {
      scenario: 'ratelimit',
      command: opts.command,
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      params: { backlog: datasets.length, limitPerSecond: opts.rate, workers: opts.workers },
      figures: {
        servedCalls: c?.served ?? 0,
        seconds,
        achievedPerSecond: achieved,
        maxServedInAnySecond: c?.maxServedPerSecond ?? 0,
        rejected429: c?.endpoints['GET /api/v1/datasets/:id']?.byStatus['429'] ?? 0,
      },
      ratios: { achievedOverLimit: achieved / opts.rate, maxSecondOverLimit: (c?.maxServedPerSecond ?? 0) / opts.rate },
      chart: {
        title: 'Hydration rate at the source',
        unit: 'calls/s',
        bars: [
          { label: 'configured limit R', value: opts.rate },
          { label: 'achieved (mean)', value: achieved },
          { label: 'max in any 1 s window', value: c?.maxServedPerSecond ?? 0 },
        ],
      },
      notes: [
        'Measured at the demo source (request arrival times), not at the client.',
        'The shared PostgreSQL gate hands out slots 1.06 s / R apart, so the mean sits near R/1.06 at most: the 60 ms margin absorbs a late wake-up (a caller more than 30 ms late asks for a new slot) and the way to the source.',
      ],
    };
  } finally {
    await h.close();
  }
}
