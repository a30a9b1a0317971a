import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

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
    workflowStarts: new Counter({
      name: 'mlg_workflow_signals_total',
      help: 'Refresh requests handed to entity workflows (signalWithStart)',
      labelNames: ['cause'] as const,
      registers: [registry],
    }),
  };
})();
