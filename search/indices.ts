import type { SearchClient } from './client';

export interface IndexNames {
  readonly entities: string;
  readonly owners: string;
}

export const indexNames = (prefix: string): IndexNames => ({ entities: `${prefix}entities`, owners: `${prefix}owners` });

const settings = {
  number_of_shards: 1,
  number_of_replicas: 0,
  refresh_interval: '1s',
  analysis: { normalizer: { lowercase: { type: 'custom' as const, filter: ['lowercase'] } } },
};

/** A name is searchable as text (fuzzy), as the exact name, and as the exact name ignoring case. */
const nameField = {
  type: 'text' as const,
  fields: {
    keyword: { type: 'keyword' as const, ignore_above: 512 },
    lowercase: { type: 'keyword' as const, normalizer: 'lowercase', ignore_above: 512 },
  },
};

const ENTITY_MAPPING = {
  dynamic: false as const,
  properties: {
    uri: { type: 'keyword' as const },
    type: { type: 'keyword' as const },
    source: { type: 'keyword' as const },
    nativeId: { type: 'keyword' as const, fields: { lowercase: { type: 'keyword' as const, normalizer: 'lowercase' } } },
    name: nameField,
    description: { type: 'text' as const },
    state: { type: 'keyword' as const },
    owners: { type: 'keyword' as const },
    ownerNames: { type: 'text' as const },
    teams: { type: 'keyword' as const },
    tags: { type: 'keyword' as const },
    related: { type: 'text' as const },
    updatedAt: { type: 'date' as const },
  },
};

const OWNER_MAPPING = {
  dynamic: false as const,
  properties: {
    uri: { type: 'keyword' as const },
    type: { type: 'keyword' as const },
    name: nameField,
    nativeId: { type: 'keyword' as const, fields: { lowercase: { type: 'keyword' as const, normalizer: 'lowercase' } } },
    email: { type: 'keyword' as const },
    teams: { type: 'keyword' as const },
    members: { type: 'keyword' as const },
  },
};

/** Creates the indices that do not exist yet; an existing index is left as it is. */
export async function ensureIndices(client: SearchClient, prefix: string): Promise<IndexNames> {
  const names = indexNames(prefix);
  for (const [index, mappings] of [
    [names.entities, ENTITY_MAPPING],
    [names.owners, OWNER_MAPPING],
  ] as const) {
    if (await client.indices.exists({ index })) continue;
    try {
      await client.indices.create({ index, settings, mappings });
    } catch (error) {
      // Another process created it between the check and the create: that is what we wanted.
      if (!String((error as Error).message).includes('resource_already_exists_exception')) throw error;
    }
  }
  return names;
}
