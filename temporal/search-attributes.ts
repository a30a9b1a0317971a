import { SEARCH_ATTRIBUTE_NAMES } from '../domain/search-attributes';
import type { TemporalClient } from './connection';

/**
 * Registers the search attributes operators find entity workflows by, where missing. The local dev
 * server gets them at start; a real cluster gets them here.
 */
export async function ensureSearchAttributes(temporal: TemporalClient, namespace: string): Promise<void> {
  const { customAttributes } = await temporal.connection.operatorService.listSearchAttributes({ namespace });
  const existing = new Set(Object.keys(customAttributes ?? {}));
  const missing = Object.values(SEARCH_ATTRIBUTE_NAMES).filter((name) => !existing.has(name));
  if (missing.length === 0) return;
  // 2 is the KEYWORD indexed value type of Temporal's API.
  await temporal.connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, 2])),
  });
}
