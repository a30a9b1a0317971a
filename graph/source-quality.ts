import { SOURCE_SIGNALS, type SourceSignalCode } from '../domain/quality';
import type { Config } from '../platform/config';
import type { Db } from '../store/database';
import { sourceActivitySince, type SourceActivityTotals } from '../store/source-activity';
import type { SourceQuality } from './answers';

/** Fewer recent calls than this say nothing about failure. */
const MIN_CALLS = 10;
/** A rhythm is learned from at least this many buckets with events. */
const MIN_EVENT_BUCKETS = 3;

/** How sources are judged, and which are configured: what the sweep needs to record their signals. */
export interface SourceQualitySettings {
  readonly settings: Config['sourceQuality'];
  readonly sources: readonly string[];
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Each source's standing, from its activity: silent (no event for far longer than its own longest gap
 * in the window), failing (a large share of recent calls failed or were throttled), losing events
 * (reconciliation found a large share of its changes without an event). Every one of `sources` is
 * listed, also when it did nothing yet.
 */
export async function sourceQualityOf(
  db: Db,
  settings: Config['sourceQuality'],
  sources: readonly string[],
  now = new Date(),
): Promise<SourceQuality[]> {
  const since = (ms: number) => new Date(now.getTime() - ms);
  const byName = async (ms: number) =>
    new Map((await sourceActivitySince(db, sources, since(ms))).map((row): [string, SourceActivityTotals] => [row.source, row]));
  const [rhythm, w, r] = await Promise.all([byName(settings.rhythmWindowMs), byName(settings.windowMs), byName(settings.recentMs)]);
  return [...sources].sort().map((source) => {
    const a = w.get(source);
    const beat = rhythm.get(source);
    const calls = r.get(source)?.calls ?? 0;
    const failed = (r.get(source)?.failures ?? 0) + (r.get(source)?.throttled ?? 0);
    const learned = beat && beat.longestGapMs !== null && beat.eventBuckets >= MIN_EVENT_BUCKETS ? beat.longestGapMs : null;
    const quietForMs = beat?.lastEventAt ? now.getTime() - beat.lastEventAt.getTime() : null;
    // Bucket starts are compared: a bucket's length is added so that the last one is not cut short. A
    // source whose last event is older than the whole rhythm window is silent whatever its rhythm was.
    const silenceAfterMs =
      learned !== null
        ? Math.max(settings.silenceMinMs, settings.silenceFactor * learned) + settings.bucketMs
        : beat?.lastEventAt && beat.eventBuckets === 0
          ? settings.rhythmWindowMs
          : null;
    const changes = (a?.announced ?? 0) + (a?.unannounced ?? 0);
    const failureShare = calls > 0 ? failed / calls : null;
    const eventLossShare = changes > 0 ? (a?.unannounced ?? 0) / changes : null;
    const codes: SourceSignalCode[] = [];
    if (silenceAfterMs !== null && quietForMs !== null && quietForMs > silenceAfterMs) codes.push('source-silent');
    if (failureShare !== null && calls >= MIN_CALLS && failureShare >= settings.failingShare) codes.push('source-failing');
    if (eventLossShare !== null && eventLossShare >= settings.eventLossShare) codes.push('event-loss');
    return {
      source,
      lastEventAt: beat?.lastEventAt?.toISOString() ?? null,
      usualGapMs: learned,
      quietForMs,
      silenceAfterMs,
      events: a?.events ?? 0,
      recentCalls: calls,
      failureShare: failureShare === null ? null : round(failureShare),
      announcedChanges: a?.announced ?? 0,
      unannouncedChanges: a?.unannounced ?? 0,
      eventLossShare: eventLossShare === null ? null : round(eventLossShare),
      signals: codes.map((code) => ({ code, ...SOURCE_SIGNALS[code] })),
    };
  });
}
