import { z } from 'zod';

/** How a demo source system misbehaves, like a real one under load. All off by default. */
export const sourceKnobsSchema = z.object({
  /** Requests per second above which the source answers 429 with Retry-After; null is unlimited. */
  rateLimitPerSecond: z.number().positive().nullable().default(null),
  /** Share of requests answered with a 503. */
  errorRate: z.number().min(0).max(1).default(0),
  /** Added latency per request, in ms, plus a uniform jitter up to latencyJitterMs. */
  latencyMs: z.number().min(0).default(0),
  latencyJitterMs: z.number().min(0).default(0),
});

/** How the event stream misbehaves: events are notifications, and real ones are imperfect. */
export const streamKnobsSchema = z.object({
  /** Share of events sent twice. */
  duplicateRate: z.number().min(0).max(1).default(0),
  /** Events are shuffled within windows of this many; 0 or 1 keeps the order. */
  reorderWindow: z.number().int().min(0).default(0),
  /** Share of events never sent although the state changed. */
  dropRate: z.number().min(0).max(1).default(0),
  /** Share of created entities announced before their source serves them, and for how long (ms). */
  earlyRate: z.number().min(0).max(1).default(0),
  earlyMs: z.number().int().min(0).default(2000),
  /** Sources whose events are never sent although their state changes: a source gone silent. */
  silentSources: z.array(z.string()).default([]),
});

export const knobsSchema = z.object({
  sources: sourceKnobsSchema.default(sourceKnobsSchema.parse({})),
  stream: streamKnobsSchema.default(streamKnobsSchema.parse({})),
});

export type SourceKnobs = z.infer<typeof sourceKnobsSchema>;
export type StreamKnobs = z.infer<typeof streamKnobsSchema>;
export type Knobs = z.infer<typeof knobsSchema>;

export const EXACT_KNOBS: Knobs = knobsSchema.parse({});

/** The demo's imperfections: every knob on, moderately. */
export const IMPERFECT_KNOBS: Knobs = knobsSchema.parse({
  sources: { rateLimitPerSecond: 50, errorRate: 0.02, latencyMs: 5, latencyJitterMs: 10 },
  stream: { duplicateRate: 0.2, reorderWindow: 8, dropRate: 0.05, earlyRate: 0.1, earlyMs: 2000 },
});
