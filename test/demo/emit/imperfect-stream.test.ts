import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imperfectEvents, reorder } from '../../../demo/emit/imperfect-stream';
import { memorySink } from '../../../demo/emit/sinks';
import { startDemoSources } from '../../../demo/demo-sources';
import { streamKnobsSchema } from '../../../demo/servers/knobs';
import { generateWorld } from '../../../demo/world/generate';
import { announceAll, mutate } from '../../../demo/world/mutate';
import { Random } from '../../../demo/world/random';

const world = generateWorld({ seed: 2, size: 400 });
const announcement = [{ kind: 'change_owner' as const, events: announceAll(world), created: [] }];
const creation = (m: { events: { event_type: string }[] }) =>
  m.events.some((e) => e.event_type.endsWith('_created') || e.event_type === 'pipeline_run_started');
const total = announcement[0]!.events.length;
const ids = (): (() => string) => {
  let n = 0;
  return () => `e${n++}`;
};

describe('imperfectEvents', () => {
  it('when every knob is off, then each event is sent once, in order, with an event id', () => {
    const events = imperfectEvents(announcement, { world, random: new Random(1), knobs: streamKnobsSchema.parse({}), nextEventId: ids() });
    assert.equal(events.length, total);
    assert.deepEqual(
      events.map((e) => e.event_type),
      announcement[0]!.events.map((e) => e.event_type),
    );
    assert.equal(new Set(events.map((e) => e.event_id)).size, total);
  });

  it('when duplicates are on, then about that share is sent twice with the same event id', () => {
    const events = imperfectEvents(announcement, {
      world,
      random: new Random(1),
      knobs: streamKnobsSchema.parse({ duplicateRate: 0.3 }),
      nextEventId: ids(),
    });
    const extra = events.length - total;
    assert.ok(extra > total * 0.2 && extra < total * 0.4, `${extra} duplicates of ${total}`);
    assert.equal(new Set(events.map((e) => e.event_id)).size, total);
  });

  it('when drops are on, then about that share is never sent', () => {
    const events = imperfectEvents(announcement, {
      world,
      random: new Random(1),
      knobs: streamKnobsSchema.parse({ dropRate: 0.25 }),
      nextEventId: ids(),
    });
    assert.ok(events.length > total * 0.65 && events.length < total * 0.85, `${events.length} of ${total} sent`);
  });

  it('when drops are on, then neither creations nor the bootstrap announcement lose events', () => {
    const w = generateWorld({ seed: 4, size: 300 });
    const random = new Random(9);
    const mutations = Array.from({ length: 200 }, () => mutate(w, random));
    const knobs = streamKnobsSchema.parse({ dropRate: 1 });
    const events = imperfectEvents(mutations, { world: w, random, knobs, nextEventId: ids() });
    const created = mutations.filter((m) => m.created.length > 0);
    assert.ok(created.length > 0);
    assert.equal(events.length, created.flatMap((m) => m.events).length);
    assert.ok(created.every(creation));
    assert.equal(imperfectEvents(announcement, { world, random, knobs, nextEventId: ids(), bootstrap: true }).length, total);
  });

  it('when a source is silent, then none of its events is sent, creations and bootstrap included, and the others are', () => {
    const knobs = streamKnobsSchema.parse({ silentSources: ['featurestore'] });
    const events = imperfectEvents(announcement, { world, random: new Random(1), knobs, nextEventId: ids(), bootstrap: true });
    const features = announcement[0]!.events.filter((e) => e.event_type.startsWith('feature_')).length;
    assert.ok(features > 0);
    assert.equal(events.length, total - features);
    assert.ok(events.every((e) => !e.event_type.startsWith('feature_')));
  });

  it('when reordering is on, then the same events arrive in another order, each within its window', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = reorder(items, 10, new Random(3));
    assert.notDeepEqual(shuffled, items);
    assert.deepEqual(
      [...shuffled].sort((a, b) => a - b),
      items,
    );
    shuffled.forEach((value, index) => assert.equal(Math.floor(value / 10), Math.floor(index / 10)));
  });

  it('when early announcements are on, then a created entity is not served until its delay has passed', () => {
    const w = generateWorld({ seed: 4, size: 100 });
    const random = new Random(5);
    const mutation = mutate(w, random, 'new_instance');
    const created = mutation.created[0];
    assert.ok(created);
    imperfectEvents([mutation], {
      world: w,
      random,
      knobs: streamKnobsSchema.parse({ earlyRate: 1, earlyMs: 60_000 }),
      nextEventId: ids(),
    });
    assert.equal(w.serve(created.collection, created.id), undefined);
    assert.ok(w.serve(created.collection, created.id, Date.now() + 61_000));
  });
});

describe('mutate', () => {
  it('when the world is mutated from the same seed, then the same changes happen', () => {
    const run = () => {
      const w = generateWorld({ seed: 6, size: 300 });
      const random = new Random(6);
      return Array.from({ length: 50 }, () => mutate(w, random)).map((m) => [m.kind, m.events]);
    };
    assert.deepEqual(run(), run());
  });

  it('when an instance is deleted, then the source answers 404 for it and the event names it', () => {
    const w = generateWorld({ seed: 6, size: 300 });
    const random = new Random(6);
    const retired = [...w.records.instances.values()].find((i) => i.status === 'retired');
    assert.ok(retired, 'the world has a retired instance');
    let mutation;
    do mutation = mutate(w, random, 'delete_instance');
    while (w.records.instances.has(retired.id) && mutation.events.length > 0);
    assert.equal(mutation.events[0]?.event_type, 'model_instance_deleted');
    const deleted = mutation.events[0]?.instance_id as string;
    assert.equal(w.serve('instances', deleted), undefined);
  });

  it('when the demo streams mutations, then their events reach the sink', async () => {
    const sink = memorySink();
    const demo = await startDemoSources({ seed: 8, size: 100, port: 0, sink });
    try {
      const mutations = await demo.mutate(20);
      assert.equal(sink.sent.length, mutations.flatMap((m) => m.events).length);
      assert.ok(sink.sent.length >= 20);
    } finally {
      await demo.close();
    }
  });
});
