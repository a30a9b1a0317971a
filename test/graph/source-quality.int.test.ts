import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ThinEvent } from '../../domain/events';
import { startSync } from '../../temporal/sync-schedule';
import { serveApi, type ApiUnderTest } from '../support/api';
import { waitForConvergence, waitForEventsApplied } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait';

interface SourceAnswer {
  source: string;
  quietForMs: number | null;
  silenceAfterMs: number | null;
  recentCalls: number;
  failureShare: number | null;
  announcedChanges: number;
  unannouncedChanges: number;
  eventLossShare: number | null;
  signals: { code: string }[];
}

const DROP_RATE = 0.3;
const ROUNDS = 5;
const UPDATES_PER_ROUND = 10;

describe("a source's quality, learned from what it did", () => {
  let h: Harness;
  let api: ApiUnderTest;
  const sources = async (): Promise<Map<string, SourceAnswer>> => {
    const { status, body } = await api.get('/v1/quality/sources');
    assert.equal(status, 200);
    return new Map((body.sources as SourceAnswer[]).map((s) => [s.source, s]));
  };
  const settle = () => waitForEventsApplied(h);
  const codes = (s: SourceAnswer | undefined) => (s?.signals ?? []).map((x) => x.code);

  before(async () => {
    h = await startHarness({
      seed: 57,
      size: 400,
      env: {
        MLG_QUALITY_BUCKET_MS: '200',
        MLG_QUALITY_FLUSH_MS: '100',
        MLG_SILENCE_MIN_MS: '0',
        MLG_SILENCE_FACTOR: '3',
        MLG_QUALITY_RECENT_MS: '60000',
        // A short history, so that the rhythm is learned from the test's own beats.
        MLG_RHYTHM_WINDOW_MS: '5000',
      },
    });
    api = await serveApi(h);
    await h.demo.announce();
    await waitForConvergence(h, { timeoutMs: 120_000 });
  });
  after(async () => {
    await api.close();
    await h.close();
  });

  it('when one source stops emitting while another keeps its rhythm, then only the quiet one is reported silent', async () => {
    const one = (type: ThinEvent['event_type'], field: string, id: string): ThinEvent => ({ event_type: type, [field]: id });
    const [feature] = [...h.demo.world.records.features.keys()];
    const [dataset] = [...h.demo.world.records.datasets.keys()];
    assert.ok(feature && dataset);
    const beat = async (withFeatures: boolean) => {
      await h.demo.send([
        one('dataset_updated', 'dataset_id', dataset),
        ...(withFeatures ? [one('feature_updated', 'feature_id', feature)] : []),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 250));
    };
    // Both sources at a steady rhythm (an event every 250 ms), then the feature store falls quiet.
    for (let i = 0; i < 24; i++) await beat(true);
    const learned = await sources();
    assert.deepEqual([codes(learned.get('featurestore')), codes(learned.get('datasets'))], [[], []]);
    await waitFor(
      'the feature store to be reported silent',
      async () => {
        await beat(false);
        return codes((await sources()).get('featurestore')).includes('source-silent');
      },
      { timeoutMs: 20_000 },
    );
    const now = await sources();
    assert.deepEqual(codes(now.get('datasets')), [], 'the source that kept its rhythm is not silent');
    const quiet = now.get('featurestore');
    assert.ok(quiet?.silenceAfterMs && quiet.quietForMs && quiet.quietForMs > quiet.silenceAfterMs);
    assert.ok(quiet.silenceAfterMs < 5_000, `learned from a 250 ms rhythm: silent after ${quiet.silenceAfterMs} ms`);
    const metrics = await (await fetch(`${api.base}/metrics`)).text();
    assert.match(metrics, /^mlg_source_silent\{source="featurestore"\} 1$/m);
    assert.match(metrics, /^mlg_source_silent\{source="datasets"\} 0$/m);
    assert.match(metrics, /^mlg_source_quiet_seconds\{source="featurestore"\} \d/m);
  });

  it('when events of a source are dropped, then a sync finds the changes they announced and the loss is reported near the drop rate', async () => {
    // Rounds of a few changes each, reconciled after each round: the loss is counted in changes, and
    // several changes to one entity between two syncs count once when any of their events arrives.
    let revised = 0;
    h.demo.drops.clear();
    for (let round = 0; round < ROUNDS; round++) {
      h.demo.knobs = { ...h.demo.knobs, stream: { ...h.demo.knobs.stream, dropRate: DROP_RATE } };
      try {
        await h.demo.mutate(UPDATES_PER_ROUND, 'update_feature');
      } finally {
        h.demo.knobs = { ...h.demo.knobs, stream: { ...h.demo.knobs.stream, dropRate: 0 } };
      }
      await settle();
      const { handle } = await startSync(h.services.temporal.client, h.services.config, {
        source: 'featurestore',
        mode: 'full',
        since: null,
        force: false,
      });
      revised += (await handle.result()).revised;
    }
    assert.ok(revised > 0, 'the syncs found changes no event had brought');
    await waitForConvergence(h, { timeoutMs: 30_000 });
    let featurestore: SourceAnswer | undefined;
    await waitFor(
      'the counts to be written',
      async () => {
        featurestore = (await sources()).get('featurestore');
        return (featurestore?.unannouncedChanges ?? 0) >= revised;
      },
      { timeoutMs: 5_000 },
    );
    assert.ok(featurestore);
    const share = featurestore.eventLossShare ?? 0;
    const tally = h.demo.drops.get('featurestore');
    assert.ok(tally && tally.dropped > 0, 'the demo dropped some events');
    const injected = tally.dropped / tally.offered;
    assert.ok(Math.abs(share - injected) <= 0.2 * injected, `event loss ${share} within 20% of the drop rate injected, ${injected}`);
    assert.ok(codes(featurestore).includes('event-loss'));
  });

  it('when a source fails most calls, then it is reported failing, and not before', async () => {
    assert.ok(!codes((await sources()).get('registry')).includes('source-failing'));
    h.demo.knobs = { ...h.demo.knobs, sources: { ...h.demo.knobs.sources, errorRate: 1 } };
    try {
      const instances = [...h.demo.world.records.instances.keys()].slice(0, 20);
      await h.demo.send(instances.map((id) => ({ event_type: 'model_instance_updated', instance_id: id })));
      let registry: SourceAnswer | undefined;
      await waitFor(
        'the registry to be reported failing',
        async () => {
          registry = (await sources()).get('registry');
          return codes(registry).includes('source-failing');
        },
        { timeoutMs: 30_000 },
      );
      assert.ok(registry && (registry.failureShare ?? 0) >= 0.2 && registry.recentCalls >= 10);
    } finally {
      h.demo.knobs = { ...h.demo.knobs, sources: { ...h.demo.knobs.sources, errorRate: 0 } };
    }
  });
});
