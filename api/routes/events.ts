import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { validateEvent } from '../../connectors/events';
import type { Config } from '../../platform/config';
import { AppError } from '../../platform/errors';
import { requestRefresh } from '../../temporal/entity-client';

const MAX_EVENTS = 10_000;

/**
 * POST /v1/events: one thin event or an array, validated exactly as the Kafka consumer does. Valid
 * events are handed to their entities' workflows before the 202; rejected ones say why.
 */
export function eventRoutes(deps: { client: Client; config: Pick<Config, 'temporal' | 'ingest' | 'uriScheme'> }): Router {
  const router = Router();
  router.post('/v1/events', async (req, res) => {
    const body: unknown = req.body;
    const events = Array.isArray(body) ? body : [body];
    if (body === undefined || events.length === 0) throw new AppError('BAD_REQUEST', 'the body must be a thin event or a non-empty array of them', { details: { parameter: 'body' } });
    if (events.length > MAX_EVENTS) throw new AppError('BAD_REQUEST', `at most ${MAX_EVENTS} events per request`, { details: { parameter: 'body' } });
    const rejected: { index: number; reason: string }[] = [];
    const accepted: Promise<unknown>[] = [];
    events.forEach((raw, index) => {
      const verdict = validateEvent(raw);
      if (!verdict.ok) return void rejected.push({ index, reason: verdict.reason });
      const { event } = verdict;
      accepted.push(requestRefresh(deps.client, deps.config, { type: event.entityType, source: event.source, lookupKey: event.lookupKey }, { cause: event.eventType, eventId: event.eventId }));
    });
    try {
      await Promise.all(accepted);
    } catch (error) {
      throw new AppError('SERVICE_UNAVAILABLE', `Temporal did not accept the events: ${(error as Error).message}`, { cause: error });
    }
    res.status(202).json({ accepted: accepted.length, rejected });
  });
  return router;
}
