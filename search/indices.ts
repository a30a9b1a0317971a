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

/** The two indices, each with its mapping. */
const MAPPINGS = (names: IndexNames) =>
  [
    [names.entities, ENTITY_MAPPING],
    [names.owners, OWNER_MAPPING],
  ] as const;

/**
 * Creates the indices that do not exist yet; an existing one is left as it is. Each name is an alias
 * of a concrete index (`<name>-0` at first), so that a rebuild can fill a new one and switch the alias.
 */
export async function ensureIndices(client: SearchClient, prefix: string): Promise<IndexNames> {
  const names = indexNames(prefix);
  for (const [alias, mappings] of MAPPINGS(names)) {
    if (await client.indices.exists({ index: alias })) continue;
    try {
      await client.indices.create({ index: `${alias}-0`, settings, mappings, aliases: { [alias]: {} } });
    } catch (error) {
      // Another process created it between the check and the create: that is what we wanted.
      if (!String((error as Error).message).includes('resource_already_exists_exception')) throw error;
    }
  }
  return names;
}

/** Creates fresh concrete indices for a rebuild, refreshing only when asked (they are filled in bulk). */
export async function createGeneration(client: SearchClient, prefix: string, generation: string): Promise<IndexNames> {
  const names = indexNames(prefix);
  const fresh = { entities: `${names.entities}-${generation}`, owners: `${names.owners}-${generation}` };
  for (const [alias, mappings] of MAPPINGS(names)) {
    const index = alias === names.entities ? fresh.entities : fresh.owners;
    await client.indices.create({ index, settings: { ...settings, refresh_interval: '-1' }, mappings });
  }
  return fresh;
}

/**
 * Points each alias at its index of the new generation in one atomic step and deletes the indices it
 * pointed at before. An index that still carries an alias's name itself (made before aliases) is
 * replaced in the same step.
 */
export async function switchGeneration(client: SearchClient, prefix: string, fresh: IndexNames): Promise<void> {
  const names = indexNames(prefix);
  const pairs = [
    [names.entities, fresh.entities],
    [names.owners, fresh.owners],
  ] as const;
  for (const [, index] of pairs) {
    await client.indices.putSettings({ index, settings: { refresh_interval: settings.refresh_interval } });
    await client.indices.refresh({ index });
  }
  const actions: object[] = [];
  const old: string[] = [];
  for (const [alias, index] of pairs) {
    const current = await client.indices.getAlias({ name: alias }).catch(() => null);
    if (current) {
      const indices = Object.keys(current);
      old.push(...indices);
      actions.push(...indices.map((i) => ({ remove: { index: i, alias } })));
    } else if (await client.indices.exists({ index: alias })) {
      actions.push({ remove_index: { index: alias } });
    }
    actions.push({ add: { index, alias } });
  }
  await client.indices.updateAliases({ actions });
  if (old.length > 0) await client.indices.delete({ index: old, ignore_unavailable: true });
}

/** Deletes both indices behind a prefix's names, whatever their generation (tests and benchmarks clean up with it). */
export async function dropIndices(client: SearchClient, prefix: string): Promise<void> {
  const names = indexNames(prefix);
  const concrete = new Set<string>();
  for (const alias of [names.entities, names.owners]) {
    const current = await client.indices.getAlias({ name: alias }).catch(() => null);
    if (current) for (const index of Object.keys(current)) concrete.add(index);
    else concrete.add(alias);
  }
  await client.indices.delete({ index: [...concrete], ignore_unavailable: true });
}
