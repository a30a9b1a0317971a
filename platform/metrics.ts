import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The process's Prometheus metrics, served at /metrics. */
export const metrics = (() => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mlg_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'mlg_http_request_duration_seconds',
      help: 'API request latency by route',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    events: new Counter({
      name: 'mlg_events_total',
      help: 'Thin events received, by channel and outcome',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    /** Set from the sources' activity when /metrics is read (api/app.ts). */
    sourceQuietSeconds: new Gauge({
      name: 'mlg_source_quiet_seconds',
      help: 'Seconds since the source last sent an event',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    sourceSilent: new Gauge({
      name: 'mlg_source_silent',
      help: '1 when the source has been quiet far longer than its usual rhythm',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    sourceFailureShare: new Gauge({
      name: 'mlg_source_failure_share',
      help: 'Failed or throttled share of recent calls to the source',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    sourceEventLossShare: new Gauge({
      name: 'mlg_source_event_loss_share',
      help: 'Share of changes to known entities that reconciliation found without an event',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    workflowStarts: new Counter({
      name: 'mlg_workflow_signals_total',
      help: 'Refresh requests handed to entity workflows (a start carrying the request, or signalWithStart)',
      labelNames: ['cause'] as const,
      registers: [registry],
    }),
  };
})();
