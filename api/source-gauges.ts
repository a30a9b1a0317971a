import { sourceQualityOf } from '../graph/source-quality';
import { configuredSources } from '../platform/config';
import { metrics } from '../platform/metrics';
import type { Services } from '../platform/services';

/** The per-source quality gauges, from the sources' activity now. */
export async function setSourceGauges(services: Services): Promise<void> {
  const sources = await sourceQualityOf(services.readDb, services.config.sourceQuality, configuredSources(services.config));
  for (const q of sources) {
    const labels = { source: q.source };
    if (q.quietForMs !== null) metrics.sourceQuietSeconds.set(labels, q.quietForMs / 1000);
    metrics.sourceSilent.set(labels, q.signals.some((s) => s.code === 'source-silent') ? 1 : 0);
    if (q.failureShare !== null) metrics.sourceFailureShare.set(labels, q.failureShare);
    if (q.eventLossShare !== null) metrics.sourceEventLossShare.set(labels, q.eventLossShare);
  }
}
