import { z } from 'zod';
import type { ThinEvent } from '../domain/events';
import { unstorableText } from '../domain/facts';
import type { EntityType, SourceName } from '../domain/vocabulary';
import { EVENT_CATALOG } from './index';

/** A thin event that passed validation: what it addresses, at which source, by which lookup key. */
export interface AcceptedEvent {
  readonly eventType: string;
  readonly source: SourceName;
  readonly entityType: EntityType;
  readonly lookupKey: string;
  /** The catalog says this event announces a deletion. */
  readonly deletes: boolean;
  readonly eventId: string | null;
  readonly emittedAt: string | null;
}

export type EventVerdict = { readonly ok: true; readonly event: AcceptedEvent } | { readonly ok: false; readonly reason: string };

const envelope = z.looseObject({
  event_type: z.string({ error: 'event_type is missing or not a string' }),
  event_id: z.string().max(200).optional(),
  emitted_at: z.iso.datetime({ offset: true, error: 'emitted_at must be an ISO-8601 time' }).optional(),
});

const MAX_ID_LENGTH = 1000;

/** Validates a thin event against the catalog of the connectors; a rejection says why. */
export function validateEvent(raw: unknown): EventVerdict {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'an event must be a JSON object' };
  const unstorable = unstorableText(raw, '');
  if (unstorable !== null) return { ok: false, reason: `${unstorable.slice(1)} holds the NUL character or half of a surrogate pair` };
  const parsed = envelope.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((issue) => issue.message).join('; ') };
  const { event_type: eventType } = parsed.data;
  const declaration = EVENT_CATALOG[eventType];
  if (!declaration) return { ok: false, reason: `unknown event_type '${eventType}'` };
  const id = (raw as Record<string, unknown>)[declaration.idField];
  if (typeof id !== 'string' || id.trim() === '')
    return { ok: false, reason: `${eventType} needs a non-empty string ${declaration.idField}` };
  if (id.length > MAX_ID_LENGTH) return { ok: false, reason: `${declaration.idField} is longer than ${MAX_ID_LENGTH} characters` };
  return {
    ok: true,
    event: {
      eventType,
      source: declaration.source,
      entityType: declaration.entityType,
      lookupKey: id,
      deletes: declaration.deletes ?? false,
      eventId: parsed.data.event_id ?? null,
      emittedAt: parsed.data.emitted_at ?? null,
    },
  };
}

/** Parses a Kafka message value and validates it. */
export function validateEventJson(text: string): EventVerdict {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  return validateEvent(raw);
}

/** Builds the thin event of a type for an id, the id in the field the type names. */
export function thinEvent(eventType: string, id: string, extra: { event_id?: string; emitted_at?: string } = {}): ThinEvent {
  const declaration = EVENT_CATALOG[eventType];
  if (!declaration) throw new Error(`unknown event type ${eventType}`);
  return { event_type: eventType, [declaration.idField]: id, ...extra };
}

/** The id an event carries (the Kafka key of the events topic). */
export function eventId(event: ThinEvent): string {
  const declaration = EVENT_CATALOG[event.event_type];
  return (declaration ? event[declaration.idField] : undefined) ?? '';
}
