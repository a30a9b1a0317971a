import type { Json, Tag } from './entity';

/** snake_case (or kebab-case) to camelCase: `pipeline_run_id` → `pipelineRunId`. */
export function camelCase(key: string): string {
  return key.replace(/[_-]+([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

const TIMESTAMP_KEY = /(_at|_date|At|Date)$/;

/** An ISO-8601 UTC timestamp for a timestamp-like value; anything unparseable stays as it was. */
export function isoTimestamp(value: Json): Json {
  if (typeof value !== 'string') return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/**
 * Every field of a payload that did not become an id, an edge, an owner or a tag: camelCased,
 * timestamps in ISO-8601 UTC, nested objects camelCased too.
 */
export function attributesOf(payload: Readonly<Record<string, unknown>>, consumed: readonly string[]): Record<string, Json> {
  const attributes: Record<string, Json> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (consumed.includes(key) || value === undefined) continue;
    attributes[camelCase(key)] = TIMESTAMP_KEY.test(key) ? isoTimestamp(value as Json) : camelKeys(value as Json);
  }
  return attributes;
}

function camelKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelCase(k), camelKeys(v)]));
  return value;
}

/** `labels: [{key, value}]` become `tags: [{tag, value}]`, sorted so that equal sets compare equal. */
export function tagsOf(labels: readonly { key: string; value: string }[] | undefined): Tag[] {
  return (labels ?? [])
    .map((label) => ({ tag: label.key, value: label.value }))
    .sort((a, b) => `${a.tag}::${a.value}`.localeCompare(`${b.tag}::${b.value}`));
}

/** How a tag is searched and shown: `key::value`. */
export const tagText = (tag: Tag): string => `${tag.tag}::${tag.value}`;
